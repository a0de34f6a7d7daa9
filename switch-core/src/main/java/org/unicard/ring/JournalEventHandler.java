package org.unicard.ring;

import com.lmax.disruptor.EventHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.RecordPositions;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;

/**
 * Ring stage 3: appends the record of every authorized request (and operator command) to the
 * journal. The reply stage runs after this one, so no response leaves before its record. An
 * append that fails turns this and every later request into a 96 answer (see {@link JournalHealth}).
 * <p>
 * Journal health is read by the authorize stage only: from a failure on, it stops deciding. This stage
 * remembers its own failed append in a field of its own thread, because with one thread per stage
 * ({@code ring.threads = 4}) the authorizer may already have decided the requests behind the failed
 * one; none of them may be appended after the gap, or replay would decide them without it. An
 * authorizer fault needs nothing here: the faulted request leaves the authorize stage declined, and
 * every later one is declined there.
 */
public final class JournalEventHandler implements EventHandler<RequestEvent>
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalEventHandler.class);

    private final ChronicleJournal journal;
    private final JournalHealth health;
    private final RecordPositions positions;
    private final JournalRecord record = new JournalRecord();
    /** The record being appended: this stage's own, so its lines are in this core's cache (see {@link RequestEvent}). */
    private final UnsafeBuffer recordBuffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
    private boolean appendFailed;

    /**
     * @param positions told where each request's record went, for the duplicate window's lookups.
     */
    public JournalEventHandler(final ChronicleJournal journal, final JournalHealth health, final RecordPositions positions)
    {
        this.journal = journal;
        this.health = health;
        this.positions = positions;
    }

    @Override
    public void onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.action == RequestEvent.ACTION_CHANGES)
        {
            journalChanges(event);
            return;
        }
        if (event.action != RequestEvent.ACTION_AUTHORIZE)
        {
            return;
        }
        if (appendFailed)
        {
            health.countDeclined();
            event.declineInternalError();
            return;
        }
        try
        {
            journal.append(recordBuffer, record.encodeRequest(recordBuffer, event.request, event.outcome));
            positions.recorded(event.outcome.sequence, journal.lastAppendedIndex());
            health.journaled(event.outcome.sequence);
        }
        catch (final RuntimeException ex)
        {
            appendFailed = true;
            health.fail(ex.toString());
            health.countDeclined();
            // Logged once: the failure is sticky, so every later request is only counted (unicard_journal_declined_requests).
            LOG.error("event=journal-append-failed journal={} sequence={} reason=\"{}\" action=answering-96-until-restart",
                journal.directory(), event.outcome.sequence, ex.toString(), ex);
            event.declineInternalError();
        }
    }

    /**
     * Journals an applied change batch (its CHANGES record; the batch's text was forced to disk
     * before it entered the ring). A failure fails the journal: the batch is applied in memory but
     * not journaled, so nothing more may be decided until a restart replays without it.
     */
    private void journalChanges(final RequestEvent event)
    {
        final org.unicard.changes.ChangeSubmission submission = event.changes;
        final org.unicard.changes.ChangeBatch batch = submission.batch();
        final org.unicard.changes.ChangeApplier.Outcome outcome = submission.outcome();
        try
        {
            if (appendFailed)
            {
                throw new IllegalStateException("journal append failed before");
            }
            final int length = record.encodeChanges(recordBuffer, outcome.businessTimeMs(), outcome.counts().applied(), batch.lines(),
                batch.bodyBytes(), batch.sha256(), org.unicard.changes.ChangeReplayer.countsOf(outcome.counts()), batch.id());
            journal.append(recordBuffer, length);
            LOG.info("event=changes-journaled batch={} applied={} lines={}", batch.id(), outcome.counts().applied(), batch.lines());
        }
        catch (final RuntimeException ex)
        {
            appendFailed = true;
            health.fail("change batch not journaled: " + ex);
            LOG.error("event=journal-append-failed journal={} batch={} reason=\"{}\" action=answering-96-until-restart",
                journal.directory(), batch.id(), ex.toString(), ex);
            submission.fail(ex);
        }
    }
}
