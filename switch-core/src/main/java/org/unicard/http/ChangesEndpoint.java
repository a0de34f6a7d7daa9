package org.unicard.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.changes.BatchId;
import org.unicard.changes.BatchMemory;
import org.unicard.changes.ChangeApplier;
import org.unicard.changes.ChangeError;
import org.unicard.changes.ChangeFiles;
import org.unicard.changes.ChangeParser;
import org.unicard.changes.ChangeSubmission;
import org.unicard.security.TdesKey;

/**
 * {@code POST /api/changes?batch=ID} (spec §12): a change batch, all or nothing, exactly once.
 * <p>
 * Batches are taken one at a time on a thread of their own ({@code unicard-changes}), so reading a
 * 64 MiB body and validating it never holds the HTTP thread that answers {@code /health}. For each:
 * bearer token (401), batch id (400), size (413 above {@link ChangeParser#MAX_BODY_BYTES} or
 * {@link ChangeParser#MAX_LINES} lines), the batch memory (an id applied before: its original 200
 * for the same content, 409 for other content), then parsing and validation off the ring (422 with
 * every error), the batch's text forced to disk next to the journal, and the ring: applied between
 * two requests (422 when a table check refuses it) and journaled before the 200
 * {@code {"batch":ID,"applied":N}}. On a cluster member the route is the replicated log instead of
 * the ring ({@code Sequencer#changeRoute}); an id another member's batch took first in the log is
 * answered as a known id ({@link ChangeSubmission.AlreadyApplied}).
 */
public final class ChangesEndpoint implements HttpHandler
{
    /** Where the endpoint is served. */
    public static final String PATH = "/api/changes";

    private static final Logger LOG = LoggerFactory.getLogger(ChangesEndpoint.class);
    private static final long TIMEOUT_MS = 120_000;

