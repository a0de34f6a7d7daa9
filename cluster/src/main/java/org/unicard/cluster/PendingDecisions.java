package org.unicard.cluster;

import java.util.concurrent.atomic.AtomicLongArray;

import org.unicard.authorizer.AuthOutcome;

/**
 * The hand-back of decisions from this member's clustered service to its ring, one slot per ring
 * slot ({@code ring sequence & mask}), preallocated. Each slot is a small state machine on one
 * {@code long}:
 * <pre>
 *   EMPTY ─(stage 2: expect(seq))─► seq ─(service: CAS seq→FILLING, copy outcome)─► decided(seq) ─(stage 3: take)─► EMPTY
 * </pre>
 * The compare-and-set makes a decision land at most once and only on the request it belongs to: a
 * second committed copy of the same request (the gateway offered it again around a leader change)
 * or an entry of an earlier run finds the slot decided, taken or reused, and is ignored. No locks;
 * the service and the ring's stage 3 never wait on each other except stage 3 for its decision.
 */
public final class PendingDecisions
{
    static final long EMPTY = Long.MIN_VALUE;
    static final long FILLING = Long.MIN_VALUE + 1;

    private final int mask;
    private final AtomicLongArray states;
    private final AuthOutcome[] outcomes;
    private final long[] offeredNs;

    /**
     * @param capacity the ring's size, a power of two.
     */
    public PendingDecisions(final int capacity)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " expected a power of two");
        }
        mask = capacity - 1;
        states = new AtomicLongArray(capacity);
        outcomes = new AuthOutcome[capacity];
        offeredNs = new long[capacity];
        for (int i = 0; i < capacity; i++)
        {
            states.set(i, EMPTY);
            outcomes[i] = new AuthOutcome();
        }
    }

    private static long decided(final long sequence)
    {
        return -sequence - 2;
    }

    /**
     * Ring stage 2: the request at this ring sequence is being handed to the cluster.
     */
    public void expect(final long sequence)
    {
        states.set((int)sequence & mask, sequence);
    }

    /**
     * @return whether the request at this ring sequence still waits for its decision.
     */
    public boolean isWaiting(final long sequence)
    {
        return states.get((int)sequence & mask) == sequence;
    }

    /**
     * The service thread: the decision of the request at this ring sequence.
     *
     * @return whether it was handed back (false: not waiting any more, or another request's slot now).
     */
    public boolean decide(final long sequence, final AuthOutcome outcome)
    {
        final int slot = (int)sequence & mask;
        if (sequence < 0 || !states.compareAndSet(slot, sequence, FILLING))
        {
            return false;
        }
        outcomes[slot].copyFrom(outcome);
        states.set(slot, decided(sequence));
        return true;
    }

    /**
     * Ring stage 3: takes the decision if it has come.
     *
     * @return whether it had come (then {@code into} holds it and the slot is empty again).
     */
    public boolean take(final long sequence, final AuthOutcome into)
    {
        final int slot = (int)sequence & mask;
        if (states.get(slot) != decided(sequence))
        {
            return false;
        }
        into.copyFrom(outcomes[slot]);
        states.set(slot, EMPTY);
        return true;
    }

    /**
     * Ring stage 3 giving up (the switch stops): the slot stops waiting, so a late decision is ignored.
     *
     * @return true when abandoned; false when the decision has come or is being written (take it).
     */
    public boolean abandon(final long sequence)
    {
        return states.compareAndSet((int)sequence & mask, sequence, EMPTY);
    }

    /** The gateway thread's note of when it last offered the request in a slot. */
    long offeredNs(final long sequence)
    {
        return offeredNs[(int)sequence & mask];
    }

    void offeredNs(final long sequence, final long nowNs)
    {
        offeredNs[(int)sequence & mask] = nowNs;
    }

    public int capacity()
    {
        return mask + 1;
    }
}
