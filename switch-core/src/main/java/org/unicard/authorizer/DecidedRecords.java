package org.unicard.authorizer;

/**
 * Reads back a decided request, and what was answered, by its authorizer sequence: the journal
 * seen from the authorizer. The {@link DuplicateWindow} keeps only a compact entry per request and
 * reads the key and the original answer back through this when a retransmission or a reversal
 * finds an entry whose detail has left its in-memory ring of recent requests.
 * <p>
 * Used by the authorizer's thread only; must return the same record whenever asked for the same
 * sequence, so that deciding stays deterministic (replay reads the same journal).
 */
public interface DecidedRecords
{
    /**
     * @param sequence an authorizer sequence that has been journaled.
     * @param request  filled with the recorded request.
     * @param outcome  filled with the recorded outcome.
     * @return {@code false} when the record cannot be read (not journaled, or no longer located).
     */
    boolean read(long sequence, AuthRequest request, AuthOutcome outcome);
}
