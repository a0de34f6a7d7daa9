package org.unicard.ring;

import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;

/**
 * The ring's stages run by an event loop instead of a thread of their own ({@code ring.threads = shared}),
 * as Aeron's media driver runs its agents in its {@code SHARED} threading mode. Publishers stay as
 * they are (they claim a slot, fill it, publish it), then ring a doorbell ({@link #published()});
 * the doorbell puts one drain task on the loop, and the drain runs every stage over everything
 * published, in ring order, as one batch ({@link StageChain}). On the loop itself a doorbell is a task
 * in its queue, run after the reads of the same wake-up: no system call, no thread to wake, no
 * hand-over of the slots to another core. From another thread (the operator API, a second event
 * loop) it is one {@code execute}, as a reply to that loop already is.
 * <p>
 * The drain never waits: it polls ({@link EventPoller}) and returns. At most one drain task is queued
 * at a time (two, just after an early drain on a half-full ring); the flag is cleared before the poll,
 * so a slot published after the poll looked always finds the flag clear and queues the next drain.
 * Nothing allocates per request.
 */
final class EventLoopStages implements Runnable
{
    private final RingBuffer<RequestEvent> ring;
    private final EventPoller<RequestEvent> poller;
    private final EventPoller.Handler<RequestEvent> handler;
    private final RingExceptionHandler exceptionHandler;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Executor loop;
    /** The loop's thread, known from the first drain on. */
    private volatile Thread loopThread;
    /** Nanoseconds the loop has spent in drains, written by the loop alone (a release store), read by anyone. */
    private final AtomicLong busyNs = new AtomicLong();

    /**
     * @param ring             the ring; this adds its poller's sequence to the ring's gating sequences.
     * @param stages           every stage, in ring order, as one chain.
     * @param exceptionHandler told of an exception the chain let through.
     */
    EventLoopStages(final RingBuffer<RequestEvent> ring, final StageChain stages, final RingExceptionHandler exceptionHandler)
    {
        this.ring = ring;
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        stages.setSequenceCallback(poller.getSequence());
        this.exceptionHandler = exceptionHandler;
        this.handler = (event, sequence, endOfBatch) ->
        {
            stages.onEvent(event, sequence, endOfBatch);
            return true;
        };
    }

    /**
     * Sets the loop that runs the stages (once, before the listeners take traffic) and drains what was
     * published before.
     */
    void runOn(final Executor eventLoop)
    {
        if (loop != null)
        {
            throw new IllegalStateException("the ring's stages already run on an event loop");
        }
        loop = eventLoop;
        published();
    }

    /**
     * Any thread, after it published one or more slots: makes sure a drain runs after them. On the loop
     * itself, with the ring more than half full (thousands of connections sending in the same wake-up),
     * it drains at once rather than after the other reads, so the ring does not fill and turn requests
     * away with 91 while the loop has not yet reached its drain.
     */
    void published()
    {
        final Executor eventLoop = loop;
        if (eventLoop == null)
        {
            return; // drained by runOn
        }
        if (Thread.currentThread() == loopThread && ring.remainingCapacity() < ring.getBufferSize() / 2)
        {
            run();
            return;
        }
        // The publish is a release store; the flag read below must not pass it, or a drain clearing the
        // flag at that moment could miss the slot while this thread sees the flag still set.
        VarHandle.fullFence();
        if (!scheduled.get() && scheduled.compareAndSet(false, true))
        {
            try
            {
                eventLoop.execute(this);
            }
            catch (final RejectedExecutionException ex)
            {
                // The loop has stopped (the switch is closing): nothing will run the stages again, and a
                // control event's caller times out on its future. No request gets here: the loops that read
                // requests belong to the same group, which stops as one.
                scheduled.set(false);
            }
        }
    }

    /**
     * The event loop: runs every stage over every slot published so far.
     */
    @Override
    public void run()
    {
        scheduled.set(false);
        if (loopThread == null)
        {
            loopThread = Thread.currentThread();
        }
        final long startNs = System.nanoTime();
        try
        {
            poller.poll(handler);
        }
        catch (final Throwable ex)
        {
            // The chain hands each stage's exception to the ring's handler; this is only a fault of the chain itself.
            exceptionHandler.handleEventException(ex, poller.getSequence().get() + 1, null);
        }
        busyNs.lazySet(busyNs.get() + System.nanoTime() - startNs);
    }

    /**
     * @return nanoseconds the loop has spent running the stages so far (wall time inside the drains: its
     *         CPU time when the loop is not preempted), so that the loop's CPU can be split into the ring's
     *         share and the rest.
     */
    long busyNs()
    {
        return busyNs.get();
    }
}
