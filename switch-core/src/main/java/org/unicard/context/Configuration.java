package org.unicard.context;

import org.unicard.authorizer.DuplicateWindow;

/**
 * Every setting of the switch in one place, as Aeron's {@code driver/Configuration} keeps the media
 * driver's: its property name in {@code config/unicard.properties} ({@code *_PROP_NAME}), its default
 * ({@code *_DEFAULT}) and, for numbers, its inclusive range ({@code *_MIN}, {@code *_MAX}). The file
 * documents each one for operators; {@link SwitchContext#conclude()} reads and checks them.
 * <p>
 * The property names are the operators' interface: a name here never changes without the file.
 */
public final class Configuration
{
    /** The value of {@link #DUPLICATE_WINDOW_CAPACITY_PROP_NAME} and {@link #RING_THREADS_PROP_NAME} that sizes them automatically. */
    public static final String AUTO = "auto";

    // --- Program rules (spec section 4): journaled, read into org.unicard.config.ProgramRules in this order.

    /** Ration individuals who get the first monthly amount. */
    public static final String RATION_FIRST_INDIVIDUALS_COUNT_PROP_NAME = "ration.first-individuals.count";
    public static final long RATION_FIRST_INDIVIDUALS_COUNT_DEFAULT = 4;
    public static final long RATION_FIRST_INDIVIDUALS_COUNT_MAX = 99;

    /** Monthly ration credit of each of the first individuals, in piasters. */
    public static final String RATION_FIRST_INDIVIDUALS_PIASTERS_PROP_NAME = "ration.first-individuals.monthly-piasters";
    public static final long RATION_FIRST_INDIVIDUALS_PIASTERS_DEFAULT = 5_000;

    /** Monthly ration credit of each further individual, in piasters. */
    public static final String RATION_FURTHER_INDIVIDUALS_PIASTERS_PROP_NAME = "ration.further-individuals.monthly-piasters";
    public static final long RATION_FURTHER_INDIVIDUALS_PIASTERS_DEFAULT = 2_500;

    /** Largest monthly ration amount of one individual, in piasters. */
    public static final long RATION_PIASTERS_MAX = 100_000_000;

    /** Piasters added to next month's ration for each loaf of the daily quota left unused. */
    public static final String BREAD_POINTS_PIASTERS_PER_LOAF_PROP_NAME = "ration.bread-points.piasters-per-unused-loaf";
    public static final long BREAD_POINTS_PIASTERS_PER_LOAF_DEFAULT = 10;
    public static final long BREAD_POINTS_PIASTERS_PER_LOAF_MAX = 1_000_000;

    /** Bread quota per bread individual per day, in loaves. */
    public static final String BREAD_DAILY_LOAVES_PROP_NAME = "bread.daily-loaves-per-individual";
    public static final long BREAD_DAILY_LOAVES_DEFAULT = 5;
    public static final long BREAD_DAILY_LOAVES_MAX = 1_000;

    /** Most loaves in one transaction. */
    public static final String BREAD_MAX_LOAVES_PROP_NAME = "bread.max-loaves-per-transaction";
    public static final long BREAD_MAX_LOAVES_DEFAULT = 50;
    public static final long BREAD_MAX_LOAVES_MAX = 10_000;

    /** Days after which an issued card not collected is destroyed (answers 62). */
    public static final String UNCOLLECTED_DAYS_PROP_NAME = "card.uncollected-destroyed-after-days";
    public static final long UNCOLLECTED_DAYS_DEFAULT = 60;
    public static final long UNCOLLECTED_DAYS_MAX = 3_650;

    /** Consecutive wrong PINs that block the PIN until an operator resets it. */
    public static final String PIN_MAX_TRIES_PROP_NAME = "pin.max-tries";
    public static final long PIN_MAX_TRIES_DEFAULT = 3;
    public static final long PIN_MAX_TRIES_MAX = 99;

    /** Hours within which a retransmission gets the original response (spec section 8). */
    public static final String DUPLICATE_WINDOW_HOURS_PROP_NAME = "duplicate-window.hours";
    public static final long DUPLICATE_WINDOW_HOURS_DEFAULT = 48;
    public static final long DUPLICATE_WINDOW_HOURS_MAX = 24 * 365;

    /** Largest amount of one transaction, in piasters (100,000 EGP). */
    public static final String MAX_AMOUNT_PIASTERS_PROP_NAME = "transaction.max-amount-piasters";
    public static final long MAX_AMOUNT_PIASTERS_DEFAULT = 10_000_000;
    public static final long MAX_AMOUNT_PIASTERS_MAX = 999_999_999_999L;

