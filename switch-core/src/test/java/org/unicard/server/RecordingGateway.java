package org.unicard.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real HTTP receiver for the notifier's wire tests: records every event of every POST (in arrival
 * order, duplicates included), and answers 200, 503, or nothing (hangs) as told.
 */
final class RecordingGateway implements AutoCloseable
{
    enum Mode
    {
        ACCEPT,
        FAIL,
        HANG
    }

    private final HttpServer server;
    private final JsonFactory json = new JsonFactory();
    private final List<Map<String, String>> received = new ArrayList<>();
    private final List<String> contentTypes = new ArrayList<>();
    private volatile Mode mode = Mode.ACCEPT;
    /** POSTs accepted before the mode turns to {@link #afterLimit}; -1: no limit. */
    private int acceptLimit = -1;
    private Mode afterLimit = Mode.ACCEPT;
    private int posts;
    private volatile CountDownLatch release = new CountDownLatch(1);

    RecordingGateway() throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(runnable ->
        {
            final Thread thread = new Thread(runnable, "recording-gateway");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/events", this::handle);
        server.start();
    }

    String url()
    {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    synchronized void mode(final Mode newMode)
    {
        mode = newMode;
        acceptLimit = -1;
        if (newMode != Mode.HANG)
        {
            release.countDown();
            release = new CountDownLatch(1);
        }
    }

    /** Accepts this many more POSTs, then turns to the mode given. */
    synchronized void acceptThen(final int accepted, final Mode then)
    {
        mode = Mode.ACCEPT;
        acceptLimit = accepted;
        afterLimit = then;
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        final List<Map<String, String>> events;
        try (InputStream in = exchange.getRequestBody())
        {
            events = parse(in.readAllBytes());
        }
        final Mode answer;
        synchronized (this)
        {
            posts++;
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (acceptLimit == 0)
            {
                mode = afterLimit;
                acceptLimit = -1;
            }
            else if (acceptLimit > 0)
            {
                acceptLimit--;
            }
            answer = mode;
            received.addAll(events);
            notifyAll();
        }
        if (answer == Mode.HANG)
        {
            try
            {
                release.await(120, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        final int status = answer == Mode.ACCEPT ? 200 : 503;
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private List<Map<String, String>> parse(final byte[] body) throws IOException
    {
        final List<Map<String, String>> events = new ArrayList<>();
        try (JsonParser parser = json.createParser(body))
        {
            if (parser.nextToken() != JsonToken.START_ARRAY)
            {
                throw new IOException("body is not a JSON array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT)
            {
                final Map<String, String> event = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = parser.currentName();
                    parser.nextToken();
                    event.put(name, parser.getValueAsString());
                }
                events.add(event);
            }
        }
        return events;
    }

    /** Every event received, duplicates included, in arrival order. */
    synchronized List<Map<String, String>> received()
    {
        return new ArrayList<>(received);
    }

    /** The events received once per key (the first copy), checking that every copy of a key is the same event. */
    synchronized Map<String, Map<String, String>> byKey()
    {
        final Map<String, Map<String, String>> unique = new LinkedHashMap<>();
        for (final Map<String, String> event : received)
        {
            final Map<String, String> first = unique.putIfAbsent(event.get("key"), event);
            if (first != null)
            {
                assertEquals(first, event, "a key sent again carries the same event");
            }
        }
        return unique;
    }

    synchronized int posts()
    {
        return posts;
    }

    synchronized List<String> contentTypes()
    {
        return new ArrayList<>(contentTypes);
    }

    /** Waits until the events received (by key) satisfy the condition. */
    synchronized Map<String, Map<String, String>> await(final Predicate<Map<String, Map<String, String>>> condition,
        final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.test(byKey()))
        {
            final long left = deadline - System.currentTimeMillis();
            if (left <= 0)
            {
                fail("gateway did not receive the expected events in " + timeoutMs + " ms; received: " + received);
            }
            wait(left);
        }
        return byKey();
    }

    @Override
    public void close()
    {
        release.countDown();
        server.stop(0);
    }
}
