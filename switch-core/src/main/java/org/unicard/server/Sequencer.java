package org.unicard.server;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.lmax.disruptor.EventHandler;
import org.unicard.changes.ChangeApplier;
import org.unicard.changes.ChangeSubmission;
import org.unicard.context.SwitchContext;
import org.unicard.http.Readiness;
import org.unicard.metrics.SwitchMetrics;
import org.unicard.ring.AuthorizeEventHandler;
import org.unicard.ring.DecodeEventHandler;
import org.unicard.ring.JournalEventHandler;
import org.unicard.ring.JournalHealth;
import org.unicard.ring.ReplyEventHandler;
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
     * Called while the ring is wired, before it starts: the two stages that read the tables, for a
     * sequencer whose tables are changed by a thread outside the ring (a cluster member's service
     * applies change batches at their log position and gates these stages with an
     * {@link org.unicard.ring.TableGate}). The single machine needs nothing: its decode stage applies
     * batches itself.
     */
    default void tableReaders(final DecodeEventHandler decode, final ReplyEventHandler reply)
    {
    }

    /**
     * @param applier the switch's applier (its callbacks rebuild the key schedules).
     * @param ring    the single machine's route: the batch through the ring, applied by the decode stage.
     * @return where a change batch validated off the ring goes (spec §12); a cluster member logs it, and
     * every member's service applies it at the same log position.
     */
    default Function<ChangeSubmission, CompletableFuture<ChangeApplier.Outcome>> changeRoute(
        final ChangeApplier applier, final Function<ChangeSubmission, CompletableFuture<ChangeApplier.Outcome>> ring)
    {
        return ring;
    }

    /** Called last in {@link UnicardSwitch#close()}, after the ring has drained and before the journal closes. */
    default void close()
    {
    }
}
