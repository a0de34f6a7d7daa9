package org.unicard.ring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.PrefetchSlots;
import org.unicard.authorizer.ProcessingCode;
import org.unicard.config.ProgramRules;
import org.unicard.decode.DecodeCounters;
import org.unicard.decode.RequestDecoder;
import org.unicard.decode.SecurityMacVerifier;
import org.unicard.decode.SecurityPinVerifier;
import org.unicard.generate.DataSetGenerator;
import org.unicard.importer.DataSetImporter;
import org.unicard.iso8583.framing.Framing;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import org.unicard.listener.ListenerKind;
import org.unicard.listener.ListenerSettings;
import org.unicard.metrics.RequestCounters;
import org.unicard.reply.ResponseEncoder;
import org.unicard.reply.SecurityMacGenerator;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalRequest;
import org.unicard.tools.traffic.Purchases;
import org.unicard.tools.traffic.SimulatedTerminal;
import org.unicard.tools.traffic.UsablePools;

/**
 * The work of each ring stage for one request, on the load test's traffic, with {@code -prof gc}
 * showing what each allocates:
 * <ul>
 *   <li>{@code decode}: slot reset, frame validation and field decoding, terminal and card lookup,
 *       MAC verification ({@link RequestDecoder}).</li>
 *   <li>{@code authorize}: one decision ({@link Authorizer#authorize}) with a new STAN each time, so
 *       each is a new entry of the duplicate window. Business time moves on by
 *       {@code businessStepMs} a request, so that the window's entries expire as new ones come and
 *       it stays about half full, as in service. (With time standing still it filled within a
 *       second, and from then on 95% of the decisions were the 94 of a request the window could
 *       no longer tell from an evicted original: no decision at all.)</li>
 *   <li>{@code journalAppend}: journal record encoding and the Chronicle Queue append (a fresh queue
 *       in a temporary directory per iteration, read and mapped ahead of the appender by its pretouch
 *       thread, as the serving switch's is).</li>
 *   <li>{@code replyEncode}: the 0210 with balances and its MAC ({@link ResponseEncoder}) and the
 *       answer's metrics.</li>
 *   <li>{@code wholePath}: the four in a row, as one ring thread does them with {@code ring.threads=1}.</li>
 *   <li>{@code wholePathBatch}: the same for 64 requests at once, their MACs computed together, as
 *       under a backlog (time per request).</li>
 * </ul>
 * Traffic as {@code bin/unicard loadtest}: a generated data set (10,000 households), bakeries selling
 * 1–5 loaves and grocers selling 5.00–49.00 EGP of rationed goods to collected heads of households,
 * MAC-signed when the terminal has a MAC key; 4,096 distinct requests, cycled. Ration credits and
 * bread quotas run out as the benchmark goes on, so after the first seconds most decisions are 51
 * declines: a whole decision (card, household, balances) without the writes of an approval. The
 * load test's morning mix is nearly all approvals, so its ring figure is the one to quote for the
 * request path; {@code TearDown} prints this benchmark's mix.
 * <p>
 * Run: {@code bin/unicard jmh RingStageBenchmark -prof gc} (fork 1, warm-up 3 × 1 s, measurement
 * 5 × 1 s, average time per request).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow",
    "-Dchronicle.analytics.disable=true",
    "-Dchronicle.disk.monitor.disable=true" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RingStageBenchmark
{
    private static final int HOUSEHOLDS = 10_000;
    private static final int REQUESTS = 4_096;
    private static final int MAX_STAN = 999_999;
    /** The duplicate window's capacity. */
    private static final int WINDOW_CAPACITY = 1 << 20;
    /** Requests in {@link #wholePathBatch}'s batch: one bitsliced batch's worth. */
    private static final int BATCH = 64;

    private final ListenerSettings listener = new ListenerSettings(ListenerKind.TERMINAL, 0, true, false);
    private final JournalRecord record = new JournalRecord();
    /** The journal and reply stages' own buffers, as in the ring (RequestEvent says why they are not the slot's). */
    private final UnsafeBuffer recordBuffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[RequestEvent.MAX_RESPONSE_BYTES]);
    private final RequestCounters requestCounters = new RequestCounters();
    private final long[] codes = new long[100];
    private Path directory;
    private DataSet data;
    private TerminalTable terminals;
    private RequestDecoder decoder;
    private Authorizer authorizer;
    private ResponseEncoder encoder;
    private SecurityMacGenerator macGenerator;
    /** {@link #wholePathBatch}'s requests and its held responses. */
    private final RequestEvent[] batch = new RequestEvent[BATCH];
    /** The batch's requests to be decided, read ahead as the decode stage does ({@link Authorizer#prefetchBatch}). */
    private final AuthRequest[] toDecide = new AuthRequest[BATCH];
    private final PrefetchSlots slots = new PrefetchSlots(BATCH);
    private final ResponseBatch responses = new ResponseBatch();
    private ChronicleJournal journal;
    private int journalNumber;
    private RequestEvent[] events;
    private byte[][] frames;
    private long businessTimeMs;
    /** Business time between two requests: the rules' window (48 hours) holds half the window's capacity. */
    private long businessStepMs;
    private int next;
    private long stanCounter;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        directory = Files.createTempDirectory("unicard-ring-benchmark-");
        final String lmkHex = LocalMasterKey.generateHex(new SecureRandom());
        final TdesKey lmk = LocalMasterKey.parse(lmkHex, "the benchmark's throw-away key");
        DataSetGenerator.of(HOUSEHOLDS, 1).generate(directory, lmk, (written, total) -> { });
        data = DataSetImporter.load(directory, lmk);
        terminals = data.terminals();
        decoder = new RequestDecoder(data, new SecurityPinVerifier(data), new SecurityMacVerifier(data), new DecodeCounters());
        final ProgramRules rules = ProgramRules.defaults();
        authorizer = new Authorizer(data, rules, WINDOW_CAPACITY, 1 << 20);
        businessStepMs = rules.duplicateWindowMs / (WINDOW_CAPACITY / 2);
        businessTimeMs = System.currentTimeMillis();
        authorizer.genesis(businessTimeMs);
        macGenerator = new SecurityMacGenerator(terminals);
        encoder = new ResponseEncoder(macGenerator);
        frames = frames();
        events = new RequestEvent[REQUESTS];
        for (int i = 0; i < REQUESTS; i++)
        {
            events[i] = new RequestEvent();
            load(events[i], i);
            decoder.decode(events[i]);
            if (events[i].action != RequestEvent.ACTION_AUTHORIZE)
            {
                throw new IllegalStateException("request " + i + " not decoded for the authorizer: action=" + events[i].action +
                    " code=" + events[i].directCode);
            }
            authorizer.authorize(events[i].request, events[i].outcome);
        }
    }

    @Setup(Level.Iteration)
    public void openJournal()
    {
        journal = ChronicleJournal.open(directory.resolve("journal-" + journalNumber++));
        journal.startPretouch();
    }

    @TearDown(Level.Iteration)
    public void closeJournal()
    {
        journal.close();
        deleteTree(journal.directory());
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        final StringBuilder mix = new StringBuilder();
        for (int code = 0; code < codes.length; code++)
        {
            if (codes[code] > 0)
            {
                mix.append(' ').append(code < 10 ? "0" : "").append(code).append('=').append(codes[code]);
            }
        }
        if (mix.length() > 0)
        {
            System.out.println("decisions by response code:" + mix);
        }
        deleteTree(directory);
    }

    @Benchmark
    public int decode()
    {
        final RequestEvent event = nextEvent();
        load(event, next);
        decoder.decode(event);
        return event.action;
    }

    @Benchmark
    public int authorize()
    {
        final RequestEvent event = nextEvent();
        authorizeAgain(event);
        return event.outcome.responseCode;
    }

    @Benchmark
    public int journalAppend()
    {
        final RequestEvent event = nextEvent();
        final int length = record.encodeRequest(recordBuffer, event.request, event.outcome);
        journal.append(recordBuffer, length);
        return length;
    }

    @Benchmark
    public int replyEncode()
    {
        return reply(nextEvent());
    }

    /**
     * The four stages over a batch of {@link #BATCH} requests, as a backlog gives them to the ring: the
     * batch's request MACs verified together ({@link RequestDecoder#decodeAll}), what their decisions
     * will read read ahead ({@link Authorizer#prefetchBatch}), each decided and journaled, and the
     * responses signed together ({@link ResponseBatch}). Time per request.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int wholePathBatch()
    {
        for (int i = 0; i < BATCH; i++)
        {
            batch[i] = nextEvent();
            load(batch[i], next);
        }
        decoder.decodeAll(batch, BATCH);
        int toPrefetch = 0;
        for (int i = 0; i < BATCH; i++)
        {
            renumber(batch[i]);
            if (batch[i].action == RequestEvent.ACTION_AUTHORIZE)
            {
                toDecide[toPrefetch++] = batch[i].request;
            }
        }
        int total = (int)authorizer.prefetchBatch(toDecide, toPrefetch, slots);
        for (int i = 0; i < BATCH; i++)
        {
            final RequestEvent event = batch[i];
            decide(event);
            journal.append(recordBuffer, record.encodeRequest(recordBuffer, event.request, event.outcome));
            total += replyHeld(event);
        }
        responses.sign();
        responses.clear();
        return total;
    }

    @Benchmark
    public int wholePath()
    {
        final RequestEvent event = nextEvent();
        load(event, next);
        decoder.decode(event);
        authorizeAgain(event);
        journal.append(recordBuffer, record.encodeRequest(recordBuffer, event.request, event.outcome));
        return reply(event);
    }

    private RequestEvent nextEvent()
    {
        next = (next + 1) & (REQUESTS - 1);
        return events[next];
    }

    private void load(final RequestEvent event, final int index)
    {
        final byte[] frame = frames[index];
        event.reset();
        event.kind = RequestEvent.KIND_FRAME;
        event.listener = listener;
        event.frame.putBytes(0, frame, Framing.LENGTH_PREFIX_BYTES, frame.length - Framing.LENGTH_PREFIX_BYTES);
        event.frameLength = frame.length - Framing.LENGTH_PREFIX_BYTES;
        event.businessTimeMs = businessTimeMs;
        event.arrivalNs = System.nanoTime();
    }

    /**
     * A new STAN (and, every million, a new transmission time) at the next step of business time: a
     * new request to the duplicate window, which expires the entries older than the window's hours.
     */
    private void authorizeAgain(final RequestEvent event)
    {
        renumber(event);
        decide(event);
    }

    /** A new STAN and business time, so that the cycled request is a new one to the duplicate window. */
    private void renumber(final RequestEvent event)
    {
        stanCounter++;
        final AuthRequest request = event.request;
        request.stan = (int)(stanCounter % MAX_STAN) + 1;
        request.transmissionDateTime = 1123070000L + stanCounter / MAX_STAN;
        businessTimeMs += businessStepMs;
        request.businessTimeMs = businessTimeMs;
    }

    private void decide(final RequestEvent event)
    {
        event.outcome.clear();
        authorizer.authorize(event.request, event.outcome);
        codes[event.outcome.responseCode]++;
    }

    private int reply(final RequestEvent event)
    {
        final AuthRequest request = event.request;
        final int macTerminal = request.sourceIndex >= 0 && terminals.macKey[request.sourceIndex] != null ? request.sourceIndex : -1;
        final int code = event.outcome.responseCode;
        final int length = encoder.encode(event.reader, event.messageOffset, code, event.outcome,
            event.outcome.retrievalReference, macTerminal, response);
        requestCounters.answered(event.reader.mti(), terminals.type[request.sourceIndex], code, request.processingCode,
            System.nanoTime() - event.arrivalNs);
        return length;
    }

    /** As {@link #reply}, but the response is held in {@link #responses} with its MAC field zero, as the reply stage holds it. */
    private int replyHeld(final RequestEvent event)
    {
        final AuthRequest request = event.request;
        final int macTerminal = request.sourceIndex >= 0 && terminals.macKey[request.sourceIndex] != null ? request.sourceIndex : -1;
        final int code = event.outcome.responseCode;
        final int length = encoder.encodeUnsigned(event.reader, event.messageOffset, code, event.outcome,
            event.outcome.retrievalReference, macTerminal, responses.nextFrame());
        responses.add(null, length, encoder.macDataLength() >= 0 ? macGenerator.macKey(macTerminal) : null,
            ResponseEncoder.macDataOffset(event.messageOffset), encoder.macDataLength(), encoder.macValueOffset());
        requestCounters.answered(event.reader.mti(), terminals.type[request.sourceIndex], code, request.processingCode,
            System.nanoTime() - event.arrivalNs);
        return length;
    }

    /** Bakery bread and grocer ration purchases alternating, as the load test sends them. */
    private byte[][] frames()
    {
        final String[] bread = UsablePools.pans(data.cards(), UsablePools.cards(data.cards(), Program.BREAD));
        final String[] ration = UsablePools.pans(data.cards(), UsablePools.cards(data.cards(), Program.RATION));
        final int[] bakeries = UsablePools.activeTerminals(terminals, TerminalType.BAKERY);
        final int[] grocers = UsablePools.activeTerminals(terminals, TerminalType.GROCER);
        final SplittableRandom random = new SplittableRandom(7);
        final RequestBuilder builder = new RequestBuilder();
        final TerminalRequest request = new TerminalRequest();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
        final byte[][] built = new byte[REQUESTS][];
        for (int i = 0; i < REQUESTS; i++)
        {
            final boolean bakery = i % 2 == 0;
            final int terminal = bakery ? bakeries[i / 2 % 8] : grocers[i / 2 % 8];
            new SimulatedTerminal(terminals, terminal).start(request, i + 1, 1123070000L);
            if (bakery)
            {
                request.pan = bread[random.nextInt(bread.length)];
                Purchases.bread(request, 1 + random.nextInt(5));
            }
            else
            {
                request.pan = ration[random.nextInt(ration.length)];
                Purchases.ration(request, 500 + random.nextInt(45) * 100);
            }
            final int length = builder.build(request, out);
            built[i] = new byte[length];
            out.getBytes(0, built[i]);
        }
        return built;
    }

    private static void deleteTree(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
