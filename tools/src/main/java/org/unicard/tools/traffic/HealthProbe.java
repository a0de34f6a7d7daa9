package org.unicard.tools.traffic;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /health} of a switch started as a child process, read once or polled until it is
 * ready (200) or in a start-up phase (503 with the phase as body: loading-snapshot, importing,
 * replaying). One loop for every program that starts a switch (crash torture, overload,
 * idle connections).
 */
public final class HealthProbe
{
    /** What {@link #read()} returns for a 200. */
    public static final String READY = "ready";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI health;

    /**
     * @param httpPort the switch's HTTP port on 127.0.0.1.
     */
    public HealthProbe(final int httpPort)
    {
        this.health = URI.create("http://127.0.0.1:" + httpPort + "/health");
    }

    /**
     * Reads {@code /health} once.
     *
     * @return {@value #READY} for a 200, else the body trimmed (the phase); {@code null} when nothing answered.
     * @throws InterruptedException when interrupted while waiting for the answer.
     */
    public String read() throws InterruptedException
    {
        try
        {
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? READY : response.body().trim();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * Polls until the switch is ready, or (when {@code phase} is given) says it is in that phase.
     *
     * @param process   the switch process: when it exits first, the wait fails with its log.
     * @param phase     a start-up phase to stop at too, or {@code null} to wait for ready only.
     * @param timeoutMs how long to poll.
     * @param pollMs    pause between two reads.
     * @param log       the process's log, for the failure message.
     * @return the body seen last ({@value #READY}, or one starting with the phase).
     * @throws IllegalStateException when the process exits or the time runs out.
     * @throws Exception             when the log cannot be read, or the wait is interrupted.
     */
    public String await(final Process process, final String phase, final long timeoutMs, final long pollMs, final Callable<String> log)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() - deadline < 0)
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException("switch pid=" + process.pid() + " exited with " + process.exitValue() + ": " + log.call());
            }
            final String body = read();
            if (body != null && (body.equals(READY) || phase != null && body.startsWith(phase)))
            {
                return body;
            }
            Thread.sleep(pollMs);
        }
        throw new IllegalStateException("switch pid=" + process.pid() + " not " + (phase == null ? "ready" : "ready or " + phase) +
            " within " + timeoutMs + " ms");
    }
}
