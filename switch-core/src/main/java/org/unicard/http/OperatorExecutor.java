package org.unicard.http;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where operator calls run: a small bounded pool of its own, so that a call waiting on the ring (up
 * to its timeout) or reading the journal never holds the HTTP server's thread, which keeps answering
 * {@code /health}, {@code /metrics} and the console's files at once. The server's thread only hands
 * the exchange over; the pool's thread answers and closes it. When every worker is busy and the
 * queue is full, the call is answered 503 at once instead of queueing without limit.
 */
public final class OperatorExecutor implements AutoCloseable
{
    /** Worker threads: operator calls are few (a hotline), each waits at most its timeout. */
    public static final int THREADS = 4;
    /** Calls waiting for a worker before new ones are refused with 503. */
    public static final int QUEUE_LENGTH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(OperatorExecutor.class);

    private final ThreadPoolExecutor pool;

    public OperatorExecutor()
    {
        final AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_LENGTH), runnable ->
        {
            final Thread thread = new Thread(runnable, "unicard-operator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @return a handler that runs {@code handler} on this pool (it must answer and close the exchange).
     */
    public HttpHandler offload(final HttpHandler handler)
    {
        return exchange ->
        {
            try
            {
                pool.execute(() -> run(handler, exchange));
            }
            catch (final RejectedExecutionException ex)
            {
                try (exchange)
                {
                    exchange.getResponseHeaders().set("Retry-After", "1");
                    HttpEndpoint.send(exchange, 503, "operator calls busy: threads=" + THREADS + " queued=" + QUEUE_LENGTH + "\n");
                }
            }
        };
    }

    private static void run(final HttpHandler handler, final HttpExchange exchange)
    {
        try
        {
            handler.handle(exchange);
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.warn("event=operator-call-failed path={} error={}", exchange.getRequestURI().getPath(), ex.toString());
            exchange.close();
        }
    }

    /**
     * @return calls running or queued.
     */
    public int pending()
    {
        return pool.getActiveCount() + pool.getQueue().size();
    }

    @Override
    public void close()
    {
        pool.shutdownNow();
    }
}
