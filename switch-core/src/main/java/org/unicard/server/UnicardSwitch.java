package org.unicard.server;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.netty.handler.ssl.SslContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.Authorizer;
import org.unicard.config.ProgramRules;
import org.unicard.config.Settings;
import org.unicard.config.SwitchSettings;
import org.unicard.config.TlsSettings;
import org.unicard.decode.DecodeCounters;
import org.unicard.decode.RequestDecoder;
import org.unicard.decode.SecurityMacVerifier;
import org.unicard.decode.SecurityPinVerifier;
import org.unicard.http.HttpEndpoint;
import org.unicard.http.OperatorApi;
import org.unicard.http.Readiness;
import org.unicard.importer.ImportListener;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import org.unicard.listener.ListenerKind;
import org.unicard.listener.ListenerServer;
import org.unicard.listener.ListenerSettings;
import org.unicard.listener.ListenerTls;
import org.unicard.metrics.MetricsEndpoint;
import org.unicard.metrics.RequestCounters;
import org.unicard.metrics.SwitchMetrics;
import org.unicard.metrics.SwitchMetricsBinder;
import org.unicard.recovery.JournalReplayer;
import org.unicard.reply.ResponseEncoder;
import org.unicard.reply.SecurityMacGenerator;
import org.unicard.ring.AuthorizeEventHandler;
import org.unicard.ring.DecodeEventHandler;
import org.unicard.ring.JournalEventHandler;
import org.unicard.ring.JournalHealth;
import org.unicard.ring.OperatorCommand;
import org.unicard.ring.ReplyCounters;
import org.unicard.ring.ReplyEventHandler;
import org.unicard.ring.RequestEvent;
import org.unicard.ring.SwitchRing;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.snapshot.SnapshotScheduler;
import org.unicard.snapshot.SnapshotSettings;
import org.unicard.snapshot.StateRecovery;
import org.unicard.state.DataSet;
import org.unicard.time.BusinessClock;

/**
 * One running switch. {@link #start} loads the newest fitting snapshot and replays the journal
 * after it, or imports the data set and replays the whole journal ({@link StateRecovery}; journaling
 * the data set's first business day and any change of program rules), then starts the ring, the
 * listeners and the periodic snapshot process ({@link SnapshotScheduler}); {@code /health} answers 503 until then and 200 after. {@link #close} stops accepting,
 * lets what is in flight finish, and closes the journal.
 */
