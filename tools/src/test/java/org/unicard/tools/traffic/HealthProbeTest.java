package org.unicard.tools.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HealthProbe} against a stand-in {@code /health} that goes through the start-up phases
 * (503 importing, 503 replaying, then 200), with a live or a dead process as the switch.
 */
class HealthProbeTest
{
    private static final List<String> PHASES = List.of("importing households=10", "importing households=20", "replaying records=5");

    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;
    private Process process;

    @BeforeEach
    void start() throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", this::answer);
        server.start();
        process = new ProcessBuilder("sleep", "30").start();
    }

    @AfterEach
    void stop()
    {
        server.stop(0);
        process.destroyForcibly();
    }

    @Test
    void shouldStopAtTheAskedPhaseThenSeeReady() throws Exception
    {
        final HealthProbe health = new HealthProbe(server.getAddress().getPort());

        assertEquals("replaying records=5", health.await(process, "replaying", 10_000, 1, () -> "log"));
        assertEquals(HealthProbe.READY, health.read());
        assertEquals(HealthProbe.READY, health.await(process, "replaying", 10_000, 1, () -> "log"));
    }

    @Test
    void shouldWaitForReadyOnlyWithoutAPhase() throws Exception
    {
        assertEquals(HealthProbe.READY, new HealthProbe(server.getAddress().getPort()).await(process, null, 10_000, 1, () -> "log"));
        assertEquals(PHASES.size() + 1, calls.get());
    }

    @Test
    void shouldFailWithTheLogWhenTheSwitchExitsFirst() throws Exception
    {
        process.destroyForcibly();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));

        final IllegalStateException failure = assertThrows(IllegalStateException.class,
            () -> new HealthProbe(server.getAddress().getPort()).await(process, null, 10_000, 1, () -> "event=import-failed"));
        assertTrue(failure.getMessage().contains("exited with") && failure.getMessage().endsWith(": event=import-failed"),
            failure.getMessage());
    }

    @Test
    void shouldReadNullWhenNothingListens() throws Exception
    {
        final int port;
        try (ServerSocket socket = new ServerSocket(0))
        {
            port = socket.getLocalPort();
        }
        assertNull(new HealthProbe(port).read());
        assertThrows(IllegalStateException.class, () -> new HealthProbe(port).await(process, null, 300, 50, () -> "log"),
            "not ready within the time");
    }

    private void answer(final HttpExchange exchange) throws IOException
    {
        final int call = calls.getAndIncrement();
        final boolean ready = call >= PHASES.size();
        final byte[] body = ((ready ? "ready" : PHASES.get(call)) + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(ready ? 200 : 503, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }
}
