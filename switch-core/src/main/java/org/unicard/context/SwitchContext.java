package org.unicard.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Properties;
import java.util.function.LongSupplier;

import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.Authorizer;
import org.unicard.config.ConfigurationException;
import org.unicard.config.ProgramRules;
import org.unicard.config.Settings;
import org.unicard.config.SwitchSettings;
import org.unicard.config.TlsSettings;
import org.unicard.http.OperatorApi;
import org.unicard.importer.ImportException;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalException;
import org.unicard.journal.JournalRecord;
import org.unicard.recovery.JournalReplayer;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.server.HeapEstimate;
import org.unicard.snapshot.SnapshotSettings;
import org.unicard.snapshot.StateRecovery;
import org.unicard.time.BusinessClock;

/**
 * Everything a command over a data set starts from, in the manner of Aeron's {@code MediaDriver.Context}:
 * the command line's values are set fluently, {@link #conclude()} reads the configuration once (the
 * defaults in the jar, then {@code --config}) and checks every property ({@link Configuration} names
 * them), and the concluded context then serves them, read-only, to {@code serve}, {@code snapshot},
 * {@code estimate-heap}, {@code settle} and the measuring tools.
 * <p>
 * It owns the recovery preamble they share: the LMK ({@code UNICARD_LMK}, else {@code security.lmk}),
 * the journal and snapshot directories, opening the journal for its one writer, a tool or a reader
 * ({@link JournalAccess}), {@link StateRecovery}, and journaling GENESIS and the program rules in force
 * ({@link Recovery#bootstrap}).
 * <p>
 * Errors name the file and property as {@code config=FILE property=NAME value=V reason=...}; a context
 * whose {@code conclude()} failed may be corrected and concluded again. Once concluded it refuses
 * changes ({@link IllegalStateException}); {@code conclude()} again is harmless.
 */
public final class SwitchContext
{
    private static final Logger LOG = LoggerFactory.getLogger(SwitchContext.class);

    /** How a command opens the journal for {@link #recover}. */
    public enum JournalAccess
    {
        /**
         * The switch, its one writer: an existing journal is locked and its torn tail cut before it is
         * read, with {@code journal.min-free-bytes} kept free; a missing one is created only once the
         * state is recovered, so that a bad data file leaves no journal behind.
         */
        SWITCH,
        /** A measuring tool that writes a journal of its own: locked as any writer, created at once, as it is. */
        TOOL,
        /**
         * A reader beside the switch (the snapshot process): read-only, up to the record that was last
         * when it was opened; no journal is no records.
         */
        READ_ONLY
    }

    private Path dataDirectory;
    private Path journalDirectory;
    private Path snapshotDirectory;
    private Path configFile;
    private Integer terminalPort;
    private Integer acquirerPort;
    private Integer httpPort;
    private Instant clockStart;
    private long clockRate = 1;
    private boolean clockHeld;
    private String lmkHex;
    private String apiToken;
    private String notifyUrl;
    private int availableProcessors = Runtime.getRuntime().availableProcessors();

    private boolean concluded;
    private String source;
    private ProgramRules rules;
    private SwitchSettings settings;
    private SnapshotSettings snapshotSettings;
    private org.unicard.importer.Headroom headroom;
    private org.unicard.notify.NotifySettings notifySettings;
    private TdesKey lmk;

