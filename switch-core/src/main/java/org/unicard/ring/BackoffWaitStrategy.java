package org.unicard.ring;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

/**
 * The ring's default wait strategy ({@code backoff}), made for machines with few cores: a stage
 * with nothing to do spins briefly, yields a few times, then sleeps.
 * <ul>
 *   <li>The first stage, waiting for producers, sleeps on a lock and is woken by the next publish.
 *       A publisher takes the lock only when a stage is actually asleep (a flag the sleeper sets),
 *       so under load a publish costs one volatile read and no system call.</li>
 *   <li>A later stage, waiting for the stage before it (which does not signal), parks for
 *       {@link #PARK_NS} at a time: no busy spinning, at most one wake-up per park.</li>
 * </ul>
 * Unlike Disruptor's {@code BlockingWaitStrategy}, a later stage never busy-spins on its upstream
 * stage, and unlike {@code SleepingWaitStrategy}, an idle first stage does not wake up on a timer.
 */
public final class BackoffWaitStrategy implements WaitStrategy
{
    /** Busy tries (with {@link Thread#onSpinWait()}) before yielding: a few microseconds. */
    static final int SPINS = 64;
    /** Yields after the spins, before sleeping. */
    static final int YIELDS = 4;
    /** How long a later stage parks at a time while its upstream stage works. */
    static final long PARK_NS = 20_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition published = lock.newCondition();
    private final AtomicBoolean signalNeeded = new AtomicBoolean();

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, InterruptedException
    {
        long available;
        int tries = 0;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            if (tries < SPINS)
            {
                Thread.onSpinWait();
                tries++;
            }
            else if (tries < SPINS + YIELDS)
            {
                Thread.yield();
                tries++;
            }
            else if (cursor.get() < sequence)
            {
                sleepUntilPublished(sequence, cursor, barrier);
            }
            else
            {
                LockSupport.parkNanos(PARK_NS);
            }
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking()
    {
        if (signalNeeded.get() && signalNeeded.getAndSet(false))
        {
            lock.lock();
            try
            {
                published.signalAll();
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    private void sleepUntilPublished(final long sequence, final Sequence cursor, final SequenceBarrier barrier)
        throws AlertException, InterruptedException
    {
        lock.lock();
        try
        {
            while (cursor.get() < sequence)
            {
                // Set the flag before the last look at the cursor: a publisher that moves the cursor after
                // that look sees the flag and signals (it waits for the lock, which await releases).
                signalNeeded.set(true);
                if (cursor.get() >= sequence)
                {
                    break;
                }
                barrier.checkAlert();
                published.await();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public String toString()
    {
        return "BackoffWaitStrategy{spins=" + SPINS + ", yields=" + YIELDS + ", parkNs=" + PARK_NS + '}';
    }
}
