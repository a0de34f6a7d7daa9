package org.unicard.time;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The business clock ({@code --clock}, {@code --clock-rate}) on a source of real time the test moves.
 */
class BusinessClockTest
{
    private static final long START_MS = Instant.parse("2026-11-30T20:00:00Z").toEpochMilli();
    private static final long WALL_MS = Instant.parse("2026-12-03T05:00:00Z").toEpochMilli();

    private final AtomicLong realNs = new AtomicLong(7_000_000_000L);

    @Test
    void shouldShowTheStartAndRunForwardInRealTimeAtRateOne()
    {
        final BusinessClock clock = BusinessClock.startingAt(START_MS, 1, realNs::get).run();
        assertEquals(START_MS, clock.nowMs());
        realNs.addAndGet(1_500_000_000L);
        assertEquals(START_MS + 1_500, clock.nowMs());
    }

    @Test
    void shouldRunRateTimesFasterThanRealTime()
    {
        final BusinessClock clock = BusinessClock.startingAt(START_MS, 44_640, realNs::get).run();
        realNs.addAndGet(60_000_000_000L);
        assertEquals(START_MS + 31L * 86_400_000L, clock.nowMs(), "a real minute at 44,640x is 31 days");
        assertEquals(44_640, clock.rate());
        assertFalse(clock.isReal());
    }

    @Test
    void shouldCountFractionsOfARealMillisecondAtHighRates()
    {
        final BusinessClock clock = BusinessClock.startingAt(START_MS, 1_000_000, realNs::get).run();
        realNs.addAndGet(1_500);
        assertEquals(START_MS + 1_500, clock.nowMs(), "1.5 µs real at 10^6x is 1.5 s business");
    }

    @Test
    void shouldNotOverflowAfterACenturyOfRealTimeAtTheHighestRate()
    {
        final BusinessClock clock = BusinessClock.startingAt(0, BusinessClock.MAX_RATE, realNs::get).run();
        realNs.addAndGet(100L * 365 * 86_400_000_000_000L);
        assertEquals(100L * 365 * 86_400_000L * BusinessClock.MAX_RATE, clock.nowMs());
    }

    @Test
    void shouldNeverGoBackWhenRealTimeStandsStill()
    {
        final BusinessClock clock = BusinessClock.startingAt(START_MS, 3, realNs::get).run();
        long last = clock.nowMs();
        for (int i = 0; i < 1000; i++)
        {
            realNs.addAndGet(i % 3 == 0 ? 0 : 333_333);
            final long now = clock.nowMs();
            assertTrue(now >= last, "now=" + now + " last=" + last);
            last = now;
        }
    }

    @Test
    void shouldShowItsStartUntilItRunsThenCountFromThere()
    {
        final BusinessClock clock = BusinessClock.startingAt(START_MS, 1_000, realNs::get);
        realNs.addAndGet(5_000_000_000L);
        assertEquals(START_MS, clock.nowMs(), "a switch's start-up takes no business time");
        clock.run();
        realNs.addAndGet(2_000_000L);
        assertEquals(START_MS + 2_000, clock.nowMs());
        realNs.addAndGet(1_000_000L);
        clock.run();
        assertEquals(START_MS + 3_000, clock.nowMs(), "a second run() changes nothing");
    }

    @Test
    void shouldStandAtItsLimitAndRunOnFromThereWhenTheLimitIsRaised()
    {
        final BusinessClock clock = BusinessClock.startingAt(START_MS, 1_000, realNs::get).run();
        clock.limit(START_MS + 5_000);
        realNs.addAndGet(3_000_000L);
        assertEquals(START_MS + 3_000, clock.nowMs(), "below its limit it runs as before");
        clock.limit(START_MS + 6_000);
        realNs.addAndGet(2_000_000L);
        assertEquals(START_MS + 5_000, clock.nowMs(), "raising a limit it has not reached moves nothing");
        realNs.addAndGet(7_000_000L);
        assertEquals(START_MS + 6_000, clock.nowMs(), "it stands at its limit");
        assertEquals(0, clock.limitsReached());
        clock.limit(START_MS + 60_000);
        assertEquals(START_MS + 6_000, clock.nowMs(), "it runs on from the limit, not from where real time would have taken it");
        assertEquals(1, clock.limitsReached());
        assertEquals(6_000_000L, clock.waitedAtLimitNs(), "it reached the limit 6 ms of real time before it was raised");
        realNs.addAndGet(1_000_000L);
        assertEquals(START_MS + 7_000, clock.nowMs());
        clock.limit(START_MS);
        assertEquals(START_MS + 7_000, clock.nowMs(), "a limit below what it shows never moves it back");
        realNs.addAndGet(1_000_000L);
        assertEquals(START_MS + 7_000, clock.nowMs(), "but stops it there");
        clock.limit(Long.MAX_VALUE);
        realNs.addAndGet(1_000_000L);
        assertEquals(START_MS + 8_000, clock.nowMs());
    }

