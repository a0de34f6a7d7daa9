package org.unicard.authorizer;

/**
 * Where the lines of one batch of replay's prefetch are ({@link Authorizer#prefetch}): each stage
 * computes them here for the whole batch, then reads them in a loop of loads alone. One per batch
 * buffer, never shared by two threads at once (replay's reader thread and replaying thread may
 * both prefetch, each its own batch).
 */
public final class PrefetchSlots
{
    /** Each request's PAN-index home slot, then (after the loop that reads them) that slot's content. */
    final int[] panSlots;
    final int[] windowSlots;
    final int[] households;
    final int[] ledgerElements;

    /**
     * @param capacity the most requests a batch holds.
     */
    public PrefetchSlots(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " expected at least 1");
        }
        panSlots = new int[capacity];
        windowSlots = new int[capacity];
        households = new int[capacity];
        ledgerElements = new int[capacity];
    }

    /**
     * @return the most requests one prefetch may cover.
     */
    public int capacity()
    {
        return panSlots.length;
    }
}