    /**
     * Reads the configuration and checks every setting, once.
     *
     * @return this context, concluded.
     * @throws ConfigurationException naming the file, property, value and reason of the first bad setting.
     */
    public SwitchContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        final Properties properties = Settings.load(configFile);
        final String source = configFile == null ? "defaults" : configFile.toString();
        final ProgramRules rules = ProgramRules.from(properties, source);
        final SwitchSettings read = switchSettings(properties, source, availableProcessors);
        final SnapshotSettings snapshotSettings = snapshotSettings(properties, source);
        final org.unicard.notify.NotifySettings notify = org.unicard.notify.NotifySettings.from(properties, source);
        this.notifySettings = notifyUrl == null ? notify : notify.withUrl(notifyUrl);
        this.source = source;
        this.rules = rules;
        this.settings = read.withPorts(
            terminalPort != null ? terminalPort : read.terminalPort(),
            acquirerPort != null ? acquirerPort : read.acquirerPort(),
            httpPort != null ? httpPort : read.httpPort());
        this.snapshotSettings = snapshotSettings;
        this.headroom = new org.unicard.importer.Headroom(
            (int)Settings.longValue(properties, source, Configuration.CHANGES_HEADROOM_PERCENT_PROP_NAME,
                Configuration.CHANGES_HEADROOM_PERCENT_DEFAULT, 0, Configuration.CHANGES_HEADROOM_PERCENT_MAX),
            (int)Settings.longValue(properties, source, Configuration.CHANGES_HEADROOM_MINIMUM_PROP_NAME,
                Configuration.CHANGES_HEADROOM_MINIMUM_DEFAULT, 0, Configuration.CHANGES_HEADROOM_MINIMUM_MAX));
        concluded = true;
        return this;
    }

    /**
     * @return whether {@link #conclude()} succeeded.
     */
    public boolean isConcluded()
    {
        return concluded;
    }

    // --- Values from the command line (before conclude()).

    /**
     * @param dataDirectory the data set's CSV files (spec §10).
     * @return this.
     */
    public SwitchContext dataDirectory(final Path dataDirectory)
    {
        checkOpen("dataDirectory");
        this.dataDirectory = dataDirectory;
        return this;
    }

    /**
     * @param journalDirectory the journal, or {@code null} for {@code DATA/journal}.
     * @return this.
     */
    public SwitchContext journalDirectory(final Path journalDirectory)
    {
        checkOpen("journalDirectory");
        this.journalDirectory = journalDirectory;
        return this;
    }

    /**
     * @param snapshotDirectory snapshots, or {@code null} for {@code snapshot.directory}, itself
     *                          defaulting to {@code DATA/snapshots}.
     * @return this.
     */
    public SwitchContext snapshotDirectory(final Path snapshotDirectory)
    {
        checkOpen("snapshotDirectory");
        this.snapshotDirectory = snapshotDirectory;
        return this;
    }

    /**
     * @param configFile properties replacing the defaults ({@code --config}), or {@code null}.
     * @return this.
     */
    public SwitchContext configFile(final Path configFile)
    {
        checkOpen("configFile");
        this.configFile = configFile;
        return this;
    }

    /**
     * @param terminal terminal listener port, or {@code null} for {@code listener.terminal.port}.
     * @param acquirer acquirer listener port, or {@code null} for {@code listener.acquirer.port}.
     * @param http     HTTP port, or {@code null} for {@code http.port}.
     * @return this.
     */
    public SwitchContext ports(final Integer terminal, final Integer acquirer, final Integer http)
    {
        checkOpen("ports");
        this.terminalPort = terminal;
        this.acquirerPort = acquirer;
        this.httpPort = http;
        return this;
    }

    /**
     * @param clockStart start the business clock at this instant, or {@code null} for real time.
     * @return this.
     */
    public SwitchContext clockStart(final Instant clockStart)
    {
        checkOpen("clockStart");
        this.clockStart = clockStart;
        return this;
    }

    /**
     * @param clockRate business milliseconds per real millisecond ({@code --clock-rate}), 1 to
     *                  {@link BusinessClock#MAX_RATE}.
     * @return this.
     */
    public SwitchContext clockRate(final long clockRate)
    {
        checkOpen("clockRate");
        if (clockRate < 1 || clockRate > BusinessClock.MAX_RATE)
        {
            throw new IllegalArgumentException("clock-rate=" + clockRate + " range=[1," + BusinessClock.MAX_RATE + "]");
        }
        this.clockRate = clockRate;
        return this;
    }

    /**
     * @param held {@code true} to keep a started clock at its start once the switch is ready, until its
     *             owner calls {@link BusinessClock#run()} (the demo connects its terminals first); by default
     *             it runs from ready.
     * @return this.
     */
    public SwitchContext holdClock(final boolean held)
    {
        checkOpen("holdClock");
        this.clockHeld = held;
        return this;
    }

    /**
     * @return whether the started clock waits for its owner's {@link BusinessClock#run()}.
     */
    public boolean clockHeld()
    {
        return clockHeld;
    }

    /**
     * @param lmkHex an explicit LMK (the demo's generated one), or {@code null} for {@code UNICARD_LMK},
     *               else {@code security.lmk}.
     * @return this.
     */
    public SwitchContext lmkHex(final String lmkHex)
    {
        checkOpen("lmkHex");
        this.lmkHex = lmkHex;
        return this;
    }

    /**
     * @param apiToken the operator API's bearer token, or {@code null} for {@code UNICARD_API_TOKEN}.
     * @return this.
     */
    public SwitchContext apiToken(final String apiToken)
    {
        checkOpen("apiToken");
        this.apiToken = apiToken;
        return this;
    }

    /**
     * @param url the citizen notifications gateway ({@code serve --notify-url}), or {@code null} for
     *            {@code notifications.url}.
     * @return this.
     */
    public SwitchContext notifyUrl(final String url)
    {
        checkOpen("notifyUrl");
        this.notifyUrl = url;
        return this;
    }

    /**
     * @param cores the cores {@code ring.threads = auto} sizes the ring for (default: this machine's).
     * @return this.
     */
    public SwitchContext availableProcessors(final int cores)
    {
        checkOpen("availableProcessors");
        this.availableProcessors = cores;
        return this;
    }

    // --- The concluded context.

    public Path dataDirectory()
    {
        return dataDirectory;
    }

    /**
     * @return the journal directory, {@code DATA/journal} unless given.
     */
    public Path journalDirectory()
    {
        if (journalDirectory != null)
        {
            return journalDirectory;
        }
        if (dataDirectory == null)
        {
            throw new IllegalStateException("neither a journal directory nor a data directory was given");
        }
        return dataDirectory.resolve(Configuration.JOURNAL_DIRECTORY_IN_DATA);
    }

    /**
     * @return the snapshot directory: as given, else {@code snapshot.directory}, else {@code DATA/snapshots}.
     */
    public Path snapshotDirectory()
    {
        checkConcluded();
        return snapshotDirectory != null ? snapshotDirectory : snapshotSettings.directoryFor(dataDirectory);
    }

    /**
     * @return the configuration file given, or {@code null} for the defaults alone.
     */
    public Path configFile()
    {
        return configFile;
    }

    /**
     * @return where the configuration came from, for messages: the file, or {@code defaults}.
     */
    public String configSource()
    {
        checkConcluded();
        return source;
    }

    /**
     * @return the program rules configured (journaled by {@link Recovery#bootstrap} when they change).
     */
    public ProgramRules rules()
    {
        checkConcluded();
        return rules;
    }

    /**
     * @return the runtime settings, with the command line's ports.
     */
    public SwitchSettings settings()
    {
        checkConcluded();
        return settings;
    }

    /**
     * @return the {@code notifications.*} settings, with {@code --notify-url} applied.
     */
    public org.unicard.notify.NotifySettings notifySettings()
    {
        checkConcluded();
        return notifySettings;
    }

    /**
     * @return the {@code snapshot.*} settings.
     */
    public SnapshotSettings snapshotSettings()
    {
        checkConcluded();
        return snapshotSettings;
    }

    /**
     * @return the explicit LMK given, or {@code null} (children then take it from the environment or configuration).
     */
    public String lmkHex()
    {
        return lmkHex;
    }

    /**
     * @return the business clock: real time, or starting at the instant given.
     */
    public BusinessClock clock()
    {
        return clock(Long.MIN_VALUE);
    }

    /**
     * @param lastJournaledTimeMs the recovered journal's last business time, or {@link Long#MIN_VALUE}.
     * @return the business clock of a (re)start: real time, or started at the instant given (else now)
     * and running {@code clockRate} times faster, never behind the journal ({@link BusinessClock#resuming}).
     * @throws IllegalArgumentException when real time would move business time backwards.
     */
    public BusinessClock clock(final long lastJournaledTimeMs)
    {
        return BusinessClock.resuming(clockStart == null ? null : clockStart.toEpochMilli(), clockRate, lastJournaledTimeMs,
            System::currentTimeMillis, System::nanoTime);
    }

    /**
     * @return the operator API's token: as given, else {@code UNICARD_API_TOKEN}, else {@code null} (API off).
     */
    public String operatorApiToken()
    {
        return apiToken != null ? apiToken : System.getenv(OperatorApi.TOKEN_VARIABLE);
    }

    /**
     * The LMK: given explicitly (the demo's), else from {@code UNICARD_LMK}, else from {@code security.lmk}.
     *
     * @return the key, read once.
     * @throws IllegalArgumentException when there is none or it is malformed.
     */
    public TdesKey localMasterKey()
    {
        checkConcluded();
        if (lmk == null)
        {
            lmk = localMasterKey(lmkHex, settings);
        }
        return lmk;
    }

    /**
     * @return the heap the data set and these settings need ({@link HeapEstimate}).
     * @throws IOException when a data file cannot be read.
     */
    public HeapEstimate heapEstimate() throws IOException
    {
        checkConcluded();
        return HeapEstimate.of(dataDirectory, settings, headroom);
    }

    /**
     * @param maxHeapBytes the heap this process got.
     * @return the estimate, once the heap is found large enough.
     * @throws HeapEstimate.HeapTooSmallException with the setting to use, when it is not.
     * @throws IOException                        when a data file cannot be read.
     */
    public HeapEstimate checkHeap(final long maxHeapBytes) throws IOException, HeapEstimate.HeapTooSmallException
    {
        final HeapEstimate estimate = heapEstimate();
        estimate.check(maxHeapBytes);
        return estimate;
    }

    /**
     * @return what {@link StateRecovery} needs, the LMK read.
     */
    public StateRecovery.Inputs recoveryInputs()
    {
        return new StateRecovery.Inputs(dataDirectory, localMasterKey(), rules(), settings.duplicateWindowCapacity(),
            settings.spendLedgerCapacity(), snapshotDirectory(), headroom);
    }

    /**
     * Opens the journal as {@code access} says and brings the state up to it: the newest fitting snapshot
     * plus the journal after it, or the data set imported plus the whole journal. The caller owns the
     * journal of the result (closing the result closes it); on failure it is closed here.
     *
     * @param access   who opens the journal.
     * @param listener told how far the recovery has got.
     * @return the journal and the recovered state.
     * @throws org.unicard.journal.JournalLockedException when another writer holds the journal (not for {@link JournalAccess#READ_ONLY}).
     * @throws ImportException when no snapshot fits and the import fails.
     * @throws IOException     when the snapshot directory or the data files cannot be read.
     */
    public Recovery recover(final JournalAccess access, final StateRecovery.Listener listener) throws ImportException, IOException
    {
        final StateRecovery.Inputs inputs = recoveryInputs();
        final Path directory = journalDirectory();
        ChronicleJournal journal = switch (access)
        {
            case SWITCH -> Files.isDirectory(directory) ? ChronicleJournal.openCuttingTornTail(directory, settings.journalMinFreeBytes()) : null;
            case TOOL -> ChronicleJournal.open(directory);
            case READ_ONLY -> Files.isDirectory(directory) ? ChronicleJournal.openReadOnly(directory) : null;
        };
        try
        {
            final long endIndex = access == JournalAccess.READ_ONLY && journal != null ? journal.lastIndex() : JournalReplayer.TO_END;
            final StateRecovery.Recovered recovered = StateRecovery.recover(inputs, journal, endIndex, listener);
            if (access == JournalAccess.SWITCH && journal == null)
            {
                journal = createJournal(directory);
            }
            return new Recovery(journal, recovered, rules, directory);
        }
        catch (final Throwable ex)
        {
            if (journal != null)
            {
                journal.close();
            }
            throw ex;
        }
    }

    private ChronicleJournal createJournal(final Path directory)
    {
        final ChronicleJournal journal = ChronicleJournal.openCuttingTornTail(directory, settings.journalMinFreeBytes());
        if (journal.lastIndex() >= 0)
        {
            journal.close();
            throw new JournalException("journal=" + directory + " reason=did not exist when this" +
                " switch started, and another process wrote it meanwhile (only one switch may write a journal): start again");
        }
        return journal;
    }

    /**
     * Opens a journal read-only, beside the switch that writes it.
     *
     * @return the journal.
     * @throws JournalException naming the journal when it is not a directory or cannot be read.
     */
    public ChronicleJournal openJournalReadOnly()
    {
        final Path directory = journalDirectory();
        if (!Files.isDirectory(directory))
        {
            throw new JournalException("journal=" + directory + " reason=not a directory");
        }
        return ChronicleJournal.openReadOnly(directory);
    }

    /**
     * The journal and the state recovered from it, for the command that opened it.
     *
     * @param journal          the journal, or {@code null} for a reader when there is none yet.
     * @param state            the recovered state.
     * @param rules            the program rules configured.
     * @param journalDirectory the journal's directory as given.
     */
    public record Recovery(ChronicleJournal journal, StateRecovery.Recovered state, ProgramRules rules, Path journalDirectory)
        implements AutoCloseable
    {
        /**
         * Journals what a writer owes before its first request: GENESIS, with the data set's fingerprint,
         * when the journal has none, and the program rules configured when the journal holds none or
         * others. Replay then decides each request under the rules of its time.
         *
         * @param genesisMs business time of GENESIS, read only when it is journaled.
         */
        public void bootstrap(final LongSupplier genesisMs)
        {
            final Authorizer authorizer = state.authorizer();
            final JournalRecord record = new JournalRecord();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
            if (!authorizer.hasGenesis())
            {
                final long nowMs = genesisMs.getAsLong();
                journal.append(buffer, record.encodeGenesis(buffer, nowMs, state.data().fingerprint()));
                authorizer.genesis(nowMs);
                LOG.info("event=genesis journal={} first-business-day={}", journalDirectory, LocalDate.ofEpochDay(authorizer.firstBusinessDay()));
            }
            if (!authorizer.rulesJournaled() || !authorizer.rules().equals(rules))
            {
                journal.append(buffer, record.encodeRules(buffer, rules));
                authorizer.rules(rules);
                LOG.info("event=rules-journaled {}", rules);
            }
        }

        /**
         * @return where the state came from, for logs: the snapshot file, or {@code import}.
         */
        public String from()
        {
            return state.snapshot() != null ? state.snapshot().toString() : "import";
        }

        /** Closes the journal, if any. */
        @Override
        public void close()
        {
            if (journal != null)
            {
                journal.close();
            }
        }
    }

    /**
     * The LMK: given explicitly (the demo's), else from {@code UNICARD_LMK}, else from
     * {@code security.lmk} of the configuration.
     *
     * @param lmkHex   an explicit LMK, or {@code null}.
     * @param settings the configuration.
     * @return the key.
     * @throws IllegalArgumentException when there is none or it is malformed.
     */
    static TdesKey localMasterKey(final String lmkHex, final SwitchSettings settings)
    {
        if (lmkHex != null)
        {
            return LocalMasterKey.parse(lmkHex, "the demo's generated key");
        }
        final var fromEnvironment = LocalMasterKey.fromEnvironment();
        if (fromEnvironment.isPresent())
        {
            return LocalMasterKey.parse(fromEnvironment.get(), "environment variable " + LocalMasterKey.ENVIRONMENT_VARIABLE);
        }
        if (!settings.lmkHex().isEmpty())
        {
            return LocalMasterKey.parse(settings.lmkHex(), "configuration property " + Configuration.LMK_PROP_NAME);
        }
        throw new IllegalArgumentException("no local master key: set the environment variable " + LocalMasterKey.ENVIRONMENT_VARIABLE +
            " to the 32-hex-digit LMK the data set's keys are stored under (bin/unicard generate printed it), or security.lmk in --config");
    }

    // --- Reading and checking the configuration.

    /**
     * @param properties the merged configuration.
     * @param source     where it came from, for error messages.
     * @param cores      the cores {@code ring.threads = auto} sizes for.
     * @return the runtime settings, every value checked.
     */
    public static SwitchSettings switchSettings(final Properties properties, final String source, final int cores)
    {
        final int ringSize = (int)Settings.longValue(properties, source, Configuration.RING_SIZE_PROP_NAME, Configuration.RING_SIZE_DEFAULT,
            Configuration.RING_SIZE_MIN, Configuration.RING_SIZE_MAX);
        if (Integer.bitCount(ringSize) != 1)
        {
            throw error(source, Configuration.RING_SIZE_PROP_NAME, Integer.toString(ringSize), "not a power of two");
        }
        final String waitStrategy = Settings.stringValue(properties, Configuration.RING_WAIT_STRATEGY_PROP_NAME,
            Configuration.RING_WAIT_STRATEGY_DEFAULT);
        if (!waitStrategy.matches("backoff|sleeping|yielding|blocking|busy-spin"))
        {
            throw error(source, Configuration.RING_WAIT_STRATEGY_PROP_NAME, waitStrategy,
                "expected one of backoff, sleeping, yielding, blocking, busy-spin");
        }
        return new SwitchSettings(
            Settings.stringValue(properties, Configuration.BIND_ADDRESS_PROP_NAME, Configuration.BIND_ADDRESS_DEFAULT),
            port(properties, source, Configuration.TERMINAL_PORT_PROP_NAME, Configuration.TERMINAL_PORT_DEFAULT),
            port(properties, source, Configuration.ACQUIRER_PORT_PROP_NAME, Configuration.ACQUIRER_PORT_DEFAULT),
            packager(properties, source, Configuration.TERMINAL_PACKAGER_PROP_NAME),
            bool(properties, source, Configuration.TERMINAL_TPDU_PROP_NAME, Configuration.TPDU_DEFAULT),
            packager(properties, source, Configuration.ACQUIRER_PACKAGER_PROP_NAME),
            bool(properties, source, Configuration.ACQUIRER_TPDU_PROP_NAME, Configuration.TPDU_DEFAULT),
            (int)Settings.longValue(properties, source, Configuration.MAX_IN_FLIGHT_PROP_NAME, Configuration.MAX_IN_FLIGHT_DEFAULT, 1,
                Configuration.MAX_IN_FLIGHT_MAX),
            (int)Settings.longValue(properties, source, Configuration.MAX_CONNECTIONS_PROP_NAME, Configuration.MAX_CONNECTIONS_DEFAULT, 1,
                Configuration.MAX_CONNECTIONS_MAX),
            (int)Settings.longValue(properties, source, Configuration.IO_THREADS_PROP_NAME, Configuration.IO_THREADS_DEFAULT, 1,
                Configuration.IO_THREADS_MAX),
            port(properties, source, Configuration.HTTP_PORT_PROP_NAME, Configuration.HTTP_PORT_DEFAULT),
            ringSize,
            waitStrategy,
            ringThreads(properties, source, cores),
            duplicateWindowCapacity(properties, source),
            spendLedgerCapacity(properties, source),
            Settings.stringValue(properties, Configuration.LMK_PROP_NAME, Configuration.LMK_DEFAULT),
            acquirerTls(properties, source),
            connectionTimeoutMs(properties, source, Configuration.PARTIAL_FRAME_TIMEOUT_PROP_NAME),
            connectionTimeoutMs(properties, source, Configuration.WRITE_STALL_TIMEOUT_PROP_NAME),
            Settings.longValue(properties, source, Configuration.JOURNAL_MIN_FREE_BYTES_PROP_NAME, Configuration.JOURNAL_MIN_FREE_BYTES_DEFAULT,
                0, Configuration.JOURNAL_MIN_FREE_BYTES_MAX),
            Settings.longValue(properties, source, Configuration.STOP_DRAIN_TIMEOUT_PROP_NAME, Configuration.STOP_DRAIN_TIMEOUT_DEFAULT,
                Configuration.STOP_DRAIN_TIMEOUT_MIN, Configuration.STOP_DRAIN_TIMEOUT_MAX));
    }

    /**
     * @param properties the merged configuration.
     * @param source     where it came from, for error messages.
     * @return the {@code snapshot.*} settings, every value checked.
     */
    public static SnapshotSettings snapshotSettings(final Properties properties, final String source)
    {
        final String directory = Settings.stringValue(properties, Configuration.SNAPSHOT_DIRECTORY_PROP_NAME,
            Configuration.SNAPSHOT_DIRECTORY_DEFAULT);
        return new SnapshotSettings(
            directory.isEmpty() ? null : Path.of(directory),
            Settings.longValue(properties, source, Configuration.SNAPSHOT_INTERVAL_RECORDS_PROP_NAME,
                Configuration.SNAPSHOT_INTERVAL_RECORDS_DEFAULT, 0, Configuration.SNAPSHOT_INTERVAL_RECORDS_MAX),
            Settings.longValue(properties, source, Configuration.SNAPSHOT_INTERVAL_MINUTES_PROP_NAME,
                Configuration.SNAPSHOT_INTERVAL_MINUTES_DEFAULT, 0, Configuration.SNAPSHOT_INTERVAL_MINUTES_MAX),
            Settings.longValue(properties, source, Configuration.SNAPSHOT_WRITE_RATE_PROP_NAME, Configuration.SNAPSHOT_WRITE_RATE_DEFAULT, 0,
                Configuration.SNAPSHOT_WRITE_RATE_MAX),
            (int)Settings.longValue(properties, source, Configuration.SNAPSHOT_KEEP_PROP_NAME, Configuration.SNAPSHOT_KEEP_DEFAULT,
                Configuration.SNAPSHOT_KEEP_MIN, Configuration.SNAPSHOT_KEEP_MAX),
            (int)Settings.longValue(properties, source, Configuration.SNAPSHOT_NICE_PROP_NAME, Configuration.SNAPSHOT_NICE_DEFAULT, 0,
                Configuration.SNAPSHOT_NICE_MAX),
            bool(properties, source, Configuration.SNAPSHOT_AFTER_IMPORT_PROP_NAME, Configuration.SNAPSHOT_AFTER_IMPORT_DEFAULT));
    }

    /**
     * {@code ring.threads}: {@code shared} ({@link org.unicard.ring.SwitchRing#SHARED}: the stages on the
     * listeners' event loop), 1, 2 or 4, or {@code auto}: shared on up to 2 cores (no hand-over and no
     * wake-up between threads: at 20,000 requests/s a fifth less CPU per request than one ring thread, half
     * its p99 in the switch, and the same throughput at saturation; docs/performance.md, "The ring on the
     * event loop"), 2 up to 4 cores (the ring then leaves room for the event loops and the rest of the
     * machine), 4 above.
     */
    public static int ringThreads(final Properties properties, final String source, final int cores)
    {
        final String value = Settings.stringValue(properties, Configuration.RING_THREADS_PROP_NAME, Configuration.RING_THREADS_DEFAULT);
        return switch (value)
        {
            case Configuration.AUTO -> cores <= 2 ? org.unicard.ring.SwitchRing.SHARED : cores <= 4 ? 2 : 4;
            case "shared" -> org.unicard.ring.SwitchRing.SHARED;
            case "1" -> 1;
            case "2" -> 2;
            case "4" -> 4;
            default -> throw error(source, Configuration.RING_THREADS_PROP_NAME, value, "expected shared, 1, 2, 4 or auto");
        };
    }

    private static int duplicateWindowCapacity(final Properties properties, final String source)
    {
        // Absent means auto (Configuration.DUPLICATE_WINDOW_CAPACITY_DEFAULT).
        return capacityOrAuto(properties, source, Configuration.DUPLICATE_WINDOW_CAPACITY_PROP_NAME, SwitchSettings.AUTO,
            Configuration.DUPLICATE_WINDOW_CAPACITY_MIN, Configuration.DUPLICATE_WINDOW_CAPACITY_MAX);
    }

    private static int spendLedgerCapacity(final Properties properties, final String source)
    {
        return capacityOrAuto(properties, source, Configuration.SPEND_LEDGER_CAPACITY_PROP_NAME, Configuration.SPEND_LEDGER_CAPACITY_DEFAULT,
            Configuration.SPEND_LEDGER_CAPACITY_MIN, Configuration.SPEND_LEDGER_CAPACITY_MAX);
    }

    /**
     * @return {@link SwitchSettings#AUTO} for {@code auto}, else the whole number in range, or
     *         {@code absent} when the property is not set.
     */
    private static int capacityOrAuto(
        final Properties properties, final String source, final String name, final int absent, final long min, final long max)
    {
        if (Configuration.AUTO.equals(Settings.stringValue(properties, name, "")))
        {
            return SwitchSettings.AUTO;
        }
        return (int)Settings.longValue(properties, source, name, absent, min, max);
    }

    private static int port(final Properties properties, final String source, final String name, final int defaultValue)
    {
        return (int)Settings.longValue(properties, source, name, defaultValue, 0, Configuration.PORT_MAX);
    }

    private static long connectionTimeoutMs(final Properties properties, final String source, final String name)
    {
        return Settings.longValue(properties, source, name, Configuration.CONNECTION_TIMEOUT_MS_DEFAULT, Configuration.CONNECTION_TIMEOUT_MS_MIN,
            Configuration.CONNECTION_TIMEOUT_MS_MAX);
    }

    private static TlsSettings acquirerTls(final Properties properties, final String source)
    {
        final boolean enabled = bool(properties, source, Configuration.ACQUIRER_TLS_PROP_NAME, Configuration.ACQUIRER_TLS_DEFAULT);
        final String clientAuth = Settings.stringValue(properties, Configuration.ACQUIRER_TLS_CLIENT_AUTH_PROP_NAME,
            Configuration.ACQUIRER_TLS_CLIENT_AUTH_DEFAULT);
        if (!clientAuth.matches("none|optional|require"))
        {
            throw error(source, Configuration.ACQUIRER_TLS_CLIENT_AUTH_PROP_NAME, clientAuth, "expected one of none, optional, require");
        }
        return new TlsSettings(
            enabled,
            Settings.stringValue(properties, Configuration.ACQUIRER_TLS_KEYSTORE_PROP_NAME, ""),
            password(properties, Configuration.ACQUIRER_TLS_KEYSTORE_PASSWORD_PROP_NAME),
            clientAuth,
            Settings.stringValue(properties, Configuration.ACQUIRER_TLS_TRUSTSTORE_PROP_NAME, ""),
            password(properties, Configuration.ACQUIRER_TLS_TRUSTSTORE_PASSWORD_PROP_NAME),
            source);
    }

    /** A password is taken as written: spaces at either end are part of it. */
    private static String password(final Properties properties, final String name)
    {
        final String text = properties.getProperty(name);
        return text == null ? "" : text;
    }

    private static boolean packager(final Properties properties, final String source, final String name)
    {
        final String value = Settings.stringValue(properties, name, Configuration.PACKAGER_DEFAULT);
        return switch (value)
        {
            case Configuration.PACKAGER_BINARY -> true;
            case Configuration.PACKAGER_ASCII -> false;
            default -> throw error(source, name, value, "expected iso87binary or iso87ascii");
        };
    }

    private static boolean bool(final Properties properties, final String source, final String name, final boolean defaultValue)
    {
        final String value = Settings.stringValue(properties, name, Boolean.toString(defaultValue));
        return switch (value)
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(source, name, value, "expected true or false");
        };
    }

    private static ConfigurationException error(final String source, final String name, final String value, final String reason)
    {
        return new ConfigurationException("config=" + source + " property=" + name + " value=" + value + " reason=" + reason);
    }

    private void checkOpen(final String setting)
    {
        if (concluded)
        {
            throw new IllegalStateException("context concluded: " + setting + " can no longer change");
        }
    }

    private void checkConcluded()
    {
        if (!concluded)
        {
            throw new IllegalStateException("context not concluded: call conclude() first");
        }
    }
}
