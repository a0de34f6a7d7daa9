package org.unicard.ring;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;

/**
 * The ring and its four stages, each on its own thread:
 * <pre>
 *   listeners, operator API ─► [decode] ─► [authorize] ─► [journal] ─► [reply] ─► connections
 * </pre>
 * Multi-producer (every event loop and the HTTP thread publish); the stages wait with the
 * configured strategy ({@code sleeping} by default: no busy spinning on a two-core machine).
 */
public final class SwitchRing implements AutoCloseable
{
    private final Disruptor<RequestEvent> disruptor;
    private final RingBuffer<RequestEvent> ringBuffer;
    private final RingExceptionHandler exceptionHandler = new RingExceptionHandler();

    public SwitchRing(
        final int size,
        final String waitStrategy,
        final DecodeEventHandler decode,
        final AuthorizeEventHandler authorize,
        final JournalEventHandler journal,
        final ReplyEventHandler reply)
    {
        disruptor = new Disruptor<>(RequestEvent.FACTORY, size, threadFactory(), ProducerType.MULTI, waitStrategy(waitStrategy));
        disruptor.setDefaultExceptionHandler(exceptionHandler);
        disruptor.handleEventsWith(decode).then(authorize).then(journal).then(reply);
        ringBuffer = disruptor.start();
    }

    /**
     * @param name {@code sleeping}, {@code yielding}, {@code blocking} or {@code busy-spin}.
     * @return the strategy.
     */
    public static WaitStrategy waitStrategy(final String name)
    {
        return switch (name)
        {
            case "sleeping" -> new SleepingWaitStrategy();
            case "yielding" -> new YieldingWaitStrategy();
            case "blocking" -> new BlockingWaitStrategy();
            case "busy-spin" -> new BusySpinWaitStrategy();
            default -> throw new IllegalArgumentException(
                "ring.wait-strategy=" + name + " expected one of sleeping, yielding, blocking, busy-spin");
        };
    }

    public RingBuffer<RequestEvent> ringBuffer()
    {
        return ringBuffer;
    }

    public RingExceptionHandler exceptionHandler()
    {
        return exceptionHandler;
    }

    /**
     * @return slots holding requests not yet replied to.
     */
    public long occupancy()
    {
        return ringBuffer.getBufferSize() - ringBuffer.remainingCapacity();
    }

    /**
     * Waits until every published request has passed every stage, then stops the stage threads.
     */
    @Override
    public void close()
    {
        try
        {
            disruptor.shutdown(5, TimeUnit.SECONDS);
        }
        catch (final TimeoutException ex)
        {
            disruptor.halt();
        }
    }

    private static ThreadFactory threadFactory()
    {
        final String[] names = {"unicard-decode", "unicard-authorize", "unicard-journal", "unicard-reply"};
        final AtomicInteger next = new AtomicInteger();
        return runnable ->
        {
            final int index = next.getAndIncrement();
            final Thread thread = new Thread(runnable, index < names.length ? names[index] : "unicard-ring-" + index);
            thread.setDaemon(true);
            return thread;
        };
    }
}
