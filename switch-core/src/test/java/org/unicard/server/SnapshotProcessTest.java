package org.unicard.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.cli.UnicardMain;
import org.unicard.config.ProgramRules;
import org.unicard.journal.ChronicleJournal;
import org.unicard.recovery.JournalReplayer;
import org.unicard.security.LocalMasterKey;
import org.unicard.snapshot.SnapshotFiles;
import org.unicard.snapshot.StateRecovery;
import org.unicard.testing.CiSetup;
import org.unicard.testing.StateCapture;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.unicard.server.JposTerminal.ration;

/**
 * The real snapshot process as a child: killed with SIGKILL while it writes (slowly, at a low rate
 * bound), it leaves the previous snapshot valid and in use and its {@code .tmp} ignored, and the
 * next snapshot process removes the {@code .tmp}; and {@code serve}'s scheduler starts such a
 * process that writes a snapshot while the switch goes on answering.
 */
class SnapshotProcessTest
{
    @TempDir
    Path directory;

    private Path config;
    private Path snapshots;
    private Process process;

    @BeforeEach
    void twoRunsAndASnapshotBetween() throws Exception
    {
        CiSetup.requireSetUp(LocalMasterKey.fromEnvironment().isEmpty(), "UNICARD_LMK is set in this environment: the snapshot command would use it, not the test's LMK; unset it");
        WireData.write(directory);
        config = WireData.writeSnapshotTestConfig(directory, "snapshot.nice = 0");
        snapshots = directory.resolve("snapshots");
        purchases(1, 10);
        assertEquals(0, snapshotCommand(new StringWriter()));
        purchases(11, 15);
    }

    @AfterEach
    void killLeftovers()
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldKeepThePreviousSnapshotWhenTheSnapshotProcessIsKilledWhileWriting() throws Exception
    {
        final Path previous = SnapshotFiles.newestFirst(snapshots).getFirst();
        final Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        final ProcessBuilder builder = new ProcessBuilder(
            java.toString(), "@" + CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options"), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), "org.unicard.cli.UnicardMain", "snapshot",
            "--data", directory.toString(), "--config", config.toString(), "--snapshots", snapshots.toString(), "--rate-mb", "0.05");
        builder.redirectErrorStream(true);
        builder.redirectOutput(directory.resolve("snapshot-process.log").toFile());
        process = builder.start();

        final Path unfinished = awaitUnfinishedOf(100_000);
        process.destroyForcibly();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, process.exitValue(), "killed by SIGKILL");
        assertTrue(Files.exists(unfinished), "the .tmp stays behind");
        assertEquals(List.of(previous), SnapshotFiles.newestFirst(snapshots), "no new snapshot; the previous one untouched");

        final StateRecovery.Recovered recovered = recover(snapshots);
        assertEquals(previous, recovered.snapshot());
        assertEquals(List.of(), recovered.refused(), "the .tmp is not even tried");
        assertEquals(5, recovered.replayed());
        final StateRecovery.Recovered full = recover(directory.resolve("none"));
        assertNull(StateCapture.firstDifference(StateCapture.of(full.data(), full.authorizer()),
            StateCapture.of(recovered.data(), recovered.authorizer())));

        final StringWriter output = new StringWriter();
        assertEquals(0, snapshotCommand(output), output.toString());
        assertTrue(output.toString().contains("event=snapshot-removed-unfinished snapshot=" + unfinished), output.toString());
        assertEquals(List.of(), SnapshotFiles.unfinished(snapshots));
        final StateRecovery.Recovered after = recover(snapshots);
        assertEquals(SnapshotFiles.newestFirst(snapshots).getFirst(), after.snapshot());
        assertEquals(0, after.replayed());
        assertEquals(2, SnapshotFiles.newestFirst(snapshots).size());
    }

    @Test
    void shouldHaveServeStartASnapshotProcessWhileItKeepsAnswering() throws Exception
    {
        final Path previous = SnapshotFiles.newestFirst(snapshots).getFirst();
        try (UnicardSwitch unicard = start())
        {
            assertEquals(5, unicard.recovery().replayed());
            assertTrue(unicard.snapshots().startNow());
            try (JposTerminal terminal = new JposTerminal(unicard.terminalPort()))
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int stan = 100;
                while (SnapshotFiles.newestFirst(snapshots).getFirst().equals(previous))
                {
                    if (System.nanoTime() > deadline)
                    {
                        fail("no snapshot written within 60 s");
                    }
                    assertEquals("00", terminal.exchange(ration(WireData.LARGE_HEAD, 10, stan++)).getString(39));
                    Thread.sleep(50);
                }
            }
        }
        final Path written = SnapshotFiles.newestFirst(snapshots).getFirst();
        final StateRecovery.Recovered recovered = recover(snapshots);
        assertEquals(written, recovered.snapshot());
        assertEquals(List.of(), recovered.refused());
        final StateRecovery.Recovered full = recover(directory.resolve("none"));
        assertEquals(full.position().records, recovered.position().records);
        assertNull(StateCapture.firstDifference(StateCapture.of(full.data(), full.authorizer()),
            StateCapture.of(recovered.data(), recovered.authorizer())));
    }

    private Path awaitUnfinishedOf(final long bytes) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            if (!process.isAlive())
            {
                fail("snapshot process ended early with " + process.exitValue() + ": " +
                    Files.readString(directory.resolve("snapshot-process.log")));
            }
            final List<Path> unfinished = SnapshotFiles.unfinished(snapshots);
            if (!unfinished.isEmpty() && Files.size(unfinished.getFirst()) >= bytes)
            {
                return unfinished.getFirst();
            }
            Thread.sleep(20);
        }
        fail("no .tmp of " + bytes + " bytes within 30 s: " + Files.readString(directory.resolve("snapshot-process.log")));
        return null;
    }

    private void purchases(final int firstStan, final int lastStan) throws Exception
    {
        try (UnicardSwitch unicard = start(); JposTerminal terminal = new JposTerminal(unicard.terminalPort()))
        {
            for (int stan = firstStan; stan <= lastStan; stan++)
            {
                assertEquals("00", terminal.exchange(ration(WireData.HEAD, 100, stan)).getString(39));
            }
        }
    }

    private UnicardSwitch start() throws Exception
    {
        return UnicardSwitch.start(new SwitchOptions(directory, null, config, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null, snapshots));
    }

    private StateRecovery.Recovered recover(final Path snapshotDirectory) throws Exception
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory.resolve("journal")))
        {
            return StateRecovery.recover(
                new StateRecovery.Inputs(directory, LocalMasterKey.parse(WireData.LMK_HEX, "test"), ProgramRules.defaults(), 4096, 4096,
                    snapshotDirectory),
                journal, JournalReplayer.TO_END, StateRecovery.Listener.NONE);
        }
    }

    private int snapshotCommand(final StringWriter output)
    {
        final CommandLine command = UnicardMain.commandLine();
        command.setOut(new PrintWriter(output, true));
        command.setErr(new PrintWriter(output, true));
        return command.execute("snapshot", "--data", directory.toString(), "--config", config.toString(), "--snapshots", snapshots.toString(),
            "--rate-mb", "0");
    }
}
