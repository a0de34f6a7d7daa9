package org.unicard.metrics;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

import org.unicard.authorizer.Authorizer;
import org.unicard.decode.DecodeCounters;
import org.unicard.security.RetailMacBatch;
import org.unicard.journal.ChronicleJournal;
import org.unicard.listener.ListenerKind;
import org.unicard.listener.ListenerServer;
import org.unicard.ring.JournalHealth;
import org.unicard.ring.ReplyCounters;
import org.unicard.ring.SwitchRing;

/**
 * Publishes a running switch's counts to its {@link SwitchMetrics} under the names
 * docs/operations.md lists ("Metrics to watch"); operators' dashboards depend on those names and
 * meanings, so a name changes here only together with that table. Every count it reads is a
 * {@link SingleWriterCounter} (or a {@link SingleWriterCounterArray}) bumped by its hot thread;
 * the meters read them at scrape time on the HTTP thread.
 */
public final class SwitchMetricsBinder
{
    private SwitchMetricsBinder()
    {
    }

    /**
     * Registers the ring's, the authorizer's, the journal's and the listeners' meters.
     */
    public static void bind(
        final SwitchMetrics metrics,
        final Authorizer authorizer,
        final ChronicleJournal journal,
        final SwitchRing ring,
        final ListenerServer listeners,
        final DecodeCounters decode,
        final ReplyCounters reply,
        final JournalHealth journalHealth)
    {
        bindRing(metrics, ring, authorizer, reply);
        bindJournal(metrics, authorizer, journal, journalHealth);
        bindListeners(metrics, listeners);
        bindDecode(metrics, decode);
        bindMemory(metrics);
    }

    private static void bindRing(final SwitchMetrics metrics, final SwitchRing ring, final Authorizer authorizer, final ReplyCounters reply)
    {
        metrics.gauge("unicard_ring_occupancy", "Ring slots holding requests not yet answered", ring::occupancy);
        metrics.counter("unicard_ring_errors", "Exceptions in ring stages (each answered 96)", () -> ring.exceptionHandler().errors());
        metrics.gauge("unicard_authorizer_sequence", "Requests decided by the authorizer since the data set's first start", authorizer::sequence);
        metrics.gauge("unicard_duplicate_window_entries", "Requests held for retransmission checks", () -> authorizer.window().size());
        metrics.gauge("unicard_duplicate_window_capacity", "Requests the duplicate window can hold (48 hours of traffic)",
            () -> authorizer.window().capacity());
        metrics.counter("unicard_duplicate_window_overflow_evictions", "Window entries evicted before 48 hours because it was full",
            () -> authorizer.window().overflowEvictions());
        metrics.counter("unicard_duplicate_window_unmatchable", "Requests answered 94 undecided: possibly a retransmission of an entry evicted early",
            () -> authorizer.window().unmatchable());
        metrics.counter("unicard_spend_ledger_overflows", "Spends not recorded for returns (ledger full)", () -> authorizer.ledger().overflows());
        metrics.counter("unicard_responses_to_closed_connections", "Responses whose connection had closed", reply.toClosedConnections::get);
        metrics.counter("unicard_responses_signed_together",
            "Responses whose MACs were computed bitsliced, " + RetailMacBatch.BITSLICED_FROM + " or more of one ring batch at once (a backlog)",
            reply.signedTogether::get);
        metrics.counter("unicard_outbound_overflows",
            "Responses that found their connection's outbound buffer full (a broken invariant; the connection is closed)",
            reply.outboundOverflows::get);
    }

    private static void bindJournal(
        final SwitchMetrics metrics, final Authorizer authorizer, final ChronicleJournal journal, final JournalHealth journalHealth)
    {
        metrics.counter("unicard_journal_records_appended", "Journal records appended by this process", journal::appended);
        metrics.gauge("unicard_journal_lag_records", "Requests decided but not yet journaled",
            () -> Math.max(0, authorizer.sequence() - journalHealth.journaledSequence()));
        metrics.directorySize("unicard_journal_bytes", journal.directory());
        metrics.gauge("unicard_journal_failed", "1 when the journal refused a record (everything is answered 96)",
            () -> journalHealth.failed() ? 1 : 0);
        metrics.counter("unicard_journal_declined_requests", "Requests answered 96 because the journal had failed",
            journalHealth::declinedRequests);
    }

    private static void bindListeners(final SwitchMetrics metrics, final ListenerServer listeners)
    {
        for (final ListenerKind kind : ListenerKind.values())
        {
            metrics.gauge("unicard_connections", "Open connections", () -> listeners.openConnections(kind), "listener",
                kind.name().toLowerCase());
        }
        metrics.counter("unicard_connection_errors", "Connections closed for an I/O or handler error (each kind logged once)",
            listeners::connectionErrors);
        metrics.counter("unicard_connections_refused", "Connections refused over the limit", listeners::refusedConnections);
        metrics.counter("unicard_tls_failures", "Connections closed for a failed TLS handshake (untrusted certificate, plaintext peer)",
            listeners::tlsFailures);
        metrics.counter("unicard_framing_errors", "Connections closed for a zero or oversize frame length", listeners::framingErrors);
        metrics.counter("unicard_partial_frame_timeouts", "Connections closed for holding an incomplete frame too long",
            listeners::partialFrameTimeouts);
        metrics.counter("unicard_write_stall_closes", "Connections closed because their peer read no response for too long",
            listeners::writeStalls);
        metrics.counter("unicard_overload_answers", "Requests answered 91 because the ring or the connection was full", listeners::overloads);
    }

    private static void bindDecode(final SwitchMetrics metrics, final DecodeCounters decode)
    {
        metrics.counter("unicard_malformed_requests", "Frames that could not be parsed or lacked a field", decode.malformed::get);
        metrics.counter("unicard_dropped_frames", "Frames dropped without an answer", decode.dropped::get);
        metrics.counter("unicard_unknown_source_requests", "Requests from unknown or inactive terminals or acquirers", decode.unknownSource::get);
        metrics.counter("unicard_mac_failures", "Requests with a missing or wrong MAC", decode.macFailures::get);
        metrics.counter("unicard_macs_verified_together",
            "Request MACs verified bitsliced, " + RetailMacBatch.BITSLICED_FROM + " or more read ahead in the ring at once (a backlog)",
            decode.macsVerifiedTogether::get);
    }

    private static void bindMemory(final SwitchMetrics metrics)
    {
        metrics.gauge("unicard_jvm_heap_used_bytes", "Java heap in use",
            () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        metrics.gauge("unicard_jvm_direct_buffer_bytes", "Direct (off-heap) buffer memory in use, Netty's pools included",
            SwitchMetricsBinder::directBufferBytes);
    }

    private static long directBufferBytes()
    {
        long bytes = Math.max(0, io.netty.util.internal.PlatformDependent.usedDirectMemory());
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                bytes += pool.getMemoryUsed();
            }
        }
        return bytes;
    }
}
