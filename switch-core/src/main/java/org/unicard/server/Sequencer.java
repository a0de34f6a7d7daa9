package org.unicard.server;

import com.lmax.disruptor.EventHandler;
import org.unicard.context.SwitchContext;
import org.unicard.http.Readiness;
import org.unicard.metrics.SwitchMetrics;
import org.unicard.ring.AuthorizeEventHandler;
import org.unicard.ring.JournalEventHandler;
import org.unicard.ring.JournalHealth;
import org.unicard.ring.RequestEvent;
import org.unicard.time.BusinessClock;

/**
 * What puts decoded requests in order and decides them: the ring's stages 2 and 3. The single-machine
 * switch ({@link #LOCAL}) decides on its own authorize thread and journals on its journal thread; a
 * cluster member (spec §13, module {@code cluster}) hands each request to the replicated log in
 * stage 2 and, in stage 3, waits for the decision its clustered service made once the entry was
 * committed. Decode (stage 1) and reply (stage 4) are the same in both.
 */
public interface Sequencer
{
    /** The single-machine switch of spec §1–§12. */
    Sequencer LOCAL = new Sequencer()
    {
        @Override
        public void bootstrap(final SwitchContext.Recovery recovery, final BusinessClock clock)
        {
            recovery.bootstrap(clock::nowMs);
        }

        @Override
        public EventHandler<RequestEvent> authorizeStage(final SwitchContext.Recovery recovery, final JournalHealth health)
        {
            return new AuthorizeEventHandler(recovery.state().authorizer(), health);
        }

        @Override
        public EventHandler<RequestEvent> journalStage(final SwitchContext.Recovery recovery, final JournalHealth health)
        {
            return new JournalEventHandler(recovery.journal(), health, recovery.state().authorizer().positions());
        }
    };

    /**
     * Called once the state is recovered, on the starting thread, before the ring exists: journals
     * what a writer owes before its first request (the single machine: GENESIS and the rules).
     */
    void bootstrap(SwitchContext.Recovery recovery, BusinessClock clock) throws Exception;

    /**
     * @return ring stage 2.
     */
    EventHandler<RequestEvent> authorizeStage(SwitchContext.Recovery recovery, JournalHealth health);

    /**
     * @return ring stage 3: once it has passed a request, the request's outcome is final and journaled.
     */
    EventHandler<RequestEvent> journalStage(SwitchContext.Recovery recovery, JournalHealth health);

    /**
     * @return whether the journal stage waits for something outside the ring (a cluster member's committed
     * decision): the ring then never runs stages 2 and 3 on one thread ({@link org.unicard.ring.SwitchRing}).
     */
    default boolean journalStageWaits()
    {
        return false;
    }

    /**
     * Called once the switch is wired, before it reports ready: a place for own metrics and for the
     * detail {@code /health} shows.
     */
    default void wired(final SwitchMetrics metrics, final Readiness readiness)
    {
    }

    /**
     * @return why live change batches (spec §12) cannot be taken here, or {@code null} when they can. A
     * batch is applied by the ring's decode stage of the member that receives it, which on a cluster
     * member would change one member's tables only; until batches travel through the replicated log,
     * a cluster member refuses them (503) rather than let its state drift from the others'.
     */
    default String changesRefusal()
    {
        return null;
    }

    /** Called last in {@link UnicardSwitch#close()}, after the ring has drained and before the journal closes. */
    default void close()
    {
    }
}
