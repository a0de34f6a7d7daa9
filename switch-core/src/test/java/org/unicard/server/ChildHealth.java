package org.unicard.server;

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
 * Waits for a switch started as a child process to answer {@code /health} with 200, for the tests
 * that run the real process.
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
}
