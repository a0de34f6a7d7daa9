package org.unicard.metrics;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

/**
 * The switch's one way to count: a count that exactly one thread writes and any thread reads,
 * over an Agrona {@link AtomicCounter}. The writer bumps it with a release store
 * ({@link AtomicCounter#incrementRelease()}: a plain read of its own value, a store that no earlier
 * write may pass, no lock prefix and no contention), and the scrape reads it with an acquire load
 * ({@link AtomicCounter#getAcquire()}), so the scrape sees values in the order they were written,
 * never a torn or stale-forever one, and everything the writer wrote before the bump.
 * <p>
 * Each counter sits on its own {@link CountersReader#COUNTER_LENGTH} (128-byte) record of a
 * preallocated buffer, the value at the record's start with a record's padding before it, so two
 * counters bumped by different threads never share a cache line. Nothing allocates after
 * construction.
 * <p>
 * One writer is a rule, not a check: a count that several threads bump must be split per thread
 * (the listener's counts are per event loop) or written under a lock that serialises its writers
 * ({@link DistinctErrors}); two unsynchronised writers would lose counts.
 */
public final class SingleWriterCounter
{
    private static final int RECORD = 1;

    private final AtomicCounter counter =
        new AtomicCounter(new UnsafeBuffer(new byte[(RECORD + 1) * CountersReader.COUNTER_LENGTH]), RECORD);

    /**
     * Writer only: one more.
     */
    public void increment()
    {
        counter.incrementRelease();
    }

    /**
     * Writer only: {@code delta} more.
     */
    public void add(final long delta)
    {
        counter.getAndAddRelease(delta);
    }

    /**
     * Writer only (or the thread that builds the state before any writer runs, e.g. a snapshot load):
     * sets the value.
     */
    public void set(final long value)
    {
        counter.setRelease(value);
    }

    /**
     * Any thread.
     *
     * @return the value last written, and everything its writer wrote before it is visible.
     */
    public long get()
    {
        return counter.getAcquire();
    }

    @Override
    public String toString()
    {
        return Long.toString(get());
    }
}