    private final byte[] token;
    private final ChangeParser parser;
    private final ChangeApplier applier;
    private final Path journalDirectory;
    private final BatchMemory memory;
    private final Function<ChangeSubmission, CompletableFuture<ChangeApplier.Outcome>> ring;
    private final JsonFactory json = new JsonFactory();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "unicard-changes");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param token            the operator API's bearer token, or {@code null}/empty: off.
     * @param lmk              the local master key the batches' keys are under.
     * @param journalDirectory where the batches' text is kept.
     * @param memory           the batches applied.
     * @param applier          checks a batch against the live tables off the ring (and commits it on the ring).
     * @param ring             sends a validated batch through the ring.
     */
    public ChangesEndpoint(
        final String token,
        final TdesKey lmk,
        final Path journalDirectory,
        final BatchMemory memory,
        final ChangeApplier applier,
        final Function<ChangeSubmission, CompletableFuture<ChangeApplier.Outcome>> ring)
    {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.parser = new ChangeParser(lmk);
        this.journalDirectory = journalDirectory;
        this.memory = memory;
        this.applier = applier;
        this.ring = ring;
    }

    @Override
    public void handle(final HttpExchange exchange)
    {
        worker.execute(() ->
        {
            try (exchange)
            {
                process(exchange);
            }
            catch (final IOException | RuntimeException ex)
            {
                LOG.warn("event=changes-request-failed reason=\"{}\"", ex.toString());
            }
        });
    }

    private void process(final HttpExchange exchange) throws IOException
    {
        final String id = admitted(exchange);
        if (id == null)
        {
            return;
        }
        final byte[] body = readBatch(exchange, id);
        if (body == null)
        {
            return;
        }
        final byte[] sha256 = ChangeParser.sha256(body);
        final BatchMemory.Applied before = memory.find(id);
        if (before != null)
        {
            known(exchange, id, sha256, before);
            return;
        }
        final ChangeParser.Result parsed = parser.parse(id, body);
        if (!parsed.ok())
        {
            LOG.info("event=changes-refused batch={} errors={} stage=validation", id, parsed.errors().size());
            refused(exchange, id, parsed.errors());
            return;
        }
        // Checked against the live tables here, off the ring (batches are taken one at a time, so what
        // this reads stays as it is until the commit); the ring then only writes.
        final ChangeApplier.Plan plan = applier.prepare(parsed.batch());
        if (!plan.errors().isEmpty())
        {
            LOG.info("event=changes-refused batch={} errors={} stage=tables", id, plan.errors().size());
            refused(exchange, id, plan.errors());
            return;
        }
        apply(exchange, id, sha256, body, plan);
    }

    /**
     * Answers a batch id applied before: its original 200 for the same content, else 409.
     */
    private void known(final HttpExchange exchange, final String id, final byte[] sha256, final BatchMemory.Applied before)
        throws IOException
    {
        if (MessageDigest.isEqual(before.sha256(), sha256))
        {
            LOG.info("event=changes-repeated batch={} applied={}", id, before.applied());
            applied(exchange, id, before.applied());
        }
        else
        {
            error(exchange, 409, id, "batch id already applied with other content (applied=" + before.applied() + ")");
        }
    }

    /**
     * The checks before the body is read: the API is on, the token, the path, the method and the
     * batch id.
     *
     * @return the batch id, or {@code null} once the refusal has been answered.
     */
    private String admitted(final HttpExchange exchange) throws IOException
    {
        if (token == null)
        {
            error(exchange, 404, null, "the operator API is off: start the switch with " + OperatorApi.TOKEN_VARIABLE + " set");
            return null;
        }
        if (!authorized(exchange.getRequestHeaders().getFirst("Authorization")))
        {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            error(exchange, 401, null, "missing or wrong bearer token");
            return null;
        }
        if (!PATH.equals(exchange.getRequestURI().getPath()))
        {
            error(exchange, 404, null, "no such resource: " + exchange.getRequestURI().getPath());
            return null;
        }
        if (!"POST".equals(exchange.getRequestMethod()))
        {
            exchange.getResponseHeaders().set("Allow", "POST");
            error(exchange, 405, null, "POST a change batch");
            return null;
        }
        final String id = batchId(exchange.getRequestURI().getRawQuery());
        final String idProblem = BatchId.problem(id);
        if (idProblem != null)
        {
            error(exchange, 400, null, idProblem);
            return null;
        }
        return id;
    }

    /**
     * Reads the body within the limits: {@link ChangeParser#MAX_BODY_BYTES} (from the
     * Content-Length before reading, when it is given) and {@link ChangeParser#MAX_LINES}.
     *
     * @return the body, or {@code null} once the 413 has been answered.
     */
    private byte[] readBatch(final HttpExchange exchange, final String id) throws IOException
    {
        final String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit) &&
            Long.parseLong(length) > ChangeParser.MAX_BODY_BYTES)
        {
            error(exchange, 413, id, "batch too large: content-length=" + length + " max-bytes=" + ChangeParser.MAX_BODY_BYTES);
            return null;
        }
        final byte[] body = readBody(exchange.getRequestBody());
        if (body == null)
        {
            error(exchange, 413, id, "batch too large: max-bytes=" + ChangeParser.MAX_BODY_BYTES);
            return null;
        }
        final long lines = lines(body);
        if (lines > ChangeParser.MAX_LINES)
        {
            error(exchange, 413, id, "batch too large: lines=" + lines + " max-lines=" + ChangeParser.MAX_LINES);
            return null;
        }
        return body;
    }

    /**
     * Keeps the batch's text beside the journal, sends the prepared batch through the ring and
     * answers its outcome.
     */
    private void apply(
        final HttpExchange exchange, final String id, final byte[] sha256, final byte[] body, final ChangeApplier.Plan plan)
        throws IOException
    {
        ChangeFiles.write(journalDirectory, id, sha256, body);
        final ChangeSubmission submission = new ChangeSubmission(plan, body);
        final ChangeApplier.Outcome outcome;
        try
        {
            outcome = ring.apply(submission).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            final BatchMemory.Applied before = memory.find(id);
            if (ex.getCause() instanceof ChangeSubmission.AlreadyApplied && before != null)
            {
                known(exchange, id, sha256, before);
                return;
            }
            error(exchange, 503, id, "not applied: " + ex.getCause().getMessage());
            return;
        }
        catch (final TimeoutException ex)
        {
            error(exchange, 504, id, "no answer from the switch within " + TIMEOUT_MS + " ms; post the batch again to learn its outcome");
            return;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            error(exchange, 503, id, "interrupted");
            return;
        }
        if (!outcome.applied())
        {
            LOG.info("event=changes-refused batch={} errors={} stage=tables", id, outcome.errors().size());
            refused(exchange, id, outcome.errors());
            return;
        }
        LOG.info("event=changes-applied batch={} applied={} counts={}", id, outcome.counts().applied(), outcome.counts());
        applied(exchange, id, outcome.counts().applied());
    }

    private boolean authorized(final String header)
    {
        final String prefix = "Bearer ";
        final byte[] presented = header != null && header.startsWith(prefix) ?
            header.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        return MessageDigest.isEqual(presented, token);
    }

    private static String batchId(final String rawQuery)
    {
        if (rawQuery == null)
        {
            return null;
        }
        for (final String part : rawQuery.split("&"))
        {
            if (part.startsWith("batch="))
            {
                try
                {
                    return URLDecoder.decode(part.substring("batch=".length()), StandardCharsets.UTF_8);
                }
                catch (final IllegalArgumentException ex)
                {
                    return "%";
                }
            }
        }
        return null;
    }

    /**
     * @return the body, or {@code null} when it is longer than the limit.
     */
    private static byte[] readBody(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        final byte[] chunk = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = in.read(chunk)) > 0)
        {
            total += read;
            if (total > ChangeParser.MAX_BODY_BYTES)
            {
                in.transferTo(OutputStream.nullOutputStream());
                return null;
            }
            out.write(chunk, 0, read);
        }
        return out.toByteArray();
    }

    private static long lines(final byte[] body)
    {
        long lines = body.length == 0 || body[body.length - 1] == '\n' ? 0 : 1;
        for (final byte b : body)
        {
            if (b == '\n')
            {
                lines++;
            }
        }
        return lines;
    }

    private void applied(final HttpExchange exchange, final String id, final int applied) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = json.createGenerator(out))
        {
            generator.writeStartObject();
            generator.writeStringField("batch", id);
            generator.writeNumberField("applied", applied);
            generator.writeEndObject();
        }
        send(exchange, 200, out.toByteArray());
    }

    private void refused(final HttpExchange exchange, final String id, final List<ChangeError> errors) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = json.createGenerator(out))
        {
            generator.writeStartObject();
            generator.writeStringField("batch", id);
            generator.writeArrayFieldStart("errors");
            for (final ChangeError error : errors)
            {
                generator.writeStartObject();
                generator.writeNumberField("line", error.line());
                if (error.field() == null)
                {
                    generator.writeNullField("field");
                }
                else
                {
                    generator.writeStringField("field", error.field());
                }
                generator.writeStringField("reason", error.reason());
                generator.writeEndObject();
            }
            generator.writeEndArray();
            generator.writeEndObject();
        }
        send(exchange, 422, out.toByteArray());
    }

    private void error(final HttpExchange exchange, final int status, final String id, final String message) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = json.createGenerator(out))
        {
            generator.writeStartObject();
            if (id != null)
            {
                generator.writeStringField("batch", id);
            }
            generator.writeStringField("error", message);
            generator.writeEndObject();
        }
        send(exchange, status, out.toByteArray());
    }

    private static void send(final HttpExchange exchange, final int status, final byte[] body) throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }

}
