package org.unicard.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unicard.changes.ChangesClient;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.terminal.LocalPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicard.server.JposTerminal.request;
import static org.unicard.server.JposTerminal.withMac;

/**
 * A change batch applies between two requests in every ring layout ({@code ring.threads} shared, 1, 2, 4):
 * the decode stage waits for the later stages through the Disruptor's sequences, which differ per
 * layout. Requests keep flowing on one connection while the batch is posted on another.
 */
class ChangesRingLayoutWireTest
{
    /**
     * Under {@code target/} rather than the system's temporary directory: on a machine shared with
     * other builds, files under {@code /tmp/junit-*} were seen removed under a running test.
     */
    private Path directory;

    private Process process;

    @org.junit.jupiter.api.BeforeEach
    void makeDirectory() throws IOException
    {
        Files.createDirectories(Path.of("target"));
        directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "changes-wire-");
    }

    @AfterEach
    void killLeftovers() throws IOException
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
        }
        try (var files = Files.walk(directory))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @ParameterizedTest(name = "ring.threads={0}")
    @ValueSource(strings = {"shared", "1", "2", "4"})
    void shouldApplyABatchBetweenTwoRequests(final String threads) throws Exception
    {
        WireData.write(directory);
        final TdesKey lmk = LocalMasterKey.parse(WireData.LMK_HEX, "test");
        final int port = LocalPorts.free();
        final int httpPort = LocalPorts.free();
        final Path config = directory.resolve("ring.properties");
        Files.writeString(config, "snapshot.after-import = false\nring.threads = " + threads + "\n");
        final ProcessBuilder builder = new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"), "@" + CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options"),
            "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(), "--config", config.toString(), "--port", Integer.toString(port),
            "--acquirer-port", Integer.toString(LocalPorts.free()), "--http-port", Integer.toString(httpPort), "--clock", WireData.CLOCK.toString());
        builder.environment().put("UNICARD_LMK", WireData.LMK_HEX);
        builder.environment().put("UNICARD_API_TOKEN", WireData.API_TOKEN);
        builder.redirectErrorStream(true);
        builder.redirectOutput(directory.resolve("switch-layout.log").toFile());
        process = builder.start();
        ChildHealth.awaitHealthy(process, httpPort, () -> Files.readString(directory.resolve("switch-layout.log")));

        final String tpk = ChangesWireTest.underLmk(lmk, WireData.TPK_HEX);
        final ChangesClient client = new ChangesClient("http://127.0.0.1:" + httpPort, WireData.API_TOKEN);
        try (JposTerminal terminal = new JposTerminal(port))
        {
            int stan = 1;
            assertEquals("03", terminal.exchange(withMac(
                request("0200", "B0000077", "MB0000000000077", WireData.HEAD, "009200", 1, "999", stan++), JposTerminal.TAK)).getString(39));
            final ChangesClient.Answer answer = client.post(ChangesWireTest.bytes(
                ChangesWireTest.terminal("B0000077", "MB0000000000077", tpk, ChangesWireTest.underLmk(lmk, WireData.TAK_HEX)) + "\n"), "layout");
            assertEquals("{\"batch\":\"layout\",\"applied\":1}", answer.body());
            for (int i = 0; i < 20; i++)
            {
                assertEquals("00", terminal.exchange(withMac(
                    request("0200", "B0000077", "MB0000000000077", WireData.LARGE_HEAD, "009200", 1, "999", stan++), JposTerminal.TAK))
                    .getString(39), "request " + i + " after the 200");
            }
        }
        ChildHealth.stopCleanly(process, () -> Files.readString(directory.resolve("switch-layout.log")));
    }
}