    // --- Runtime settings (not journaled).

    /** The LMK (32 hex digits), used only when the environment variable {@code UNICARD_LMK} is not set. */
    public static final String LMK_PROP_NAME = "security.lmk";
    public static final String LMK_DEFAULT = "";

    /** Address the TCP listeners bind. */
    public static final String BIND_ADDRESS_PROP_NAME = "listener.bind-address";
    public static final String BIND_ADDRESS_DEFAULT = "0.0.0.0";

    /** Largest TCP port; 0 takes a free one. */
    public static final long PORT_MAX = 65_535;

    /** Terminal listener port. */
    public static final String TERMINAL_PORT_PROP_NAME = "listener.terminal.port";
    public static final int TERMINAL_PORT_DEFAULT = 8583;

    /** Acquirer listener port. */
    public static final String ACQUIRER_PORT_PROP_NAME = "listener.acquirer.port";
    public static final int ACQUIRER_PORT_DEFAULT = 8584;

    /** Packager of the terminal listener: {@link #PACKAGER_BINARY} or {@link #PACKAGER_ASCII}. */
    public static final String TERMINAL_PACKAGER_PROP_NAME = "listener.terminal.packager";
    /** Packager of the acquirer listener. */
    public static final String ACQUIRER_PACKAGER_PROP_NAME = "listener.acquirer.packager";
    public static final String PACKAGER_BINARY = "iso87binary";
    public static final String PACKAGER_ASCII = "iso87ascii";
    public static final String PACKAGER_DEFAULT = PACKAGER_BINARY;

    /** Terminal frames start with a 5-byte TPDU. */
    public static final String TERMINAL_TPDU_PROP_NAME = "listener.terminal.tpdu";
    /** Acquirer frames start with a 5-byte TPDU. */
    public static final String ACQUIRER_TPDU_PROP_NAME = "listener.acquirer.tpdu";
    public static final boolean TPDU_DEFAULT = false;

    /** TLS on the acquirer listener; the prefix of its other TLS properties. */
    public static final String ACQUIRER_TLS_PROP_NAME = "listener.acquirer.tls";
    public static final boolean ACQUIRER_TLS_DEFAULT = false;
    /** The acquirer listener's PKCS12 keystore. */
    public static final String ACQUIRER_TLS_KEYSTORE_PROP_NAME = ACQUIRER_TLS_PROP_NAME + ".keystore";
    /** Its password (also the key's). */
    public static final String ACQUIRER_TLS_KEYSTORE_PASSWORD_PROP_NAME = ACQUIRER_TLS_PROP_NAME + ".keystore-password";
    /** Whether peers must show a certificate: none, optional or require. */
    public static final String ACQUIRER_TLS_CLIENT_AUTH_PROP_NAME = ACQUIRER_TLS_PROP_NAME + ".client-auth";
    public static final String ACQUIRER_TLS_CLIENT_AUTH_DEFAULT = "none";
    /** PKCS12 file of the certificates (or issuers) trusted for clients. */
    public static final String ACQUIRER_TLS_TRUSTSTORE_PROP_NAME = ACQUIRER_TLS_PROP_NAME + ".truststore";
    /** Its password. */
    public static final String ACQUIRER_TLS_TRUSTSTORE_PASSWORD_PROP_NAME = ACQUIRER_TLS_PROP_NAME + ".truststore-password";

    /** Most requests in flight on one connection before the switch stops reading from it. */
    public static final String MAX_IN_FLIGHT_PROP_NAME = "listener.max-in-flight-per-connection";
    public static final int MAX_IN_FLIGHT_DEFAULT = 64;
    public static final long MAX_IN_FLIGHT_MAX = 4_096;

    /** Most open connections per listener. */
    public static final String MAX_CONNECTIONS_PROP_NAME = "listener.max-connections";
    public static final int MAX_CONNECTIONS_DEFAULT = 20_000;
    public static final long MAX_CONNECTIONS_MAX = 1_000_000;

    /** A connection holding an incomplete frame this long is closed. */
    public static final String PARTIAL_FRAME_TIMEOUT_PROP_NAME = "listener.partial-frame-timeout-ms";
    /** A connection whose peer reads no response for this long is closed. */
    public static final String WRITE_STALL_TIMEOUT_PROP_NAME = "listener.write-stall-timeout-ms";
    public static final long CONNECTION_TIMEOUT_MS_DEFAULT = 30_000;
    public static final long CONNECTION_TIMEOUT_MS_MIN = 100;
    public static final long CONNECTION_TIMEOUT_MS_MAX = 86_400_000;

