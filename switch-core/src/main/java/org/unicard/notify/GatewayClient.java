package org.unicard.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * POSTs one batch of events to the gateway (spec §14): {@code Content-Type: application/json}, a 2xx
 * answer is delivered, anything else or no answer within the timeout is not. HTTP and HTTPS (the JVM's
 * trust store: {@code -Djavax.net.ssl.trustStore} for a private CA). Used by the notifier thread only;
 * a gateway that hangs costs that thread the timeout, never the switch.
 */
public final class GatewayClient implements AutoCloseable
{
    /** What one attempt came to. */
    public enum Result
    {
        DELIVERED,
        REFUSED,
        TIMED_OUT,
        UNREACHABLE
    }

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;
    private int lastStatus;
    private String lastError = "";

    /**
     * A client that trusts what the JVM's trust store trusts.
     */
    public GatewayClient(final URI url, final long timeoutMs)
    {
        this(url, timeoutMs, null);
    }

    /**
     * @param tls the TLS context for an https URL (whose trust managers decide which gateway
     *            certificates are accepted), or {@code null} for the JVM's default.
     */
    public GatewayClient(final URI url, final long timeoutMs, final javax.net.ssl.SSLContext tls)
    {
        this.url = url;
        this.timeout = Duration.ofMillis(timeoutMs);
        final HttpClient.Builder builder = HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null)
        {
            builder.sslContext(tls);
        }
        this.client = builder.build();
    }

    /**
     * @param body a JSON array of events.
     * @return what came of it; {@link #lastStatus()} and {@link #lastError()} say more.
     * @throws InterruptedException when the notifier is being stopped.
     */
    public Result post(final byte[] body) throws InterruptedException
    {
        final HttpRequest request = HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
        try
        {
            final HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            lastStatus = response.statusCode();
            lastError = "";
            return lastStatus >= 200 && lastStatus < 300 ? Result.DELIVERED : Result.REFUSED;
        }
        catch (final HttpTimeoutException ex)
        {
            lastStatus = 0;
            lastError = "timeout after " + timeout.toMillis() + " ms";
            return Result.TIMED_OUT;
        }
        catch (final IOException ex)
        {
            lastStatus = 0;
            lastError = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
            return Result.UNREACHABLE;
        }
    }

    /**
     * @return the HTTP status of the last answer, or 0 when there was none.
     */
    public int lastStatus()
    {
        return lastStatus;
    }

    /**
     * @return why the last attempt got no answer, or empty.
     */
    public String lastError()
    {
        return lastError;
    }

    @Override
    public void close()
    {
        client.close();
    }
}
