package org.unicard.benchmarks;

import java.util.Arrays;

import org.unicard.benchmarks.load.LoadTestCommand;

/**
 * Entry point of the benchmark programs run through {@code bin/unicard}: {@code jmh} runs the JMH
 * suite with the given JMH arguments; {@code loadtest} runs the end-to-end load generator
 * ({@link org.unicard.benchmarks.load.LoadTestCommand}); {@code torture}, {@code overload},
 * {@code idle-connections} and {@code replay-limits} are the programs of the same names.
 */
public final class BenchmarksMain
{
    private BenchmarksMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length == 0)
        {
            System.err.println("usage: bin/unicard jmh [JMH options] | bin/unicard loadtest --help");
            System.exit(2);
        }
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0])
        {
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "loadtest" -> System.exit(new picocli.CommandLine(new LoadTestCommand()).execute(rest));
            case "torture" -> System.exit(new picocli.CommandLine(new org.unicard.benchmarks.torture.TortureCommand()).execute(rest));
            case "overload" -> System.exit(new picocli.CommandLine(new org.unicard.benchmarks.overload.OverloadCommand()).execute(rest));
            case "replay-limits" ->
                System.exit(new picocli.CommandLine(new org.unicard.benchmarks.replay.ReplayLimitsCommand()).execute(rest));
            case "idle-connections" ->
                System.exit(new picocli.CommandLine(new org.unicard.benchmarks.overload.IdleConnectionsCommand()).execute(rest));
            default ->
            {
                System.err.println("unknown benchmark command: " + args[0]);
                System.exit(2);
            }
        }
    }
}