    /** Netty event-loop threads for all listeners. */
    public static final String IO_THREADS_PROP_NAME = "listener.io-threads";
    public static final int IO_THREADS_DEFAULT = 1;
    public static final long IO_THREADS_MAX = 64;

    /** HTTP port (health, metrics, operator API) on 127.0.0.1. */
    public static final String HTTP_PORT_PROP_NAME = "http.port";
    public static final int HTTP_PORT_DEFAULT = 8080;

    /** Free space the journal's file system must keep, in bytes; 0 turns the check off. */
    public static final String JOURNAL_MIN_FREE_BYTES_PROP_NAME = "journal.min-free-bytes";
    public static final long JOURNAL_MIN_FREE_BYTES_DEFAULT = 64L << 20;
    public static final long JOURNAL_MIN_FREE_BYTES_MAX = 1L << 50;

    /** On SIGTERM, the longest wait for requests already taken to be answered, written and journaled. */
    public static final String STOP_DRAIN_TIMEOUT_PROP_NAME = "stop.drain-timeout-ms";
    public static final long STOP_DRAIN_TIMEOUT_DEFAULT = 10_000;
    public static final long STOP_DRAIN_TIMEOUT_MIN = 100;
    public static final long STOP_DRAIN_TIMEOUT_MAX = 600_000;

    /**
     * Ring slots, a power of two: at most the duplicate window's detail ring, since a request still in the
     * ring must be among the requests whose detail the window keeps.
     */
    public static final String RING_SIZE_PROP_NAME = "ring.size";
    public static final int RING_SIZE_DEFAULT = 4_096;
    public static final long RING_SIZE_MIN = 64;
    public static final long RING_SIZE_MAX = DuplicateWindow.DETAIL_ENTRIES;

    /** How the ring's stages wait: backoff, sleeping, yielding, blocking or busy-spin. */
    public static final String RING_WAIT_STRATEGY_PROP_NAME = "ring.wait-strategy";
    public static final String RING_WAIT_STRATEGY_DEFAULT = "backoff";

    /** Threads running the ring's four stages: 1, 2, 4 or {@link #AUTO} (from the cores). */
    public static final String RING_THREADS_PROP_NAME = "ring.threads";
    public static final String RING_THREADS_DEFAULT = AUTO;

    /** Requests the exactly-once window holds, or {@link #AUTO} to size it from the data set. */
    public static final String DUPLICATE_WINDOW_CAPACITY_PROP_NAME = "duplicate-window.capacity";
    public static final String DUPLICATE_WINDOW_CAPACITY_DEFAULT = AUTO;
    public static final long DUPLICATE_WINDOW_CAPACITY_MIN = DuplicateWindow.MIN_CAPACITY;
    public static final long DUPLICATE_WINDOW_CAPACITY_MAX = DuplicateWindow.MAX_CAPACITY;
    /**
     * {@link #AUTO}: requests a household makes in 48 hours at national rates: about 35 million requests a
     * day (bread for 23 million households, plus ration, health and wallet) is 1.5 a household a day, 3.04
     * in 48 hours; with a margin, 3.2 (docs/design.md, "Exactly once").
     */
    public static final int DUPLICATE_WINDOW_AUTO_ENTRIES_PER_THOUSAND_HOUSEHOLDS = 3_200;
    /** {@link #AUTO}: fewest entries the window holds (96 MiB), room for load tests of a small data set. */
    public static final int DUPLICATE_WINDOW_AUTO_MIN_ENTRIES = 4_194_304;

