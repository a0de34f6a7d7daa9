package org.unicard.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.snapshot.SnapshotFiles;
import org.unicard.terminal.LocalPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Item 8 of issue 12: the real {@code serve}, started on a data set with no snapshot, imports it and
 * at once starts a snapshot process ({@code snapshot.after-import}), with the periodic triggers off
 * and no request sent; the next {@code serve} loads that snapshot and starts none. Turned off, an
 * import starts none.
 */
class SnapshotAfterImportTest
{
    @TempDir
    Path directory;

    private Process process;

    @AfterEach
    void killLeftovers()
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldSnapshotRightAfterAnImportSoThatTheNextStartLoadsIt() throws Exception
    {
        WireData.write(directory);
        final Path config = WireData.writeSnapshotTestConfig(directory, "snapshot.nice = 0");
        final Path snapshots = directory.resolve("snapshots");

        final Path first = directory.resolve("switch-first.log");
        process = startServe(config, first);
        awaitLogLine(first, "event=snapshot-written");
        final String firstLog = Files.readString(first);
        assertTrue(firstLog.contains("event=imported"), firstLog);
        assertTrue(firstLog.contains("event=snapshot-after-import"), firstLog);
        final String writtenLine = firstLog.lines().filter(line -> line.contains("event=snapshot-written")).findFirst().orElseThrow();
        assertTrue(writtenLine.contains(" from=import "), "the snapshot process imported the same data set: " + writtenLine);
        final List<Path> written = SnapshotFiles.newestFirst(snapshots);
        assertEquals(1, written.size(), written.toString());
        stop();

        final Path second = directory.resolve("switch-second.log");
        process = startServe(config, second);
        stop();
        final String secondLog = Files.readString(second);
        assertTrue(secondLog.contains("event=snapshot-loaded snapshot=" + written.getFirst()), secondLog);
        assertFalse(secondLog.contains("event=imported"), secondLog);
        assertFalse(secondLog.contains("event=snapshot-after-import"), secondLog);
        assertFalse(secondLog.contains("event=snapshot-process-started"), secondLog);
        assertEquals(written, SnapshotFiles.newestFirst(snapshots));
    }

    @Test
    void shouldNotSnapshotAfterAnImportWhenTurnedOff() throws Exception
    {
        WireData.write(directory);
        final Path config = WireData.writeSnapshotTestConfig(directory, "snapshot.after-import = false");
        try (UnicardSwitch unicard = UnicardSwitch.start(
            new SwitchOptions(directory, null, config, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null, directory.resolve("snapshots"))))
        {
            assertNull(unicard.recovery().snapshot(), "imported");
            assertFalse(unicard.startSnapshotAfterImport());
            assertEquals(0, unicard.snapshots().started());
        }
        assertEquals(List.of(), SnapshotFiles.newestFirst(directory.resolve("snapshots")));
    }

    /** Starts serve, waits for /health 200. */
    private Process startServe(final Path config, final Path log) throws Exception
    {
        final int httpPort = LocalPorts.free();
        final Path options = CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final ProcessBuilder builder = new ProcessBuilder(
            java, "@" + options, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(), "--config", config.toString(),
            "--port", "0", "--acquirer-port", "0", "--http-port", Integer.toString(httpPort),
            "--clock", WireData.CLOCK.toString());
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        final Process started = builder.start();
        ChildHealth.awaitHealthy(started, httpPort, () -> Files.readString(log));
        return started;
    }

    private void stop() throws InterruptedException
    {
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops after SIGTERM");
        assertEquals(0, process.exitValue());
    }

    private void awaitLogLine(final Path log, final String text) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.readString(log).contains(text))
        {
            if (System.nanoTime() > deadline)
            {
                fail("no " + text + " within 90 s: " + Files.readString(log));
            }
            if (!process.isAlive())
            {
                fail("serve exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }
}
