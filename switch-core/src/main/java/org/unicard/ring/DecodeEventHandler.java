package org.unicard.ring;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.PrefetchSlots;
import org.unicard.decode.RequestDecoder;
import org.unicard.security.RetailMacBatch;

/**
 * Ring stage 1: decode and verify. Frames become {@link AuthRequest}s (or direct answers);
 * operator commands become requests from the operator source.
 * <p>
 * Reading ahead ({@link #readAhead}): when more frames than the one at hand are already published,
 * the stage decodes up to {@link RetailMacBatch#LANES} of them at once, so that their MACs are
 * verified together ({@link RequestDecoder#decodeAll}; bitsliced from
 * {@link RetailMacBatch#BITSLICED_FROM} on). It stops before a control event (a change batch may
 * rotate a key) and never reads ahead on a cluster member, whose tables another thread may change
 * between two requests ({@link TableGate}). Decoding ahead changes nothing a request is decided on:
 * decode reads only what change batches write, and a change batch is never passed.
 * <p>
 * With the {@link Authorizer} given ({@link #prefetchFor}), a batch decoded ahead is also read ahead
 * for the decisions ({@link Authorizer#prefetchBatch}): its requests' cards are found and the lines
 * their decisions will use are read with the batch's cache misses in flight together, instead of
 * one request's after another's.
 */
public final class DecodeEventHandler implements EventHandler<RequestEvent>
{
    private final RequestDecoder decoder;
    private volatile org.unicard.changes.ChangeApplier changeApplier;
    private volatile JournalHealth journalHealth;
    private volatile java.util.function.LongSupplier fullyProcessed;
    private com.lmax.disruptor.Sequence progress;
    private TableGate.Reader gate;
    private RingBuffer<RequestEvent> ring;
    /** The last sequence decoded ahead of its turn (its event is skipped when its turn comes). */
    private long decodedThrough = -1;
    private final RequestEvent[] ahead = new RequestEvent[RetailMacBatch.LANES];
    private Authorizer prefetcher;
    /** The requests of a batch decoded ahead that go on to a decision, for {@link #prefetcher}. */
    private final AuthRequest[] toDecide = new AuthRequest[RetailMacBatch.LANES];
    private final PrefetchSlots slots = new PrefetchSlots(RetailMacBatch.LANES);
    /** What the prefetch loads added up to, kept so that they are not optimised away. */
    private long prefetched;

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

    /**
     * Lets this stage decode the frames published after the one at hand with it (see the class
     * comment). Call before the ring starts; ignored on a stage with a {@link #gate}.
     *
     * @param ringBuffer the ring whose events this stage handles.
     */
    public void readAhead(final RingBuffer<RequestEvent> ringBuffer)
    {
        ring = ringBuffer;
    }

    /**
     * Lets this stage read ahead, for the decisions, what a batch decoded ahead will use (see the
     * class comment). Call before the ring starts; only reads, from whichever thread decodes.
     *
     * @param authorizer the authorizer that will decide the batch's requests.
     */
    public void prefetchFor(final Authorizer authorizer)
    {
        prefetcher = authorizer;
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
        if (sequence <= decodedThrough)
        {
            return; // decoded with an earlier frame
        }
        final TableGate.Reader reader = gate;
        if (reader == null)
        {
            if (ring != null)
            {
                decodeAhead(event, sequence);
            }
            else
            {
                decoder.decode(event);
            }
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
     * Decodes this frame and the frames published after it, up to a control event or
     * {@link RetailMacBatch#LANES} in all. Should the decoder throw (a bug), only this frame is decoded
     * again, alone, so that the exception is this frame's; the later ones are decoded in their turn.
     */
    private void decodeAhead(final RequestEvent event, final long sequence)
    {
        int count = 0;
        ahead[count++] = event;
        for (long next = sequence + 1; count < ahead.length && ring.isAvailable(next); next++)
        {
            final RequestEvent later = ring.get(next);
            if (later.kind != RequestEvent.KIND_FRAME)
            {
                break;
            }
            ahead[count++] = later;
        }
        if (1 == count)
        {
            ahead[0] = null;
            decoder.decode(event);
            return;
        }
        try
        {
            decoder.decodeAll(ahead, count);
            decodedThrough = sequence + count - 1;
            if (prefetcher != null)
            {
                prefetch(count);
            }
        }
        catch (final RuntimeException ex)
        {
            decoder.decode(event);
        }
        finally
        {
            java.util.Arrays.fill(ahead, 0, count, null);
        }
    }

    /** Reads ahead what the decisions of the batch's requests to be decided will use. */
    private void prefetch(final int count)
    {
        int requests = 0;
        for (int i = 0; i < count; i++)
        {
            if (ahead[i].action == RequestEvent.ACTION_AUTHORIZE)
            {
                toDecide[requests++] = ahead[i].request;
            }
        }
        prefetched += prefetcher.prefetchBatch(toDecide, requests, slots);
        java.util.Arrays.fill(toDecide, 0, requests, null);
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
