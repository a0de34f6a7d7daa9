package org.unicard.cluster;

import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.DecidedRecords;

/**
 * The duplicate window's journal reads on a cluster member, where a record that cannot be read is not
 * a safe answer but a divergence: the window reads back the detail of an entry older than its in-memory
 * ring (a late retransmission, a reversal of an old original, an early eviction), and a member that
 * cannot read it (it started from a cluster snapshot without the journal before it, its journal failed,
 * its old journal files are gone) would decide otherwise than the members that can. The single
 * machine answers such a request 94 or 25 and moves nothing, which is safe when it is the only one
 * deciding; a member stops instead ({@link MissingHistoryException}, see
 * {@link SwitchClusteredService}), and the others, which hold the history, decide for the cluster.
 */
final class HistoryGuard implements DecidedRecords
{
    private final DecidedRecords journal;

    /**
     * @param journal this member's journal seen from the authorizer.
     */
    HistoryGuard(final DecidedRecords journal)
    {
        this.journal = journal;
    }

    /**
     * @return {@code true}: the record was read.
     * @throws MissingHistoryException when this member's journal does not hold it.
     */
    @Override
    public boolean read(final long sequence, final AuthRequest request, final AuthOutcome outcome)
    {
        if (!journal.read(sequence, request, outcome))
        {
            throw new MissingHistoryException(sequence);
        }
        return true;
    }

    /** A decided request's record that this member's journal does not hold, though the other members' do. */
    static final class MissingHistoryException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        MissingHistoryException(final long sequence)
        {
            super("the duplicate window needs the record of sequence=" + sequence + ", which this member's journal does not hold "
                + "(started from a cluster snapshot without the journal before it, or its journal failed)", null, false, false);
        }
    }
}
