package org.unicard.benchmarks.replay;

import java.util.Arrays;

/**
 * How long a cache line takes to go from one core to another and back: two threads hand a counter
 * to each other through two volatile fields, each spinning until the other has written. Tells
 * whether replay's reader thread and replaying thread can share a cache (a round trip of some tens
 * of nanoseconds: one core complex; a few hundred: the line crosses between complexes or sockets,
 * and a line one thread reads and the other writes costs that every time). Each round prints ns per
 * round trip; the median over rounds is printed last.
 * <p>
 * Run: {@code java -cp benchmarks/target/unicard-benchmarks.jar
 * org.unicard.benchmarks.replay.CacheLineRoundTrip [rounds]} (default 7). It needs both threads on
 * cores of their own: on a busy machine a round measures the scheduler instead.
 */
public final class CacheLineRoundTrip
{
    private static final int ROUND_TRIPS = 2_000_000;

    private static volatile long ping;
    private static volatile long pong;

    private CacheLineRoundTrip()
    {
    }

    /**
     * @param args optional number of rounds.
     */
    public static void main(final String[] args)
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        if (rounds < 1)
        {
            throw new IllegalArgumentException("rounds=" + rounds + " expected at least 1");
        }
        final long total = (long)rounds * ROUND_TRIPS;
        final Thread echo = new Thread(() ->
        {
            for (long i = 1; i <= total; i++)
            {
                while (ping != i)
                {
                    Thread.onSpinWait();
                }
                pong = i;
            }
        }, "cache-line-echo");
        echo.setDaemon(true);
        echo.start();
        final double[] nsPerRoundTrip = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            final long first = (long)round * ROUND_TRIPS + 1;
            final long start = System.nanoTime();
            for (long i = first; i < first + ROUND_TRIPS; i++)
            {
                ping = i;
                while (pong != i)
                {
                    Thread.onSpinWait();
                }
            }
            nsPerRoundTrip[round] = (System.nanoTime() - start) / (double)ROUND_TRIPS;
            System.out.printf("round %d: %.1f ns per round trip%n", round + 1, nsPerRoundTrip[round]);
        }
        Arrays.sort(nsPerRoundTrip);
        System.out.printf("median of %d rounds: %.1f ns per round trip (%d processors)%n",
            rounds, nsPerRoundTrip[rounds / 2], Runtime.getRuntime().availableProcessors());
    }
}
