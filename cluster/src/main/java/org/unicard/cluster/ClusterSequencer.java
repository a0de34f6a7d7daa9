package org.unicard.cluster;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.lmax.disruptor.EventHandler;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.Authorizer;
import org.unicard.changes.ChangeApplier;
import org.unicard.changes.ChangeSubmission;
import org.unicard.context.SwitchContext;
import org.unicard.http.Readiness;
import org.unicard.journal.JournalRecord;
import org.unicard.metrics.SwitchMetrics;
import org.unicard.ring.DecodeEventHandler;
import org.unicard.ring.JournalHealth;
import org.unicard.ring.ReplyEventHandler;
import org.unicard.ring.RequestEvent;
import org.unicard.ring.TableGate;
import org.unicard.server.Sequencer;
import org.unicard.time.BusinessClock;

/**
 * A cluster member's {@link Sequencer}: the member's engine ({@link ClusterNode}) hosts the switch's
 * {@link SwitchClusteredService} over the recovered state; ring stage 2 hands requests to the
 * {@link ClusterGateway}; ring stage 3 waits for their committed decisions. GENESIS is not journaled
 * at start (each member's clock would differ): the service journals it from the first request's log
 * timestamp. The program rules are journaled at start as on a single machine; every member must run
 * the same configuration (see docs/operations.md). Change batches (spec §12) are logged commands
 * ({@link ClusterChangeBatches}); the ring's decode and reply stages pass a {@link TableGate} the
 * service closes while it applies one.
 */
