package org.unicard.state;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.unicard.authorizer.Authorizer;

/**
 * The PAN check every decision makes (12–19 digits without a leading zero, then Luhn), the current
 * {@link Authorizer#luhnValid} against the digit-by-digit version it replaced on 2026-12-04
 * ({@link #baselineValid}, kept here as the baseline), over 1,024 generated 16-digit PANs (their
 * check digits right, as almost all requests' are). Average time per PAN.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PanCheckBenchmark
{
    private static final int PANS = 1_024;

    private final long[] pans = new long[PANS];

    @Setup
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < PANS; i++)
        {
            final long payload = 507_803_000_000_000L + random.nextLong(1_000_000_000L);
            pans[i] = payload * 10 + Luhn.checkDigit(payload);
            if (!Authorizer.luhnValid(pans[i], 16) || !baselineValid(pans[i], 16))
            {
                throw new IllegalStateException("pan=" + pans[i] + " should pass both checks");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(PANS)
    public int current()
    {
        int valid = 0;
        for (final long pan : pans)
        {
            valid += Authorizer.luhnValid(pan, 16) ? 1 : 0;
        }
        return valid;
    }

    @Benchmark
    @OperationsPerInvocation(PANS)
    public int baseline()
    {
        int valid = 0;
        for (final long pan : pans)
        {
            valid += baselineValid(pan, 16) ? 1 : 0;
        }
        return valid;
    }

    /**
     * The check as it was before 2026-12-04: a digit count by division, then the check digit of the
     * payload computed digit by digit ({@link Luhn#checkDigit}, which is still that loop).
     */
    static boolean baselineValid(final long pan, final int digits)
    {
        return digits >= 12 && digits <= 19 && pan > 0 && baselineDigitCount(pan) == digits && pan % 10 == Luhn.checkDigit(pan / 10);
    }

    private static int baselineDigitCount(final long value)
    {
        int count = 1;
        for (long rest = value / 10; rest > 0; rest /= 10)
        {
            count++;
        }
        return count;
    }
}
