package org.unicard.changes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.unicard.authorizer.Authorizer;
import org.unicard.config.ProgramRules;
import org.unicard.generate.DataSetGenerator;
import org.unicard.importer.DataSetImporter;
import org.unicard.importer.Headroom;
import org.unicard.importer.ImportListener;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Luhn;
import org.unicard.state.Program;

/**
 * How long a 100,000-line change batch holds the ring (spec §12 asks ≤ 50 ms): {@link #commit} is
 * what the decode stage does between two requests once every other stage waits (every change, with
 * the lookups resolved), on fresh tables each time; {@link #prepare} (the checks against the live
 * tables and the lookups) and {@link #parse} (the validation) run off the ring on the
 * {@code unicard-changes} thread, measured for comparison. The batch: 10,000 existing households
 * changed, 25,000 households added with 50,000 cards (a head and a member each), 15,000 existing cards
 * changed, over a generated data set of 10,000 households.
 * <p>
 * Run: {@code bin/unicard jmh ChangeBatchBenchmark} (single shot per invocation: 3 warm-up, 10 measured).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dchronicle.analytics.disable=true"})
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class ChangeBatchBenchmark
{
    private static final int HOUSEHOLDS = 10_000;
    private static final int NEW_HOUSEHOLDS = 25_000;
    private static final int CHANGED_CARDS = 15_000;
    private static final Headroom ROOM = new Headroom(100, 200_000);

    private Path directory;
    private TdesKey lmk;
    private byte[] body;
    private ChangeBatch batch;
    private DataSet data;
    private Authorizer authorizer;
    private ChangeApplier applier;
    private ChangeApplier.Plan plan;
    private long nowMs;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        directory = Files.createTempDirectory("unicard-change-benchmark-");
        lmk = LocalMasterKey.parse(LocalMasterKey.generateHex(new SecureRandom()), "the benchmark's throw-away key");
        DataSetGenerator.of(HOUSEHOLDS, 1).generate(directory, lmk, (written, total) -> { });
        final DataSet base = DataSetImporter.load(directory, lmk);
        body = batchText(base).getBytes(StandardCharsets.UTF_8);
        final ChangeParser.Result parsed = new ChangeParser(lmk).parse("bench", body);
        if (!parsed.ok())
        {
            throw new IllegalStateException("benchmark batch refused: " + parsed.errors().subList(0, Math.min(5, parsed.errors().size())));
        }
        batch = parsed.batch();
        if (batch.size() != 100_000)
        {
            throw new IllegalStateException("batch size=" + batch.size());
        }
    }

    @Setup(Level.Invocation)
    public void freshTables() throws Exception
    {
        data = DataSetImporter.load(directory, lmk, ImportListener.NONE, ROOM);
        authorizer = new Authorizer(data, ProgramRules.defaults(), 1 << 16, 1 << 16);
        nowMs = System.currentTimeMillis();
        authorizer.genesis(nowMs);
        applier = new ChangeApplier(data, authorizer);
        plan = applier.prepare(batch);
        if (!plan.errors().isEmpty())
        {
            throw new IllegalStateException("refused: " + plan.errors().getFirst());
        }
        // What the garbage of the import would otherwise add to the measured commit.
        System.gc();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.delete(path);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }

    /** The ring's share: every change, with the lookups the plan resolved off the ring. */
    @Benchmark
    public int commit()
    {
        final ChangeApplier.Outcome outcome = applier.commit(plan, nowMs);
        if (!outcome.applied())
        {
            throw new IllegalStateException("refused: " + outcome.errors().getFirst());
        }
        return outcome.counts().applied();
    }

    /** Off the ring: the checks against the live tables and the lookups, on tables as they were imported. */
    @Benchmark
    public int prepare()
    {
        return applier.prepare(batch).errors().size();
    }

    /** Off the ring: syntax, values, duplicates (no keys in this batch). */
    @Benchmark
    public int parse()
    {
        return new ChangeParser(lmk).parse("bench", body).batch().size();
    }

    /**
     * The same steps timed without JMH (for when another JMH run holds its lock): 3 warm-up runs,
     * then {@code args[0]} measured, each on fresh tables: prepare, commit, parse.
     * {@code java -Xmx2g -cp benchmarks/target/unicard-benchmarks.jar org.unicard.changes.ChangeBatchBenchmark 10}
     */
    public static void main(final String[] args) throws Exception
    {
        final int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        final ChangeBatchBenchmark benchmark = new ChangeBatchBenchmark();
        benchmark.setUp();
        final double[] commit = new double[runs];
        final double[] prepare = new double[runs];
        final double[] parse = new double[runs];
        for (int i = 0; i < runs + 3; i++)
        {
            benchmark.freshTables();
            final long t0 = System.nanoTime();
            benchmark.prepare();
            final long t1 = System.nanoTime();
            benchmark.commit();
            final long t2 = System.nanoTime();
            benchmark.parse();
            final long t3 = System.nanoTime();
            if (i >= 3)
            {
                prepare[i - 3] = (t1 - t0) / 1e6;
                commit[i - 3] = (t2 - t1) / 1e6;
                parse[i - 3] = (t3 - t2) / 1e6;
            }
        }
        java.util.Arrays.sort(commit);
        java.util.Arrays.sort(prepare);
        java.util.Arrays.sort(parse);
        System.out.printf("runs=%d commit-ms min=%.1f median=%.1f max=%.1f prepare-ms min=%.1f median=%.1f parse-ms min=%.1f median=%.1f " +
                "commit/prepare=%.2f load-average=%.1f%n", runs, commit[0], commit[runs / 2], commit[runs - 1], prepare[0], prepare[runs / 2],
            parse[0], parse[runs / 2], commit[runs / 2] / prepare[runs / 2],
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        benchmark.tearDown();
    }

    private static String batchText(final DataSet base)
    {
        final HouseholdTable households = base.households();
        final CardTable cards = base.cards();
        final StringBuilder text = new StringBuilder(32 << 20);
        for (int h = 0; h < HOUSEHOLDS; h++)
        {
            household(text, households.householdId(h), households.governorate(h), households.rationIndividuals(h) + 1,
                households.breadIndividuals(h), households.cashSupportMonthlyPiasters(h));
        }
        for (int i = 0; i < NEW_HOUSEHOLDS; i++)
        {
            final long id = 900_000_000L + i;
            household(text, id, 3, 4, 4, 10_000);
            card(text, Luhn.checkDigit(999_000_000_000_000L + 2L * i) + (999_000_000_000_000L + 2L * i) * 10, 28001010300111L, id, true,
                "collected", LocalDate.of(2026, 11, 20), 3012, 1234, "ration;bread;cash;wallet", false, 0, "0", "01012345678");
            card(text, Luhn.checkDigit(999_000_000_000_001L + 2L * i) + (999_000_000_000_001L + 2L * i) * 10, 29001010300111L, id, false,
                "issued", LocalDate.of(2026, 11, 20), 3012, 1234, "health;wallet", false, 0, "0", "");
        }
        final int changed = Math.min(CHANGED_CARDS, cards.size());
        for (int c = 0; c < changed; c++)
        {
            final int replaced = cards.replacesCard(c);
            card(text, cards.pan(c), cards.nationalId(c), households.householdId(cards.household(c)), cards.hasFlag(c, CardTable.FLAG_HEAD),
                "collected", LocalDate.ofEpochDay(cards.issuedDay(c)), cards.expiryYyMm(c), cards.pvv(c), Program.names(cards.programs(c)),
                cards.hasFlag(c, CardTable.FLAG_HEALTH_EXEMPT), replaced == CardTable.NO_CARD ? 0 : cards.pan(replaced), "", "01098765432");
        }
        for (int i = changed; i < CHANGED_CARDS; i++)
        {
            household(text, 800_000_000L + i, 3, 1, 1, 0);
        }
        return text.toString();
    }

    private static void household(final StringBuilder text, final long id, final int governorate, final int ration, final int bread,
        final long cash)
    {
        text.append("{\"op\":\"household\",\"household_id\":").append(id).append(",\"governorate\":\"")
            .append(governorate < 10 ? "0" : "").append(governorate).append("\",\"ration_individuals\":").append(ration)
            .append(",\"bread_individuals\":").append(bread).append(",\"cash_support_piasters\":").append(cash).append("}\n");
    }

    private static void card(final StringBuilder text, final long pan, final long nationalId, final long household, final boolean head,
        final String status, final LocalDate issuedOn, final int expiry, final int pvv, final String programs, final boolean exempt,
        final long replaces, final String wallet, final String mobile)
    {
        text.append("{\"op\":\"card\",\"pan\":\"").append(pan).append("\",\"national_id\":\"").append(String.format("%014d", nationalId))
            .append("\",\"household_id\":").append(household).append(",\"role\":\"").append(head ? "head" : "member")
            .append("\",\"status\":\"").append(status).append("\",\"issued_on\":\"").append(issuedOn).append("\",\"expiry\":\"")
            .append(String.format("%04d", expiry)).append("\",\"pvv\":\"").append(String.format("%04d", pvv)).append("\",\"programs\":\"")
            .append(programs).append("\",\"health_exempt\":").append(exempt).append(",\"replaces_pan\":\"").append(replaces == 0 ? "" : replaces)
            .append("\",\"mobile\":\"").append(mobile).append('"');
        if (!wallet.isEmpty())
        {
            text.append(",\"wallet_piasters\":").append(wallet);
        }
        text.append("}\n");
    }
}
