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
    private final CompletableFuture<ChangeApplier.Outcome> result = new CompletableFuture<>();
    private ChangeApplier.Outcome outcome;
    private RuntimeException failure;

    /**
     * @param plan the batch, checked against the tables and its lookups resolved off the ring.
     */
    public ChangeSubmission(final ChangeApplier.Plan plan)
    {
        this.plan = plan;
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
}
