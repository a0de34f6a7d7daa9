package org.unicard.metrics;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A fixed grid of counts that one thread writes and any thread reads: {@link SingleWriterCounter}'s
 * discipline (a release store by the one writer, an acquire load by the scrape) over one Agrona
 * buffer of {@code long}s, for counts indexed by a label combination (answers by message class,
 * terminal type and response code). The counts share cache lines with each other, which costs
 * nothing while one thread writes them all; nothing allocates after construction.
 */
public final class SingleWriterCounterArray
{
    private final AtomicBuffer counts;
    private final int length;

    /**
     * @param length counts in the grid.
     */
    public SingleWriterCounterArray(final int length)
    {
        this.length = length;
        this.counts = new UnsafeBuffer(new byte[length * BitUtil.SIZE_OF_LONG]);
    }

    /**
     * Writer only: one more at {@code index}.
     */
    public void increment(final int index)
    {
        final int offset = index * BitUtil.SIZE_OF_LONG;
        counts.putLongRelease(offset, counts.getLong(offset) + 1);
    }

    /**
     * Any thread.
     *
     * @return the count at {@code index} last written by the writer.
     */
    public long get(final int index)
    {
        return counts.getLongAcquire(index * BitUtil.SIZE_OF_LONG);
    }

    /**
     * @return counts in the grid.
     */
    public int length()
    {
        return length;
    }
}
