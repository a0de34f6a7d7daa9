package org.unicard.benchmarks.overload;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.unicard.benchmarks.load.LoadOptions;
import org.unicard.benchmarks.load.LoadResult;
import org.unicard.benchmarks.load.PipelinedTerminalsToSwitch;
import org.unicard.generate.DataSetGenerator;
import org.unicard.importer.DataSetImporter;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard overload}: generates a data set, starts the real switch as a child process,
 * measures its capacity closed-loop, offers twice that open-loop (with a window per connection far
 * beyond the switch's per-connection in-flight limit, so the excess reaches the switch) while
 * sampling the child's heap and direct memory ({@code /metrics}) and resident set ({@code /proc}:
 * all of it, and the anonymous part, which leaves out the journal's memory-mapped file pages) every second, then runs closed-loop again and checks that the throughput has recovered. PASS when
 * the switch stayed up, every request got one expected answer (00, 51 or 91), heap, direct memory
 * and anonymous resident memory in the second half of the burst stayed within 10 % (+16 MiB) of the first half, and the recovered throughput is
 * at least 80 % of the capacity. Exit code 0 on PASS, 1 on FAIL, 2 for bad options.
 */
@Command(name = "overload", mixinStandardHelpOptions = true,
    description = "Twice the measured capacity for a while against a child switch: memory flat, 91 answers, throughput recovers.")
public final class OverloadCommand implements Callable<Integer>
{
    @Option(names = "--warmup-seconds", defaultValue = "10",
        description = "Closed loop before measuring the capacity, so the JIT has compiled the hot path (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--capacity-seconds", defaultValue = "10", description = "Closed-loop capacity measurement (default ${DEFAULT-VALUE}).")
    int capacitySeconds;

    @Option(names = "--burst-seconds", defaultValue = "60", description = "Open loop at twice the capacity (default ${DEFAULT-VALUE}).")
    int burstSeconds;

    @Option(names = "--recovery-seconds", defaultValue = "15", description = "Closed loop after the burst (default ${DEFAULT-VALUE}).")
    int recoverySeconds;

    @Option(names = "--factor", defaultValue = "2.0", description = "Offered load as a multiple of the capacity (default ${DEFAULT-VALUE}).")
    double factor;

    @Option(names = "--connections", defaultValue = "16", description = "Terminal connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--in-flight", defaultValue = "8", description = "Window per connection when measuring capacity (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--burst-in-flight", defaultValue = "512",
        description = "Window per connection during the burst, beyond the switch's limit of 64 (default ${DEFAULT-VALUE}).")
    int burstInFlight;

    @Option(names = "--households", defaultValue = "20000", description = "Households generated (default ${DEFAULT-VALUE}).")
    long households;

    @Option(names = "--heap", defaultValue = "1g", description = "The child switch's -Xmx (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--seed", defaultValue = "1", description = "Data set and traffic seed (default ${DEFAULT-VALUE}).")
    long seed;

    private final PrintStream out = System.out;
    private ChildSwitch process;

    @Override
    public Integer call() throws Exception
    {
        if (capacitySeconds < 1 || burstSeconds < 2 || recoverySeconds < 1 || factor <= 1 || connections < 1 || connections > 1_000)
        {
            System.err.println("overload: need capacity, burst (>= 2) and recovery seconds, --factor > 1, 1..1000 connections");
            return 2;
        }
        final Path directory = Files.createTempDirectory("unicard-overload-");
        try
        {
            return run(directory);
        }
        finally
        {
            if (process != null)
            {
                process.kill();
            }
            ChildSwitch.deleteQuietly(directory);
        }
    }

    private int run(final Path directory) throws Exception
    {
        final String lmkHex = LocalMasterKey.generateHex(new SecureRandom());
        final TdesKey lmk = LocalMasterKey.parse(lmkHex, "the overload run's throw-away key");
        out.printf("overload: generating %,d households in %s%n", households, directory);
        DataSetGenerator.of(households, seed).generate(directory, lmk, (written, total) -> { });
        final DataSet data = DataSetImporter.load(directory, lmk);
        process = new ChildSwitch(directory, heap, out);
        process.start(lmkHex);
        final int port = process.port();

        final LoadResult capacity = new PipelinedTerminalsToSwitch(data,
            new LoadOptions("127.0.0.1:" + port, directory.toString(), connections, inFlight, capacitySeconds, warmupSeconds, null, false, false, households, false, false),
            seed).run("capacity", "127.0.0.1", port);
        out.println(capacity.summary());
        final double offered = factor * capacity.throughput();
        out.printf(Locale.ROOT, "overload: capacity %.0f/s; offering %.0f/s open loop for %d s (window %d per connection)%n",
            capacity.throughput(), offered, burstSeconds, burstInFlight);

        final AtomicReference<LoadResult> burstResult = new AtomicReference<>();
        final AtomicReference<Throwable> burstError = new AtomicReference<>();
        final Thread burst = Thread.ofPlatform().name("overload-burst").start(() ->
        {
            try
            {
                burstResult.set(new PipelinedTerminalsToSwitch(data,
                    new LoadOptions("127.0.0.1:" + port, directory.toString(), connections, burstInFlight, burstSeconds, 0, offered, false, false,
                        households, false, false), seed + 1).run("burst", "127.0.0.1", port));
            }
            catch (final Throwable ex)
            {
                burstError.set(ex);
            }
        });
        final List<long[]> samples = new ArrayList<>();
        out.println("overload:   s  heap_MiB  direct_MiB  rss_MiB  rss_anon_MiB  ring  overload_answers");
        final long start = System.nanoTime();
        for (int second = 1; burst.isAlive(); second++)
        {
            final long due = start + TimeUnit.SECONDS.toNanos(second);
            while (System.nanoTime() - due < 0 && burst.isAlive())
            {
                Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime())));
            }
            if (!burst.isAlive() || second > burstSeconds)
            {
                break;
            }
            final String metrics = process.metrics();
            final long[] sample = {
                second, metric(metrics, "unicard_jvm_heap_used_bytes"), metric(metrics, "unicard_jvm_direct_buffer_bytes"),
                process.anonymousRssBytes(), metric(metrics, "unicard_ring_occupancy"), metric(metrics, "unicard_overload_answers_total"),
                process.rssBytes()};
            samples.add(sample);
            out.printf(Locale.ROOT, "overload: %3d  %8.1f  %10.1f  %7.1f  %12.1f  %4d  %d%n", second, sample[1] / 1048576.0,
                sample[2] / 1048576.0, sample[6] / 1048576.0, sample[3] / 1048576.0, sample[4], sample[5]);
        }
        burst.join();
        if (burstError.get() != null)
        {
            out.println("overload: the burst failed: " + burstError.get());
            return fail("burst load generator failed");
        }
        out.println(burstResult.get().summary());
        if (!process.isAlive())
        {
            return fail("the switch exited with " + process.exitValue() + " during the burst");
        }

        final LoadResult recovery = new PipelinedTerminalsToSwitch(data,
            new LoadOptions("127.0.0.1:" + port, directory.toString(), connections, inFlight, recoverySeconds, 2, null, false, false, households, false, false),
            seed + 2).run("recovery", "127.0.0.1", port);
        out.println(recovery.summary());

        final List<String> failures = new ArrayList<>();
        if (!process.isAlive())
        {
            failures.add("the switch exited with " + process.exitValue());
        }
        for (final LoadResult result : List.of(capacity, burstResult.get(), recovery))
        {
            if (!result.pass())
            {
                failures.add(result.name() + ": the correctness check failed (missing, unmatched or unexpected answers)");
            }
        }
        final int half = samples.size() / 2;
        final String[] names = {"", "heap", "direct", "rss_anon"};
        for (int column = 1; column <= 3; column++)
        {
            final long first = max(samples.subList(0, half), column);
            final long second = max(samples.subList(half, samples.size()), column);
            out.printf(Locale.ROOT, "overload: %s max first half %.1f MiB, second half %.1f MiB%n", names[column], first / 1048576.0,
                second / 1048576.0);
            if (second > first * 1.10 + (16 << 20))
            {
                failures.add(names[column] + " grew during the burst: " + first + " -> " + second + " bytes");
            }
        }
        final long overloadAnswers = samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[5];
        out.printf(Locale.ROOT, "overload: 91 answers during the burst %d (generator saw %d), recovered throughput %.0f/s = %.0f%% of capacity%n",
            overloadAnswers, burstResult.get().codes()[91], recovery.throughput(), 100 * recovery.throughput() / capacity.throughput());
        if (recovery.throughput() < 0.8 * capacity.throughput())
        {
            failures.add(String.format(Locale.ROOT, "throughput did not recover: %.0f/s after, %.0f/s before", recovery.throughput(),
                capacity.throughput()));
        }
        if (!process.stop())
        {
            failures.add("the switch did not stop cleanly on SIGTERM");
        }
        if (failures.isEmpty())
        {
            out.println("PASS");
            return 0;
        }
        failures.forEach(failure -> out.println("overload: " + failure));
        return fail(failures.size() + " check(s) failed");
    }

    private int fail(final String why)
    {
        out.println("FAIL: " + why);
        return 1;
    }

    private static long max(final List<long[]> samples, final int column)
    {
        long max = 0;
        for (final long[] sample : samples)
        {
            max = Math.max(max, sample[column]);
        }
        return max;
    }

    private static long metric(final String metrics, final String name)
    {
        return ChildSwitch.metric(metrics, name);
    }
}
