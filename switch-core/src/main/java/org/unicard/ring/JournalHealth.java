package org.unicard.ring;

/**
 * Whether the journal still accepts records. Sticky: after one failed append the switch answers
 * 96 to everything until it is restarted and has replayed, because its memory may hold a change
 * the journal does not.
 */
public final class JournalHealth
{
    private volatile boolean failed;
    private volatile String reason;

    public boolean failed()
    {
        return failed;
    }

    public String reason()
    {
        return reason;
    }

    void fail(final String why)
    {
        reason = why;
        failed = true;
    }
}
