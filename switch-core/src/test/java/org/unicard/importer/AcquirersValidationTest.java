package org.unicard.importer;

import static org.unicard.importer.ImportAssertions.assertImportFails;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcquirersValidationTest
{
    private static final String HEADER = "acquirer_id,name,zpk_under_lmk,status\n";

    @TempDir
    Path directory;

    private void assertContentFails(final String rows, final String message) throws Exception
    {
        assertImportFails(directory, new TestDataDirectory().content(DataFiles.ACQUIRERS, HEADER + rows), message);
    }

    @Test
    void shouldRefuseAnAcquirerIdOfTwelveDigits() throws Exception
    {
        assertContentFails("100000000001,Bank,,active\n",
            "acquirers.csv line=2 column=acquirer_id value=\"100000000001\" reason=expected 1 to 11 digits");
    }

    @Test
    void shouldRefuseADuplicateAcquirerId() throws Exception
    {
        assertContentFails("10000000001,Bank,,active\n10000000001,Other bank,,active\n",
            "acquirers.csv line=3 column=acquirer_id value=\"10000000001\" reason=duplicate acquirer_id");
    }

    @Test
    void shouldRefuseAnEmptyName() throws Exception
    {
        assertContentFails("10000000001,,,active\n",
            "acquirers.csv line=2 column=name value=\"\" reason=value required");
    }

    @Test
    void shouldRefuseAZoneKeyThatIsNotHexWithoutShowingIt() throws Exception
    {
        assertContentFails("10000000001,Bank,zz,active\n",
            "acquirers.csv line=2 column=zpk_under_lmk reason=expected 32 hex digits");
    }

    @Test
    void shouldRefuseAnUnknownStatus() throws Exception
    {
        assertContentFails("10000000001,Bank,,suspended\n",
            "acquirers.csv line=2 column=status value=\"suspended\" reason=expected active or inactive");
    }
}
