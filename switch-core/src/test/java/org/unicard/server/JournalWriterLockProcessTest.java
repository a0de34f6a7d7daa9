package org.unicard.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.cli.UnicardMain;
import org.unicard.journal.JournalLock;
import org.unicard.security.LocalMasterKey;
import org.unicard.terminal.LocalPorts;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.unicard.server.JposTerminal.ration;

/**
 * Spec §8, one writer per journal, with real processes: a second {@code serve} started on the journal
 * of a running one exits 1 with one line naming the journal and the first one's PID, and leaves every
 * journal file byte for byte as it was; a {@code snapshot} run by hand beside it reads the journal
 * read-only, writes its snapshot, and changes nothing in the journal either.
 */
class JournalWriterLockProcessTest
{
    @TempDir
    Path directory;

    private Path config;
    private Path journal;
    private Process first;
    private Process second;

    @BeforeEach
    void startTheFirstSwitch() throws Exception
    {
        WireData.write(directory);
        config = WireData.writeSnapshotTestConfig(directory);
        journal = directory.resolve("journal");
        final int port = LocalPorts.free();
        final int httpPort = LocalPorts.free();
        first = startSwitch(port, httpPort, "first");
        ChildHealth.awaitHealthy(first, httpPort, () -> Files.readString(directory.resolve("switch-first.log")));
        try (JposTerminal terminal = new JposTerminal(port))
        {
            assertEquals("00", terminal.exchange(ration(WireData.HEAD, 100, 1)).getString(39));
        }
    }

    @AfterEach
    void stopSwitches() throws Exception
    {
        for (final Process process : new Process[] {second, first})
        {
            if (process != null && process.isAlive())
            {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldRefuseASecondSwitchOnTheSameJournalNamingItAndTheHoldersPidAndChangeNothing() throws Exception
    {
        final Map<String, String> before = journalFiles();
        assertEquals(Long.toString(first.pid()), JournalLock.holderPid(journal));

        second = startSwitch(LocalPorts.free(), LocalPorts.free(), "second");
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second switch exits instead of starting");
        final String log = Files.readString(directory.resolve("switch-second.log"));

        assertEquals(1, second.exitValue(), log);
        final String refusal = log.lines().filter(line -> line.startsWith("unicard serve: ")).findFirst().orElse("(none) " + log);
        assertTrue(refusal.contains("journal=" + journal), refusal);
        assertTrue(refusal.contains("pid=" + first.pid()), refusal);
        assertEquals(before, journalFiles(), "the second switch changed the journal");
        assertTrue(first.isAlive(), "the first switch runs on");
    }

    @Test
    void shouldSnapshotBesideTheRunningSwitchWithoutWritingItsJournal() throws Exception
    {
        assumeTrue(LocalMasterKey.fromEnvironment().isEmpty(), "UNICARD_LMK is set: the snapshot command would use it, not the test's LMK");
        final Map<String, String> before = journalFiles();
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = UnicardMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));

        final int code = commandLine.execute("snapshot", "--data", directory.toString(), "--config", config.toString(),
            "--snapshots", directory.resolve("by-hand").toString());

        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("event=snapshot-written"), out.toString());
        assertEquals(before, journalFiles(), "a snapshot run by hand changed the journal");
        assertTrue(first.isAlive(), "the switch runs on");
    }

    private Process startSwitch(final int port, final int httpPort, final String name) throws IOException
    {
        final Path options = CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final ProcessBuilder builder = new ProcessBuilder(
            java, "@" + options, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(),
            "--config", config.toString(),
            "--port", Integer.toString(port),
            "--acquirer-port", "0",
            "--http-port", Integer.toString(httpPort),
            "--clock", WireData.CLOCK.toString());
        builder.environment().remove("UNICARD_LMK");
        builder.redirectErrorStream(true);
        builder.redirectOutput(directory.resolve("switch-" + name + ".log").toFile());
        return builder.start();
    }

    /**
     * Every file under the journal directory with the SHA-256 of its bytes.
     */
    private Map<String, String> journalFiles() throws Exception
    {
        final Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(journal))
        {
            for (final Path path : paths.filter(Files::isRegularFile).toList())
            {
                final MessageDigest digest = MessageDigest.getInstance("SHA-256");
                try (InputStream in = Files.newInputStream(path))
                {
                    final byte[] chunk = new byte[1 << 16];
                    for (int read = in.read(chunk); read >= 0; read = in.read(chunk))
                    {
                        digest.update(chunk, 0, read);
                    }
                }
                files.put(journal.relativize(path).toString(), HexFormat.of().formatHex(digest.digest()));
            }
        }
        return files;
    }
}