public final class UnicardSwitch implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(UnicardSwitch.class);

    /**
     * The most a graceful stop takes after its drain timeout: the event loops' stop (twice
     * {@link ListenerServer#EVENT_LOOP_STOP_MS} and a margin, at worst) and the journal's and HTTP
     * server's close. Operators and tests wait {@code stop.drain-timeout-ms} plus this.
     */
    public static final long STOP_AFTER_DRAIN_MS_MAX = 2 * ListenerServer.EVENT_LOOP_STOP_MS + 1_000;

    private final Readiness readiness;
    private final HttpEndpoint http;
    private final ChronicleJournal journal;
    private final Authorizer authorizer;
    private final org.unicard.state.HouseholdTable households;
    private final SwitchRing ring;
    private final ListenerServer listeners;
    private final BusinessClock clock;
    private final DecodeCounters decodeCounters;
    private final ReplyCounters replyCounters;
    private final JournalHealth journalHealth;
    private final int terminalPort;
    private final int acquirerPort;
    private final long stopDrainTimeoutMs;
    private SnapshotScheduler snapshots;
    private StateRecovery.Recovered recovery;
    private boolean snapshotAfterImport;
    private volatile boolean closed;

    private UnicardSwitch(
        final Readiness readiness,
        final HttpEndpoint http,
        final ChronicleJournal journal,
        final Authorizer authorizer,
        final org.unicard.state.HouseholdTable households,
        final SwitchRing ring,
        final ListenerServer listeners,
        final BusinessClock clock,
        final DecodeCounters decodeCounters,
        final ReplyCounters replyCounters,
        final JournalHealth journalHealth,
        final int terminalPort,
        final int acquirerPort,
        final long stopDrainTimeoutMs)
    {
        this.readiness = readiness;
        this.http = http;
        this.journal = journal;
        this.authorizer = authorizer;
        this.households = households;
        this.ring = ring;
        this.listeners = listeners;
        this.clock = clock;
        this.decodeCounters = decodeCounters;
        this.replyCounters = replyCounters;
        this.journalHealth = journalHealth;
        this.terminalPort = terminalPort;
        this.acquirerPort = acquirerPort;
        this.stopDrainTimeoutMs = stopDrainTimeoutMs;
    }

    /**
     * Told how far start-up has got (import, then replay), on the starting thread, every few
     * thousand rows or records and at the end of each file and of the replay; for a progress
     * display. {@code /health} shows the same progress whatever the listener.
     */
    public interface StartListener extends ImportListener
    {
        /** A listener that ignores every report. */
        StartListener NONE = new StartListener()
        {
            @Override
            public void onProgress(final String fileName, final long rowsRead, final long rowsTotal)
            {
            }

            @Override
            public void onReplay(final long replayed, final long total)
            {
            }
        };

        /**
         * @param replayed journal records replayed so far.
         * @param total    records in the journal.
         */
        void onReplay(long replayed, long total);

        /**
         * @param read  bytes of the snapshot being loaded read so far.
         * @param total its size.
         */
        default void onSnapshot(final long read, final long total)
        {
        }

        /**
         * A start-up phase begins: {@code loading-snapshot}, {@code importing} or {@code replaying},
         * as {@code /health} then names it.
         *
         * @param phase  the phase.
         * @param detail the snapshot file, data directory or journal directory.
         */
        default void onPhase(final String phase, final String detail)
        {
        }
    }

    /**
     * Starts a switch and returns once it takes traffic.
     *
     * @throws Exception with a message naming the file, record or setting at fault.
     */
    public static UnicardSwitch start(final SwitchOptions options) throws Exception
    {
        return start(options, StartListener.NONE);
    }

    /**
     * Starts a switch, reporting the import's and the replay's progress, and returns once it takes traffic.
     *
     * @throws Exception with a message naming the file, record or setting at fault.
     */
    public static UnicardSwitch start(final SwitchOptions options, final StartListener listener) throws Exception
    {
        final Properties properties = Settings.load(options.configFile());
        final String source = options.configFile() == null ? "defaults" : options.configFile().toString();
        final ProgramRules rules = ProgramRules.from(properties, source);
        SwitchSettings settings = SwitchSettings.from(properties, source);
        settings = settings.withPorts(
            options.terminalPort() != null ? options.terminalPort() : settings.terminalPort(),
            options.acquirerPort() != null ? options.acquirerPort() : settings.acquirerPort(),
            options.httpPort() != null ? options.httpPort() : settings.httpPort());
        final HeapEstimate heap = HeapEstimate.of(options.dataDirectory(), settings);
        heap.check(Runtime.getRuntime().maxMemory());
        LOG.info("event=heap-checked max-heap-mib={} {}", Runtime.getRuntime().maxMemory() >> 20, heap.describe());
        final SslContext acquirerTls = ListenerTls.serverContext(settings.acquirerTls(), TlsSettings.ACQUIRER_PREFIX);
        final BusinessClock clock = options.clockStart() == null ? BusinessClock.system() : BusinessClock.startingAt(options.clockStart());

        final Readiness readiness = new Readiness();
        final HttpEndpoint http = new HttpEndpoint(settings.httpPort(), readiness);
        final RequestCounters requestCounters = new RequestCounters();
        final SwitchMetrics metrics = new SwitchMetrics(requestCounters);
        metrics.gauge("unicard_replay_records", "Journal records replayed at start", readiness::replayedRecords);
        metrics.gauge("unicard_ready", "1 once the switch takes traffic", () -> readiness.isReady() ? 1 : 0);
        http.context("/metrics", new MetricsEndpoint(metrics));
        ChronicleJournal journal = null;
        try
        {
            final TdesKey lmk = localMasterKey(options.lmkHex(), settings);
            final SnapshotSettings snapshotSettings = SnapshotSettings.from(properties, source);
            final Path snapshotDirectory = options.snapshotDirectory() != null ?
                options.snapshotDirectory() : snapshotSettings.directoryFor(options.dataDirectory());
            // A journal is created only once the data set has loaded: a bad data file leaves no journal behind.
            // An existing one is locked for this process (JournalLock) before anything reads it: a second switch stops here.
            journal = java.nio.file.Files.isDirectory(options.journal()) ? ChronicleJournal.openCuttingTornTail(options.journal(), settings.journalMinFreeBytes()) : null;
            final long recoveryStart = System.nanoTime();
            final StateRecovery.Recovered recovered = StateRecovery.recover(
                new StateRecovery.Inputs(options.dataDirectory(), lmk, rules, settings.duplicateWindowCapacity(),
                    settings.spendLedgerCapacity(), snapshotDirectory),
                journal, JournalReplayer.TO_END, new StateRecovery.Listener()
                {
                    @Override
                    public void onPhase(final String phase, final String detail)
                    {
                        readiness.phase(phase, phase.equals("replaying") ? "journal=" + detail : "from=" + detail);
                        listener.onPhase(phase, detail);
                    }

                    @Override
                    public void onProgress(final String fileName, final long rowsRead, final long rowsTotal)
                    {
                        readiness.progress("file=" + fileName + " rows=" + rowsRead + "/" + rowsTotal);
                        listener.onProgress(fileName, rowsRead, rowsTotal);
                    }

                    @Override
                    public void onSnapshotBytes(final long read, final long total)
                    {
                        readiness.progress("bytes=" + read + "/" + total);
                        listener.onSnapshot(read, total);
                    }

                    @Override
                    public void onReplay(final long replayed, final long total)
                    {
                        readiness.replayed(replayed);
                        listener.onReplay(replayed, total);
                    }
                });
            if (journal == null)
            {
                journal = ChronicleJournal.openCuttingTornTail(options.journal(), settings.journalMinFreeBytes());
                if (journal.lastIndex() >= 0)
                {
                    throw new org.unicard.journal.JournalException("journal=" + options.journal() + " reason=did not exist when this" +
                        " switch started, and another process wrote it meanwhile (only one switch may write a journal): start again");
                }
            }
            final DataSet data = recovered.data();
            final Authorizer authorizer = recovered.authorizer();
            LOG.info("event=recovered from={} journal={} records={} replayed={} sequence={} ms={}",
                recovered.snapshot() != null ? recovered.snapshot() : "import", options.journal(), recovered.position().records,
                recovered.replayed(), authorizer.sequence(), (System.nanoTime() - recoveryStart) / 1_000_000);

            final JournalRecord record = new JournalRecord();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
            if (!authorizer.hasGenesis())
            {
                final long now = clock.nowMs();
                journal.append(buffer, record.encodeGenesis(buffer, now, data.fingerprint()));
                authorizer.genesis(now);
                LOG.info("event=genesis journal={} first-business-day={}", options.journal(), java.time.LocalDate.ofEpochDay(authorizer.firstBusinessDay()));
            }
            if (!authorizer.rulesJournaled() || !authorizer.rules().equals(rules))
            {
                journal.append(buffer, record.encodeRules(buffer, rules));
                authorizer.rules(rules);
                LOG.info("event=rules-journaled {}", rules);
            }
            journal.releaseAppender();
            authorizer.journal(journal.lookup(authorizer.positions()));

            final DecodeCounters decodeCounters = new DecodeCounters();
            final ReplyCounters replyCounters = new ReplyCounters();
            final JournalHealth journalHealth = new JournalHealth();
            journalHealth.journaled(authorizer.sequence());
            final SecurityMacGenerator macGenerator = new SecurityMacGenerator(data.terminals());
            final SwitchRing ring = new SwitchRing(
                settings.ringSize(),
                settings.waitStrategy(),
                settings.ringThreads(),
                new DecodeEventHandler(new RequestDecoder(data, new SecurityPinVerifier(data), new SecurityMacVerifier(data), decodeCounters)),
                new AuthorizeEventHandler(authorizer, journalHealth),
                new JournalEventHandler(journal, journalHealth, authorizer.positions()),
                new ReplyEventHandler(new ResponseEncoder(macGenerator), data.terminals(), replyCounters,
                    requestCounters, settings.ringSize()));

            final ListenerServer listeners = new ListenerServer(settings.ioThreads(), settings.bindAddress(), ring.ringBuffer(), clock,
                settings.maxInFlightPerConnection(), settings.maxConnections(), settings.partialFrameTimeoutMs(), settings.writeStallTimeoutMs(),
                data.terminals(), macGenerator);
            final int terminalPort = listeners.bind(
                new ListenerSettings(ListenerKind.TERMINAL, settings.terminalPort(), settings.terminalBinary(), settings.terminalTpdu()));
            final int acquirerPort = listeners.bind(
                new ListenerSettings(ListenerKind.ACQUIRER, settings.acquirerPort(), settings.acquirerBinary(), settings.acquirerTpdu(),
                    acquirerTls));
            SwitchMetricsBinder.bind(metrics, authorizer, journal, ring, listeners, decodeCounters, replyCounters, journalHealth);
            final UnicardSwitch started = new UnicardSwitch(readiness, http, journal, authorizer, data.households(), ring, listeners,
                clock, decodeCounters, replyCounters, journalHealth, terminalPort, acquirerPort, settings.stopDrainTimeoutMs());
            final String token = options.apiToken() != null ? options.apiToken() : System.getenv(OperatorApi.TOKEN_VARIABLE);
            http.context("/api/", new OperatorApi(token, started::command));
            started.recovery = recovered;
            started.snapshotAfterImport = snapshotSettings.afterImport();
            started.snapshots = new SnapshotScheduler(snapshotSettings,
                SnapshotScheduler.childCommand(snapshotDirectory, options.dataDirectory(), options.journal(), options.configFile(),
                    snapshotSettings.nice()),
                SnapshotScheduler.childEnvironment(options.lmkHex()), journal::appended);
            started.snapshots.start();
            readiness.ready();
            LOG.info("event=ready terminal-port={} acquirer-port={} http-port={} operator-api={}",
                terminalPort, acquirerPort, http.port(), token == null || token.isEmpty() ? "off" : "on");
            return started;
        }
        catch (final Exception | Error ex)
        {
            http.close();
            if (journal != null)
            {
                journal.close();
            }
            throw ex;
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
    public static TdesKey localMasterKey(final String lmkHex, final SwitchSettings settings)
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
            return LocalMasterKey.parse(settings.lmkHex(), "configuration property security.lmk");
        }
        throw new IllegalArgumentException("no local master key: set the environment variable " + LocalMasterKey.ENVIRONMENT_VARIABLE +
            " to the 32-hex-digit LMK the data set's keys are stored under (bin/unicard generate printed it), or security.lmk in --config");
    }

    /**
     * Sends an operator command through the ring and journal.
     *
     * @return completes with the outcome once the command is journaled; fails when the ring is full or
     * the switch is stopping (a command is a new request, which a stop no longer takes).
     */
    public CompletableFuture<AuthOutcome> command(final byte command, final long pan, final int panDigits)
    {
        if (closed)
        {
            return CompletableFuture.failedFuture(new IllegalStateException("switch stopping: no new commands"));
        }
        final OperatorCommand operator = OperatorCommand.of(command, pan, panDigits);
        final RingBuffer<RequestEvent> ringBuffer = ring.ringBuffer();
        final long sequence;
        try
        {
            sequence = ringBuffer.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return CompletableFuture.failedFuture(new IllegalStateException("switch overloaded: ring full"));
        }
        final RequestEvent event = ringBuffer.get(sequence);
        try
        {
            event.reset();
            event.kind = RequestEvent.KIND_OPERATOR;
            event.operator = operator;
            event.arrivalNs = System.nanoTime();
            event.businessTimeMs = clock.nowMs();
        }
        finally
        {
            ringBuffer.publish(sequence);
        }
        return operator.result();
    }

    public int terminalPort()
    {
        return terminalPort;
    }

    public int acquirerPort()
    {
        return acquirerPort;
    }

    public int httpPort()
    {
        return http.port();
    }

    public HttpEndpoint http()
    {
        return http;
    }

    public Authorizer authorizer()
    {
        return authorizer;
    }

    /**
     * @return the households table the authorizer owns; read it only while the ring is idle.
     */
    public org.unicard.state.HouseholdTable households()
    {
        return households;
    }

    public ChronicleJournal journal()
    {
        return journal;
    }

    public ListenerServer listeners()
    {
        return listeners;
    }

    public SwitchRing ring()
    {
        return ring;
    }

    public DecodeCounters decodeCounters()
    {
        return decodeCounters;
    }

    public ReplyCounters replyCounters()
    {
        return replyCounters;
    }

    public JournalHealth journalHealth()
    {
        return journalHealth;
    }

    /**
     * @return how the state was recovered at start (snapshot or import, records replayed, snapshots
     * passed over); its data set and authorizer are this switch's, read them only while the ring is idle.
     */
    public StateRecovery.Recovered recovery()
    {
        return recovery;
    }

    /**
     * Starts a snapshot process at once when this start imported the data set from its CSV files
     * (no snapshot fitted) and {@code snapshot.after-import} is on, so that the next start loads a
     * snapshot instead of importing again. The process is the one the periodic trigger starts
     * (niced, bounded write rate, its own memory). {@code serve} calls this once it takes traffic;
     * a switch embedded in the demo or a load test does not.
     *
     * @return whether a snapshot process was started.
     */
    public boolean startSnapshotAfterImport()
    {
        if (recovery.snapshot() != null || !snapshotAfterImport)
        {
            return false;
        }
        LOG.info("event=snapshot-after-import reason=imported from the data files; the next start loads the snapshot instead");
        return snapshots.startNow();
    }

    /**
     * @return the periodic snapshot process starter.
     */
    public SnapshotScheduler snapshots()
    {
        return snapshots;
    }

    public Path journalDirectory()
    {
        return journal.directory();
    }

    /**
     * Graceful stop (spec §11 SIGTERM), every wait bounded by {@code stop.drain-timeout-ms} from the start:
     * <ol>
     *   <li>stop accepting connections and stop reading the open ones: a request not read by now is
     *       never taken (its peer gets no answer and sees the connection close);</li>
     *   <li>wait until every request already taken is answered and the answer written to its socket
     *       (each connection closes itself when its last answer is on the socket), and until the ring is
     *       empty (journal and reply stages included);</li>
     *   <li>stop the ring's threads, then the event loops (at most {@link ListenerServer#EVENT_LOOP_STOP_MS}),
     *       then close the journal, last, so that every answer given has its record in it.</li>
     * </ol>
     * A limit that is hit is logged ({@code event=stop-cut-short}) with what it cut short; the stop then
     * goes on. Worst case: the drain timeout plus {@link #STOP_AFTER_DRAIN_MS_MAX}.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + TimeUnit.MILLISECONDS.toNanos(stopDrainTimeoutMs);
        readiness.stopping();
        LOG.info("event=stopping in-flight={} terminal-connections={} acquirer-connections={} drain-limit-ms={}", ring.occupancy(),
            listeners.openConnections(ListenerKind.TERMINAL), listeners.openConnections(ListenerKind.ACQUIRER), stopDrainTimeoutMs);
        snapshots.close();
        if (!listeners.stopAccepting(deadlineNs))
        {
            LOG.warn("event=stop-cut-short stage=stop-accepting limit-ms={}", stopDrainTimeoutMs);
        }
        listeners.stopReading();
        final int unanswered = listeners.awaitConnectionsClosed(deadlineNs);
        final long inRing = ring.awaitDrained(deadlineNs);
        if (unanswered > 0 || inRing > 0)
        {
            LOG.warn("event=stop-cut-short stage=drain limit-ms={} connections-with-answers-unwritten={} requests-in-ring={}",
                stopDrainTimeoutMs, unanswered, inRing);
        }
        if (!ring.close(Math.max(0, deadlineNs - System.nanoTime())))
        {
            LOG.warn("event=stop-cut-short stage=ring-threads limit-ms={} requests-in-ring={} action=halted", stopDrainTimeoutMs,
                ring.occupancy());
        }
        listeners.close();
        journal.close();
        http.close();
        LOG.info("event=stopped sequence={} journal-records-appended={} ms={}", authorizer.sequence(), journal.appended(),
            (System.nanoTime() - startNs) / 1_000_000);
    }
}
