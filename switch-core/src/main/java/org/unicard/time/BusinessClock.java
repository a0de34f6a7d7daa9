package org.unicard.time;

import java.time.Instant;

/**
 * The switch's clock: real time, or real time shifted so that it started at a chosen instant
 * ({@code --clock}, for drills and tests) and runs forward from there. Read once per frame, on
 * the thread that receives it; the authorizer never reads it.
 */
public final class BusinessClock
{
    private final long offsetMs;

    private BusinessClock(final long offsetMs)
    {
        this.offsetMs = offsetMs;
    }

    /**
     * @return the real-time clock.
     */
    public static BusinessClock system()
    {
        return new BusinessClock(0);
    }

    /**
     * @param start the instant the clock shows now.
     * @return a clock that starts at {@code start} and runs forward in real time.
     */
    public static BusinessClock startingAt(final Instant start)
    {
        return new BusinessClock(start.toEpochMilli() - System.currentTimeMillis());
    }

    /**
     * @return the business time in epoch milliseconds.
     */
    public long nowMs()
    {
        return System.currentTimeMillis() + offsetMs;
    }
}
