package org.unicard.importer;

import static org.unicard.importer.ImportAssertions.assertImportFails;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.security.Hex;

class TerminalsValidationTest
{
    /** Line 3 of terminals.csv. */
    private static final String ROW = "G0000001,EG03G0000000001,grocer,03,Grocer Salam,,,inactive";

    @TempDir
    Path directory;

    private void assertRowFails(final String row, final String message) throws Exception
    {
        assertImportFails(directory, new TestDataDirectory().replace(DataFiles.TERMINALS, ROW, row), message);
    }

    @Test
    void shouldRefuseATerminalIdOfNineCharacters() throws Exception
    {
        assertRowFails("G00000001,EG03G0000000001,grocer,03,Grocer Salam,,,inactive",
            "terminals.csv line=3 column=terminal_id value=\"G00000001\" reason=expected 1 to 8 printable ASCII characters without leading or trailing spaces");
    }

    @Test
    void shouldRefuseATerminalIdWithATrailingSpace() throws Exception
    {
        assertRowFails("G000001 ,EG03G0000000001,grocer,03,Grocer Salam,,,inactive",
            "terminals.csv line=3 column=terminal_id value=\"G000001 \" reason=expected 1 to 8 printable ASCII characters without leading or trailing spaces");
    }

    @Test
    void shouldRefuseATerminalIdThatIsNotAscii() throws Exception
    {
        assertRowFails("مخبز,EG03G0000000001,grocer,03,Grocer Salam,,,inactive",
            "terminals.csv line=3 column=terminal_id value=\"مخبز\" reason=expected 1 to 8 printable ASCII characters without leading or trailing spaces");
    }

    @Test
    void shouldRefuseADuplicateTerminalId() throws Exception
    {
        assertRowFails("B0000001,EG03G0000000001,grocer,03,Grocer Salam,,,inactive",
            "terminals.csv line=3 column=terminal_id value=\"B0000001\" reason=duplicate terminal_id");
    }

    @Test
    void shouldRefuseAMerchantIdOfSixteenCharacters() throws Exception
    {
        assertRowFails("G0000001,EG03G00000000001,grocer,03,Grocer Salam,,,inactive",
            "terminals.csv line=3 column=merchant_id value=\"EG03G00000000001\" reason=expected 1 to 15 printable ASCII characters without leading or trailing spaces");
    }

    @Test
    void shouldRefuseAnEmptyMerchantId() throws Exception
    {
        assertRowFails("G0000001,,grocer,03,Grocer Salam,,,inactive",
            "terminals.csv line=3 column=merchant_id value=\"\" reason=value required");
    }

    @Test
    void shouldRefuseAnUnknownType() throws Exception
    {
        assertRowFails("G0000001,EG03G0000000001,pharmacy,03,Grocer Salam,,,inactive",
            "terminals.csv line=3 column=type value=\"pharmacy\" reason=expected bakery, grocer, health or post");
    }

    @Test
    void shouldRefuseAnUnknownGovernorate() throws Exception
    {
        assertRowFails("G0000001,EG03G0000000001,grocer,99,Grocer Salam,,,inactive",
            "terminals.csv line=3 column=governorate value=\"99\" reason=expected a 2-digit governorate code");
    }

    @Test
    void shouldRefuseABlankName() throws Exception
    {
        assertRowFails("G0000001,EG03G0000000001,grocer,03,\"  \",,,inactive",
            "terminals.csv line=3 column=name value=\"  \" reason=value required");
    }

    @Test
    void shouldRefuseAKeyThatIsNotHexWithoutShowingIt() throws Exception
    {
        assertRowFails("G0000001,EG03G0000000001,grocer,03,Grocer Salam,0123456789ABCDEF0123456789ABCDEG,,inactive",
            "terminals.csv line=3 column=tpk_under_lmk reason=expected 32 hex digits");
    }

    @Test
    void shouldRefuseAKeyOfThirtyDigitsWithoutShowingIt() throws Exception
    {
        assertRowFails("G0000001,EG03G0000000001,grocer,03,Grocer Salam,,0123456789ABCDEF0123456789ABCD,inactive",
            "terminals.csv line=3 column=tak_under_lmk reason=expected 32 hex digits");
    }

    @Test
    void shouldRefuseAKeyWrittenUnderAnotherLmk() throws Exception
    {
        final String underOtherLmk = "00000000000000000000000000000000";
        assertRowFails("G0000001,EG03G0000000001,grocer,03,Grocer Salam," + underOtherLmk + ",,inactive",
            "terminals.csv line=3 column=tpk_under_lmk reason=does not decrypt to an odd-parity key under this LMK " +
            "(was the file written under another UNICARD_LMK?)");
    }

    @Test
    void shouldAcceptLowerCaseHexKeys() throws Exception
    {
        final String lower = TestDataDirectory.underLmk(TestDataDirectory.TAK).toLowerCase(java.util.Locale.ROOT);
        new TestDataDirectory()
            .replace(DataFiles.TERMINALS, ROW, "G0000001,EG03G0000000001,grocer,03,Grocer Salam,," + lower + ",inactive")
            .writeTo(directory);

        final var terminals = DataSetImporter.load(directory, TestDataDirectory.LMK).terminals();

        org.junit.jupiter.api.Assertions.assertEquals(
            Hex.encode(TestDataDirectory.TAK), Hex.encode(terminals.macKey[1]));
    }

    @Test
    void shouldRefuseAnUnknownStatus() throws Exception
    {
        assertRowFails("G0000001,EG03G0000000001,grocer,03,Grocer Salam,,,closed",
            "terminals.csv line=3 column=status value=\"closed\" reason=expected active or inactive");
    }
}
