package org.unicard.time;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * Cairo civil calendar for the authorizer: maps an epoch-millisecond instant to the Cairo day
 * number (days since 1970-01-01 of the local date) and month number ({@code year * 12 + month - 1})
 * through tables built once from the tz database, so lookups read two arrays and allocate nothing.
 * Daylight-saving changes (Egypt observes them again since 2023) are in the tables.
 * <p>
 * Covers local dates from {@link #FIRST_YEAR} through {@link #LAST_YEAR}; an instant outside is a
 * broken invariant (the clock is wrong) and fails fast.
 */
public final class CairoCalendar
{
    public static final ZoneId ZONE = ZoneId.of("Africa/Cairo");
    public static final int FIRST_YEAR = 2000;
    public static final int LAST_YEAR = 2099;
    private static final long MS_PER_DAY = 86_400_000L;

    private static final CairoCalendar INSTANCE = new CairoCalendar();

    private final long firstEpochDay;
    private final long[] dayStartMs;

    private CairoCalendar()
    {
        final LocalDate first = LocalDate.of(FIRST_YEAR, 1, 1);
        final LocalDate end = LocalDate.of(LAST_YEAR + 1, 1, 1);
        final int days = (int)ChronoUnit.DAYS.between(first, end);
        firstEpochDay = first.toEpochDay();
        dayStartMs = new long[days + 1];
        for (int i = 0; i <= days; i++)
        {
            dayStartMs[i] = first.plusDays(i).atStartOfDay(ZONE).toInstant().toEpochMilli();
        }
    }

    public static CairoCalendar instance()
    {
        return INSTANCE;
    }

    /**
     * @param epochMs an instant.
     * @return the Cairo local date of the instant as days since 1970-01-01.
     */
    public int dayNumber(final long epochMs)
    {
        // Cairo is UTC+2 or UTC+3, so shifting by two hours lands on the right day or the next one.
        int index = (int)(Math.floorDiv(epochMs + 2 * 3_600_000L, MS_PER_DAY) - firstEpochDay);
        if (index < 0 || index >= dayStartMs.length - 1)
        {
            throw new IllegalArgumentException("instant outside the Cairo calendar's range: epochMs=" + epochMs);
        }
        if (epochMs < dayStartMs[index])
        {
            index--;
        }
        else if (epochMs >= dayStartMs[index + 1])
        {
            index++;
        }
        if (index < 0)
        {
            throw new IllegalArgumentException("instant outside the Cairo calendar's range: epochMs=" + epochMs);
        }
        return (int)(firstEpochDay + index);
    }

    /**
     * @param dayNumber a Cairo day number within the calendar's range, or the day after its last.
     * @return the instant that day starts at in Cairo (midnight, or the first instant after a
     * daylight-saving change that skips it).
     */
    public long startOfDayMs(final int dayNumber)
    {
        final long index = dayNumber - firstEpochDay;
        if (index < 0 || index >= dayStartMs.length)
        {
            throw new IllegalArgumentException("day outside the Cairo calendar's range: dayNumber=" + dayNumber);
        }
        return dayStartMs[(int)index];
    }

    /**
     * @param dayNumber a day number (days since 1970-01-01).
     * @return its month number, {@code year * 12 + month - 1}.
     */
    public static int monthOfDay(final int dayNumber)
    {
        // Civil-from-days (H. Hinnant's algorithm): exact for the proleptic Gregorian calendar.
        final long z = dayNumber + 719_468L;
        final long era = Math.floorDiv(z, 146_097L);
        final long dayOfEra = z - era * 146_097L;
        final long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365;
        final long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        final long mp = (5 * dayOfYear + 2) / 153;
        final long month = mp < 10 ? mp + 3 : mp - 9;
        final long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return (int)(year * 12 + month - 1);
    }

    /**
     * @param monthNumber a month number.
     * @return the day number of its first day.
     */
    public static int firstDayOfMonth(final int monthNumber)
    {
        final long year = Math.floorDiv(monthNumber, 12);
        final long month = monthNumber - year * 12 + 1;
        final long y = month <= 2 ? year - 1 : year;
        final long era = Math.floorDiv(y, 400);
        final long yearOfEra = y - era * 400;
        final long mp = month > 2 ? month - 3 : month + 9;
        final long dayOfYear = (153 * mp + 2) / 5;
        final long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return (int)(era * 146_097 + dayOfEra - 719_468);
    }

    /**
     * @param monthNumber a month number.
     * @return the card-expiry form of the month, YYMM (e.g. 2711 for November 2027).
     */
    public static int yyMm(final int monthNumber)
    {
        final int year = Math.floorDiv(monthNumber, 12);
        return (year % 100) * 100 + (monthNumber - year * 12 + 1);
    }

    /**
     * @param yyMm a YYMM expiry of this century.
     * @return its month number.
     */
    public static int monthOfYyMm(final int yyMm)
    {
        return (2000 + yyMm / 100) * 12 + (yyMm % 100) - 1;
    }
}
