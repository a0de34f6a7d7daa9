package org.unicard.importer;

/**
 * Conversions between proleptic Gregorian dates and day numbers (days since 1970-01-01), without
 * allocating, for the millions of dates an import reads and a generator writes. Same results as
 * {@link java.time.LocalDate#toEpochDay()} (Howard Hinnant's {@code days_from_civil}).
 */
public final class CivilDays
{
    private CivilDays()
    {
    }

    /**
     * @param year  a year.
     * @param month 1..12.
     * @return the number of days in that month.
     */
    public static int daysInMonth(final int year, final int month)
    {
        return switch (month)
        {
            case 2 -> isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /**
     * @param year a year.
     * @return whether it is a Gregorian leap year.
     */
    public static boolean isLeapYear(final int year)
    {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    /**
     * @param year  a year.
     * @param month 1..12.
     * @param day   1..31, valid for the month.
     * @return days since 1970-01-01.
     */
    public static int toDay(final int year, final int month, final int day)
    {
        final int y = month <= 2 ? year - 1 : year;
        final int era = Math.floorDiv(y, 400);
        final int yearOfEra = y - era * 400;
        final int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        final int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    /**
     * @param day days since 1970-01-01.
     * @return the date packed as {@code year * 10000 + month * 100 + dayOfMonth}.
     */
    public static int toYyyyMmDd(final int day)
    {
        final int z = day + 719468;
        final int era = Math.floorDiv(z, 146097);
        final int dayOfEra = z - era * 146097;
        final int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        final int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        final int mp = (5 * dayOfYear + 2) / 153;
        final int dayOfMonth = dayOfYear - (153 * mp + 2) / 5 + 1;
        final int month = mp < 10 ? mp + 3 : mp - 9;
        final int year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return year * 10000 + month * 100 + dayOfMonth;
    }
}
