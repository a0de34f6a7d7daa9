package org.unicard.changes;

import java.util.concurrent.CompletableFuture;

/**
 * A validated change batch travelling through the ring (spec §12): the decode stage applies it
 * while every other stage waits between two requests, the journal stage journals it, the reply
 * stage completes {@link #result()}. Allocated per batch: batches are not the hot path.
 */
public final class ChangeSubmission
{
    private final ChangeApplier.Plan plan;
    private final byte[] body;
    private final CompletableFuture<ChangeApplier.Outcome> result = new CompletableFuture<>();
    private ChangeApplier.Outcome outcome;
    private RuntimeException failure;

    /**
     * @param plan the batch, checked against the tables and its lookups resolved off the ring.
     */
    public ChangeSubmission(final ChangeApplier.Plan plan)
    {
        this(plan, null);
    }

    /**
     * @param plan the batch, checked against the tables and its lookups resolved off the ring.
     * @param body the batch's text as posted (keys under the LMK), for a route that sends the text on
     *             (a cluster member logs it); {@code null} when not needed.
     */
    public ChangeSubmission(final ChangeApplier.Plan plan, final byte[] body)
    {
        this.plan = plan;
        this.body = body;
    }

    /**
     * @return the batch's text as posted, or {@code null}.
     */
    public byte[] body()
    {
        return body;
    }

    public ChangeApplier.Plan plan()
    {
        return plan;
    }

    public ChangeBatch batch()
    {
        return plan.batch();
    }

    /**
     * @return completes once the batch is applied and journaled, or refused.
     */
    public CompletableFuture<ChangeApplier.Outcome> result()
    {
        return result;
    }

    /** Set by the stage that applied (or refused) the batch; read by the later stages of the same event. */
    public ChangeApplier.Outcome outcome()
    {
        return outcome;
    }

    public void outcome(final ChangeApplier.Outcome applied)
    {
        outcome = applied;
    }

    /** A failure to apply or journal: the batch's answer is an error. */
    public void fail(final RuntimeException reason)
    {
        failure = reason;
    }

    /** Called by the reply stage: completes the result. */
    public void complete()
    {
        if (failure != null)
        {
            result.completeExceptionally(failure);
        }
        else if (outcome == null)
        {
            result.completeExceptionally(new IllegalStateException("change batch was not applied (switch failing)"));
        }
        else
        {
            result.complete(outcome);
        }
    }

    /**
     * Why a routed batch was not applied: its id was applied before it reached the place that
     * applies batches (a cluster member's log, where another member's batch of the same id came
     * first). The answer is then that of a known id: the original 200, or 409 for other content.
     */
    public static final class AlreadyApplied extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        public AlreadyApplied(final String batchId)
        {
            super("batch=" + batchId + " reason=applied before", null, false, false);
        }
    }
}
