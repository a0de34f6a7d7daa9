package org.unicard.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.unicard.importer.CivilDays;
import org.unicard.importer.DataFiles;
import org.unicard.importer.Governorates;
import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.TdesKey;

/**
 * Writes a synthetic data directory (spec §10): {@code households.csv}, {@code cards.csv},
 * {@code terminals.csv}, {@code acquirers.csv}, {@code keys.csv}, plus {@code dataset.properties}
 * describing how it was made. For demos, tests and load tests only: every key is derived from the
 * seed and the LMK, and every PIN from the seed and the PAN ({@link #syntheticPin}).
 * <p>
 * Deterministic: the same households, seed and LMK give byte-identical files, whatever the number
 * of threads. Streaming: households are rendered in chunks of {@link #CHUNK_HOUSEHOLDS} on a few
 * threads and written in order, with at most two chunks per thread in memory. Each file is
 * written as {@code <name>.partial} and renamed once everything is written, so a failed run
 * leaves no file the importer would take for a whole one.
 * <p>
 * The data describe the reference date {@link #REFERENCE_DATE}: household sizes 1–9 (mean 3.34),
 * ration and bread individuals equal to the size, a card for the head and for each member aged
 * 16 or more (about 60% of citizens), 15% of households with cash support (450–900 EGP a month),
 * 2% of heads holding a new card that replaces an old, still collected one, cards issued in the
 * 400 days before the reference date (7% not collected, blocked or damaged) and expiring 3–5 years
 * after issue. Terminals: a bakery per 250 households, a grocer per 200, a health provider per
 * 2,000 (at least 2), a post office per 3,000 (at least 2), 1% inactive; three acquirers.
 */
public final class DataSetGenerator
{
    public static final long DEFAULT_HOUSEHOLDS = 42_000;
    public static final long DEFAULT_SEED = 1;
    /** Card PANs hold a 9-digit account number and a household has up to 10 card slots. */
    public static final long MAX_HOUSEHOLDS = 100_000_000;
    /** Above this many households, households spread over every governorate; up to it, Port Said. */
    public static final long PILOT_MAX_HOUSEHOLDS = 100_000;
    public static final LocalDate REFERENCE_DATE = LocalDate.of(2026, 11, 1);
    /** Changes whenever the same seed would give different files. */
    public static final int VERSION = 1;
    public static final int CHUNK_HOUSEHOLDS = 4096;
    /** Where {@code bin/unicard generate} writes an LMK it had to make. */
    public static final String LMK_FILE = "lmk.hex";
    public static final String PROPERTIES_FILE = "dataset.properties";

    private static final long TERMINAL_STREAM = 2;
    private static final long PVK_STREAM = 3;
    private static final long TERMINAL_KEY_STREAM = 4;
    private static final long ZONE_KEY_STREAM = 5;
    private static final long PAN_STREAM = 6;
    private static final String PARTIAL = ".partial";

    private static final String[] TERMINAL_LETTERS = {"B", "G", "H", "P"};
    private static final String[] TYPE_NAMES = {"bakery", "grocer", "health", "post"};
    private static final String[] TYPE_ARABIC = {"مخبز", "بقالة تموين", "وحدة صحة أسرة", "مكتب بريد"};
    private static final String[] SHOP_NAMES = {
        "النور", "الأمل", "السلام", "الرحمة", "الفجر", "الهدى", "البركة", "الإيمان", "الصفا", "المدينة", "الشروق", "النصر"};
    private static final long[] ACQUIRER_IDS = {10000000001L, 10000000002L, 10000000003L};
    private static final String[] ACQUIRER_NAMES = {
        "البريد المصري (Egypt Post)", "بنك مصر (Banque Misr)", "البنك الأهلي المصري (National Bank of Egypt)"};

    private final long households;
    private final long seed;
    private final int governorate;
    private final int threads;

