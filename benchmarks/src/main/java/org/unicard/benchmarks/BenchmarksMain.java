package org.unicard.benchmarks;

import java.util.Arrays;

/**
 * Entry point of the benchmark programs run through {@code bin/unicard}: {@code jmh} runs the JMH
 * suite with the given JMH arguments.
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
            System.err.println("usage: bin/unicard jmh [JMH options]");
            System.exit(2);
        }
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0])
        {
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default ->
            {
                System.err.println("unknown benchmark command: " + args[0]);
                System.exit(2);
            }
        }
    }
}
