package org.unicard.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class CivilDaysTest
{
    @Test
    void shouldAgreeWithLocalDateFrom1900To2100()
    {
        for (LocalDate date = LocalDate.of(1900, 1, 1); date.getYear() < 2100; date = date.plusDays(1))
        {
            final int day = CivilDays.toDay(date.getYear(), date.getMonthValue(), date.getDayOfMonth());
            assertEquals(date.toEpochDay(), day, date.toString());
            assertEquals(date.getYear() * 10000 + date.getMonthValue() * 100 + date.getDayOfMonth(), CivilDays.toYyyyMmDd(day));
        }
    }

    @Test
    void shouldKnowLeapYears()
    {
        assertTrue(CivilDays.isLeapYear(2000));
        assertFalse(CivilDays.isLeapYear(1900));
        assertTrue(CivilDays.isLeapYear(2028));
        assertEquals(29, CivilDays.daysInMonth(2028, 2));
        assertEquals(28, CivilDays.daysInMonth(2026, 2));
        assertEquals(30, CivilDays.daysInMonth(2026, 11));
    }
}
