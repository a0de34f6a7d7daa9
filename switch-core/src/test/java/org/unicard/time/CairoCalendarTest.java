package org.unicard.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/**
 * The calendar's day starts, which the authorizer keeps to compute no calendar while a decision
 * falls in the same day as the one before: equal to the tz database's start of every day of the
 * range (daylight-saving days included), and refused outside it with the day named.
 */
class CairoCalendarTest
{
    private final CairoCalendar calendar = CairoCalendar.instance();

    @Test
    void shouldStartEveryDayOfTheRangeWhereTheTzDatabaseDoes()
    {
        final LocalDate end = LocalDate.of(CairoCalendar.LAST_YEAR + 1, 1, 1);
        for (LocalDate date = LocalDate.of(CairoCalendar.FIRST_YEAR, 1, 1); !date.isAfter(end); date = date.plusDays(1))
        {
            final long expected = date.atStartOfDay(CairoCalendar.ZONE).toInstant().toEpochMilli();
            assertEquals(expected, calendar.startOfDayMs((int)date.toEpochDay()), date.toString());
        }
    }

    @Test
    void shouldStartTheDayAfterTheSpringForwardGapAtOneInTheMorning()
    {
        // 2027-04-30 00:00 does not exist in Cairo: the day starts at 01:00 (UTC+3), 22:00 UTC the day before.
        assertEquals(java.time.Instant.parse("2027-04-29T22:00:00Z").toEpochMilli(),
            calendar.startOfDayMs((int)LocalDate.of(2027, 4, 30).toEpochDay()));
    }

    @Test
    void shouldPutEveryInstantOfADayBetweenItsStartAndTheNextDaysStart()
    {
        final int day = (int)LocalDate.of(2027, 10, 28).toEpochDay();
        final long start = calendar.startOfDayMs(day);
        final long next = calendar.startOfDayMs(day + 1);

        assertEquals(25 * 3_600_000L, next - start, "the fall-back day has 25 hours");
        assertEquals(day, calendar.dayNumber(start));
        assertEquals(day, calendar.dayNumber(next - 1));
        assertEquals(day + 1, calendar.dayNumber(next));
        assertEquals(day - 1, calendar.dayNumber(start - 1));
    }

    @Test
    void shouldRefuseADayOutsideTheRange()
    {
        final int before = (int)LocalDate.of(CairoCalendar.FIRST_YEAR - 1, 12, 31).toEpochDay();
        final int after = (int)LocalDate.of(CairoCalendar.LAST_YEAR + 1, 1, 2).toEpochDay();

        assertEquals("day outside the Cairo calendar's range: dayNumber=" + before,
            assertThrows(IllegalArgumentException.class, () -> calendar.startOfDayMs(before)).getMessage());
        assertEquals("day outside the Cairo calendar's range: dayNumber=" + after,
            assertThrows(IllegalArgumentException.class, () -> calendar.startOfDayMs(after)).getMessage());
    }
}
