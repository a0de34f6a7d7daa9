package org.unicard.benchmarks.load;

/**
 * When each request of one connection should be sent in an open-loop run, so that latency is
 * measured from the intended send time rather than the actual one (coordinated omission: a sender
 * that falls behind a slow server would otherwise hide the wait from the histogram).
 * <p>
 * Request {@code i} is due at {@code startNs + i * intervalNs}, whatever happened to request
 * {@code i - 1}. In a closed loop there is no schedule and the intended time is the send time.
 */
public final class IntendedStartSchedule
{
    private final long startNs;
    private final long intervalNs;
    private long index;

    /**
     * @param startNs    the first request's intended send time ({@link System#nanoTime()} scale).
     * @param intervalNs time between two requests of this schedule, at least 1.
     */
    public IntendedStartSchedule(final long startNs, final long intervalNs)
    {
        if (intervalNs < 1)
        {
            throw new IllegalArgumentException("intervalNs=" + intervalNs + " min=1");
        }
        this.startNs = startNs;
        this.intervalNs = intervalNs;
    }

    /**
     * @param requestsPerSecond the total rate over all connections.
     * @param connections       how many connections share it.
     * @return the interval between two requests of one connection.
     */
    public static long intervalNs(final double requestsPerSecond, final int connections)
    {
        return Math.max(1, Math.round(1e9 * connections / requestsPerSecond));
    }

    /**
     * @return the intended send time of the next request.
     */
    public long nextIntendedNs()
    {
        return startNs + index * intervalNs;
    }

    /**
     * @param nowNs the current time.
     * @return whether the next request is due.
     */
    public boolean isDue(final long nowNs)
    {
        return nextIntendedNs() - nowNs <= 0;
    }

    /**
     * @return time between two requests of this schedule.
     */
    public long intervalNs()
    {
        return intervalNs;
    }

    /** Moves on to the request after the next one. */
    public void advance()
    {
        index++;
    }

    /**
     * @return requests taken from the schedule so far.
     */
    public long taken()
    {
        return index;
    }

    /**
     * @param intendedNs when the request was meant to be sent.
     * @param responseNs when its response arrived.
     * @return the latency to record, in microseconds (at least 1, so a histogram accepts it).
     */
    public static long latencyUs(final long intendedNs, final long responseNs)
    {
        return Math.max(1, (responseNs - intendedNs) / 1_000);
    }
}
