package org.unicard.listener;

import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.EventLoop;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The connections of one event loop waiting for a flush, and one task that flushes them all: the
 * reply thread queues every connection a batch of responses touched, then wakes the loop once for the
 * whole batch instead of once per connection (each {@code execute} from another thread may write the
 * loop's eventfd, a system call and a wake-up). A connection is queued at most once until it has been
 * flushed (its own flag), so the queue holds at most one entry per connection; when it is full anyway
 * (more connections waiting than {@link #CAPACITY}) the connection gets a task of its own, as before.
 * <p>
 * Any thread may queue and wake; only the event loop drains. Nothing allocates in steady state.
 */
final class LoopFlusher implements Runnable
{
    /** Connections that can wait in the queue at once. */
    static final int CAPACITY = 4096;

    private final EventLoop loop;
    private final ManyToOneConcurrentArrayQueue<Connection> waiting = new ManyToOneConcurrentArrayQueue<>(CAPACITY);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private long wakeUps;

    LoopFlusher(final EventLoop loop)
    {
        this.loop = loop;
    }

    /**
     * Any thread: the connection needs a flush; it happens after the next {@link #wake()}.
     */
    void queue(final Connection connection, final Runnable ownFlush)
    {
        if (!waiting.offer(connection))
        {
            loop.execute(ownFlush);
        }
    }

    /**
     * Any thread: makes sure the loop will drain the queue, with one task however many connections wait.
     */
    void wake()
    {
        if (!waiting.isEmpty() && scheduled.compareAndSet(false, true))
        {
            loop.execute(this);
        }
    }

    /**
     * Event loop: flushes every waiting connection. The flag is cleared first, so a connection queued
     * while this runs is either drained now or gets a new task.
     */
    @Override
    public void run()
    {
        scheduled.set(false);
        wakeUps++;
        Connection connection;
        while ((connection = waiting.poll()) != null)
        {
            connection.flushNow();
        }
    }

    /**
     * @return event loop only: drain tasks run so far.
     */
    long wakeUps()
    {
        return wakeUps;
    }
}
