package org.unicard.generate;

import java.util.random.RandomGenerator;

/**
 * Steele, Lea and Flood's SplitMix64, reseedable in place so a worker can give every household
 * its own stream without allocating. Its bounded draws are defined here, not inherited, so the
 * generated files do not change with the Java runtime's {@link RandomGenerator} defaults.
 * Not for secrets.
 */
final class SplitMix64 implements RandomGenerator
{
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(final long seed)
    {
        state = seed;
    }

    /**
     * @param seed the new state.
     * @return this generator.
     */
    SplitMix64 reset(final long seed)
    {
        state = seed;
        return this;
    }

    @Override
    public long nextLong()
    {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /**
     * @param bound an exclusive upper bound, positive.
     * @return a value in {@code [0, bound)} (Lemire's multiply-shift, without rejection: the bias
     * is below 2^-32 and immaterial for synthetic data).
     */
    int below(final int bound)
    {
        return (int)(((nextLong() >>> 32) * bound) >>> 32);
    }

    /**
     * @param from inclusive lower bound.
     * @param to   inclusive upper bound.
     * @return a value in {@code [from, to]}.
     */
    int between(final int from, final int to)
    {
        return from + below(to - from + 1);
    }

    /**
     * @param percent 0..100.
     * @return {@code true} with that probability.
     */
    boolean percent(final int percent)
    {
        return below(100) < percent;
    }

    /**
     * Stafford's variant 13 of the MurmurHash3 finalizer, as SplitMix64 uses it.
     *
     * @param z any value.
     * @return a well-mixed value.
     */
    static long mix64(final long z)
    {
        long x = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    /**
     * @param seed   the data set's seed.
     * @param stream which kind of record (households, terminals, keys...).
     * @param index  the record's index within its kind.
     * @return the seed of that record's own stream.
     */
    static long streamSeed(final long seed, final long stream, final long index)
    {
        return mix64(mix64(seed + stream * GOLDEN_GAMMA) + index * GOLDEN_GAMMA);
    }
}
