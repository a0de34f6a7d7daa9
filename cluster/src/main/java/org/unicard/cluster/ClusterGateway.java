package org.unicard.cluster;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.metrics.SingleWriterCounter;
import org.unicard.ring.RequestEvent;

/**
 * The one thread that owns this member's cluster client ({@link AeronCluster} is not thread-safe):
 * it offers every request that ring stage 2 handed over to the cluster's ingress, in ring order, and
 * offers again those still undecided
 * <ul>
 *   <li>at once when a new leader is announced (ingress sent to a leader that lost its term, or
 *       during an election, is dropped silently), and</li>
 *   <li>after {@link #RESEND_NS} without a decision (a loss nobody announced).</li>
 * </ul>
 * An entry offered twice may be committed twice: the second copy is a retransmission to the
 * replicated duplicate window (same terminal, STAN and field 7), answered from the original and
 * changing nothing, and its decision finds no waiting slot here ({@link PendingDecisions}). A request
 * is never answered before its decision is committed, however long that takes; the ring's bound on
 * requests in flight holds back the listeners meanwhile.
 * <p>
 * Replies do not travel on the cluster's egress: this member's own clustered service decides every
 * committed entry and hands back those that came through this gateway, so a follower answers its
 * terminals exactly as the leader does.
 */
public final class ClusterGateway implements Runnable, EgressListener, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterGateway.class);

    /** Offered again when undecided for this long without a leader change. */
    static final long RESEND_NS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("unicard.cluster.resend-ms", 2_000));
    private static final long KEEPALIVE_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long RECONNECT_NS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long SCAN_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A change batch is offered whole again when it has no outcome this long after its last chunk was offered. */
    static final long BATCH_RESEND_NS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("unicard.cluster.batch-resend-ms", 10_000));
    /** A change batch is given up after this many whole offers without an outcome. */
    private static final int BATCH_OFFERS_MAX = 12;
    /** Chunks of a change batch offered per duty cycle, so that requests are not held behind a large batch. */
    private static final int BATCH_CHUNKS_PER_CYCLE = 8;

    private final ClusterMembers members;
    private final int memberId;
    private final long incarnation;
    private final String aeronDirectoryName;
    private final PendingDecisions pending;
    private final RequestEvent[] slots;
    private final int mask;
    private final AtomicLong submitted = new AtomicLong(-1);
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
    private final UnsafeBuffer chunkMessage = new UnsafeBuffer(new byte[LogMessages.CHANGE_CHUNK_HEADER_BYTES + LogMessages.MAX_CHANGE_CHUNK_BYTES]);
    private final AtomicReference<ClusterChangeBatches.Outgoing> batch = new AtomicReference<>();
    private volatile boolean resendBatch;
    private final IdleStrategy idle = new BackoffIdleStrategy(64, 64, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(250));
    private final Thread thread;

    private final SingleWriterCounter offered = new SingleWriterCounter();
    private final SingleWriterCounter offeredAgain = new SingleWriterCounter();
    private final SingleWriterCounter leaderChanges = new SingleWriterCounter();
    private final SingleWriterCounter connects = new SingleWriterCounter();
    private volatile int leaderMemberId = -1;
    private volatile boolean connected;
    private volatile boolean running = true;
    private volatile long clockOffsetToLog = Long.MIN_VALUE;

    private AeronCluster client;
    private long nextToOffer;
    private long oldestWaiting;
    private long lastSendNs;
    private long lastScanNs;
    private long lastConnectAttemptNs;
    private boolean resendAll;

    /**
     * @param ringSize the ring's size (a power of two); {@code pending} has the same capacity.
     */
    public ClusterGateway(
        final ClusterMembers members,
        final int memberId,
        final long incarnation,
        final String aeronDirectoryName,
        final PendingDecisions pending,
        final int ringSize)
    {
        this.members = members;
        this.memberId = memberId;
        this.incarnation = incarnation;
        this.aeronDirectoryName = aeronDirectoryName;
        this.pending = pending;
        this.slots = new RequestEvent[ringSize];
        this.mask = ringSize - 1;
        this.thread = new Thread(this, "unicard-cluster-gateway");
        this.thread.setDaemon(true);
    }

    public void start()
    {
        thread.start();
    }

    /**
     * Ring stage 2 (one thread): the request in this slot is to be offered; {@code pending} already expects it.
     */
    void submit(final long sequence, final RequestEvent event)
    {
        slots[(int)sequence & mask] = event;
        submitted.setRelease(sequence);
    }

    /**
     * Ring stage 2: a slot that needs no decision (answered by decode, dropped): nothing to offer.
     */
    void pass(final long sequence, final RequestEvent event)
    {
        slots[(int)sequence & mask] = event;
        submitted.setRelease(sequence);
    }

    /**
     * Logs the {@code --clock} offset as a command, before any request this gateway offers.
     */
    public void logClockOffset(final long offsetMs)
    {
        clockOffsetToLog = offsetMs;
    }

    /**
     * Offers a change batch to the log (in chunks), replacing any earlier one still offered; called by
     * the thread that takes change batches.
     */
    void offerBatch(final ClusterChangeBatches.Outgoing outgoing)
    {
        batch.set(outgoing);
    }

    @Override
    public void run()
    {
        nextToOffer = 0;
        oldestWaiting = 0;
        while (running)
        {
            int work = 0;
            try
            {
                work += doWork(System.nanoTime());
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("event=cluster-gateway-error member={} reason=\"{}\" action=reconnecting", memberId, ex.toString(), ex);
                disconnect();
            }
            idle.idle(work);
        }
        disconnect();
    }

    private int doWork(final long nowNs)
    {
        if (client == null || client.isClosed())
        {
            if (client != null)
            {
                disconnect();
            }
            if (nowNs - lastConnectAttemptNs < RECONNECT_NS)
            {
                return 0;
            }
            lastConnectAttemptNs = nowNs;
            connect();
            return 1;
        }
        int work = client.pollEgress();
        if (clockOffsetToLog != Long.MIN_VALUE)
        {
            if (client.offer(message, 0, LogMessages.encodeClock(message, memberId, incarnation, clockOffsetToLog)) < 0)
            {
                return work;
            }
            LOG.info("event=clock-offset-logged member={} offset-ms={}", memberId, clockOffsetToLog);
            clockOffsetToLog = Long.MIN_VALUE;
        }
        final long upTo = submitted.getAcquire();
        while (nextToOffer <= upTo)
        {
            final RequestEvent event = slots[(int)nextToOffer & mask];
            if (pending.isWaiting(nextToOffer) && !offer(nextToOffer, event, nowNs))
            {
                return work;
            }
            nextToOffer++;
            work++;
        }
        if (resendAll || nowNs - lastScanNs > SCAN_NS)
        {
            work += resend(nowNs);
        }
        work += offerBatchChunks(nowNs);
        if (nowNs - lastSendNs > KEEPALIVE_NS && client.sendKeepAlive())
        {
            lastSendNs = nowNs;
        }
        return work;
    }

    /**
     * Encodes the slot's request and offers it, unless it stopped waiting meanwhile (then the slot may
     * already hold another request, and the copy is thrown away).
     *
     * @return false when the cluster took nothing now (back pressure, no leader): try again later.
     */
    private boolean offer(final long sequence, final RequestEvent event, final long nowNs)
    {
        final int length = LogMessages.encodeRequest(message, memberId, incarnation, sequence, event.request);
        if (!pending.isWaiting(sequence))
        {
            return true;
        }
        if (client.offer(message, 0, length) < 0)
        {
            return false;
        }
        pending.offeredNs(sequence, nowNs);
        lastSendNs = nowNs;
        offered.increment();
        return true;
    }

    /**
     * Offers the next chunks of the change batch being offered; the whole batch again after a new
     * leader, or {@link #BATCH_RESEND_NS} after its last chunk without an outcome.
     *
     * @return chunks offered.
     */
    private int offerBatchChunks(final long nowNs)
    {
        final ClusterChangeBatches.Outgoing outgoing = batch.get();
        if (outgoing == null)
        {
            return 0;
        }
        if (outgoing.finished())
        {
            // Only this one: the thread that takes batches may have handed over the next meanwhile.
            batch.compareAndSet(outgoing, null);
            return 0;
        }
        if (resendBatch)
        {
            resendBatch = false;
            outgoing.nextChunk = 0;
        }
        if (outgoing.nextChunk == outgoing.chunks)
        {
            if (nowNs - outgoing.allOfferedNs < BATCH_RESEND_NS)
            {
                return 0;
            }
            if (outgoing.offers >= BATCH_OFFERS_MAX)
            {
                batch.compareAndSet(outgoing, null);
                outgoing.result.completeExceptionally(new IllegalStateException("batch=" + outgoing.id + " offered " + outgoing.offers
                    + " times without an outcome: post it again to learn its outcome"));
                return 0;
            }
            outgoing.nextChunk = 0;
        }
        int work = 0;
        while (outgoing.nextChunk < outgoing.chunks && work < BATCH_CHUNKS_PER_CYCLE)
        {
            final int length = LogMessages.encodeChangeChunk(chunkMessage, memberId, incarnation, outgoing.correlation, outgoing.id,
                outgoing.sha256, outgoing.body, outgoing.nextChunk);
            if (client.offer(chunkMessage, 0, length) < 0)
            {
                return work;
            }
            outgoing.nextChunk++;
            work++;
        }
        lastSendNs = nowNs;
        if (outgoing.nextChunk == outgoing.chunks)
        {
            outgoing.allOfferedNs = nowNs;
            outgoing.offers++;
            if (outgoing.offers > 1)
            {
                LOG.info("event=changes-offered-again member={} batch={} offers={}", memberId, outgoing.id, outgoing.offers);
            }
        }
        return work;
    }

    private int resend(final long nowNs)
    {
        lastScanNs = nowNs;
        final boolean all = resendAll;
        resendAll = false;
        int work = 0;
        while (oldestWaiting < nextToOffer && !pending.isWaiting(oldestWaiting))
        {
            oldestWaiting++;
        }
        for (long sequence = oldestWaiting; sequence < nextToOffer; sequence++)
        {
            if (pending.isWaiting(sequence) && (all || nowNs - pending.offeredNs(sequence) > RESEND_NS))
            {
                if (!offer(sequence, slots[(int)sequence & mask], nowNs))
                {
                    resendAll = all;
                    return work;
                }
                offeredAgain.increment();
                work++;
            }
        }
        return work;
    }

    private void connect()
    {
        try
        {
            client = AeronCluster.connect(new AeronCluster.Context()
                .aeronDirectoryName(aeronDirectoryName)
                .ingressChannel(ClusterNode.INGRESS_CHANNEL)
                .ingressEndpoints(members.ingressEndpoints())
                .egressChannel("aeron:udp?term-length=1m|endpoint=" + members.host(memberId) + ":0")
                .egressListener(this)
                .messageTimeoutNs(TimeUnit.SECONDS.toNanos(5)));
            leaderMemberId = client.leaderMemberId();
            connects.increment();
            connected = true;
            resendAll = true;
            resendBatch = true;
            LOG.info("event=cluster-gateway-connected member={} leader={}", memberId, leaderMemberId);
        }
        catch (final RuntimeException ex)
        {
            LOG.info("event=cluster-gateway-connect-failed member={} reason=\"{}\" action=retrying", memberId, ex.toString());
            client = null;
        }
    }

    private void disconnect()
    {
        connected = false;
        CloseHelper.quietClose(client);
        client = null;
    }

    @Override
    public void onMessage(
        final long clusterSessionId, final long timestamp, final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        // Nothing is sent on egress: decisions come back through this member's own service.
    }

    @Override
    public void onNewLeader(final long clusterSessionId, final long leadershipTermId, final int leaderMemberId, final String ingressEndpoints)
    {
        this.leaderMemberId = leaderMemberId;
        leaderChanges.increment();
        resendAll = true;
        resendBatch = true;
        LOG.info("event=cluster-new-leader member={} leader={} term={} action=offering-undecided-again", memberId, leaderMemberId,
            leadershipTermId);
    }

    public boolean isConnected()
    {
        return connected;
    }

    public int leaderMemberId()
    {
        return leaderMemberId;
    }

    public long offered()
    {
        return offered.get();
    }

    public long offeredAgain()
    {
        return offeredAgain.get();
    }

    public long leaderChanges()
    {
        return leaderChanges.get();
    }

    public long connects()
    {
        return connects.get();
    }

    /**
     * @return requests handed over but not yet offered, plus those offered and undecided (a scrape's estimate).
     */
    public long undecided()
    {
        return Math.max(0, submitted.get() + 1 - oldestWaiting);
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
