package org.unicard.http;

import java.util.ArrayList;
import java.util.List;

import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.DecidedRecords;

/**
 * A card's recent transactions, newest first, read from the journal by walking the card's history
 * chain backwards (docs/design.md, "Transaction history"): the card's last record's sequence comes
 * from a status query through the ring ({@link AuthOutcome#previousOfCard} of the query), each
 * REQUEST record holds the sequence of the card's record before it, and each record is read back by
 * its sequence (RecordPositions gives its queue index, the journal lookup reads it). Reading 50
 * records costs 50 random journal reads, whatever the journal's size.
 * <p>
 * Safe beside the authorizer: it reads only journal records, which never change once written, and
 * RecordPositions, which publishes each run before the sequence that makes it visible. The lookup
 * (one Chronicle tailer) is shared by the operator workers under this object's lock.
 */
public final class CardHistory
{
    /** Most records one call returns. */
    public static final int MAX_LIMIT = 500;
    /** Most records one call reads (status look-ups are read and skipped, so they cannot make a call unbounded). */
    public static final int MAX_READS = 4 * MAX_LIMIT;

    /** One record of the chain. */
    public record Entry(AuthRequest request, AuthOutcome outcome)
    {
    }

    /** What a walk found. */
    public record Walk(List<Entry> entries, boolean more, String stoppedBecause)
    {
    }

    private final DecidedRecords journal;
    private final Runnable release;

    /**
     * @param journal reads a decided record by sequence.
     * @param release lets the next reading thread claim the journal's tailer (may do nothing).
     */
    public CardHistory(final DecidedRecords journal, final Runnable release)
    {
        this.journal = journal;
        this.release = release;
    }

    /**
     * @param head  the card's last record's sequence (0: none).
     * @param card  the card's dense index: a record naming another card ends the walk (a broken chain).
     * @param limit records wanted, 1..{@link #MAX_LIMIT}.
     * @return up to {@code limit} records, newest first, without status look-ups.
     */
    public synchronized Walk walk(final long head, final int card, final int limit)
    {
        final List<Entry> entries = new ArrayList<>(Math.min(limit, 64));
        long sequence = head;
        int reads = 0;
        try
        {
            while (sequence > 0 && entries.size() < limit)
            {
                if (reads++ == MAX_READS)
                {
                    return new Walk(entries, true, "read limit " + MAX_READS);
                }
                final AuthRequest request = new AuthRequest();
                final AuthOutcome outcome = new AuthOutcome();
                if (!journal.read(sequence, request, outcome))
                {
                    return new Walk(entries, true, "record sequence=" + sequence + " no longer located in the journal");
                }
                if (outcome.card != card && outcome.card != AuthOutcome.NONE)
                {
                    return new Walk(entries, true, "record sequence=" + sequence + " names another card");
                }
                if (request.sourceType != AuthRequest.SOURCE_OPERATOR || request.command != AuthRequest.COMMAND_QUERY)
                {
                    entries.add(new Entry(request, outcome));
                }
                sequence = outcome.previousOfCard;
                if (sequence == AuthOutcome.UNKNOWN_PREVIOUS)
                {
                    return new Walk(entries, true, "record sequence=" + outcome.sequence + " was journaled before records held the card's history");
                }
            }
            return new Walk(entries, sequence > 0, null);
        }
        finally
        {
            release.run();
        }
    }
}
