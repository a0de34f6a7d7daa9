package org.unicard.server;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.Authorizer;
import org.unicard.changes.ChangeApplier;
import org.unicard.changes.ChangeSubmission;
import org.unicard.concurrent.SchedulerSlice;
import org.unicard.concurrent.ThreadPriorities;
import org.unicard.config.SwitchSettings;
import org.unicard.config.TlsSettings;
import org.unicard.context.SwitchContext;
import org.unicard.decode.DecodeCounters;
import org.unicard.decode.RequestDecoder;
import org.unicard.decode.SecurityMacVerifier;
import org.unicard.decode.SecurityPinVerifier;
import org.unicard.http.ChangesEndpoint;
import org.unicard.http.ConsoleRoutes;
import org.unicard.http.HttpEndpoint;
import org.unicard.http.OperatorApi;
import org.unicard.http.Readiness;
import org.unicard.importer.ImportListener;
import org.unicard.journal.ChronicleJournal;
import org.unicard.listener.ListenerKind;
import org.unicard.listener.ListenerServer;
import org.unicard.listener.ListenerSettings;
import org.unicard.listener.ListenerTls;
import org.unicard.metrics.MetricsEndpoint;
import org.unicard.metrics.RequestCounters;
import org.unicard.metrics.SwitchMetrics;
import org.unicard.metrics.SwitchMetricsBinder;
import org.unicard.reply.ResponseEncoder;
import org.unicard.reply.SecurityMacGenerator;
import org.unicard.ring.DecodeEventHandler;
import org.unicard.ring.JournalHealth;
import org.unicard.ring.OperatorCommand;
import org.unicard.ring.ReplyCounters;
import org.unicard.ring.ReplyEventHandler;
import org.unicard.ring.RequestEvent;
import org.unicard.ring.SwitchRing;
import org.unicard.security.RetailMacBatch;
import org.unicard.snapshot.SnapshotScheduler;
import org.unicard.snapshot.StateRecovery;
import org.unicard.state.DataSet;
import org.unicard.time.BusinessClock;

