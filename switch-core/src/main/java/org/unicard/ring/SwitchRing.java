package org.unicard.ring;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import org.unicard.concurrent.SchedulerSlice;

/**
 * The ring and its four stages:
 * <pre>
 *   listeners, operator API ─► [decode] ─► [authorize] ─► [journal] ─► [reply] ─► connections
 * </pre>
 * Multi-producer (every event loop and the HTTP thread publish). How many threads run the stages
 * ({@code ring.threads}):
 * <ul>
 *   <li>{@code 4}: one thread per stage ({@code unicard-decode}, {@code unicard-authorize},
 *       {@code unicard-journal}, {@code unicard-reply}); for machines with cores to spare.</li>
 *   <li>{@code 2}: decode, authorize and journal on {@code unicard-decide}, reply (response encoding
 *       and its MAC) on {@code unicard-reply}: the two halves cost about the same.</li>
 *   <li>{@code 1}: all four on {@code unicard-ring}.</li>
 *   <li>{@code shared} ({@link #SHARED}): no thread of its own; all four run on the listeners' event
 *       loop after the reads that published the requests ({@link EventLoopStages}): no wake-up of another
 *       thread, neither on the way in nor on the way out. The default on up to 2 cores.</li>
 * </ul>
 * Stages that share a thread run one after the other for each request ({@link StageChain}), so a
 * response is never encoded before its journal record is appended, whatever the layout. Stages
 * wait with the configured strategy ({@code backoff} by default: no busy spinning).
 */
public final class SwitchRing implements AutoCloseable
{
    /** {@code ring.threads = shared}: the stages run on an event loop ({@link EventLoopStages}). */
    public static final int SHARED = 0;

    private final Disruptor<RequestEvent> disruptor;
    private final EventLoopStages eventLoopStages;
    private final ReplyEventHandler reply;
    private final RingBuffer<RequestEvent> ringBuffer;
    private final RingExceptionHandler exceptionHandler = new RingExceptionHandler();

    private final int threads;

    /**
     * @param size         slots, a power of two.
     * @param waitStrategy see {@link #waitStrategy(String)}.
     * @param threads      {@link #SHARED}, 1, 2 or 4 (see the class comment).
     * @param decode       stage 1.
     * @param authorize    stage 2 ({@link AuthorizeEventHandler}, or a cluster's hand-off: see
     *                     {@code org.unicard.server.Sequencer}).
     * @param journal      stage 3 ({@link JournalEventHandler}, or a cluster's wait for the committed decision).
     * @param reply        stage 4.
     */
    public SwitchRing(
        final int size,
        final String waitStrategy,
        final int threads,
        final DecodeEventHandler decode,
        final EventHandler<RequestEvent> authorize,
        final EventHandler<RequestEvent> journal,
        final ReplyEventHandler reply)
    {
        this(size, waitStrategy, threads, decode, authorize, journal, reply, false);
    }

    /**
     * @param journalWaits whether stage 3 waits for something outside the ring (a cluster member waits
     *                     there for the committed decision, {@code org.unicard.server.Sequencer#journalStageWaits}):
     *                     then stages 1–2 and 3–4 never share a thread, so that stage 2 hands on the requests
     *                     behind the one stage 3 waits for; with {@code threads} 1 or 2 the layout is
     *                     decode+authorize on {@code unicard-decide} and journal+reply on {@code unicard-reply}.
     */
    public SwitchRing(
        final int size,
        final String waitStrategy,
        final int threads,
        final DecodeEventHandler decode,
        final EventHandler<RequestEvent> authorize,
        final EventHandler<RequestEvent> journal,
        final ReplyEventHandler reply,
        final boolean journalWaits)
    {
        this.threads = journalWaits ? Math.max(2, threads) : threads;
        this.reply = reply;
        if (this.threads == SHARED)
        {
            disruptor = null;
            // No stage waits: the strategy only matters to publishers, which find no sleeper and pay one volatile read.
            ringBuffer = RingBuffer.createMultiProducer(RequestEvent.FACTORY, size, new BackoffWaitStrategy());
            decode.readAhead(ringBuffer);
            eventLoopStages = new EventLoopStages(ringBuffer, new StageChain(exceptionHandler, decode, authorize, journal, reply),
                exceptionHandler);
            return;
        }
        eventLoopStages = null;
        disruptor = new Disruptor<>(RequestEvent.FACTORY, size, threadFactory(threadNames(this.threads)), ProducerType.MULTI,
            waitStrategy(waitStrategy));
        disruptor.setDefaultExceptionHandler(exceptionHandler);
        decode.readAhead(disruptor.getRingBuffer());
        if (journalWaits && threads != 4)
        {
            disruptor.handleEventsWith(new StageChain(exceptionHandler, decode, authorize))
                .then(new StageChain(exceptionHandler, journal, reply));
            ringBuffer = disruptor.start();
            return;
        }
        switch (threads)
        {
            case 4 -> disruptor.handleEventsWith(decode).then(authorize).then(journal).then(reply);
            case 2 -> disruptor.handleEventsWith(new StageChain(exceptionHandler, decode, authorize, journal)).then(reply);
            case 1 -> disruptor.handleEventsWith(new StageChain(exceptionHandler, decode, authorize, journal, reply));
            default -> throw new IllegalArgumentException("ring.threads=" + threads + " expected shared, 1, 2 or 4");
        }
        ringBuffer = disruptor.start();
    }

