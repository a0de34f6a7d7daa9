package org.unicard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a switch started as a child process to answer {@code /health} with 200, and stops it
 * with SIGTERM, for the tests that run the real process.
 */
final class ChildHealth
{
    private ChildHealth()
    {
    }

    /**
     * Polls {@code /health} every 100 ms for up to 60 s; fails the test, with the log, when the
     * process exits first or never becomes healthy.
     *
     * @param process  the switch process.
     * @param httpPort its HTTP port.
     * @param log      the text of its log to show on failure.
     */
    static void awaitHealthy(final Process process, final int httpPort, final Callable<String> log) throws Exception
    {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline)
        {
            if (!process.isAlive())
            {
                fail("switch exited with " + process.exitValue() + ": " + log.call());
            }
            try
            {
                final HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200)
                {
                    return;
                }
            }
            catch (final IOException ex)
            {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        fail("switch not healthy within 60 s: " + log.call());
    }

    /** Time for a JVM to exit once its stop is done, on a loaded machine; added to the documented worst-case stop. */
    static final long JVM_EXIT_MARGIN_MS = 5_000;

    /**
     * The most a SIGTERM may take, as {@code docs/operations.md} §8 documents it: the drain limit, the
     * bounded steps after it, and the JVM's exit.
     */
    static final long STOP_LIMIT_MS = org.unicard.context.Configuration.STOP_DRAIN_TIMEOUT_DEFAULT +
        UnicardSwitch.STOP_AFTER_DRAIN_MS_MAX + JVM_EXIT_MARGIN_MS;

    /**
     * Sends SIGTERM and asserts a clean stop: exit 0 within {@link #STOP_LIMIT_MS}, {@code event=stopped}
     * logged and no stop limit hit ({@code event=stop-cut-short}), so a stop that only finishes because a
     * limit cut it short fails, whatever the machine's speed.
     *
     * @param process the switch process (default {@code stop.drain-timeout-ms}).
     * @param log     the text of its log, read once it has exited.
     */
    static void stopCleanly(final Process process, final Callable<String> log) throws Exception
    {
        process.destroy();
        if (!process.waitFor(STOP_LIMIT_MS, TimeUnit.MILLISECONDS))
        {
            fail("not stopped within " + STOP_LIMIT_MS + " ms of SIGTERM: " + log.call());
        }
        final String text = log.call();
        assertEquals(0, process.exitValue(), text);
        assertTrue(text.contains("event=stopped"), text);
        assertFalse(text.contains("event=stop-cut-short"), "a stop limit was hit: " + text);
    }
}
