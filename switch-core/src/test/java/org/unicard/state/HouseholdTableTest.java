package org.unicard.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The packed household record: imported fields keep their values, cycle fields start untouched,
 * and writing one field never disturbs another in the record or in the records beside it.
 */
class HouseholdTableTest
{
    @Test
    void shouldStartWithImportedFieldsAndUntouchedCycles()
    {
        final HouseholdTable households = new HouseholdTable(2);
        final int household = households.add(999_999_999_999_999L, 88, 65_535, 40_000, 999_999_999_999L);
        assertEquals(0, household);
        assertEquals(999_999_999_999_999L, households.householdId(household));
        assertEquals(88, households.governorate(household));
        assertEquals(65_535, households.rationIndividuals(household));
        assertEquals(40_000, households.breadIndividuals(household));
        assertEquals(999_999_999_999L, households.cashSupportMonthlyPiasters(household));
        assertEquals(HouseholdTable.NO_CYCLE, households.rationMonth(household));
        assertEquals(HouseholdTable.NO_CYCLE, households.breadDay(household));
        assertEquals(HouseholdTable.NO_CYCLE, households.breadMonth(household));
        assertEquals(HouseholdTable.NO_CYCLE, households.cashCreditedMonth(household));
        assertEquals(0, households.loavesTakenToday(household));
        assertEquals(0, households.loavesTakenThisMonth(household));
        assertEquals(0, households.rationBalancePiasters(household));
        assertEquals(0, households.cashBalancePiasters(household));
        assertEquals(household, households.indexOf(999_999_999_999_999L));
        assertEquals(-1, households.add(999_999_999_999_999L, 1, 1, 1, 0), "duplicate id");
    }

    @Test
    void shouldChangeOnlyTheFieldWritten()
    {
        final HouseholdTable households = new HouseholdTable(3);
        households.add(1, 1, 2, 3, 4);
        final int household = households.add(2, 3, 4, 5, 6);
        households.add(3, 5, 6, 7, 8);

        households.rationMonth(household, 24_322);
        households.breadDay(household, -1);
        households.breadMonth(household, 24_321);
        households.loavesTakenToday(household, Integer.MAX_VALUE);
        households.cashCreditedMonth(household, 24_320);
        households.loavesTakenThisMonth(household, -7);
        households.rationBalancePiasters(household, Long.MIN_VALUE);
        households.cashBalancePiasters(household, Long.MAX_VALUE);

        assertEquals(24_322, households.rationMonth(household));
        assertEquals(-1, households.breadDay(household));
        assertEquals(24_321, households.breadMonth(household));
        assertEquals(Integer.MAX_VALUE, households.loavesTakenToday(household));
        assertEquals(24_320, households.cashCreditedMonth(household));
        assertEquals(-7, households.loavesTakenThisMonth(household));
        assertEquals(Long.MIN_VALUE, households.rationBalancePiasters(household));
        assertEquals(Long.MAX_VALUE, households.cashBalancePiasters(household));
        assertEquals(2, households.householdId(household));
        assertEquals(3, households.governorate(household));
        assertEquals(4, households.rationIndividuals(household));
        assertEquals(5, households.breadIndividuals(household));
        assertEquals(6, households.cashSupportMonthlyPiasters(household));

        households.breadDay(household, 20_000);
        households.loavesTakenToday(household, 0);
        assertEquals(24_322, households.rationMonth(household), "the other half of the word");
        assertEquals(24_321, households.breadMonth(household), "the other half of the word");

        for (final int neighbour : new int[] {0, 2})
        {
            assertEquals(HouseholdTable.NO_CYCLE, households.rationMonth(neighbour));
            assertEquals(HouseholdTable.NO_CYCLE, households.breadDay(neighbour));
            assertEquals(HouseholdTable.NO_CYCLE, households.cashCreditedMonth(neighbour));
            assertEquals(0, households.loavesTakenToday(neighbour));
            assertEquals(0, households.rationBalancePiasters(neighbour));
        }
        assertEquals(8, households.cashSupportMonthlyPiasters(2));
    }

    @Test
    void shouldRefuseAHouseholdPastCapacityOrACapacityPastTheLimit()
    {
        final HouseholdTable households = new HouseholdTable(1);
        households.add(1, 1, 1, 1, 0);
        assertThrows(IllegalStateException.class, () -> households.add(2, 1, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new HouseholdTable(HouseholdTable.MAX_CAPACITY + 1));
    }
}
