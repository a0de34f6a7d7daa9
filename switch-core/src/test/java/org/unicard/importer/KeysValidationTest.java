package org.unicard.importer;

import static org.unicard.importer.ImportAssertions.assertImportFails;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysValidationTest
{
    private static final String HEADER = "name,key_under_lmk\n";
    private static final String PVK_ROW = "pvk," + TestDataDirectory.underLmk(TestDataDirectory.PVK) + "\n";

    @TempDir
    Path directory;

    private void assertContentFails(final String rows, final String message) throws Exception
    {
        assertImportFails(directory, new TestDataDirectory().content(DataFiles.KEYS, HEADER + rows), message);
    }

    @Test
    void shouldRefuseKeysWithoutAPvkRow() throws Exception
    {
        assertContentFails("", "keys.csv reason=no pvk row");
    }

    @Test
    void shouldRefuseAKeyNameOtherThanPvk() throws Exception
    {
        assertContentFails(PVK_ROW + "zmk,0123\n",
            "keys.csv line=3 column=name value=\"zmk\" reason=expected pvk, the only key keys.csv holds");
    }

    @Test
    void shouldRefuseTwoPvkRows() throws Exception
    {
        assertContentFails(PVK_ROW + PVK_ROW, "keys.csv line=3 column=name value=\"pvk\" reason=pvk appears twice");
    }

    @Test
    void shouldRefuseAnEmptyPvk() throws Exception
    {
        assertContentFails("pvk,\n", "keys.csv line=2 column=key_under_lmk reason=value required");
    }

    @Test
    void shouldRefuseAPvkWrittenUnderAnotherLmk() throws Exception
    {
        assertContentFails("pvk,FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\n",
            "keys.csv line=2 column=key_under_lmk reason=does not decrypt to an odd-parity key under this LMK " +
            "(was the file written under another UNICARD_LMK?)");
    }
}