public final class ClusterSequencer implements Sequencer
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSequencer.class);

    private final ClusterMembers members;
    private final int memberId;
    private final Path clusterDir;
    private final int ringSize;
    private final boolean logClockOffset;
    private final long startTimeoutMs;

    private PendingDecisions pending;
    private SwitchClusteredService service;
    private ClusterNode node;
    private ClusterGateway gateway;
    private AwaitDecisionStage awaitStage;
    private SwitchContext context;
    private ClusterChangeBatches batches;
    private boolean wiring;

    private static final int DECODE_READER = 0;
    private static final int REPLY_READER = 1;
    /** The starting thread, from the end of {@link #bootstrap} until the switch is wired: it builds the key schedules from the tables. */
    private static final int WIRING_READER = 2;
    private final TableGate tableGate = new TableGate(3);

    /**
     * @param members        the cluster.
     * @param memberId       this member.
     * @param clusterDir     this member's engine files (the log's archive, the consensus state).
     * @param ringSize       the ring's size.
     * @param logClockOffset whether {@code --clock} was given: its offset then becomes a logged command.
     */
    public ClusterSequencer(
        final ClusterMembers members, final int memberId, final Path clusterDir, final int ringSize, final boolean logClockOffset)
    {
        if (memberId < 0 || memberId >= members.count())
        {
            throw new IllegalArgumentException("--cluster-member-id=" + memberId + " range=[0," + (members.count() - 1) + "]");
        }
        this.members = members;
        this.memberId = memberId;
        this.clusterDir = clusterDir;
        this.ringSize = ringSize;
        this.logClockOffset = logClockOffset;
        this.startTimeoutMs = Long.getLong("unicard.cluster.start-timeout-ms", TimeUnit.MINUTES.toMillis(10));
    }

    /**
     * The member's context: the LMK the cluster snapshot's keys are stored under, and the data and
     * snapshot directories of the file snapshot written after a cluster snapshot is loaded
     * ({@link ClusterStateSnapshot}). Call before the switch starts.
     */
    public ClusterSequencer context(final SwitchContext switchContext)
    {
        this.context = switchContext;
        return this;
    }

    @Override
    public void bootstrap(final SwitchContext.Recovery recovery, final BusinessClock clock) throws Exception
    {
        final Authorizer authorizer = recovery.state().authorizer();
        // A member that cannot read a record back must not decide otherwise than the others: it stops (HistoryGuard).
        authorizer.journal(new HistoryGuard(recovery.journal().lookup(authorizer.positions())));
        if (!authorizer.rulesJournaled() || !authorizer.rules().equals(recovery.rules()))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
            recovery.journal().append(buffer, new JournalRecord().encodeRules(buffer, recovery.rules()));
            authorizer.rules(recovery.rules());
            LOG.info("event=rules-journaled {}", recovery.rules());
        }
        recovery.journal().releaseAppender();
        final long incarnation = System.currentTimeMillis() << 16 ^ (System.nanoTime() & 0xFFFF);
        pending = new PendingDecisions(ringSize);
        if (context == null)
        {
            throw new IllegalStateException("ClusterSequencer: context(SwitchContext) not called (the cluster snapshot needs the LMK)");
        }
        service = new SwitchClusteredService(recovery.state().data(), authorizer, recovery.journal(), pending, memberId, incarnation,
            new ClusterStateSnapshot(recovery.state().data(), authorizer, recovery.journal(), context.localMasterKey(),
                context.dataDirectory(), context.snapshotDirectory()));
        batches = new ClusterChangeBatches(service, recovery.state().data(), authorizer, recovery.journal(), context.localMasterKey(),
            tableGate, memberId, incarnation);
        batches.journaledAfterLastRequest(recovery.journal(), authorizer.positions(), authorizer.sequence());
        service.command(LogMessages.TYPE_CHANGE_BATCH, batches);
        try
        {
            node = ClusterNode.launch(members, memberId, clusterDir, service);
            gateway = new ClusterGateway(members, memberId, incarnation, node.aeronDirectoryName(), pending, ringSize);
            if (logClockOffset)
            {
                gateway.logClockOffset(clock.nowMs() - System.currentTimeMillis());
            }
            gateway.start();
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startTimeoutMs);
            // Serve only once this member's service has started: a cluster snapshot that does not load stops the member here.
            while (!gateway.isConnected() || !service.started())
            {
                if (service.startFailure() != null)
                {
                    throw new IllegalStateException("cluster member " + memberId + " cannot start: " + service.startFailure().getMessage(),
                        service.startFailure());
                }
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("cluster: no leader reached within unicard.cluster.start-timeout-ms=" + startTimeoutMs
                        + " (a majority of " + members.count() + " members must be running): members=" + members.ingressEndpoints());
                }
                Thread.sleep(20);
            }
            // From here the switch is wired on this thread: it reads the tables to build the key schedules.
            tableGate.reader(WIRING_READER).enter();
            wiring = true;
            LOG.info("event=cluster-joined member={} leader={} journal-sequence={}", memberId, gateway.leaderMemberId(),
                authorizer.sequence());
        }
        catch (final Exception | Error ex)
        {
            close();
            throw ex;
        }
    }

    @Override
    public EventHandler<RequestEvent> authorizeStage(final SwitchContext.Recovery recovery, final JournalHealth health)
    {
        return new SubmitStage(pending, gateway);
    }

    @Override
    public EventHandler<RequestEvent> journalStage(final SwitchContext.Recovery recovery, final JournalHealth health)
    {
        awaitStage = new AwaitDecisionStage(pending);
        return awaitStage;
    }

    @Override
    public boolean journalStageWaits()
    {
        return true;
    }

    @Override
    public void tableReaders(final DecodeEventHandler decode, final ReplyEventHandler reply)
    {
        decode.gate(tableGate.reader(DECODE_READER));
        reply.gate(tableGate.reader(REPLY_READER));
    }

    @Override
    public Function<ChangeSubmission, CompletableFuture<ChangeApplier.Outcome>> changeRoute(
        final ChangeApplier applier, final Function<ChangeSubmission, CompletableFuture<ChangeApplier.Outcome>> ring)
    {
        batches.wired(applier, gateway);
        leaveWiring();
        return batches::route;
    }

    /** The starting thread has built the key schedules from the tables: batches may change them again. */
    private void leaveWiring()
    {
        if (wiring)
        {
            wiring = false;
            tableGate.reader(WIRING_READER).exit();
        }
    }

    @Override
    public void wired(final SwitchMetrics metrics, final Readiness readiness)
    {
        metrics.gauge("unicard_cluster_role", "This member's role: 0 follower, 1 candidate, 2 leader", () -> service.role().ordinal());
        metrics.gauge("unicard_cluster_leader_member", "The leader this member's gateway follows (-1: none yet)", gateway::leaderMemberId);
        metrics.gauge("unicard_cluster_connected", "1 while this member's gateway has a session with the leader",
            () -> gateway.isConnected() ? 1 : 0);
        metrics.counter("unicard_cluster_leader_changes", "New leaders announced to this member's gateway", gateway::leaderChanges);
        metrics.gauge("unicard_cluster_undecided_requests", "Requests this member handed to the cluster and not yet decided (commit lag)",
            gateway::undecided);
        metrics.counter("unicard_cluster_offered", "Requests offered to the cluster's ingress", gateway::offered);
        metrics.counter("unicard_cluster_offered_again", "Requests offered again after a leader change or a timeout", gateway::offeredAgain);
        metrics.counter("unicard_cluster_decided", "Log requests decided by this member's service", service::decided);
        metrics.counter("unicard_cluster_skipped", "Log requests already in this member's journal at start (counted, not decided)",
            service::skipped);
        metrics.counter("unicard_cluster_handed_back", "Decisions handed back to this member's ring", service::handedBack);
        metrics.gauge("unicard_cluster_log_position", "Log position of the last entry this member applied", service::appliedLogPosition);
        metrics.counter("unicard_cluster_snapshots", "Cluster snapshots this member took", service::snapshots);
        metrics.counter("unicard_cluster_change_batches_applied", "Change batches this member's service applied", batches::applied);
        metrics.counter("unicard_cluster_change_batches_refused", "Change batches this member's service refused (422)", batches::refused);
        metrics.counter("unicard_cluster_change_batches_repeated", "Change batches logged again under an id applied before",
            batches::repeated);
        metrics.gauge("unicard_cluster_journal_failed", "1 once this member's journal failed (it decides on; replace the disk)",
            () -> service.journalFailed() ? 1 : 0);
        readiness.detail(this::healthDetail);
    }

    /**
     * @return {@code role=... leader=... member=... requests=...} and the last state digest.
     */
    String healthDetail()
    {
        service.requestDigest();
        final StateDigest.Value digest = service.digest();
        return "role=" + service.role().name().toLowerCase() + " leader=" + gateway.leaderMemberId() + " member=" + memberId
            + " requests=" + service.loggedRequests() + (digest == null ? "" : " digest-at=" + digest.requests() + " digest="
            + Long.toHexString(digest.digest()));
    }

    public SwitchClusteredService service()
    {
        return service;
    }

    public ClusterGateway gateway()
    {
        return gateway;
    }

    @Override
    public void close()
    {
        leaveWiring();
        if (awaitStage != null)
        {
            awaitStage.stop();
        }
        CloseHelper.closeAll(gateway, node);
    }
}
