package org.unicard.time;

import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The switch's clock: real time, or a clock started at a chosen instant ({@code --clock}) that runs
 * forward in real time or {@code N} times faster ({@code --clock-rate N}), for drills, the demo and
 * tests. Read once per frame, on the thread that receives it; the authorizer never reads it, so
 * business time is still stamped on arrival and journaled, and replay and snapshots never read a
 * clock.
 * <p>
 * A started clock measures elapsed real time on a monotonic source ({@link System#nanoTime()}
 * outside tests), so a step of the wall clock never moves it back; business time is
 * {@code start + elapsed × rate}, computed exactly in milliseconds (no overflow for a century of
 * real time at {@link #MAX_RATE}). On a restart over an existing journal, {@link #resuming} never
 * starts behind the journal's last business time, whatever the rate.
 */
public final class BusinessClock
{
    /** The fastest rate a started clock may run at: a million business seconds per real second. */
    public static final long MAX_RATE = 1_000_000;
    /**
     * How far the journal's last business time may be ahead of the real clock on a restart in real
     * time: more than wall-clock skew, less than any accelerated or future drill.
     */
    public static final long REAL_TIME_BEHIND_TOLERANCE_MS = 60_000;

    private static final long NS_PER_MS = 1_000_000L;

    private static final long NOT_RUNNING = Long.MIN_VALUE;

    /**
     * One stretch of a started clock: it shows {@code startMs} at real time {@code startNs} and runs
     * from there, or shows {@code startMs} still while {@code startNs} is {@link #NOT_RUNNING}; it never
     * shows more than {@code limitMs} ({@link #limit}). Read as one volatile reference, so a reader never
     * sees the start of one stretch with the real time or limit of another; replaced (never changed) by
     * {@link #run} and {@link #limit}, which are called off the request path.
     */
    private record Span(long startMs, long startNs, long limitMs)
    {
    }

    private final boolean real;
    private final long rate;
    private final LongSupplier realNs;
    private volatile Span span;
    private volatile long waitedAtLimitNs;
    private volatile long limitsReached;

    private BusinessClock(final boolean real, final long startMs, final long rate, final LongSupplier realNs)
    {
        if (rate < 1 || rate > MAX_RATE)
        {
            throw new IllegalArgumentException("clock-rate=" + rate + " range=[1," + MAX_RATE + "]");
        }
        this.real = real;
        this.rate = rate;
        this.realNs = realNs;
        this.span = new Span(startMs, NOT_RUNNING, Long.MAX_VALUE);
    }

    /**
     * Lets a started clock run: until this call it shows its start, so that a switch's import, replay
     * and wiring take no business time (at 44,640 times real time a second of start-up would be half a
     * day). The switch calls it once it takes traffic; later calls do nothing. The real-time clock
     * always runs.
     *
     * @return this.
     */
    public synchronized BusinessClock run()
    {
        final Span current = span;
        if (!real && current.startNs == NOT_RUNNING)
        {
            span = new Span(current.startMs, realNs.getAsLong(), current.limitMs);
        }
        return this;
    }

    /**
     * Sets the latest business time a started clock may show: once it gets there it stands still, and
     * when the limit is raised it runs on from there (not from where real time would have taken it). For
     * the demo, whose in-process traffic keeps the clock within minutes of the oldest visit it has not yet
     * sent, so that a slow machine makes the month take longer rather than skip visits (docs/design.md,
     * "The demo's pace"); not reachable from the command line. A limit below what the clock shows is
     * taken as what it shows: the clock never goes back. A reader that read the clock while this call ran
     * may have seen the old limit; the authorizer keeps business time monotonic whatever a reader stamps.
     *
     * @param limitMs the latest business time to show, epoch milliseconds ({@link Long#MAX_VALUE}: none).
     * @return this.
     * @throws IllegalStateException for the real-time clock.
     */
    public synchronized BusinessClock limit(final long limitMs)
    {
        if (real)
        {
            throw new IllegalStateException("the real-time clock cannot be limited");
        }
        final Span current = span;
        if (current.startNs == NOT_RUNNING)
        {
            span = new Span(current.startMs, NOT_RUNNING, Math.max(limitMs, current.startMs));
            return this;
        }
        final long now = realNs.getAsLong();
        final long unlimitedMs = at(current, now);
        if (unlimitedMs < current.limitMs)
        {
            span = new Span(current.startMs, current.startNs, Math.max(limitMs, unlimitedMs));
        }
        else if (limitMs > current.limitMs)
        {
            // It stood at its limit: since the real instant it got there. It runs on from the limit, from now.
            final long reachedNs = current.startNs + Math.ceilDiv((current.limitMs - current.startMs) * NS_PER_MS, rate);
            waitedAtLimitNs += Math.max(0, now - reachedNs);
            limitsReached++;
            span = new Span(current.limitMs, now, limitMs);
        }
        return this;
    }

    /**
     * @return real nanoseconds the clock stood at a {@link #limit} before the limit was raised, in all.
     */
    public long waitedAtLimitNs()
    {
        return waitedAtLimitNs;
    }

    /**
     * @return how many times the clock had reached its {@link #limit} when the limit was raised.
     */
    public long limitsReached()
    {
        return limitsReached;
    }

    /**
     * @return the real-time clock.
     */
    public static BusinessClock system()
    {
        return new BusinessClock(true, 0, 1, null);
    }

    /**
     * @param start the instant the clock shows now.
     * @return a clock that starts at {@code start} and runs forward in real time, from now.
     */
    public static BusinessClock startingAt(final Instant start)
    {
        return startingAt(start.toEpochMilli(), 1, System::nanoTime).run();
    }

    /**
     * @param startMs the business time the clock shows now, epoch milliseconds.
     * @param rate    business milliseconds per real millisecond, 1 to {@link #MAX_RATE}.
     * @param realNs  a monotonic source of real time in nanoseconds ({@link System#nanoTime()}, or a
     *                test's).
     * @return a clock that shows {@code startMs} until it is {@link #run}.
     */
    public static BusinessClock startingAt(final long startMs, final long rate, final LongSupplier realNs)
    {
        return new BusinessClock(false, startMs, rate, realNs);
    }

    /**
     * The clock of a (re)starting switch (docs/design.md, "Business clock"): real time when neither a
     * start nor a rate other than 1 is asked for, else a started clock that begins at the start asked
     * for (or real time now), but never before the journal's last business time.
     *
     * @param startMs             {@code --clock} in epoch milliseconds, or {@code null}.
     * @param rate                {@code --clock-rate}, 1 to {@link #MAX_RATE}.
     * @param lastJournaledTimeMs the last business time in the journal, or {@link Long#MIN_VALUE} for
     *                            a new journal.
     * @param wallMs              the wall clock ({@link System#currentTimeMillis()}).
     * @param realNs              the monotonic source a started clock measures with.
     * @return the clock.
     * @throws IllegalArgumentException when real time is asked for but the journal is more than
     *                                  {@link #REAL_TIME_BEHIND_TOLERANCE_MS} ahead of it: that
     *                                  clock would move business time backwards.
     */
    public static BusinessClock resuming(
        final Long startMs, final long rate, final long lastJournaledTimeMs, final LongSupplier wallMs, final LongSupplier realNs)
    {
        final long wall = wallMs.getAsLong();
        if (startMs == null && rate == 1)
        {
            if (lastJournaledTimeMs != Long.MIN_VALUE && lastJournaledTimeMs - wall > REAL_TIME_BEHIND_TOLERANCE_MS)
            {
                throw new IllegalArgumentException("clock=real would move business time backwards: the journal's last business time " +
                    Instant.ofEpochMilli(lastJournaledTimeMs) + " is " + (lastJournaledTimeMs - wall) / 1000 +
                    " s ahead of the real clock " + Instant.ofEpochMilli(wall) +
                    "; start with --clock (and --clock-rate) to continue from it");
            }
            return system();
        }
        final long requestedMs = startMs != null ? startMs : wall;
        return startingAt(Math.max(requestedMs, lastJournaledTimeMs), rate, realNs);
    }

    /**
     * @return the business time in epoch milliseconds.
     */
    public long nowMs()
    {
        if (real)
        {
            return System.currentTimeMillis();
        }
        final Span current = span;
        if (current.startNs == NOT_RUNNING)
        {
            return current.startMs;
        }
        return Math.min(at(current, realNs.getAsLong()), current.limitMs);
    }

    /** The business time {@code span} shows at real time {@code nowNs}, its limit aside. */
    private long at(final Span span, final long nowNs)
    {
        final long elapsedNs = nowNs - span.startNs;
        return span.startMs + (elapsedNs / NS_PER_MS) * rate + (elapsedNs % NS_PER_MS) * rate / NS_PER_MS;
    }

    /**
     * @return whether this is the real-time clock.
     */
    public boolean isReal()
    {
        return real;
    }

    /**
     * @return business milliseconds per real millisecond (1 for real time).
     */
    public long rate()
    {
        return rate;
    }
}
