package org.unicard.cluster;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.aeron.CommonContext;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NoOpLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member's consensus engine in this process: a media driver (shared mode: one thread), an
 * archive (one thread), the consensus module (one thread) and the service container that hosts the
 * switch's {@link ClusteredService} (one thread), the Raft timing tuned so that the survivors of a
 * {@code kill -9} answer again within 5 seconds:
 * <ul>
 *   <li>leader heartbeat every {@code unicard.cluster.heartbeat-interval-ms} (100), a leader presumed
 *       dead after {@code unicard.cluster.heartbeat-timeout-ms} (1500);</li>
 *   <li>election timeout {@code unicard.cluster.election-timeout-ms} (500).</li>
 * </ul>
 * Files under {@code --cluster-dir}: {@code archive/} (the recorded log and snapshots) and
 * {@code consensus/} (recording log, mark files); the driver's buffers live in the shared-memory
 * directory Aeron picks ({@code /dev/shm} on Linux), named after the member and the cluster dir.
 */
public final class ClusterNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    /** The replicated log's term length: small terms, sparse files (3 terms per publication and image). */
    static final String LOG_CHANNEL = "aeron:udp?term-length=4m";
    static final String INGRESS_CHANNEL = "aeron:udp?term-length=1m";

    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;
    private final String aeronDirectoryName;

    private ClusterNode(final ClusteredMediaDriver driver, final ClusteredServiceContainer container, final String aeronDirectoryName)
    {
        this.driver = driver;
        this.container = container;
        this.aeronDirectoryName = aeronDirectoryName;
    }

    /**
     * Starts the member's engine; returns at once (the election and the log's replay go on in its threads).
     */
    public static ClusterNode launch(
        final ClusterMembers members, final int memberId, final Path clusterDir, final ClusteredService service)
    {
        final String host = members.host(memberId);
        final String aeronDirectoryName = aeronDirectoryName(memberId, clusterDir);
        final File archiveDir = clusterDir.resolve("archive").toFile();
        final File consensusDir = clusterDir.resolve("consensus").toFile();

        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(aeronDirectoryName)
            .threadingMode(ThreadingMode.SHARED)
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .errorHandler(errors("driver", memberId));

        final AeronArchive.Context localArchive = new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .controlRequestChannel("aeron:ipc")
            .controlResponseChannel("aeron:ipc")
            .aeronDirectoryName(aeronDirectoryName);

        final Archive.Context archiveContext = new Archive.Context()
            .aeronDirectoryName(aeronDirectoryName)
            .archiveId(memberId)
            .archiveDir(archiveDir)
            .controlChannel("aeron:udp?endpoint=" + members.endpoint(memberId, ClusterMembers.ARCHIVE_CONTROL))
            .localControlChannel("aeron:ipc")
            .replicationChannel("aeron:udp?endpoint=" + members.endpoint(memberId, ClusterMembers.ARCHIVE_REPLICATION))
            .archiveClientContext(new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=" + host + ":0"))
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .segmentFileLength(64 * 1024 * 1024)
            .errorHandler(errors("archive", memberId));

        final ConsensusModule.Context consensusContext = new ConsensusModule.Context()
            .aeronDirectoryName(aeronDirectoryName)
            .clusterMemberId(memberId)
            .clusterMembers(members.consensusMembers())
            .clusterDir(consensusDir)
            .ingressChannel(INGRESS_CHANNEL)
            .logChannel(LOG_CHANNEL)
            .replicationChannel("aeron:udp?endpoint=" + members.endpoint(memberId, ClusterMembers.CLUSTER_REPLICATION))
            .archiveContext(localArchive.clone())
            .leaderHeartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(Long.getLong("unicard.cluster.heartbeat-interval-ms", 100)))
            .leaderHeartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(Long.getLong("unicard.cluster.heartbeat-timeout-ms", 1_500)))
            .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(Long.getLong("unicard.cluster.election-timeout-ms", 500)))
            .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(5))
            .sessionTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .deleteDirOnStart(false)
            .errorHandler(errors("consensus", memberId));

        final ClusteredServiceContainer.Context serviceContext = new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDirectoryName)
            .archiveContext(localArchive.clone())
            .clusterDir(consensusDir)
            .clusteredService(service)
            .errorHandler(errors("service", memberId));

        LOG.info("event=cluster-member-starting member={} members={} cluster-dir={} aeron-dir={}", memberId, members.consensusMembers(),
            clusterDir, aeronDirectoryName);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(MARK_FILE_WAIT_S);
        while (true)
        {
            ClusteredMediaDriver driver = null;
            try
            {
                driver = ClusteredMediaDriver.launch(driverContext.clone(), archiveContext.clone(), consensusContext.clone());
                final ClusteredServiceContainer container = ClusteredServiceContainer.launch(serviceContext.clone());
                return new ClusterNode(driver, container, aeronDirectoryName);
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietClose(driver);
                // A member restarted within seconds of a kill -9 finds its archive's or consensus module's
                // mark file still fresh: Aeron refuses until it is older than its liveness timeout (10 s).
                if (String.valueOf(ex.getMessage()).contains("active mark file") && System.nanoTime() - deadlineNs < 0)
                {
                    LOG.info("event=cluster-waiting-for-mark-file member={} reason=\"{}\" action=retrying-in-1s", memberId, ex.getMessage());
                    sleep(1_000);
                    continue;
                }
                throw ex;
            }
        }
    }

    /** How long a restart waits for the mark files a killed run left to go stale. */
    static final long MARK_FILE_WAIT_S = 30;

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a stale mark file", ex);
        }
    }

    /**
     * @return where the member's media driver keeps its buffers (Aeron's shared-memory directory, named
     * after the member and its cluster dir, so a restart on the same directory finds and replaces it).
     */
    public static String aeronDirectoryName(final int memberId, final Path clusterDir)
    {
        return CommonContext.getAeronDirectoryName() + "-unicard-" + memberId + "-"
            + Integer.toHexString(clusterDir.toAbsolutePath().normalize().toString().hashCode());
    }

    private static ErrorHandler errors(final String component, final int memberId)
    {
        return error -> LOG.warn("event=cluster-error member={} component={} reason=\"{}\"", memberId, component, error.toString(), error);
    }

    /**
     * @return the directory of this member's media driver, for its clients.
     */
    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(container, driver);
    }
}
