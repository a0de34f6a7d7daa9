package org.unicard.cluster;

import com.lmax.disruptor.EventHandler;
import org.unicard.ring.RequestEvent;

/**
 * Ring stage 2 of a cluster member, in place of the authorizer: a request to decide is expected in
 * {@link PendingDecisions} and handed to the {@link ClusterGateway}, which offers it to the cluster.
 * Takes no lock, allocates nothing, never waits.
 */
final class SubmitStage implements EventHandler<RequestEvent>
{
    private final PendingDecisions pending;
    private final ClusterGateway gateway;

    SubmitStage(final PendingDecisions pending, final ClusterGateway gateway)
    {
        this.pending = pending;
        this.gateway = gateway;
    }

    @Override
    public void onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.action == RequestEvent.ACTION_AUTHORIZE)
        {
            pending.expect(sequence);
            gateway.submit(sequence, event);
        }
        else
        {
            gateway.pass(sequence, event);
        }
    }
}
