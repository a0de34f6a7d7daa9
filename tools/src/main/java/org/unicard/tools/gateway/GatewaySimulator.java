package org.unicard.tools.gateway;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The gateway simulator: {@code POST /events} takes a JSON array of citizen events (spec §14) and
 * answers 200 once every event is checked and recorded, each key at most once (a key seen before is
 * counted as a duplicate and dropped, as the real gateway must); an array that breaks the contract
 * (not an array, an event without {@code key}, {@code time}, {@code mobile}, {@code kind},
 * {@code text_ar} or {@code text_en}, a mobile that is not 0 and 10 digits, a card number longer than
 * 4 digits) is answered 400 naming the event and field, and nothing of it is recorded.
 * <p>
 * Told through {@code POST /control?mode=accept|fail|hang} (or {@link #mode}): {@code fail} answers
 * 503 without recording, {@code hang} reads the body and never answers (until the mode changes or the
 * simulator stops). {@code GET /summary} gives the counts and one sample event of each kind.
 * <p>
 * Limits: it keeps at most {@link #MAX_KEYS} keys for duplicate detection and {@link #MAX_RECORDED}
 * events in memory (the first ones; all of them go to the output file when one is given), and reads
 * bodies of at most {@link #MAX_BODY_BYTES}.
 */
public final class GatewaySimulator implements AutoCloseable
{
    /** What the simulator does with a POST. */
    public enum Mode
    {
        ACCEPT,
        FAIL,
        HANG
    }

    public static final int MAX_KEYS = 10_000_000;
    public static final int MAX_RECORDED = 100_000;
    public static final int MAX_BODY_BYTES = 16 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] REQUIRED = {"key", "time", "mobile", "household_id", "kind", "text_ar", "text_en"};

    private final HttpServer server;
    private final ExecutorService executor;
    private final BufferedWriter out;
    private final Set<String> keys = new HashSet<>();
    private final List<JsonNode> recorded = new ArrayList<>();
    private final Map<String, Long> byKind = new TreeMap<>();
    private final Map<String, JsonNode> samples = new TreeMap<>();
    private volatile Mode mode = Mode.ACCEPT;
    private volatile CountDownLatch release = new CountDownLatch(1);
    private long posts;
    private long accepted;
    private long duplicates;
    private long failed;
    private long rejected;

    /**
     * @param address where to listen (port 0: any free port).
     * @param output  a file to append every accepted event to as a JSON line, or {@code null}.
     */
    public GatewaySimulator(final InetSocketAddress address, final Path output) throws IOException
    {
        out = output == null ? null : Files.newBufferedWriter(output, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        server = HttpServer.create(address, 64);
        executor = Executors.newFixedThreadPool(8, runnable ->
        {
            final Thread thread = new Thread(runnable, "gateway-simulator");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/events", this::events);
        server.createContext("/control", this::control);
        server.createContext("/summary", this::summary);
        server.start();
    }

    /**
     * @return the URL to give {@code serve --notify-url}.
     */
    public String url()
    {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/events";
    }

    public int port()
    {
        return server.getAddress().getPort();
    }

    /** Sets what the next POSTs get; leaving {@code hang} answers the hanging ones (with the new mode). */
    public void mode(final Mode newMode)
    {
        mode = newMode;
        if (newMode != Mode.HANG)
        {
            release.countDown();
            release = new CountDownLatch(1);
        }
    }

    public Mode mode()
    {
        return mode;
    }

    private void events(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            if (!"POST".equals(exchange.getRequestMethod()))
            {
                answer(exchange, 405, "{\"error\":\"POST a JSON array of events\"}");
                return;
            }
            final byte[] body;
            try (InputStream in = exchange.getRequestBody())
            {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            synchronized (this)
            {
                posts++;
            }
            if (mode == Mode.HANG)
            {
                awaitRelease();
            }
            if (mode == Mode.FAIL)
            {
                synchronized (this)
                {
                    failed++;
                }
                answer(exchange, 503, "{\"error\":\"told to fail\"}");
                return;
            }
            final String problem = body.length > MAX_BODY_BYTES ? "body longer than " + MAX_BODY_BYTES + " bytes" : null;
            final JsonNode events = problem == null ? parse(body) : null;
            final String invalid = problem != null ? problem : check(events);
            if (invalid != null)
            {
                synchronized (this)
                {
                    rejected++;
                }
                final ObjectNode error = JSON.createObjectNode().put("error", invalid);
                answer(exchange, 400, JSON.writeValueAsString(error));
                return;
            }
            final int fresh = record(events);
            answer(exchange, 200, "{\"accepted\":" + fresh + ",\"duplicates\":" + (events.size() - fresh) + "}");
        }
    }

    private void awaitRelease()
    {
        try
        {
            release.await(1, TimeUnit.HOURS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode parse(final byte[] body)
    {
        try
        {
            return JSON.readTree(body);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * @return why the body breaks the contract, or {@code null} when every event keeps it.
     */
    static String check(final JsonNode events)
    {
        if (events == null || !events.isArray())
        {
            return "body is not a JSON array";
        }
        for (int i = 0; i < events.size(); i++)
        {
            final JsonNode event = events.get(i);
            if (!event.isObject())
            {
                return "event=" + i + " reason=not an object";
            }
            for (final String field : REQUIRED)
            {
                final JsonNode value = event.get(field);
                if (value == null || value.asText().isBlank())
                {
                    return "event=" + i + " field=" + field + " reason=missing";
                }
            }
            if (!event.get("mobile").asText().matches("0[0-9]{10}"))
            {
                return "event=" + i + " field=mobile reason=not 0 and 10 digits";
            }
            final JsonNode last4 = event.get("card_last4");
            if (last4 != null && !last4.asText().matches("[0-9]{4}"))
            {
                return "event=" + i + " field=card_last4 reason=not 4 digits";
            }
        }
        return null;
    }

    private synchronized int record(final JsonNode events) throws IOException
    {
        int fresh = 0;
        for (final JsonNode event : events)
        {
            final String key = event.get("key").asText();
            if (keys.contains(key))
            {
                duplicates++;
                continue;
            }
            if (keys.size() < MAX_KEYS)
            {
                keys.add(key);
            }
            fresh++;
            accepted++;
            final String kind = event.get("kind").asText();
            byKind.merge(kind, 1L, Long::sum);
            samples.putIfAbsent(kind, event);
            if (recorded.size() < MAX_RECORDED)
            {
                recorded.add(event);
            }
            if (out != null)
            {
                out.write(JSON.writeValueAsString(event));
                out.newLine();
            }
        }
        if (out != null)
        {
            out.flush();
        }
        return fresh;
    }

    private void control(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final String query = exchange.getRequestURI().getRawQuery();
            final String value = query != null && query.startsWith("mode=") ? query.substring(5) : "";
            final Mode newMode = switch (value)
            {
                case "accept" -> Mode.ACCEPT;
                case "fail" -> Mode.FAIL;
                case "hang" -> Mode.HANG;
                default -> null;
            };
            if (!"POST".equals(exchange.getRequestMethod()) || newMode == null)
            {
                answer(exchange, 400, "{\"error\":\"POST /control?mode=accept|fail|hang\"}");
                return;
            }
            mode(newMode);
            answer(exchange, 200, "{\"mode\":\"" + value + "\"}");
        }
    }

    private void summary(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            answer(exchange, 200, summaryJson());
        }
    }

    /**
     * @return the counts (POSTs, events accepted, duplicates dropped, POSTs failed on purpose and rejected),
     * the events accepted by kind, and the first event of each kind.
     */
    public synchronized String summaryJson() throws JsonProcessingException
    {
        final ObjectNode summary = JSON.createObjectNode();
        summary.put("mode", mode.name().toLowerCase());
        summary.put("posts", posts);
        summary.put("accepted", accepted);
        summary.put("duplicates", duplicates);
        summary.put("failed", failed);
        summary.put("rejected", rejected);
        final ObjectNode kinds = summary.putObject("by_kind");
        byKind.forEach(kinds::put);
        final ArrayNode sample = summary.putArray("samples");
        samples.values().forEach(sample::add);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary);
    }

    /** Events accepted (each key once). */
    public synchronized long accepted()
    {
        return accepted;
    }

    /** Events dropped because their key had been accepted before. */
    public synchronized long duplicates()
    {
        return duplicates;
    }

    public synchronized long posts()
    {
        return posts;
    }

    /** Events accepted by kind. */
    public synchronized Map<String, Long> byKind()
    {
        return new LinkedHashMap<>(byKind);
    }

    /** The first event accepted of each kind, by kind. */
    public synchronized Map<String, JsonNode> samples()
    {
        return new LinkedHashMap<>(samples);
    }

    /** The first {@link #MAX_RECORDED} events accepted, in order. */
    public synchronized List<JsonNode> recorded()
    {
        return new ArrayList<>(recorded);
    }

    private static void answer(final HttpExchange exchange, final int status, final String json) throws IOException
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream body = exchange.getResponseBody())
        {
            body.write(bytes);
        }
    }

    @Override
    public void close() throws IOException
    {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
        if (out != null)
        {
            synchronized (this)
            {
                out.close();
            }
        }
    }
}
