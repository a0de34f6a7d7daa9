package org.unicard.ring;

import com.lmax.disruptor.EventHandler;
import org.unicard.authorizer.AuthRequest;
import org.unicard.decode.RequestDecoder;

/**
 * Ring stage 1: decode and verify. Frames become {@link AuthRequest}s (or direct answers);
 * operator commands become requests from the operator source.
 */
public final class DecodeEventHandler implements EventHandler<RequestEvent>
{
    private final RequestDecoder decoder;
    private volatile org.unicard.changes.ChangeApplier changeApplier;
    private volatile JournalHealth journalHealth;
    private volatile java.util.function.LongSupplier fullyProcessed;
    private com.lmax.disruptor.Sequence progress;
    private TableGate.Reader gate;

    public DecodeEventHandler(final RequestDecoder decoder)
    {
        this.decoder = decoder;
    }

    /**
     * Lets this stage apply change batches (spec §12).
     *
     * @param applier        applies a batch to the tables.
     * @param health         a failed journal refuses batches.
     * @param fullyProcessed the ring's last sequence every stage has finished (its gating sequence).
     */
    public void changes(
        final org.unicard.changes.ChangeApplier applier, final JournalHealth health, final java.util.function.LongSupplier fullyProcessed)
    {
        this.changeApplier = applier;
        this.journalHealth = health;
        this.fullyProcessed = fullyProcessed;
    }

    /**
     * Makes this stage keep out of the tables while a thread outside the ring changes them (a cluster
     * member's change batches, {@link TableGate}). Call before the ring starts.
     */
    public void gate(final TableGate.Reader reader)
    {
        gate = reader;
    }

    @Override
    public void setSequenceCallback(final com.lmax.disruptor.Sequence sequenceCallback)
    {
        progress = sequenceCallback;
    }

    @Override
    public void onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.kind == RequestEvent.KIND_CHANGES)
        {
            applyChanges(event, sequence);
            return;
        }
        if (event.kind == RequestEvent.KIND_OPERATOR)
        {
            final AuthRequest request = event.request;
            request.sourceType = AuthRequest.SOURCE_OPERATOR;
            request.businessTimeMs = event.businessTimeMs;
            request.command = event.operator.command();
            request.pan = event.operator.pan();
            request.panDigits = event.operator.panDigits();
            event.action = RequestEvent.ACTION_AUTHORIZE;
            return;
        }
        final TableGate.Reader reader = gate;
        if (reader == null)
        {
            decoder.decode(event);
            return;
        }
        reader.enter();
        try
        {
            decoder.decode(event);
        }
        finally
        {
            reader.exit();
        }
    }

    /**
     * Applies a change batch between two requests (spec §12, all or nothing): says that every event
     * before this one is decoded, waits until every later stage has finished them all (so no thread
     * reads a table), then checks and applies the whole batch; requests behind it are decoded only
     * after it, so every request decided after the batch sees all of it and none before sees any.
     */
    private void applyChanges(final RequestEvent event, final long sequence)
    {
        final org.unicard.changes.ChangeSubmission submission = event.changes;
        event.action = RequestEvent.ACTION_REPLY;
        if (changeApplier == null || progress == null || fullyProcessed == null)
        {
            submission.fail(new IllegalStateException("change batches are not wired into this ring"));
            return;
        }
        progress.set(sequence - 1);
        for (int spins = 0; fullyProcessed.getAsLong() < sequence - 1; spins++)
        {
            if (spins < 1000)
            {
                Thread.onSpinWait();
            }
            else
            {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
        }
        if (journalHealth.failed())
        {
            submission.fail(new IllegalStateException("journal failed: " + journalHealth.reason()));
            return;
        }
        try
        {
            final org.unicard.changes.ChangeApplier.Outcome outcome = changeApplier.commit(submission.plan(), event.businessTimeMs);
            submission.outcome(outcome);
            if (outcome.applied())
            {
                event.action = RequestEvent.ACTION_CHANGES;
            }
        }
        catch (final RuntimeException ex)
        {
            // Checks run before any change, so an exception here is a bug that may have left the batch half applied.
            journalHealth.fail("change batch fault: " + ex);
            submission.fail(ex);
        }
    }
}
