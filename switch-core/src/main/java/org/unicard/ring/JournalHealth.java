package org.unicard.ring;

import org.unicard.metrics.SingleWriterCounter;

/**
 * Whether the in-memory state and the journal still agree, so that the switch may go on deciding.
 * Sticky: after one failed append, or one exception inside the authorizer, the switch answers 96 to
 * everything until it is restarted and has replayed, because its memory may hold a change the
 * journal does not.
 */
public final class JournalHealth
{
    /** Written by the journal thread only (the starting thread before the ring runs), read by the metrics scrape. */
    private final SingleWriterCounter journaledSequence = new SingleWriterCounter();
    private volatile boolean failed;
    /** Written by the journal thread only, read by the metrics scrape. */
    private final SingleWriterCounter declinedRequests = new SingleWriterCounter();
    private volatile String reason;

    /**
     * @return the authorizer sequence of the last request journaled.
     */
    public long journaledSequence()
    {
        return journaledSequence.get();
    }

    /**
     * Journal thread (or the starting thread before the ring runs): a request's record is in the journal.
     */
    public void journaled(final long sequence)
    {
        journaledSequence.set(sequence);
    }

    public boolean failed()
    {
        return failed;
    }

    public String reason()
    {
        return reason;
    }

    /**
     * @return requests answered 96 because the journal had failed.
     */
    public long declinedRequests()
    {
        return declinedRequests.get();
    }

    /** Journal thread only: one more request answered 96 because the journal failed. */
    void countDeclined()
    {
        declinedRequests.increment();
    }

    void fail(final String why)
    {
        reason = why;
        failed = true;
    }
}