    @Test
    void shouldKeepALimitSetWhileHeld()
    {
        final BusinessClock clock = BusinessClock.startingAt(START_MS, 1_000, realNs::get);
        clock.limit(START_MS + 2_000);
        clock.run();
        realNs.addAndGet(5_000_000L);
        assertEquals(START_MS + 2_000, clock.nowMs());
        assertThrows(IllegalStateException.class, () -> BusinessClock.system().limit(START_MS));
    }

    @Test
    void shouldRefuseARateOutsideItsRange()
    {
        assertThrows(IllegalArgumentException.class, () -> BusinessClock.startingAt(START_MS, 0, realNs::get));
        assertThrows(IllegalArgumentException.class, () -> BusinessClock.startingAt(START_MS, BusinessClock.MAX_RATE + 1, realNs::get));
    }

    @Test
    void shouldBeRealTimeWithoutStartOrRate()
    {
        final BusinessClock clock = BusinessClock.resuming(null, 1, Long.MIN_VALUE, () -> WALL_MS, realNs::get);
        assertTrue(clock.isReal());
        assertEquals(1, clock.rate());
    }

    @Test
    void shouldStartAtTheRequestedInstantOnANewJournal()
    {
        final BusinessClock clock = BusinessClock.resuming(START_MS, 100, Long.MIN_VALUE, () -> WALL_MS, realNs::get).run();
        assertEquals(START_MS, clock.nowMs());
        realNs.addAndGet(1_000_000_000L);
        assertEquals(START_MS + 100_000, clock.nowMs());
    }

    @Test
    void shouldStartAtRealTimeNowForARateWithoutStart()
    {
        final BusinessClock clock = BusinessClock.resuming(null, 10, Long.MIN_VALUE, () -> WALL_MS, realNs::get);
        assertEquals(WALL_MS, clock.nowMs());
    }

    @Test
    void shouldResumeFromTheJournalsLastTimeWhenTheRequestedStartIsBehindIt()
    {
        final long lastJournaledMs = START_MS + 5L * 86_400_000L;
        for (final long rate : new long[] {1, 7, 44_640})
        {
            final BusinessClock clock = BusinessClock.resuming(START_MS, rate, lastJournaledMs, () -> WALL_MS, realNs::get);
            assertEquals(lastJournaledMs, clock.nowMs(), "rate=" + rate);
        }
    }

    @Test
    void shouldKeepTheRequestedStartWhenItIsAheadOfTheJournal()
    {
        final BusinessClock clock = BusinessClock.resuming(START_MS, 2, START_MS - 1, () -> WALL_MS, realNs::get);
        assertEquals(START_MS, clock.nowMs());
    }

    @Test
    void shouldRefuseRealTimeFarBehindTheJournal()
    {
        final long lastJournaledMs = WALL_MS + BusinessClock.REAL_TIME_BEHIND_TOLERANCE_MS + 1;
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> BusinessClock.resuming(null, 1, lastJournaledMs, () -> WALL_MS, realNs::get));
        assertTrue(refused.getMessage().contains("would move business time backwards"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--clock"), refused.getMessage());
    }

    @Test
    void shouldAcceptRealTimeWithinTheToleranceOfTheJournal()
    {
        final BusinessClock clock = BusinessClock.resuming(
            null, 1, WALL_MS + BusinessClock.REAL_TIME_BEHIND_TOLERANCE_MS, () -> WALL_MS, realNs::get);
        assertTrue(clock.isReal());
    }
}