    /**
     * @param threads {@link #SHARED}, 1, 2 or 4.
     * @return the names of the ring's threads in that layout (none when shared).
     */
    public static String[] threadNames(final int threads)
    {
        return switch (threads)
        {
            case SHARED -> new String[0];
            case 4 -> new String[]{"unicard-decode", "unicard-authorize", "unicard-journal", "unicard-reply"};
            case 2 -> new String[]{"unicard-decide", "unicard-reply"};
            case 1 -> new String[]{"unicard-ring"};
            default -> throw new IllegalArgumentException("ring.threads=" + threads + " expected shared, 1, 2 or 4");
        };
    }

    /**
     * @return threads running the stages ({@link #SHARED}: none, an event loop runs them).
     */
    public int threads()
    {
        return threads;
    }

    /**
     * Shared layout: the event loop that runs the stages, set once before the listeners take traffic.
     * The other layouts ignore it.
     */
    public void runOn(final Executor eventLoop)
    {
        if (eventLoopStages != null)
        {
            eventLoopStages.runOn(eventLoop);
        }
    }

    /**
     * Every publisher calls this after it has published one or more slots: in the shared layout it
     * makes sure the event loop drains them; the stage threads of the other layouts are woken by the
     * publish itself (the wait strategy), so there it does nothing.
     */
    public void published()
    {
        if (eventLoopStages != null)
        {
            eventLoopStages.published();
        }
    }

    /**
     * @return shared layout: nanoseconds the event loop has spent running the stages so far; the other
     *         layouts: -1 (their stages have threads of their own, whose CPU time tells).
     */
    public long eventLoopStagesNs()
    {
        return eventLoopStages != null ? eventLoopStages.busyNs() : -1;
    }

    /**
     * @return shared layout: nanoseconds of {@link #eventLoopStagesNs()} spent writing replies to the
     *         sockets (the reply stage writes them itself on its own loop), which is event-loop work rather
     *         than the ring's; the other layouts: -1.
     */
    public long eventLoopWritesNs()
    {
        return eventLoopStages != null ? reply.onLoopWriteNs() : -1;
    }

    /**
     * @param name {@code backoff} ({@link BackoffWaitStrategy}, the default), {@code sleeping},
     *             {@code yielding}, {@code blocking} or {@code busy-spin} (Disruptor's; yielding and
     *             busy-spin keep a core per stage busy: only for machines with cores to spare).
     * @return the strategy.
     */
    public static WaitStrategy waitStrategy(final String name)
    {
        return switch (name)
        {
            case "backoff" -> new BackoffWaitStrategy();
            case "sleeping" -> new SleepingWaitStrategy();
            case "yielding" -> new YieldingWaitStrategy();
            case "blocking" -> new BlockingWaitStrategy();
            case "busy-spin" -> new BusySpinWaitStrategy();
            default -> throw new IllegalArgumentException(
                "ring.wait-strategy=" + name + " expected one of backoff, sleeping, yielding, blocking, busy-spin");
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
     * Waits, sleeping 1 ms between looks (the Disruptor's own shutdown spins, which would take a core
     * from the stages on a small machine), until every published request has passed every stage.
     *
     * @param deadlineNs {@link System#nanoTime()} by which to give up.
     * @return requests still in the ring at the deadline (0: drained).
     */
    public long awaitDrained(final long deadlineNs)
    {
        long left = occupancy();
        while (left > 0 && deadlineNs - System.nanoTime() > 0)
        {
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
            left = occupancy();
        }
        return left;
    }

    /**
     * Waits up to 5 s until every published request has passed every stage, then stops the stage threads.
     */
    @Override
    public void close()
    {
        close(TimeUnit.SECONDS.toNanos(5));
    }

    /**
     * Waits until every published request has passed every stage (journal and reply included), then
     * stops the stage threads; at the limit, stops them anyway (halt).
     *
     * @param timeoutNs the longest wait.
     * @return whether every request passed every stage before the threads stopped ({@code false}: halted).
     */
    public boolean close(final long timeoutNs)
    {
        if (disruptor == null)
        {
            // Shared: no thread to stop; the event loop runs the stages until it stops itself.
            return awaitDrained(System.nanoTime() + Math.max(1, timeoutNs)) == 0;
        }
        try
        {
            disruptor.shutdown(Math.max(1, timeoutNs), TimeUnit.NANOSECONDS);
            return true;
        }
        catch (final TimeoutException ex)
        {
            disruptor.halt();
            return false;
        }
    }

    private static ThreadFactory threadFactory(final String[] names)
    {
        final AtomicInteger next = new AtomicInteger();
        return SchedulerSlice.shortening(runnable ->
        {
            final int index = next.getAndIncrement();
            final Thread thread = new Thread(runnable, index < names.length ? names[index] : "unicard-ring-" + index);
            thread.setDaemon(true);
            return thread;
        });
    }
}