    /**
     * @param households  how many households, 1 to {@link #MAX_HOUSEHOLDS}.
     * @param seed        any value; the same seed gives the same data.
     * @param governorate the governorate code of every household and terminal, or 0 to spread
     *                    them over every governorate by population.
     * @param threads     threads rendering households, at least 1.
     */
    public DataSetGenerator(final long households, final long seed, final int governorate, final int threads)
    {
        if (households < 1 || households > MAX_HOUSEHOLDS)
        {
            throw new IllegalArgumentException("households=" + households + " range=[1," + MAX_HOUSEHOLDS + "]");
        }
        if (governorate != 0 && (!Governorates.isValid(governorate) || governorate == Governorates.ABROAD))
        {
            throw new IllegalArgumentException("governorate=" + governorate + " is not a governorate of residence");
        }
        if (threads < 1)
        {
            throw new IllegalArgumentException("threads=" + threads + " min=1");
        }
        this.households = households;
        this.seed = seed;
        this.governorate = governorate;
        this.threads = threads;
    }

    /**
     * @param households how many households.
     * @param seed       the seed.
     * @return a generator with the default governorate rule ({@link #defaultGovernorate}) and one
     * thread per available processor.
     */
    public static DataSetGenerator of(final long households, final long seed)
    {
        return new DataSetGenerator(
            households, seed, defaultGovernorate(households), Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param households how many households.
     * @return Port Said (03) for a pilot-sized set (up to {@link #PILOT_MAX_HOUSEHOLDS}), else 0
     * (spread over every governorate).
     */
    public static int defaultGovernorate(final long households)
    {
        return households <= PILOT_MAX_HOUSEHOLDS ? Governorates.PORT_SAID : 0;
    }

    /**
     * The PIN of a synthetic card, so simulated terminals can enter the right one: the SplitMix64
     * finalizer ({@code z = (z ^ z>>>30) * 0xBF58476D1CE4E5B9; z = (z ^ z>>>27) * 0x94D049BB133111EB;
     * z ^ z>>>31}) applied to {@code seed * 0x9E3779B97F4A7C15 + pan}, read as unsigned, modulo 10,000.
     *
     * @param seed the data set's seed.
     * @param pan  the card's PAN.
     * @return the PIN, 0..9999, entered as 4 digits with leading zeros.
     */
    public static int syntheticPin(final long seed, final long pan)
    {
        return (int)Long.remainderUnsigned(SplitMix64.mix64(seed * 0x9E3779B97F4A7C15L + pan), 10_000);
    }

    /**
     * Writes the data directory.
     *
     * @param outputDirectory created when absent; files of the same names are replaced.
     * @param lmk             the local master key every key is written under.
     * @param listener        told of progress after each chunk.
     * @return what was written.
     * @throws IOException when a file cannot be written.
     */
    public GenerationSummary generate(final Path outputDirectory, final TdesKey lmk, final GenerationListener listener)
        throws IOException
    {
        final long startNs = System.nanoTime();
        Files.createDirectories(outputDirectory);
        final int referenceDay = CivilDays.toDay(
            REFERENCE_DATE.getYear(), REFERENCE_DATE.getMonthValue(), REFERENCE_DATE.getDayOfMonth());
        final long keySeed = keySeed(lmk);

        final byte[] pvk = KeyCipher.generateKey(new SplitMix64(SplitMix64.streamSeed(keySeed, PVK_STREAM, 0)));
        final HouseholdChunk.Settings settings = new HouseholdChunk.Settings(
            seed, governorate, referenceDay, TdesKey.of(pvk), panMultiplier(), panOffset());

        final long[] counts = writeHouseholdsAndCards(outputDirectory, settings, listener);
        final int[] terminals = writeTerminals(outputDirectory, lmk, keySeed);
        writeAcquirers(outputDirectory, lmk, keySeed);
        writeKeys(outputDirectory, lmk, pvk);

        for (final String file : new String[] {
            DataFiles.HOUSEHOLDS, DataFiles.CARDS, DataFiles.TERMINALS, DataFiles.ACQUIRERS, DataFiles.KEYS})
        {
            Files.move(outputDirectory.resolve(file + PARTIAL), outputDirectory.resolve(file),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        final GenerationSummary summary = new GenerationSummary(
            households, counts[0], counts[1], terminals[0], terminals[1], terminals[2], terminals[3], ACQUIRER_IDS.length,
            System.nanoTime() - startNs);
        writeProperties(outputDirectory, summary);
        return summary;
    }

    private long[] writeHouseholdsAndCards(
        final Path directory, final HouseholdChunk.Settings settings, final GenerationListener listener)
        throws IOException
    {
        final ExecutorService pool = Executors.newFixedThreadPool(threads, runnable ->
        {
            final Thread thread = new Thread(runnable, "generate-households");
            thread.setDaemon(true);
            return thread;
        });
        long citizens = 0;
        long cards = 0;
        try (OutputStream householdsOut = open(directory, DataFiles.HOUSEHOLDS);
            OutputStream cardsOut = open(directory, DataFiles.CARDS))
        {
            householdsOut.write(header(DataFiles.HOUSEHOLDS_COLUMNS));
            cardsOut.write(header(DataFiles.CARDS_COLUMNS));
            final ArrayDeque<Future<HouseholdChunk>> inFlight = new ArrayDeque<>();
            long submitted = 0;
            long written = 0;
            while (written < households)
            {
                while (submitted < households && inFlight.size() < threads * 2)
                {
                    final long from = submitted;
                    final long to = Math.min(households, from + CHUNK_HOUSEHOLDS);
                    inFlight.add(pool.submit(() -> new HouseholdChunk(settings, (int)(to - from)).render(from, to)));
                    submitted = to;
                }
                final HouseholdChunk chunk = take(inFlight.poll());
                chunk.households.writeTo(householdsOut);
                chunk.cards.writeTo(cardsOut);
                citizens += chunk.citizens;
                cards += chunk.cardCount;
                written = Math.min(households, written + CHUNK_HOUSEHOLDS);
                listener.onProgress(written, households);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        return new long[] {citizens, cards};
    }

    private int[] writeTerminals(final Path directory, final TdesKey lmk, final long keySeed) throws IOException
    {
        final int[] counts = {
            (int)Math.max(1, (households + 125) / 250),
            (int)Math.max(1, (households + 100) / 200),
            (int)Math.max(2, (households + 1000) / 2000),
            (int)Math.max(2, (households + 1500) / 3000)};
        final SplitMix64 random = new SplitMix64(0);
        final SplitMix64 keyRandom = new SplitMix64(0);
        try (OutputStream out = open(directory, DataFiles.TERMINALS))
        {
            out.write(header(DataFiles.TERMINALS_COLUMNS));
            final ByteSink row = new ByteSink(512);
            long terminalIndex = 0;
            for (int type = 0; type < counts.length; type++)
            {
                for (int number = 1; number <= counts[type]; number++)
                {
                    random.reset(SplitMix64.streamSeed(seed, TERMINAL_STREAM, terminalIndex));
                    keyRandom.reset(SplitMix64.streamSeed(keySeed, TERMINAL_KEY_STREAM, terminalIndex));
                    final int terminalGovernorate = governorate != 0 ? governorate : Geography.pick(random);
                    final String name = TYPE_ARABIC[type] + " " + SHOP_NAMES[random.below(SHOP_NAMES.length)] + " " +
                        number + ", " + Geography.arabicName(terminalGovernorate);
                    final String pinKey = underLmk(lmk, KeyCipher.generateKey(keyRandom));
                    final String macKey = underLmk(lmk, KeyCipher.generateKey(keyRandom));
                    row.put(TERMINAL_LETTERS[type].getBytes(StandardCharsets.US_ASCII)).digits(number, 7).comma()
                        .put("EG".getBytes(StandardCharsets.US_ASCII)).digits(terminalGovernorate, 2)
                        .put(TERMINAL_LETTERS[type].getBytes(StandardCharsets.US_ASCII)).digits(number, 10).comma()
                        .put(TYPE_NAMES[type].getBytes(StandardCharsets.US_ASCII)).comma()
                        .digits(terminalGovernorate, 2).comma()
                        .csv(name).comma()
                        .csv(pinKey).comma()
                        .csv(macKey).comma()
                        .csv(random.percent(1) ? "inactive" : "active").endLine();
                    terminalIndex++;
                    if (row.length() > 1 << 16)
                    {
                        row.writeTo(out);
                        row.clear();
                    }
                }
            }
            row.writeTo(out);
        }
        return counts;
    }

    private void writeAcquirers(final Path directory, final TdesKey lmk, final long keySeed) throws IOException
    {
        final SplitMix64 keyRandom = new SplitMix64(0);
        try (OutputStream out = open(directory, DataFiles.ACQUIRERS))
        {
            out.write(header(DataFiles.ACQUIRERS_COLUMNS));
            final ByteSink rows = new ByteSink(1024);
            for (int i = 0; i < ACQUIRER_IDS.length; i++)
            {
                keyRandom.reset(SplitMix64.streamSeed(keySeed, ZONE_KEY_STREAM, i));
                rows.number(ACQUIRER_IDS[i]).comma().csv(ACQUIRER_NAMES[i]).comma()
                    .csv(underLmk(lmk, KeyCipher.generateKey(keyRandom))).comma().csv("active").endLine();
            }
            rows.writeTo(out);
        }
    }

    private static void writeKeys(final Path directory, final TdesKey lmk, final byte[] pvk) throws IOException
    {
        try (OutputStream out = open(directory, DataFiles.KEYS))
        {
            out.write(header(DataFiles.KEYS_COLUMNS));
            out.write((DataFiles.PVK + "," + underLmk(lmk, pvk) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void writeProperties(final Path directory, final GenerationSummary summary) throws IOException
    {
        final String properties =
            "# Synthetic Unicard data set, for demos and tests only: its keys derive from the seed and the LMK.\n" +
            "generator_version=" + VERSION + "\n" +
            "seed=" + seed + "\n" +
            "households=" + households + "\n" +
            "governorate=" + (governorate == 0 ? "all" : String.format("%02d", governorate)) + "\n" +
            "reference_date=" + REFERENCE_DATE + "\n" +
            "citizens=" + summary.citizens() + "\n" +
            "cards=" + summary.cards() + "\n" +
            "terminals=" + summary.terminals() + "\n" +
            "pin=syntheticPin(seed, pan), see org.unicard.generate.DataSetGenerator\n";
        final Path partial = directory.resolve(PROPERTIES_FILE + PARTIAL);
        Files.writeString(partial, properties, StandardCharsets.UTF_8);
        Files.move(partial, directory.resolve(PROPERTIES_FILE), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Keys derive from the seed and the LMK: the same pair gives the same files, and someone who
     * knows the seed but not the LMK cannot recompute the keys.
     */
    private long keySeed(final TdesKey lmk)
    {
        final byte[] block = ByteBuffer.allocate(16)
            .putLong(seed).put("UNICARDK".getBytes(StandardCharsets.US_ASCII)).array();
        final ByteBuffer encrypted = ByteBuffer.wrap(KeyCipher.encryptUnderLmk(lmk, block));
        return encrypted.getLong(0) ^ SplitMix64.mix64(encrypted.getLong(8));
    }

    private long panMultiplier()
    {
        long multiplier = Math.floorMod(SplitMix64.streamSeed(seed, PAN_STREAM, 0), 1_000_000_000L) | 1;
        while (multiplier % 5 == 0)
        {
            multiplier += 2;
        }
        return multiplier;
    }

    private long panOffset()
    {
        return Math.floorMod(SplitMix64.streamSeed(seed, PAN_STREAM, 1), 1_000_000_000L);
    }

    private static String underLmk(final TdesKey lmk, final byte[] clearKey)
    {
        return Hex.encode(KeyCipher.encryptUnderLmk(lmk, clearKey));
    }

    private static byte[] header(final java.util.List<String> columns)
    {
        return (DataFiles.header(columns) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static OutputStream open(final Path directory, final String fileName) throws IOException
    {
        return new BufferedOutputStream(Files.newOutputStream(directory.resolve(fileName + PARTIAL)), 1 << 16);
    }

    private static HouseholdChunk take(final Future<HouseholdChunk> chunk) throws IOException
    {
        try
        {
            return chunk.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while generating households");
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            throw new IllegalStateException("household rendering failed", ex.getCause());
        }
    }
}