    /**
     * Card-terminal pairs whose monthly spend is tracked for returns, or {@link #AUTO} to size it from
     * the data set. The default stays the pilot's fixed size: {@code auto} costs 2 GiB nationally
     * (twice, with the snapshot process's copy), a choice for the deployment (docs/operations.md, "Memory").
     */
    public static final String SPEND_LEDGER_CAPACITY_PROP_NAME = "spend-ledger.capacity";
    public static final int SPEND_LEDGER_CAPACITY_DEFAULT = 1_048_576;
    public static final long SPEND_LEDGER_CAPACITY_MIN = 16;
    public static final long SPEND_LEDGER_CAPACITY_MAX = 1 << 28;
    /**
     * {@link #AUTO}: card–terminal pairs per household: a household buys its ration at its grocer,
     * now and then at a second one, and spends its wallet at a post office or a bank's terminal; a
     * slot holds a pair's current and previous month, and the table gets the next power of two of
     * slots (a load of at most 0.6 at 1.2 live pairs a household). 2 a household: nationally 46
     * million pairs, 2^26 slots, 2 GiB (docs/design.md, "Programs and checks").
     */
    public static final int SPEND_LEDGER_AUTO_ENTRIES_PER_THOUSAND_HOUSEHOLDS = 2_000;
    /** {@link #AUTO}: fewest pairs (32 MiB), the size that was the fixed default until 2026-12-04. */
    public static final int SPEND_LEDGER_AUTO_MIN_ENTRIES = 1_048_576;

    // --- Live data changes (spec §12, docs/design.md "Live data changes").

    /** Tables hold this percentage more rows than the data set imports, for live changes. */
    public static final String CHANGES_HEADROOM_PERCENT_PROP_NAME = "changes.headroom-percent";
    public static final int CHANGES_HEADROOM_PERCENT_DEFAULT = 5;
    public static final long CHANGES_HEADROOM_PERCENT_MAX = 100;
    /** ... and at least this many more rows. */
    public static final String CHANGES_HEADROOM_MINIMUM_PROP_NAME = "changes.headroom-minimum";
    public static final int CHANGES_HEADROOM_MINIMUM_DEFAULT = 1000;
    public static final long CHANGES_HEADROOM_MINIMUM_MAX = 10_000_000;

    // --- Snapshots (docs/design.md, "Snapshots and fast restart").

    /** Where snapshots live; empty: {@code DATA/snapshots}. */
    public static final String SNAPSHOT_DIRECTORY_PROP_NAME = "snapshot.directory";
    public static final String SNAPSHOT_DIRECTORY_DEFAULT = "";
    /** The snapshot directory under the data directory when none is configured. */
    public static final String SNAPSHOT_DIRECTORY_IN_DATA = "snapshots";
    /** The journal directory under the data directory when none is given. */
    public static final String JOURNAL_DIRECTORY_IN_DATA = "journal";

    /** Journal records appended since the last snapshot process that start another; 0: never by count. */
    public static final String SNAPSHOT_INTERVAL_RECORDS_PROP_NAME = "snapshot.interval-records";
    public static final long SNAPSHOT_INTERVAL_RECORDS_DEFAULT = 20_000_000;
    public static final long SNAPSHOT_INTERVAL_RECORDS_MAX = Long.MAX_VALUE;

    /** Minutes (with a record appended) that start a snapshot process; 0: never by time. */
    public static final String SNAPSHOT_INTERVAL_MINUTES_PROP_NAME = "snapshot.interval-minutes";
    public static final long SNAPSHOT_INTERVAL_MINUTES_DEFAULT = 30;
    public static final long SNAPSHOT_INTERVAL_MINUTES_MAX = 1_000_000;

    /** Average write rate bound in MB (10^6 bytes) per second; 0: unbounded. */
    public static final String SNAPSHOT_WRITE_RATE_PROP_NAME = "snapshot.write-rate-mb-per-s";
    public static final long SNAPSHOT_WRITE_RATE_DEFAULT = 128;
    public static final long SNAPSHOT_WRITE_RATE_MAX = 1_000_000;

    /** Finished snapshots kept (the newest). */
    public static final String SNAPSHOT_KEEP_PROP_NAME = "snapshot.keep";
    public static final int SNAPSHOT_KEEP_DEFAULT = 2;
    public static final long SNAPSHOT_KEEP_MIN = 1;
    public static final long SNAPSHOT_KEEP_MAX = 1_000;

    /** Niceness of the snapshot process. */
    public static final String SNAPSHOT_NICE_PROP_NAME = "snapshot.nice";
    public static final int SNAPSHOT_NICE_DEFAULT = 10;
    public static final long SNAPSHOT_NICE_MAX = 19;

    /** A snapshot process right after a start that imported the data set from its CSV files. */
    public static final String SNAPSHOT_AFTER_IMPORT_PROP_NAME = "snapshot.after-import";
    public static final boolean SNAPSHOT_AFTER_IMPORT_DEFAULT = true;

    // --- Citizen notifications (spec section 14; org.unicard.notify.NotifySettings reads them).

