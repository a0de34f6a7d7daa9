package org.unicard.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The switch's HTTP server, bound to 127.0.0.1 only. {@code GET /health}: 200 {@code ready} once the
 * switch takes traffic; 503 with the phase and progress before that and while stopping.
 */
public final class HttpEndpoint implements AutoCloseable
{
    private final HttpServer server;
    private final OperatorExecutor operatorCalls = new OperatorExecutor();
    /** A line added to the ready {@code /health} body (the citizen notifier's state), or {@code null}. */
    private volatile java.util.function.Supplier<String> healthDetail;

    /**
     * @param port      the port (0 = any free port).
     * @param readiness what {@code /health} reports.
     */
    public HttpEndpoint(final int port, final Readiness readiness) throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "unicard-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/health", exchange ->
        {
            if (!"GET".equals(exchange.getRequestMethod()))
            {
                send(exchange, 405, "method not allowed\n");
                return;
            }
            if (readiness.isReady())
            {
                final java.util.function.Supplier<String> detail = healthDetail;
                send(exchange, 200, "ready" + readiness.detailText() + "\n" + (detail == null ? "" : detail.get() + "\n"));
            }
            else
            {
                final String progress = readiness.progressText();
                send(exchange, 503, readiness.phase() + (progress.isEmpty() ? "" : " " + progress) + "\n");
            }
        });
        server.start();
    }

    /**
     * Adds a handler under a path.
     */
    public void context(final String path, final com.sun.net.httpserver.HttpHandler handler)
    {
        server.createContext(path, handler);
    }

    /**
     * Adds a handler for operator calls under a path: it runs on the {@link OperatorExecutor}, never
     * on the server's thread, so {@code /health} and {@code /metrics} answer while it waits.
     */
    public void operatorContext(final String path, final com.sun.net.httpserver.HttpHandler handler)
    {
        server.createContext(path, operatorCalls.offload(handler));
    }

    /**
     * Adds a line to the ready {@code /health} body (the status stays 200 whatever it says).
     */
    public void healthDetail(final java.util.function.Supplier<String> detail)
    {
        healthDetail = detail;
    }

    public int port()
    {
        return server.getAddress().getPort();
    }

    /**
     * Sends a plain-text answer.
     */
    public static void send(final HttpExchange exchange, final int status, final String body) throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
        operatorCalls.close();
    }
}