/**
 * One running switch. {@link #start} takes a {@link SwitchContext}, which recovers the state (the newest
 * fitting snapshot and the journal after it, or the data set imported and the whole journal replayed,
 * {@link StateRecovery}) and journals the data set's first business day and any change of program rules;
 * it then wires the ring, the listeners and the periodic snapshot process ({@link SnapshotScheduler});
 * {@code /health} answers 503 until then and 200 after. {@link #close} stops accepting, lets what is in
 * flight finish, and closes the journal.
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
    /** The citizen notifier (spec §14), or {@code null} when no gateway is configured. */
    private org.unicard.notify.Notifier notifier;
    private StateRecovery.Recovered recovery;
    private boolean snapshotAfterImport;
    private Sequencer sequencer = Sequencer.LOCAL;
    private RequestCounters requestCounters;
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
        return start(options.context(), listener);
    }

    /**
     * Starts a switch from a context (concluding it), reporting the start's progress, and returns once it
     * takes traffic: the heap and TLS checked, HTTP answering 503, the state recovered and GENESIS and the
     * rules journaled ({@link SwitchContext#recover}), then the ring, the listeners and the snapshot
     * process starter wired ({@link #wire}).
     *
     * @throws Exception with a message naming the file, record or setting at fault.
     */
    public static UnicardSwitch start(final SwitchContext context, final StartListener listener) throws Exception
    {
        return start(context, listener, Sequencer.LOCAL);
    }

    /**
     * Starts a switch whose requests are put in order and decided by a {@link Sequencer} (the single
     * machine's {@link Sequencer#LOCAL}, or a cluster member's), and returns once it takes traffic.
     *
     * @throws Exception with a message naming the file, record or setting at fault.
     */
    public static UnicardSwitch start(final SwitchContext context, final StartListener listener, final Sequencer sequencer)
        throws Exception
    {
        final SwitchSettings settings = context.conclude().settings();
        // Checked before anything starts: a bad value fails the start with the property named.
        ThreadPriorities.backgroundNice();
        ThreadPriorities.jitNice();
        SchedulerSlice.micros();
        final HeapEstimate heap = context.checkHeap(Runtime.getRuntime().maxMemory());
        LOG.info("event=heap-checked max-heap-mib={} {}", Runtime.getRuntime().maxMemory() >> 20, heap.describe());
        final SslContext acquirerTls = ListenerTls.serverContext(settings.acquirerTls(), TlsSettings.ACQUIRER_PREFIX);

        final Readiness readiness = new Readiness();
        final HttpEndpoint http = new HttpEndpoint(settings.httpPort(), readiness);
        final RequestCounters requestCounters = new RequestCounters();
        final SwitchMetrics metrics = new SwitchMetrics(requestCounters);
        metrics.gauge("unicard_replay_records", "Journal records replayed at start", readiness::replayedRecords);
        metrics.gauge("unicard_ready", "1 once the switch takes traffic", () -> readiness.isReady() ? 1 : 0);
        http.context("/metrics", new MetricsEndpoint(metrics));
        SwitchContext.Recovery recovery = null;
        try
        {
            final long recoveryStart = System.nanoTime();
            recovery = context.recover(SwitchContext.JournalAccess.SWITCH, new StartProgress(readiness, listener));
            final Authorizer authorizer = recovery.state().authorizer();
            LOG.info("event=recovered from={} journal={} records={} replayed={} sequence={} ms={}", recovery.from(),
                context.journalDirectory(), recovery.state().position().records, recovery.state().replayed(), authorizer.sequence(),
                (System.nanoTime() - recoveryStart) / 1_000_000);
            // The clock starts once the journal is read, so that a restart never starts it behind the journal's last time.
            final BusinessClock clock = context.clock(authorizer.lastTimeMs());
            LOG.info("event=clock real={} rate={} business-time={}", clock.isReal(), clock.rate(), java.time.Instant.ofEpochMilli(clock.nowMs()));
            authorizer.journal(recovery.journal().lookup(authorizer.positions()));
            sequencer.bootstrap(recovery, clock);
            recovery.journal().releaseAppender();
            recovery.journal().startPretouch();
            return wire(context, recovery, clock, readiness, http, metrics, requestCounters, acquirerTls, sequencer);
        }
        catch (final Exception | Error ex)
        {
            http.close();
            if (recovery != null)
            {
                recovery.close();
            }
            throw ex;
        }
    }

    /**
     * Wires the stages over the recovered state: the ring and its four stages, the listeners, the
     * metrics, the operator API and the snapshot process starter; then reports ready.
     */
    private static UnicardSwitch wire(
        final SwitchContext context,
        final SwitchContext.Recovery recovery,
        final BusinessClock clock,
        final Readiness readiness,
        final HttpEndpoint http,
        final SwitchMetrics metrics,
        final RequestCounters requestCounters,
        final SslContext acquirerTls,
        final Sequencer sequencer) throws InterruptedException
    {
        final SwitchSettings settings = context.settings();
        final DataSet data = recovery.state().data();
        final Authorizer authorizer = recovery.state().authorizer();
        final ChronicleJournal journal = recovery.journal();
        final DecodeCounters decodeCounters = new DecodeCounters();
        final ReplyCounters replyCounters = new ReplyCounters();
        final JournalHealth journalHealth = new JournalHealth();
        journalHealth.journaled(authorizer.sequence());
        final long warmUpStartNs = System.nanoTime();
        RetailMacBatch.warmUp();
        LOG.info("event=bitsliced-mac-warm-up ms={}", (System.nanoTime() - warmUpStartNs) / 1_000_000);
        final SecurityMacGenerator macGenerator = new SecurityMacGenerator(data.terminals());
        final SecurityPinVerifier pinVerifier = new SecurityPinVerifier(data);
        final SecurityMacVerifier macVerifier = new SecurityMacVerifier(data);
        final DecodeEventHandler decode = new DecodeEventHandler(new RequestDecoder(data, pinVerifier, macVerifier, decodeCounters));
        decode.prefetchFor(authorizer);
        final ReplyEventHandler reply = new ReplyEventHandler(new ResponseEncoder(macGenerator), macGenerator::macKey, data.terminals(), replyCounters,
            requestCounters, settings.ringSize());
        sequencer.tableReaders(decode, reply);
        final SwitchRing ring = new SwitchRing(
            settings.ringSize(),
            settings.waitStrategy(),
            settings.ringThreads(),
            decode,
            sequencer.authorizeStage(recovery, journalHealth),
            sequencer.journalStage(recovery, journalHealth),
            reply,
            sequencer.journalStageWaits());

        final ListenerServer listeners = new ListenerServer(settings.ioThreads(), settings.bindAddress(), ring.ringBuffer(), clock,
            settings.maxInFlightPerConnection(), settings.maxConnections(), settings.partialFrameTimeoutMs(), settings.writeStallTimeoutMs(),
            data.terminals(), macGenerator);
        listeners.afterPublish(ring::published);
        if (ring.threads() == SwitchRing.SHARED)
        {
            ring.runOn(listeners.ringStagesLoop());
        }
        final int terminalPort = listeners.bind(
            new ListenerSettings(ListenerKind.TERMINAL, settings.terminalPort(), settings.terminalBinary(), settings.terminalTpdu()));
        final int acquirerPort = listeners.bind(
            new ListenerSettings(ListenerKind.ACQUIRER, settings.acquirerPort(), settings.acquirerBinary(), settings.acquirerTpdu(),
                acquirerTls));
        SwitchMetricsBinder.bind(metrics, authorizer, journal, ring, listeners, decodeCounters, replyCounters, journalHealth);
        final UnicardSwitch started = new UnicardSwitch(readiness, http, journal, authorizer, data.households(), ring, listeners,
            clock, decodeCounters, replyCounters, journalHealth, terminalPort, acquirerPort, settings.stopDrainTimeoutMs());
        started.sequencer = sequencer;
        started.requestCounters = requestCounters;
        final String token = context.operatorApiToken();
        ConsoleRoutes.install(http, metrics, new OperatorApi(token, started::command), started::command, data.cards(),
            data.households(), data.terminals(), journal, authorizer.positions(), settings.journalMinFreeBytes());
        final ChangeApplier changeApplier = new ChangeApplier(data, authorizer,
            terminal ->
            {
                pinVerifier.refreshTerminal(terminal);
                macVerifier.refreshTerminal(terminal);
                macGenerator.refreshTerminal(terminal);
            },
            pinVerifier::refreshAcquirer);
        decode.changes(changeApplier, journalHealth, ring.ringBuffer()::getMinimumGatingSequence);
        http.context(ChangesEndpoint.PATH, new ChangesEndpoint(token, context.localMasterKey(),
            context.journalDirectory(), authorizer.batches(), changeApplier, sequencer.changeRoute(changeApplier, started::changes)));
        started.recovery = recovery.state();
        started.snapshotAfterImport = context.snapshotSettings().afterImport();
        started.snapshots = new SnapshotScheduler(context.snapshotSettings(),
            SnapshotScheduler.childCommand(context.snapshotDirectory(), context.dataDirectory(), context.journalDirectory(),
                context.configFile(), context.snapshotSettings().nice()),
            SnapshotScheduler.childEnvironment(context.lmkHex()), journal::appended);
        started.snapshots.start();
        started.notifier = startNotifier(context, data, authorizer, clock, journal, journalHealth, metrics, http);
        // A started clock runs from here: import, replay and wiring take no business time (docs/design.md, "Business clock").
        if (!context.clockHeld())
        {
            clock.run();
        }
        sequencer.wired(metrics, readiness);
        logThreadPriorities(ThreadPriorities.lowerCompilerThreads());
        readiness.ready();
        LOG.info("event=ready terminal-port={} acquirer-port={} http-port={} operator-api={}",
            terminalPort, acquirerPort, http.port(), token == null || token.isEmpty() ? "off" : "on");
        return started;
    }

    /**
     * Starts the citizen notifier when a gateway is configured: a journal tailer on its own thread, off the
     * ring ({@link org.unicard.notify.Notifier}); its state is a line of {@code /health}.
     */
    private static org.unicard.notify.Notifier startNotifier(
        final SwitchContext context, final DataSet data, final Authorizer authorizer, final BusinessClock clock,
        final ChronicleJournal journal, final JournalHealth journalHealth, final SwitchMetrics metrics, final HttpEndpoint http)
    {
        final org.unicard.notify.NotifySettings settings = context.notifySettings();
        if (!settings.enabled())
        {
            return null;
        }
        final org.unicard.notify.NotifierCounters counters = new org.unicard.notify.NotifierCounters();
        counters.bind(metrics);
        final org.unicard.notify.Notifier notifier = new org.unicard.notify.Notifier(settings, journal, data, authorizer.rules(),
            authorizer.firstBusinessDay(), clock, journalHealth::journaledSequence, counters);
        http.healthDetail(notifier::healthLine);
        return notifier.start();
    }

    /**
     * @return the citizen notifier, or {@code null} when none runs.
     */
    public org.unicard.notify.Notifier notifier()
    {
        return notifier;
    }

    /**
     * The recovery's progress on {@code /health} (the phase, rows, bytes and records so far) and to
     * the start's listener.
     */
    private record StartProgress(Readiness readiness, StartListener listener) implements StateRecovery.Listener
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
    }

    /**
     * Sends a validated change batch through the ring (spec §12): applied between two requests,
     * journaled, then answered.
     *
     * @return completes with the outcome once journaled (or refused); fails when the ring is full or
     * the switch is stopping.
     */
    public CompletableFuture<ChangeApplier.Outcome> changes(final ChangeSubmission submission)
    {
        return publishControl("change batches", submission.result(), event ->
        {
            event.kind = RequestEvent.KIND_CHANGES;
            event.changes = submission;
        });
    }

    /**
     * Sends an operator command through the ring and journal.
     *
     * @return completes with the outcome once the command is journaled; fails when the ring is full or
     * the switch is stopping (a command is a new request, which a stop no longer takes).
     */
    public CompletableFuture<AuthOutcome> command(final byte command, final long pan, final int panDigits)
    {
        final OperatorCommand operator = OperatorCommand.of(command, pan, panDigits);
        return publishControl("commands", operator.result(), event ->
        {
            event.kind = RequestEvent.KIND_OPERATOR;
            event.operator = operator;
        });
    }

    /**
     * Publishes a control event (an operator command or a change batch) into the ring, stamped with
     * its arrival and business time like a request. Not the hot path: the caller allocates.
     *
     * @param what   what is refused when the switch is stopping, for the failure's message.
     * @param result what the caller waits on, completed by the reply stage.
     * @param fill   sets the event's kind and payload.
     * @return {@code result}, or a failed future when the switch is stopping or the ring is full.
     */
    private <T> CompletableFuture<T> publishControl(final String what, final CompletableFuture<T> result,
        final java.util.function.Consumer<RequestEvent> fill)
    {
        if (closed)
        {
            return CompletableFuture.failedFuture(new IllegalStateException("switch stopping: no new " + what));
        }
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
            fill.accept(event);
            event.arrivalNs = System.nanoTime();
            event.businessTimeMs = clock.nowMs();
        }
        finally
        {
            ringBuffer.publish(sequence);
            ring.published();
        }
        return result;
    }

    /**
     * @return the business clock that stamps requests (the demo paces its simulated days by it).
     */
    public BusinessClock clock()
    {
        return clock;
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

    /**
     * @return the answers by class and code, and the latency from a frame's arrival to its reply.
     */
    public RequestCounters requestCounters()
    {
        return requestCounters;
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
        if (notifier != null)
        {
            notifier.stopAsync();
        }
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
        if (notifier != null)
        {
            notifier.close();
        }
        sequencer.close();
        journal.close();
        http.close();
        LOG.info("event=stopped sequence={} journal-records-appended={} ms={}", authorizer.sequence(), journal.appended(),
            (System.nanoTime() - startNs) / 1_000_000);
    }

    /**
     * The background threads lower themselves as they start; the JIT's compiler threads were just lowered;
     * the request path's threads (event loops, ring threads) asked for their short slice as they started.
     */
    private static void logThreadPriorities(final int compilerThreads)
    {
        if (ThreadPriorities.available())
        {
            LOG.info("event=thread-priorities background-nice={} jit-nice={} compiler-threads-lowered={}", ThreadPriorities.backgroundNice(),
                ThreadPriorities.jitNice(), compilerThreads);
        }
        else
        {
            LOG.info("event=thread-priorities-unavailable reason=\"setpriority not found in the C library\" action=all-threads-at-normal-priority");
        }
        if (SchedulerSlice.available())
        {
            LOG.info("event=scheduler-slice loop-slice-us={} request-path-threads-shortened={}", SchedulerSlice.micros(),
                SchedulerSlice.threadsShortened());
        }
        else
        {
            LOG.info("event=scheduler-slice-unavailable reason=\"no sched_setattr on this system\" action=kernel-default-slice");
        }
    }
}