    /** The gateway's URL; empty: no notifications ({@code serve --notify-url} overrides it). */
    public static final String NOTIFY_URL_PROP_NAME = "notifications.url";
    public static final String NOTIFY_URL_DEFAULT = "";
    /** Kinds of event sent, comma-separated; the others are dropped and counted. */
    public static final String NOTIFY_KINDS_PROP_NAME = "notifications.kinds";
    public static final String NOTIFY_KINDS_DEFAULT =
        "purchase,withdrawal,return,reversal,decline,block,card-replaced,bread-digest,monthly-statement";
    /** Response codes a decline event is sent for. */
    public static final String NOTIFY_DECLINE_CODES_PROP_NAME = "notifications.decline-codes";
    public static final String NOTIFY_DECLINE_CODES_DEFAULT = "51,41,43,62,75";
    /** Whether bread purchases and reversals also go out at once (else only in the daily digest). */
    public static final String NOTIFY_BREAD_AT_ONCE_PROP_NAME = "notifications.bread-at-once";
    public static final boolean NOTIFY_BREAD_AT_ONCE_DEFAULT = false;
    /** Events in one POST. */
    public static final String NOTIFY_BATCH_MAX_EVENTS_PROP_NAME = "notifications.batch-max-events";
    public static final int NOTIFY_BATCH_MAX_EVENTS_DEFAULT = 500;
    public static final long NOTIFY_BATCH_MAX_EVENTS_MAX = 10_000;
    /** How long an unfilled batch waits for more events. */
    public static final String NOTIFY_LINGER_MS_PROP_NAME = "notifications.linger-ms";
    public static final long NOTIFY_LINGER_MS_DEFAULT = 200;
    public static final long NOTIFY_LINGER_MS_MAX = 60_000;
    /** No answer within this time is a failed delivery (spec: 10 s). */
    public static final String NOTIFY_TIMEOUT_MS_PROP_NAME = "notifications.timeout-ms";
    public static final long NOTIFY_TIMEOUT_MS_DEFAULT = 10_000;
    public static final long NOTIFY_TIMEOUT_MS_MIN = 100;
    public static final long NOTIFY_TIMEOUT_MS_MAX = 600_000;
    /** First wait after a failed delivery; doubled after each failure up to the maximum. */
    public static final String NOTIFY_RETRY_INITIAL_MS_PROP_NAME = "notifications.retry-initial-ms";
    public static final long NOTIFY_RETRY_INITIAL_MS_DEFAULT = 500;
    public static final String NOTIFY_RETRY_MAX_MS_PROP_NAME = "notifications.retry-max-ms";
    public static final long NOTIFY_RETRY_MAX_MS_DEFAULT = 60_000;
    public static final long NOTIFY_RETRY_MS_MIN = 10;
    public static final long NOTIFY_RETRY_MS_MAX = 3_600_000;
    /** How long past a Cairo day's end the business clock waits before that day's digests go out without a next record. */
    public static final String NOTIFY_DAY_CLOSE_GRACE_MS_PROP_NAME = "notifications.day-close-grace-ms";
    public static final long NOTIFY_DAY_CLOSE_GRACE_MS_DEFAULT = 60_000;
    public static final long NOTIFY_DAY_CLOSE_GRACE_MS_MAX = 86_400_000;
    /** Where the notifier's position file lives; empty: the journal directory. */
    public static final String NOTIFY_DIRECTORY_PROP_NAME = "notifications.directory";
    public static final String NOTIFY_DIRECTORY_DEFAULT = "";

    // --- JVM system properties (-D): switches for measuring, not in the configuration file.

    /** {@code -Dunicard.replay.prefetch=false}: replay decides each batch without prefetching its cards and households first. */
    public static final String REPLAY_PREFETCH_SYSTEM_PROP_NAME = "unicard.replay.prefetch";

    /** {@code -Dunicard.replay.reader-thread=false}: replay reads the journal on the replaying thread, without a reader ahead. */
    public static final String REPLAY_READER_THREAD_SYSTEM_PROP_NAME = "unicard.replay.reader-thread";

    /**
     * {@code -Dunicard.replay.reader-prefetch=true}: replay's reader thread also touches the state
     * each batch will use (off by default: measured slower where the two threads share no cache,
     * docs/performance.md, "The reader thread's prefetch").
     */
    public static final String REPLAY_READER_PREFETCH_SYSTEM_PROP_NAME = "unicard.replay.reader-prefetch";

    private Configuration()
    {
    }
}
