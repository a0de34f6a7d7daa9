package org.unicard.cluster;

import java.util.concurrent.TimeUnit;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import org.unicard.metrics.SingleWriterCounter;
import org.unicard.state.DataSet;

/**
 * The clustered service every member runs: decides each committed request with the member's
 * {@link Authorizer}, journals it, and hands the decision of a request this member received back to
 * its ring ({@link PendingDecisions}). Deterministic: its only inputs are the log's entries, in log
 * order, and their timestamps (the leader's clock when it appended them, plus the {@code --clock}
 * offset, itself a logged entry); no wall clock, no random, no iteration over hash maps.
 * <p>
 * <b>One sequence, two records.</b> Every request entry makes the authorizer's sequence go up by one,
 * so the n-th request of the log is journaled as sequence n on every member. The member's Chronicle
 * journal is written once per sequence: a member that restarts recovers its state from its own
 * journal (and file snapshots) first, then the cluster replays the log from its last cluster
 * snapshot, and entries up to the journal's sequence are only counted, not decided again.
 * <p>
 * <b>Cluster snapshots</b> ({@link #onTakeSnapshot}) hold the log's request count at the snapshot,
 * the clock offset (the first one logged wins, see {@link #onClock}) and the whole state
 * ({@link ClusterStateSnapshot}). A member whose journal holds the snapshot's sequence recovers from
 * its journal and only counts the log's entries up to it; a member whose journal is missing or
 * behind takes its state from the cluster snapshot, and its journal continues from the snapshot's
 * sequence (see docs/operations.md §13, "Replace a member").
 */
public final class SwitchClusteredService implements ClusteredService
{
    private static final Logger LOG = LoggerFactory.getLogger(SwitchClusteredService.class);

    private final Authorizer authorizer;
    private final ChronicleJournal journal;
    private final long fingerprint;
    private final PendingDecisions pending;
    private final int memberId;
    private final long incarnation;
    private final long journalSequenceAtStart;
    private final ClusterStateSnapshot stateSnapshot;
    private final LogMessages.LoggedCommand[] commands = new LogMessages.LoggedCommand[LogMessages.TYPES];

