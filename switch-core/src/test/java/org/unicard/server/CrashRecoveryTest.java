package org.unicard.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.terminal.LocalPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.unicard.server.JposTerminal.bread;
import static org.unicard.server.JposTerminal.ration;
import static org.unicard.server.JposTerminal.request;
import static org.unicard.server.JposTerminal.withPin;

/**
 * Runs the real switch as a child process ({@code UnicardMain serve}), kills it with SIGKILL after
 * approved debits, restarts it on the same journal, and checks that every answer already given is
 * still true: exact balances, retransmissions answered from the original, PIN-try counts kept.
 * Then stops it with SIGTERM and expects a clean stop: exit code 0 within the documented worst case, no limit hit.
 */
class CrashRecoveryTest
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
    void shouldKeepEveryAnsweredDebitAcrossKillNine() throws Exception
    {
        WireData.write(directory);
        final int port = LocalPorts.free();
        final int acquirerPort = LocalPorts.free();
        final int httpPort = LocalPorts.free();

        process = startSwitch(port, acquirerPort, httpPort, "first");
        awaitHealthy(httpPort);
        final List<ISOMsg> answered = new ArrayList<>();
        try (JposTerminal terminal = new JposTerminal(port))
        {
            for (int stan = 1; stan <= 20; stan++)
            {
                final ISOMsg response = terminal.exchange(ration(WireData.HEAD, 100, stan));
                assertEquals("00", response.getString(39));
                answered.add(response);
            }
            assertEquals("00", terminal.exchange(bread(WireData.HEAD, 3, 21)).getString(39));
            for (int stan = 22; stan <= 23; stan++)
            {
                final ISOMsg wrong = withPin(
                    request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.MEMBER, "009400", 100, "818", stan),
                    WireData.PIN + 1, JposTerminal.TPK);
                assertEquals("55", terminal.exchange(wrong).getString(39));
            }
        }

        process.destroyForcibly();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, process.exitValue(), "killed by SIGKILL");

        process = startSwitch(port, acquirerPort, httpPort, "second");
        awaitHealthy(httpPort);
        try (JposTerminal terminal = new JposTerminal(port))
        {
            final ISOMsg again = terminal.exchange(ration(WireData.HEAD, 100, 7));
            assertEquals("00", again.getString(39));
            assertEquals(answered.get(6).getString(38), again.getString(38));
            assertEquals(answered.get(6).getString(37), again.getString(37));

            final ISOMsg inquiry = terminal.exchange(
                request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "310000", -1, null, 30));
            assertEquals("00", inquiry.getString(39));
            assertEquals("9102818C000000008000" + "9202999C000000000007" + "9302818C000000000000" + "9402818C000000020000",
                inquiry.getString(54));

            final ISOMsg third = withPin(
                request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.MEMBER, "009400", 100, "818", 31),
                WireData.PIN + 1, JposTerminal.TPK);
            assertEquals("75", terminal.exchange(third).getString(39), "the two wrong PINs before the crash still count");
        }

        ChildHealth.stopCleanly(process, () -> Files.readString(latestLog()));
    }

    private Process startSwitch(final int port, final int acquirerPort, final int httpPort, final String name) throws IOException
    {
        final Path options = repositoryRoot().resolve("bin").resolve("jvm.options");
        final String java = ProcessHandle.current().info().command().orElse("java");
        // Every restart here replays the whole journal: no snapshot process after the first import.
        final Path config = directory.resolve("no-snapshot-after-import.properties");
        Files.writeString(config, "snapshot.after-import = false\n");
        final ProcessBuilder builder = new ProcessBuilder(
            java, "@" + options, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(),
            "--config", config.toString(),
            "--port", Integer.toString(port),
            "--acquirer-port", Integer.toString(acquirerPort),
            "--http-port", Integer.toString(httpPort),
            "--clock", WireData.CLOCK.toString());
        builder.environment().put("UNICARD_LMK", WireData.LMK_HEX);
        builder.redirectErrorStream(true);
        builder.redirectOutput(directory.resolve("switch-" + name + ".log").toFile());
        return builder.start();
    }

    private void awaitHealthy(final int httpPort) throws Exception
    {
        ChildHealth.awaitHealthy(process, httpPort, () -> Files.readString(latestLog()));
    }

    private Path latestLog() throws IOException
    {
        try (var files = Files.list(directory))
        {
            return files.filter(path -> path.getFileName().toString().startsWith("switch-"))
                .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).orElseThrow();
        }
    }

    static Path repositoryRoot()
    {
        Path candidate = Path.of("").toAbsolutePath();
        while (candidate != null && !Files.exists(candidate.resolve("bin").resolve("jvm.options")))
        {
            candidate = candidate.getParent();
        }
        if (candidate == null)
        {
            throw new IllegalStateException("cannot find the repository root (bin/jvm.options) above " + Path.of("").toAbsolutePath());
        }
        return candidate;
    }
}
