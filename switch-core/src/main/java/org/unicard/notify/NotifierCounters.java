package org.unicard.notify;

import org.unicard.metrics.SingleWriterCounter;
import org.unicard.metrics.SwitchMetrics;

/**
 * The notifier's counts, each written by the notifier thread alone and read by the metrics scrape
 * and {@code /health} ({@link SingleWriterCounter}).
 */
public final class NotifierCounters
{
    /** Journal records read (every type, read again after a restart included). */
    public final SingleWriterCounter recordsRead = new SingleWriterCounter();
    /** Events put into batches. */
    public final SingleWriterCounter generated = new SingleWriterCounter();
    /** Events in batches the gateway answered 2xx. */
    public final SingleWriterCounter delivered = new SingleWriterCounter();
    /** Batches the gateway answered 2xx. */
    public final SingleWriterCounter batchesDelivered = new SingleWriterCounter();
    /** POSTs that failed: an answer other than 2xx, no answer in time, or no connection. */
    public final SingleWriterCounter failedAttempts = new SingleWriterCounter();
    /** Events sent again after a failed POST. */
    public final SingleWriterCounter retried = new SingleWriterCounter();
    /** Events not sent because their kind is not in {@code notifications.kinds}. */
    public final SingleWriterCounter droppedByRule = new SingleWriterCounter();
    /** Events not sent because neither the card nor its household's head has a mobile number. */
    public final SingleWriterCounter droppedNoMobile = new SingleWriterCounter();
    /** Bread operations left to the daily digest ({@code notifications.bread-at-once = false}). */
    public final SingleWriterCounter foldedIntoDigest = new SingleWriterCounter();
    /** Records of a type the notifier does not know (skipped; e.g. live changes before they are hooked in). */
    public final SingleWriterCounter unknownRecords = new SingleWriterCounter();
    /** Records whose checksum or framing failed (skipped and logged). */
    public final SingleWriterCounter damagedRecords = new SingleWriterCounter();
    /** Lag: requests journaled that are not yet delivered. */
    public final SingleWriterCounter lagRecords = new SingleWriterCounter();
    /** Lag: business seconds since the last delivered record's decision, while records wait; else 0. */
    public final SingleWriterCounter lagSeconds = new SingleWriterCounter();

    /**
     * Exports the counts to the switch's metrics ({@code unicard_notify_*}).
     */
    public void bind(final SwitchMetrics metrics)
    {
        metrics.counter("unicard_notify_records_read", "Journal records the notifier read", recordsRead::get);
        metrics.counter("unicard_notify_events_generated", "Citizen events put into batches", generated::get);
        metrics.counter("unicard_notify_events_delivered", "Citizen events the gateway accepted (2xx)", delivered::get);
        metrics.counter("unicard_notify_batches_delivered", "Batches the gateway accepted (2xx)", batchesDelivered::get);
        metrics.counter("unicard_notify_failed_attempts", "POSTs to the gateway that failed (non-2xx, timeout, no connection)",
            failedAttempts::get);
        metrics.counter("unicard_notify_events_retried", "Citizen events sent again after a failed POST", retried::get);
        metrics.counter("unicard_notify_events_dropped", "Citizen events not sent", droppedByRule::get, "reason", "rule");
        metrics.counter("unicard_notify_events_dropped", "Citizen events not sent", droppedNoMobile::get, "reason", "no-mobile");
        metrics.counter("unicard_notify_bread_folded", "Bread operations left to the daily digest", foldedIntoDigest::get);
        metrics.counter("unicard_notify_records_skipped", "Journal records the notifier skipped", unknownRecords::get,
            "reason", "unknown-type");
        metrics.counter("unicard_notify_records_skipped", "Journal records the notifier skipped", damagedRecords::get,
            "reason", "damaged");
        metrics.gauge("unicard_notify_lag_records", "Requests journaled whose events are not yet delivered", lagRecords::get);
        metrics.gauge("unicard_notify_lag_seconds", "Business seconds the notifier's delivery is behind", lagSeconds::get);
    }
}
