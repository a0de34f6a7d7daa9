package org.unicard.cluster;

import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.EventHandler;
import org.unicard.ring.RequestEvent;

/**
 * Ring stage 3 of a cluster member, in place of the journal stage: waits, in ring order, until this
 * member's clustered service has decided the request (the entry is committed, decided and journaled
 * by then), and puts the decision in the slot for the reply stage. Requests behind it were already
 * offered by stage 2, so the wait overlaps with theirs (pipelining). Spins briefly, then yields, then
 * parks 50 µs at a time: a commit takes a round trip between members.
 * <p>
 * The wait has no limit: an answer is given only for a committed decision (a 96 sent while the
 * entry might still commit could be untrue). While the cluster has no leader, requests wait here, the
 * ring fills, and the listeners stop reading; the terminals' own timeouts and retransmissions take over.
 * Only a stopping switch gives up ({@link #stop}): those requests are dropped unanswered.
 */
final class AwaitDecisionStage implements EventHandler<RequestEvent>
{
    private static final long PARK_NS = 50_000;

    private final PendingDecisions pending;
    private volatile boolean stopping;

    AwaitDecisionStage(final PendingDecisions pending)
    {
        this.pending = pending;
    }

    @Override
    public void onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.action != RequestEvent.ACTION_AUTHORIZE)
        {
            return;
        }
        int spins = 0;
        while (!pending.take(sequence, event.outcome))
        {
            if (stopping && pending.abandon(sequence))
            {
                event.action = RequestEvent.ACTION_DROP;
                return;
            }
            if (spins < 200)
            {
                spins++;
                Thread.onSpinWait();
            }
            else if (spins < 300)
            {
                spins++;
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(PARK_NS);
            }
        }
    }

    void stop()
    {
        stopping = true;
    }
}