    private final AuthRequest request = new AuthRequest();
    private final AuthOutcome outcome = new AuthOutcome();
    private final JournalRecord record = new JournalRecord();
    private final UnsafeBuffer recordBuffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);

    private final SingleWriterCounter decided = new SingleWriterCounter();
    private final SingleWriterCounter skipped = new SingleWriterCounter();
    private final SingleWriterCounter handedBack = new SingleWriterCounter();
    private final SingleWriterCounter snapshots = new SingleWriterCounter();
    private final SingleWriterCounter faults = new SingleWriterCounter();
    private volatile long appliedLogPosition;
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    private volatile boolean journalFailed;
    private volatile boolean started;
    private volatile RuntimeException startFailure;

    private Cluster cluster;
    private TimeUnit timeUnit = TimeUnit.MILLISECONDS;
    private long loggedRequests;
    /** The log request count of the cluster snapshot this run started from, or -1 (service thread only). */
    private long snapshotRequestsAtStart = -1;
    private long clockOffsetMs;
    private boolean clockOffsetSet;

    private volatile boolean digestWanted;
    private volatile StateDigest.Value digest;

    /**
     * @param data         the recovered data set (its fingerprint goes into GENESIS).
     * @param authorizer   the recovered authorizer, whose state is that of every record of {@code journal}.
     * @param journal      this member's journal.
     * @param pending      where this member's ring waits for its decisions.
     * @param memberId     this member.
     * @param incarnation  this run of this member's gateway.
     * @param stateSnapshot writes the state into cluster snapshots and loads it from them.
     */
    public SwitchClusteredService(
        final DataSet data,
        final Authorizer authorizer,
        final ChronicleJournal journal,
        final PendingDecisions pending,
        final int memberId,
        final long incarnation,
        final ClusterStateSnapshot stateSnapshot)
    {
        this.stateSnapshot = stateSnapshot;
        this.authorizer = authorizer;
        this.journal = journal;
        this.fingerprint = data.fingerprint();
        this.pending = pending;
        this.memberId = memberId;
        this.incarnation = incarnation;
        this.journalSequenceAtStart = authorizer.sequence();
        this.digestSource = new StateDigest(data, authorizer);
    }

    private final StateDigest digestSource;

    /** Exit status of a member that stopped because its journal lacks a record the others hold. */
    static final int EXIT_MISSING_HISTORY = 3;
    /** What a member does when its journal lacks a record the others hold: stops at once, as a crash would. */
    private Runnable onMissingHistory = () -> Runtime.getRuntime().halt(EXIT_MISSING_HISTORY);

    /** For tests in one process: what to do instead of halting the JVM. */
    void onMissingHistory(final Runnable action)
    {
        onMissingHistory = action;
    }

    /**
     * Registers the handler of a logged command type (spec §12 change batches: {@link LogMessages#TYPE_CHANGE_BATCH}).
     * Call before the service starts.
     */
    public void command(final byte type, final LogMessages.LoggedCommand handler)
    {
        if (type == LogMessages.TYPE_REQUEST || type == LogMessages.TYPE_CLOCK)
        {
            throw new IllegalArgumentException("type=" + type + " is built in");
        }
        commands[type] = handler;
    }

    @Override
    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        if (cluster.timeUnit() != null)
        {
            this.timeUnit = cluster.timeUnit();
        }
        if (snapshotImage != null)
        {
            try
            {
                loadSnapshot(snapshotImage);
            }
            catch (final RuntimeException ex)
            {
                startFailure = ex;
                LOG.error("event=cluster-service-start-failed member={} reason=\"{}\"", memberId, ex.getMessage(), ex);
                throw ex;
            }
        }
        snapshotRequestsAtStart = snapshotImage == null ? -1 : loggedRequests;
        started = true;
        LOG.info("event=cluster-service-started member={} journal-sequence={} snapshot-requests={} clock-offset-ms={}", memberId,
            journalSequenceAtStart, loggedRequests, clockOffsetMs);
    }

    /**
     * @return whether {@link #onStart} has finished (the cluster snapshot, if any, is loaded).
     */
    public boolean started()
    {
        return started;
    }

    /**
     * @return why {@link #onStart} failed (a cluster snapshot that does not load), or {@code null}.
     */
    public RuntimeException startFailure()
    {
        return startFailure;
    }

    private void loadSnapshot(final Image image)
    {
        final ClusterStateSnapshot.SnapshotHeader header = ClusterStateSnapshot.readHeader(image, cluster.idleStrategy());
        loggedRequests = header.loggedRequests();
        clockOffsetMs = header.clockOffsetMs();
        clockOffsetSet = header.clockOffsetSet();
        if (header.holdsState())
        {
            // Whatever the journal holds, a batch whose first chunks came before the snapshot completes from the log after it.
            LoggedCommandsSnapshot.load(ClusterStateSnapshot.readCommands(image, cluster.idleStrategy()), commands);
        }
        if (loggedRequests <= journalSequenceAtStart)
        {
            // The journal holds the snapshot's sequence: the recovered state is at least the snapshot's.
            return;
        }
        if (!header.holdsState())
        {
            throw new IllegalStateException("cluster snapshot is ahead of the journal and holds no state (an older version's): "
                + "snapshot-requests=" + loggedRequests + " journal-sequence=" + journalSequenceAtStart + " journal=" + journal.directory()
                + " action=restore this member's journal, or empty its --cluster-dir so it replays the whole log");
        }
        final ClusterStateSnapshot.Loaded loaded = stateSnapshot.load(image, cluster.idleStrategy(), header);
        if (authorizer.sequence() != loggedRequests)
        {
            throw new IllegalStateException("cluster snapshot: state sequence=" + authorizer.sequence() + " log requests=" + loggedRequests
                + ": state and log disagree");
        }
        LOG.info("event=cluster-snapshot-loaded member={} requests={} journal-sequence-before={} bytes={} ms={} file-snapshot={}", memberId,
            loggedRequests, journalSequenceAtStart, loaded.bytes(), loaded.loadNanos() / 1_000_000, loaded.fileSnapshot());
    }

    @Override
    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
    }

    @Override
    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
    }

    @Override
    public void onSessionMessage(
        final ClientSession session,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        final byte type = LogMessages.type(buffer, offset);
        final long businessTimeMs = timeUnit.toMillis(timestamp) + clockOffsetMs;
        switch (type)
        {
            case LogMessages.TYPE_REQUEST -> onRequest(buffer, offset, length, businessTimeMs);
            case LogMessages.TYPE_CLOCK -> onClock(LogMessages.clockOffsetMs(buffer, offset));
            default ->
            {
                final LogMessages.LoggedCommand command = type > 0 && type < commands.length ? commands[type] : null;
                if (command == null)
                {
                    throw new IllegalStateException("log entry type=" + type + " has no handler in this version: upgrade this member");
                }
                command.apply(buffer, offset, length, businessTimeMs);
            }
        }
        appliedLogPosition = header.position();
    }

    /**
     * The first {@code --clock} offset logged sets the cluster's business clock; a member started
     * later with {@code --clock} computes another offset (its own start differs) and must not move
     * the clock: its entry is applied as nothing, the same way on every member.
     */
    private void onClock(final long offsetMs)
    {
        if (!clockOffsetSet)
        {
            clockOffsetMs = offsetMs;
            clockOffsetSet = true;
            LOG.info("event=clock-offset-applied member={} offset-ms={}", memberId, offsetMs);
        }
    }

    private void onRequest(final DirectBuffer buffer, final int offset, final int length, final long businessTimeMs)
    {
        if (length != LogMessages.REQUEST_BYTES)
        {
            throw new IllegalStateException("log request length=" + length + " expected=" + LogMessages.REQUEST_BYTES);
        }
        loggedRequests++;
        if (loggedRequests <= journalSequenceAtStart)
        {
            // Decided and journaled before this run: the recovered state already holds it.
            skipped.increment();
            return;
        }
        request.clear();
        LogMessages.decodeRequest(buffer, offset, request);
        request.businessTimeMs = businessTimeMs;
        outcome.clear();
        if (!authorizer.hasGenesis())
        {
            appendGenesis(businessTimeMs);
        }
        try
        {
            authorizer.authorize(request, outcome);
        }
        catch (final HistoryGuard.MissingHistoryException ex)
        {
            // Not deterministic: the others read the record and decide. Deciding here without it would part this
            // member's state from theirs, so it stops before journaling or answering (docs/operations.md section 13).
            LOG.error("event=member-lacks-history member={} sequence={} reason=\"{}\" action=this member stops; give it a follower's "
                + "journal and snapshots (docs/operations.md, Replace a member) and start it again", memberId, loggedRequests,
                ex.getMessage());
            System.err.println("unicard serve: cluster member " + memberId + " stops: " + ex.getMessage());
            System.err.flush();
            onMissingHistory.run();
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            // Deterministic code fails the same way on every member: the state stays the same everywhere.
            faults.increment();
            LOG.error("event=authorizer-fault sequence={} reason=\"{}\"", loggedRequests, ex.toString(), ex);
            outcome.clear();
            outcome.sequence = loggedRequests;
            outcome.responseCode = ResponseCode.INTERNAL_ERROR;
            handBack(buffer, offset);
            return;
        }
        if (outcome.sequence != loggedRequests)
        {
            throw new IllegalStateException("authorizer sequence=" + outcome.sequence + " log requests=" + loggedRequests
                + ": state and log disagree");
        }
        appendRecord();
        decided.increment();
        handBack(buffer, offset);
    }

    private void handBack(final DirectBuffer buffer, final int offset)
    {
        if (LogMessages.origin(buffer, offset) == memberId && LogMessages.incarnation(buffer, offset) == incarnation
            && pending.decide(LogMessages.correlation(buffer, offset), outcome))
        {
            handedBack.increment();
        }
    }

    /** Journals GENESIS at this entry's time (the first entry that changes state journals it). */
    void appendGenesis(final long businessTimeMs)
    {
        authorizer.genesis(businessTimeMs);
        try
        {
            journal.append(recordBuffer, record.encodeGenesis(recordBuffer, businessTimeMs, fingerprint));
        }
        catch (final RuntimeException ex)
        {
            journalFailure(ex);
        }
    }

    private void appendRecord()
    {
        if (journalFailed)
        {
            return;
        }
        try
        {
            final int recordLength = record.encodeRequest(recordBuffer, request, outcome);
            journal.append(recordBuffer, recordLength);
            authorizer.positions().recorded(outcome.sequence, journal.lastAppendedIndex());
        }
        catch (final RuntimeException ex)
        {
            journalFailure(ex);
        }
    }

    void journalFailure(final RuntimeException ex)
    {
        if (!journalFailed)
        {
            journalFailed = true;
            LOG.error("event=journal-append-failed journal={} sequence={} reason=\"{}\" action=deciding-on (the replicated log holds "
                + "every decision); replace this member's journal disk and restart it", journal.directory(), loggedRequests,
                ex.toString(), ex);
        }
    }

    @Override
    public void onTimerEvent(final long correlationId, final long timestamp)
    {
    }

    @Override
    public void onTakeSnapshot(final ExclusivePublication publication)
    {
        final long startNs = System.nanoTime();
        final long bytes = stateSnapshot.write(publication, cluster.idleStrategy(), new ClusterStateSnapshot.SnapshotHeader(
            loggedRequests, clockOffsetMs, clockOffsetSet, authorizer.sequence(), cluster.logPosition(), true), LoggedCommandsSnapshot.write(commands));
        snapshots.increment();
        LOG.info("event=cluster-snapshot member={} requests={} log-position={} bytes={} ms={}", memberId, loggedRequests,
            cluster.logPosition(), bytes, (System.nanoTime() - startNs) / 1_000_000);
    }

    @Override
    public void onNewLeadershipTermEvent(
        final long leadershipTermId,
        final long logPosition,
        final long timestamp,
        final long termBaseLogPosition,
        final int leaderMemberId,
        final int logSessionId,
        final TimeUnit timeUnit,
        final int appVersion)
    {
        if (timeUnit != null)
        {
            this.timeUnit = timeUnit;
        }
    }

    @Override
    public void onRoleChange(final Cluster.Role newRole)
    {
        role = newRole;
        LOG.info("event=cluster-role member={} role={}", memberId, newRole);
    }

    @Override
    public void onTerminate(final Cluster cluster)
    {
        LOG.info("event=cluster-service-terminated member={} requests={}", memberId, loggedRequests);
    }

    @Override
    public int doBackgroundWork(final long nowNs)
    {
        if (digestWanted)
        {
            digestWanted = false;
            digest = digestSource.compute(loggedRequests);
            return 1;
        }
        return 0;
    }

    /**
     * @return whether this member's journal already holds the current log position: a request after it
     * was journaled before this run (so the entry's outcome is in the recovered state).
     */
    boolean journalCoversLogPosition()
    {
        return loggedRequests < journalSequenceAtStart;
    }

    /**
     * @return whether a request after the journal's last one at start has been logged (the log has gone past the journal).
     */
    boolean journalTailPassed()
    {
        return loggedRequests > journalSequenceAtStart;
    }

    /**
     * @return whether this run started from a cluster snapshot taken after the journal's last request and
     * before the next one: the log then replays from somewhere between them (service thread only).
     */
    boolean startedWithinJournalTail()
    {
        return snapshotRequestsAtStart == journalSequenceAtStart;
    }

    /** Asks the service thread for a digest of the state between two entries (see {@link #digest()}). */
    public void requestDigest()
    {
        digestWanted = true;
    }

    /**
     * @return the last digest computed by the service thread, or {@code null}.
     */
    public StateDigest.Value digest()
    {
        return digest;
    }

    public Cluster.Role role()
    {
        return role;
    }

    public long appliedLogPosition()
    {
        return appliedLogPosition;
    }

    public long loggedRequests()
    {
        return authorizer.sequence();
    }

    public long decided()
    {
        return decided.get();
    }

    public long skipped()
    {
        return skipped.get();
    }

    public long handedBack()
    {
        return handedBack.get();
    }

    public long snapshots()
    {
        return snapshots.get();
    }

    public long faults()
    {
        return faults.get();
    }

    public boolean journalFailed()
    {
        return journalFailed;
    }
}
