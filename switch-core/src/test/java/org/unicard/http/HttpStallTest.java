package org.unicard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.unicard.authorizer.AuthOutcome;

/**
 * The HTTP side never stalls the health check: an operator call waiting on a ring that does not
 * move holds an operator worker, while {@code /health} and {@code /metrics} answer at once.
 */
class HttpStallTest
{
    @Test
    void shouldAnswerHealthAndMetricsWhileAnOperatorCallWaitsOnAStalledRing() throws Exception
    {
        final CountDownLatch waiting = new CountDownLatch(1);
        final CompletableFuture<AuthOutcome> stalled = new CompletableFuture<>();
        final Readiness readiness = new Readiness();
        readiness.ready();
        try (HttpEndpoint http = new HttpEndpoint(0, readiness))
        {
            http.context("/metrics", exchange ->
            {
                try (exchange)
                {
                    HttpEndpoint.send(exchange, 200, "unicard_ready 1\n");
                }
            });
            http.operatorContext("/api/", new OperatorApi("secret", (command, pan, digits) ->
            {
                waiting.countDown();
                return stalled;
            }));
            final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            final String base = "http://127.0.0.1:" + http.port();
            final CompletableFuture<HttpResponse<String>> operatorCall = client.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/api/cards/6280001234567890")).header("Authorization", "Bearer secret").build(),
                HttpResponse.BodyHandlers.ofString());
            assertTrue(waiting.await(5, TimeUnit.SECONDS), "the operator call reached the ring");

            for (int i = 0; i < 3; i++)
            {
                final long startNs = System.nanoTime();
                final HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                final HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                final long ms = (System.nanoTime() - startNs) / 1_000_000;
                assertEquals(200, health.statusCode());
                assertEquals("ready\n", health.body());
                assertEquals(200, metrics.statusCode());
                assertTrue(ms < 1_000, "health and metrics took ms=" + ms + " while an operator call waits");
            }
            assertFalse(operatorCall.isDone(), "the operator call still waits on the stalled ring");

            final HttpResponse<String> answered = operatorCall.get(10, TimeUnit.SECONDS);
            assertEquals(503, answered.statusCode());
            assertTrue(answered.body().contains("did not answer within"), answered.body());
        }
    }
}
