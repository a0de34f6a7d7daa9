package org.unicard.authorizer;

import java.util.Arrays;

/**
 * Where the lines of one batch of replay's prefetch are ({@link Authorizer#prefetch}), computed here
 * for the whole batch and then read in loops of loads alone, with the household each request's
 * journal record names, which the caller sets. One per batch buffer, never shared by two threads at
 * once (replay's reader thread and replaying thread may both prefetch, each its own batch).
 */
public final class PrefetchSlots
{
    /** The PAN-index home slots of the requests that name no card, in order. */
    final int[] panSlots;
    /** The card a request names plus one, or 0. */
    final int[] cardsPlusOne;
    final int[] windowSlots;
    /** The household record to read, or -1. */
    final int[] households;
    /** The household each request's record names, or -1 (set by the caller). */
    final int[] householdHints;
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
        cardsPlusOne = new int[capacity];
        windowSlots = new int[capacity];
        households = new int[capacity];
        householdHints = new int[capacity];
        Arrays.fill(householdHints, -1);
        ledgerElements = new int[capacity];
    }

    /**
     * Names the household of the {@code index}-th request of the next batch: the one its journal
     * record names, or -1. Only which lines are read depends on it, never a decision.
     */
    public void householdHint(final int index, final int household)
    {
        householdHints[index] = household;
    }

    /**
     * @return the most requests one prefetch may cover.
     */
    public int capacity()
    {
        return panSlots.length;
    }
}
