package org.unicard.changes;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Posts a change batch to a running switch ({@code POST /api/changes?batch=ID}, spec §12) and
 * returns its answer: the logic of {@code bin/unicard apply-changes}, reusable by any tool (the demo
 * applies a batch with it). The file is streamed, with its length, so a 64 MiB batch is never held
 * in memory here; the progress callback is told the bytes sent so far.
 */
public final class ChangesClient
{
    /** Default switch address of spec §12. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    private final URI base;
    private final String token;
    private final HttpClient http;

    /**
     * @param baseUrl the switch's HTTP address, e.g. {@link #DEFAULT_URL}.
     * @param token   the operator API's bearer token ({@code UNICARD_API_TOKEN}).
     */
    public ChangesClient(final String baseUrl, final String token)
    {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.token = token == null ? "" : token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * The switch's answer.
     *
     * @param status the HTTP status (200 applied or applied before, 422 refused, 409 id reused, 413 too large...).
     * @param body   the JSON body.
     */
    public record Answer(int status, String body)
    {
        public boolean applied()
        {
            return status == 200;
        }
    }

    /**
     * Posts a batch file.
     *
     * @param file      the batch, JSON Lines.
     * @param batchId   its id.
     * @param bytesSent told the bytes sent so far, now and then.
     * @return the answer.
     */
    public Answer post(final Path file, final String batchId, final LongConsumer bytesSent) throws IOException, InterruptedException
    {
        final long length = Files.size(file);
        final HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, bytesSent)), length);
        return send(batchId, body);
    }

    /**
     * Posts a batch held in memory.
     */
    public Answer post(final byte[] batch, final String batchId) throws IOException, InterruptedException
    {
        return send(batchId, HttpRequest.BodyPublishers.ofByteArray(batch));
    }

    private Answer send(final String batchId, final HttpRequest.BodyPublisher body) throws IOException, InterruptedException
    {
        final HttpRequest request = HttpRequest.newBuilder(
                URI.create(base + "/api/changes?batch=" + URLEncoder.encode(batchId, StandardCharsets.UTF_8)))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/x-ndjson")
            .timeout(Duration.ofMinutes(5))
            .POST(body)
            .build();
        final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(response.statusCode(), response.body());
    }

    private static InputStream counting(final Path file, final LongConsumer bytesSent)
    {
        try
        {
            return new FilterInputStream(Files.newInputStream(file))
            {
                private long sent;

                @Override
                public int read(final byte[] buffer, final int offset, final int length) throws IOException
                {
                    final int read = super.read(buffer, offset, length);
                    if (read > 0)
                    {
                        sent += read;
                        bytesSent.accept(sent);
                    }
                    return read;
                }
            };
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
