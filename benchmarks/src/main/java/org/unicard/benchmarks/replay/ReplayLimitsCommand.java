package org.unicard.benchmarks.replay;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/unicard replay-limits}: the two floors under the replay rate (docs/performance.md,
 * "National scale"). First, what reading a journal costs before any decision: the Chronicle tailer
 * and the copy of each record, then with the CRC-32C check, then with decoding. Second, what this
 * machine's memory gives to one thread over an array the size of the switch's state: the time of
 * one random read that depends on the one before, and the rate of independent random reads.
 * Each figure is the median of the rounds.
 */
@Command(name = "replay-limits", mixinStandardHelpOptions = true,
    description = "Journal reading cost per record, and random-read latency and rate over a large array.")
public final class ReplayLimitsCommand implements Callable<Integer>
{
    @Option(names = "--journal", paramLabel = "DIR", description = "A journal to read (read only); none: skip that part.")
    Path journal;

    @Option(names = "--mb", defaultValue = "6144", description = "Size of the array read at random, MiB (default ${DEFAULT-VALUE}; "
        + "the JVM needs a heap above it, e.g. UNICARD_JAVA_OPTS=-Xmx8g); 0: skip that part.")
    long megabytes;

    @Option(names = "--reads", defaultValue = "50000000", description = "Independent random reads per round (default ${DEFAULT-VALUE}).")
    int reads;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; each figure is their median (default ${DEFAULT-VALUE}).")
    int rounds;

    @Spec
    CommandSpec spec;

    private long sink;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (rounds < 1 || reads < 1 || megabytes < 0 || megabytes > 16_000)
        {
            out.println("replay-limits: --rounds and --reads must be at least 1, --mb between 0 and 16000");
            return 2;
        }
        if (journal != null)
        {
            journal(out);
        }
        if (megabytes > 0)
        {
            memory(out);
        }
        out.println("sink=" + (sink & 1));
        out.flush();
        return 0;
    }

    private void journal(final PrintWriter out)
    {
        final double[] read = new double[rounds];
        final double[] verified = new double[rounds];
        final double[] decoded = new double[rounds];
        long records = 0;
        try (ChronicleJournal opened = ChronicleJournal.openReadOnly(journal))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
            final JournalRecord record = new JournalRecord();
            final AuthRequest request = new AuthRequest();
            final AuthOutcome outcome = new AuthOutcome();
            for (int round = 0; round < rounds; round++)
            {
                records = 0;
                long start = System.nanoTime();
                try (ChronicleJournal.Reader reader = opened.reader())
                {
                    while (reader.next(buffer) >= 0)
                    {
                        sink += buffer.getInt(0);
                        records++;
                    }
                }
                read[round] = perRecord(start, records);
                start = System.nanoTime();
                try (ChronicleJournal.Reader reader = opened.reader())
                {
                    int length;
                    while ((length = reader.next(buffer)) >= 0)
                    {
                        sink += record.verify(buffer, length) == null ? 1 : 2;
                    }
                }
                verified[round] = perRecord(start, records);
                start = System.nanoTime();
                try (ChronicleJournal.Reader reader = opened.reader())
                {
                    int length;
                    while ((length = reader.next(buffer)) >= 0)
                    {
                        sink += record.verify(buffer, length) == null ? 1 : 2;
                        if (JournalRecord.type(buffer) == JournalRecord.TYPE_REQUEST)
                        {
                            request.clear();
                            JournalRecord.decodeRequest(buffer, request, outcome);
                            sink += request.pan;
                        }
                    }
                }
                decoded[round] = perRecord(start, records);
            }
        }
        out.printf(Locale.ROOT, "journal: records=%d read=%.0f ns/record read+crc=%.0f ns/record read+crc+decode=%.0f ns/record%n",
            records, median(read), median(verified), median(decoded));
    }

    private void memory(final PrintWriter out)
    {
        final int length = (int)Math.min(Integer.MAX_VALUE - 8, megabytes * 1024 * 1024 / 8);
        final long[] array = new long[length];
        for (int i = 0; i < length; i += 512)
        {
            array[i] = i;
        }
        final double[] dependentNanos = new double[rounds];
        final double[] independentPerSecond = new double[rounds];
        final int chain = Math.max(1, reads / 10);
        long x = 0x9E3779B97F4A7C15L;
        for (int round = 0; round < rounds; round++)
        {
            long start = System.nanoTime();
            long total = 0;
            for (int i = 0; i < reads; i++)
            {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                total += array[(int)((x >>> 1) % length)];
            }
            independentPerSecond[round] = reads / ((System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            long at = 0;
            for (int i = 0; i < chain; i++)
            {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                at = (array[(int)at] + (x >>> 1)) % length;
            }
            dependentNanos[round] = (System.nanoTime() - start) / (double)chain;
            sink += total + at;
        }
        out.printf(Locale.ROOT, "memory: array=%d MiB dependent random read=%.0f ns independent random reads=%.1f M/s (one thread)%n",
            megabytes, median(dependentNanos), median(independentPerSecond) / 1e6);
    }

    private static double perRecord(final long startNanos, final long records)
    {
        return records == 0 ? 0 : (System.nanoTime() - startNanos) / (double)records;
    }

    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
