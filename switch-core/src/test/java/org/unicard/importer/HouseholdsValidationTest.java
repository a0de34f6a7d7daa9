package org.unicard.importer;

import static org.unicard.importer.ImportAssertions.assertImportFails;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HouseholdsValidationTest
{
    private static final String ROW = "300000000002,03,1,1,0";

    @TempDir
    Path directory;

    private void assertRowFails(final String row, final String message) throws Exception
    {
        assertImportFails(directory, new TestDataDirectory().replace(DataFiles.HOUSEHOLDS, ROW, row), message);
    }

    @Test
    void shouldRefuseAnEmptyHouseholdId() throws Exception
    {
        assertRowFails(",03,1,1,0", "households.csv line=3 column=household_id value=\"\" reason=value required");
    }

    @Test
    void shouldRefuseAHouseholdIdOfSixteenDigits() throws Exception
    {
        assertRowFails("1234567890123456,03,1,1,0",
            "households.csv line=3 column=household_id value=\"1234567890123456\" reason=expected 1 to 15 digits");
    }

    @Test
    void shouldRefuseAHouseholdIdThatIsNotDigits() throws Exception
    {
        assertRowFails("30000000000A,03,1,1,0",
            "households.csv line=3 column=household_id value=\"30000000000A\" reason=expected 1 to 15 digits");
    }

    @Test
    void shouldRefuseHouseholdIdZero() throws Exception
    {
        assertRowFails("0,03,1,1,0", "households.csv line=3 column=household_id value=\"0\" reason=must not be 0");
    }

    @Test
    void shouldRefuseADuplicateHouseholdId() throws Exception
    {
        assertRowFails("300000000001,03,1,1,0",
            "households.csv line=3 column=household_id value=\"300000000001\" reason=duplicate household_id");
    }

    @Test
    void shouldRefuseAGovernorateThatIsNotACode() throws Exception
    {
        assertRowFails("300000000002,05,1,1,0",
            "households.csv line=3 column=governorate value=\"05\" reason=expected a 2-digit governorate code");
    }

    @Test
    void shouldRefuseAOneDigitGovernorate() throws Exception
    {
        assertRowFails("300000000002,3,1,1,0",
            "households.csv line=3 column=governorate value=\"3\" reason=expected a 2-digit governorate code");
    }

    @Test
    void shouldRefuseRationIndividualsAbove99() throws Exception
    {
        assertRowFails("300000000002,03,100,1,0",
            "households.csv line=3 column=ration_individuals value=\"100\" reason=expected 0 to 99");
    }

    @Test
    void shouldRefuseNegativeBreadIndividuals() throws Exception
    {
        assertRowFails("300000000002,03,1,-1,0",
            "households.csv line=3 column=bread_individuals value=\"-1\" reason=expected 0 to 99");
    }

    @Test
    void shouldRefuseCashSupportAboveTenBillionPiasters() throws Exception
    {
        assertRowFails("300000000002,03,1,1,10000000001",
            "households.csv line=3 column=cash_support_piasters value=\"10000000001\" reason=expected 0 to 10000000000");
    }

    @Test
    void shouldRefuseAnEmptyCashSupport() throws Exception
    {
        assertRowFails("300000000002,03,1,1,",
            "households.csv line=3 column=cash_support_piasters value=\"\" reason=value required");
    }
}
