package org.unicard.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.importer.ImportAssertions.assertImportFails;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;

class DataSetImporterTest
{
    @TempDir
    Path directory;

    private DataSet load(final TestDataDirectory data) throws Exception
    {
        return DataSetImporter.load(data.writeTo(directory), TestDataDirectory.LMK);
    }

    @Test
    void shouldLoadEveryRowOfAValidDirectory() throws Exception
    {
        final DataSet dataSet = load(new TestDataDirectory());

        assertEquals(2, dataSet.households().size());
        assertEquals(4, dataSet.cards().size());
        assertEquals(2, dataSet.terminals().size());
        assertEquals(1, dataSet.acquirers().size());
        assertArrayEquals(TestDataDirectory.PVK, dataSet.pinVerificationKey());
    }

    @Test
    void shouldSizeEveryTableExactly() throws Exception
    {
        final DataSet dataSet = load(new TestDataDirectory());

        assertEquals(2 + 1000, dataSet.households().capacity(), "2 rows and the live-change headroom");
        assertEquals(4 + 1000, dataSet.cards().capacity(), "4 rows and the live-change headroom");
    }

    @Test
    void shouldLoadHouseholdFields() throws Exception
    {
        final DataSet dataSet = load(new TestDataDirectory());
        final int household = dataSet.households().indexOf(300000000001L);

        assertEquals(0, household);
        assertEquals(3, dataSet.households().governorate(household));
        assertEquals(4, dataSet.households().rationIndividuals(household));
        assertEquals(4, dataSet.households().breadIndividuals(household));
        assertEquals(60000, dataSet.households().cashSupportMonthlyPiasters(household));
    }

    @Test
    void shouldLoadHeadCardFields() throws Exception
    {
        final CardTable cards = load(new TestDataDirectory()).cards();
        final int card = cards.indexOf(Long.parseLong(TestDataDirectory.HEAD_PAN));

        assertEquals(0, card);
        assertEquals(28503150312345L, cards.nationalId(card));
        assertEquals(0, cards.household(card));
        assertTrue(cards.hasFlag(card, CardTable.FLAG_HEAD));
        assertFalse(cards.hasFlag(card, CardTable.FLAG_HEALTH_EXEMPT));
        assertEquals(CardStatus.COLLECTED, cards.status(card));
        assertEquals(LocalDate.of(2026, 3, 15).toEpochDay(), cards.issuedDay(card));
        assertEquals(2903, cards.expiryYyMm(card));
        assertEquals(1234, cards.pvv(card));
        assertEquals(Program.RATION | Program.BREAD | Program.HEALTH | Program.WALLET | Program.CASH, cards.programs(card));
        assertEquals(150000, cards.walletBalancePiasters(card));
        assertEquals(1012345678L, cards.mobile(card));
    }

    @Test
    void shouldLoadMemberCardFields() throws Exception
    {
        final CardTable cards = load(new TestDataDirectory()).cards();
        final int card = cards.indexOf(Long.parseLong(TestDataDirectory.MEMBER_PAN));

        assertFalse(cards.hasFlag(card, CardTable.FLAG_HEAD));
        assertTrue(cards.hasFlag(card, CardTable.FLAG_HEALTH_EXEMPT));
        assertEquals(CardStatus.ISSUED, cards.status(card));
        assertEquals(42, cards.pvv(card));
        assertEquals(Program.HEALTH | Program.WALLET, cards.programs(card));
        assertEquals(CardTable.NO_CARD, cards.replacesCard(card));
        assertEquals(0, cards.mobile(card), "no mobile in the data set");
    }

    @Test
    void shouldLinkAReplacementCardToACardLaterInTheFile() throws Exception
    {
        final CardTable cards = load(new TestDataDirectory()).cards();
        final int newCard = cards.indexOf(Long.parseLong(TestDataDirectory.HEAD_PAN));
        final int oldCard = cards.indexOf(Long.parseLong(TestDataDirectory.OLD_HEAD_PAN));

        assertEquals(3, oldCard);
        assertEquals(oldCard, cards.replacesCard(newCard));
        assertEquals(CardTable.NO_CARD, cards.replacesCard(oldCard));
    }

    @Test
    void shouldLoadEveryCardStatus() throws Exception
    {
        final TestDataDirectory data = new TestDataDirectory()
            .replace(DataFiles.CARDS, "head,collected,2024-01-20", "head,blocked_stolen,2024-01-20")
            .replace(DataFiles.CARDS, "member,issued", "member,damaged");
        final CardTable cards = load(data).cards();

        assertEquals(CardStatus.COLLECTED, cards.status(0));
        assertEquals(CardStatus.DAMAGED, cards.status(1));
        assertEquals(CardStatus.BLOCKED_LOST, cards.status(2));
        assertEquals(CardStatus.BLOCKED_STOLEN, cards.status(3));
    }

    @Test
    void shouldDecryptTerminalKeysUnderTheLmk() throws Exception
    {
        final TerminalTable terminals = load(new TestDataDirectory()).terminals();
        final int bakery = terminals.indexOf(TerminalTable.packTerminalId("B0000001"));

        assertArrayEquals(TestDataDirectory.TPK, terminals.pinKey[bakery]);
        assertArrayEquals(TestDataDirectory.TAK, terminals.macKey[bakery]);
        assertEquals(TerminalType.BAKERY, terminals.type[bakery]);
        assertEquals(3, terminals.governorate[bakery]);
        assertTrue(terminals.active[bakery]);
        assertEquals("EG03B0000000001", new String(terminals.merchantId[bakery], StandardCharsets.US_ASCII));
    }

    @Test
    void shouldLoadATerminalWithoutKeysAsInactive() throws Exception
    {
        final TerminalTable terminals = load(new TestDataDirectory()).terminals();
        final int grocer = terminals.indexOf(TerminalTable.packTerminalId("G0000001"));

        assertNull(terminals.pinKey[grocer]);
        assertNull(terminals.macKey[grocer]);
        assertEquals(TerminalType.GROCER, terminals.type[grocer]);
        assertFalse(terminals.active[grocer]);
    }

    @Test
    void shouldReadAQuotedArabicNameHoldingAComma() throws Exception
    {
        final TerminalTable terminals = load(new TestDataDirectory()).terminals();

        assertEquals("مخبز النور, بورسعيد", terminals.name[0]);
    }

    @Test
    void shouldReadDoubledQuotesInsideAQuotedValue() throws Exception
    {
        final DataSet dataSet = load(new TestDataDirectory());

        assertEquals("Egypt Post \"البريد المصري\"", dataSet.acquirers().name[0]);
    }

    @Test
    void shouldRefuseALineEndInsideAQuotedName() throws Exception
    {
        final TestDataDirectory data = new TestDataDirectory()
            .replace(DataFiles.TERMINALS, "Grocer Salam", "\"Grocer\nSalam\"");

        assertImportFails(directory, data,
            "terminals.csv line=3 column=name value=\"Grocer?Salam\" reason=control character in a name");
    }

    @Test
    void shouldLoadAcquirerFields() throws Exception
    {
        final DataSet dataSet = load(new TestDataDirectory());
        final int acquirer = dataSet.acquirers().indexOf(10000000001L);

        assertEquals(0, acquirer);
        assertArrayEquals(TestDataDirectory.ZPK, dataSet.acquirers().zonePinKey[acquirer]);
        assertTrue(dataSet.acquirers().active[acquirer]);
    }

    @Test
    void shouldLoadWithoutAnAcquirersFile() throws Exception
    {
        final DataSet dataSet = load(new TestDataDirectory().without(DataFiles.ACQUIRERS));

        assertEquals(0, dataSet.acquirers().size());
    }

    @Test
    void shouldReadCrlfLineEnds() throws Exception
    {
        final TestDataDirectory data = new TestDataDirectory();
        data.content(DataFiles.CARDS, TestDataDirectory.CARDS.replace("\n", "\r\n"));
        data.content(DataFiles.TERMINALS, TestDataDirectory.TERMINALS.replace("\n", "\r\n"));

        final DataSet dataSet = load(data);

        assertEquals(4, dataSet.cards().size());
        assertEquals(1234, dataSet.cards().pvv(0));
        assertEquals("Grocer Salam", dataSet.terminals().name[1]);
        assertFalse(dataSet.terminals().active[1]);
    }

    @Test
    void shouldReadALastLineWithoutALineEnd() throws Exception
    {
        final TestDataDirectory data = new TestDataDirectory()
            .content(DataFiles.HOUSEHOLDS, TestDataDirectory.HOUSEHOLDS.stripTrailing());

        assertEquals(2, load(data).households().size());
    }

    @Test
    void shouldSkipAUtf8ByteOrderMark() throws Exception
    {
        final TestDataDirectory data = new TestDataDirectory()
            .content(DataFiles.HOUSEHOLDS, "\uFEFF" + TestDataDirectory.HOUSEHOLDS);

        assertEquals(2, load(data).households().size());
    }

    @Test
    void shouldAcceptColumnsInAnyOrder() throws Exception
    {
        final TestDataDirectory data = new TestDataDirectory().content(DataFiles.HOUSEHOLDS,
            "governorate,household_id,cash_support_piasters,bread_individuals,ration_individuals\n" +
            "03,300000000001,60000,4,4\n" +
            "03,300000000002,0,1,1\n");

        assertEquals(60000, load(data).households().cashSupportMonthlyPiasters(0));
    }

    @Test
    void shouldIgnoreOtherFilesInTheDirectory() throws Exception
    {
        Files.writeString(directory.resolve("dataset.properties"), "seed=1\n");

        assertEquals(2, load(new TestDataDirectory()).households().size());
    }

    @Test
    void shouldLoadHeaderOnlyFilesAsEmptyTables() throws Exception
    {
        final TestDataDirectory data = new TestDataDirectory()
            .content(DataFiles.HOUSEHOLDS, DataFiles.header(DataFiles.HOUSEHOLDS_COLUMNS) + "\n")
            .content(DataFiles.CARDS, DataFiles.header(DataFiles.CARDS_COLUMNS) + "\n")
            .content(DataFiles.TERMINALS, DataFiles.header(DataFiles.TERMINALS_COLUMNS) + "\n");

        final DataSet dataSet = load(data);

        assertEquals(0, dataSet.households().size());
        assertEquals(0, dataSet.cards().size());
        assertEquals(0, dataSet.terminals().size());
    }

    @Test
    void shouldGiveTheSameFingerprintForTheSameBytes() throws Exception
    {
        final long first = load(new TestDataDirectory()).fingerprint();
        final long second = load(new TestDataDirectory()).fingerprint();

        assertEquals(first, second);
    }

    @Test
    void shouldChangeTheFingerprintWhenOneByteChanges() throws Exception
    {
        final long before = load(new TestDataDirectory()).fingerprint();
        final long after = load(new TestDataDirectory().replace(DataFiles.CARDS, ",150000,", ",150001,")).fingerprint();

        assertNotEquals(before, after);
    }

    @Test
    void shouldChangeTheFingerprintWhenTheAcquirersFileIsAbsent() throws Exception
    {
        final long with = load(new TestDataDirectory()).fingerprint();
        Files.delete(directory.resolve(DataFiles.ACQUIRERS));
        final long without = load(new TestDataDirectory().without(DataFiles.ACQUIRERS)).fingerprint();

        assertNotEquals(with, without);
    }

    @Test
    void shouldReportProgressAtTheEndOfEachFile() throws Exception
    {
        final List<String> reports = new ArrayList<>();
        DataSetImporter.load(new TestDataDirectory().writeTo(directory), TestDataDirectory.LMK,
            (file, read, total) -> reports.add(file + " " + read + "/" + total));

        assertEquals(List.of("households.csv 2/2", "cards.csv 4/4", "terminals.csv 2/2", "acquirers.csv 1/1"), reports);
    }

    @Test
    void shouldRefuseAMissingFile() throws Exception
    {
        Files.createDirectories(directory);
        final ImportException ex = assertImportFails(directory, new TestDataDirectory().without(DataFiles.CARDS),
            "cards.csv reason=file not found in " + directory);

        assertEquals(DataFiles.CARDS, ex.fileName());
        assertEquals(0, ex.line());
    }

    @Test
    void shouldReportTheEarlierFileWhenALaterOneIsScannedAheadAndAlsoBad() throws Exception
    {
        // cards.csv is opened on its own thread while households.csv is parsed; the households' error still wins.
        Files.createDirectories(directory);
        assertImportFails(directory, new TestDataDirectory()
                .replace(DataFiles.HOUSEHOLDS, "cash_support_piasters\n", "cash_support_piasters,notes\n")
                .without(DataFiles.CARDS)
                .content(DataFiles.TERMINALS, ""),
            "households.csv line=1 column=notes reason=unknown column");
        assertImportFails(directory, new TestDataDirectory().without(DataFiles.CARDS).content(DataFiles.TERMINALS, ""),
            "cards.csv reason=file not found in " + directory);
    }

    @Test
    void shouldRefuseAnEmptyFile() throws Exception
    {
        assertImportFails(directory, new TestDataDirectory().content(DataFiles.TERMINALS, ""),
            "terminals.csv line=1 reason=empty file, expected a header row");
    }

    @Test
    void shouldRefuseAnUnknownColumn() throws Exception
    {
        final ImportException ex = assertImportFails(directory, new TestDataDirectory()
                .replace(DataFiles.HOUSEHOLDS, "cash_support_piasters\n", "cash_support_piasters,notes\n"),
            "households.csv line=1 column=notes reason=unknown column");

        assertEquals("notes", ex.column());
        assertEquals("unknown column", ex.reason());
    }

    @Test
    void shouldRefuseAMissingColumn() throws Exception
    {
        assertImportFails(directory, new TestDataDirectory()
                .content(DataFiles.KEYS, "name\npvk\n"),
            "keys.csv line=1 column=key_under_lmk reason=missing column");
    }

    @Test
    void shouldRefuseADuplicatedColumn() throws Exception
    {
        assertImportFails(directory, new TestDataDirectory()
                .content(DataFiles.KEYS, "name,key_under_lmk,name\n"),
            "keys.csv line=1 column=name reason=column appears twice");
    }

    @Test
    void shouldRefuseARowWithTooFewColumns() throws Exception
    {
        assertImportFails(directory, new TestDataDirectory()
                .replace(DataFiles.HOUSEHOLDS, "300000000002,03,1,1,0", "300000000002,03,1,1"),
            "households.csv line=3 reason=expected 5 columns, found 4");
    }

    @Test
    void shouldRefuseARowWithTooManyColumns() throws Exception
    {
        assertImportFails(directory, new TestDataDirectory()
                .replace(DataFiles.HOUSEHOLDS, "300000000002,03,1,1,0", "300000000002,03,1,1,0,"),
            "households.csv line=3 reason=expected 5 columns, found 6");
    }

    @Test
    void shouldRefuseABlankLine() throws Exception
    {
        assertImportFails(directory, new TestDataDirectory()
                .replace(DataFiles.HOUSEHOLDS, "60000\n", "60000\n\n"),
            "households.csv line=3 reason=empty line");
    }

    @Test
    void shouldRefuseAQuoteInsideAnUnquotedValue() throws Exception
    {
        assertImportFails(directory, new TestDataDirectory()
                .replace(DataFiles.TERMINALS, "Grocer Salam", "Grocer \"Salam\""),
            "terminals.csv line=3 reason=quote inside an unquoted value");
    }

    @Test
    void shouldRefuseTextAfterAClosingQuote() throws Exception
    {
        assertImportFails(directory, new TestDataDirectory()
                .replace(DataFiles.TERMINALS, "Grocer Salam", "\"Grocer\" Salam"),
            "terminals.csv line=3 reason=unexpected character after a closing quote");
    }

    @Test
    void shouldRefuseAQuotedValueNeverClosed() throws Exception
    {
        assertImportFails(directory, new TestDataDirectory()
                .replace(DataFiles.TERMINALS, "Grocer Salam", "\"Grocer Salam"),
            "terminals.csv line=3 reason=quoted value not closed before the end of the file");
    }

    @Test
    void shouldRefuseABareCarriageReturn() throws Exception
    {
        assertImportFails(directory, new TestDataDirectory()
                .replace(DataFiles.HOUSEHOLDS, "60000\n", "60000\r"),
            "households.csv line=2 reason=carriage return not followed by a line feed");
    }

    @Test
    void shouldReadQuotedValuesAcrossReadBufferBoundaries() throws Exception
    {
        final StringBuilder terminals = new StringBuilder(DataFiles.header(DataFiles.TERMINALS_COLUMNS)).append('\n');
        final int count = 30_000;
        for (int i = 0; i < count; i++)
        {
            terminals.append(String.format("T%07d,M%d,grocer,03,\"بقالة \"\"%d\"\", بورسعيد\",,,active\r\n", i, i, i));
        }
        final TerminalTable table = load(new TestDataDirectory().content(DataFiles.TERMINALS, terminals.toString()))
            .terminals();

        assertEquals(count, table.size());
        for (int i = 0; i < count; i++)
        {
            assertEquals("بقالة \"" + i + "\", بورسعيد", table.name[i]);
        }
    }

    @Test
    void shouldRefuseARecordLongerThanTheLimit() throws Exception
    {
        assertImportFails(directory, new TestDataDirectory()
                .replace(DataFiles.TERMINALS, "Grocer Salam", "x".repeat(CsvFile.MAX_RECORD_BYTES)),
            "terminals.csv line=3 reason=record longer than 65536 bytes");
    }

    @Test
    void shouldRefuseInvalidUtf8InAName() throws Exception
    {
        new TestDataDirectory().writeTo(directory);
        final byte[] bytes = TestDataDirectory.TERMINALS.replace("Grocer Salam", "Grocer X").getBytes(StandardCharsets.UTF_8);
        final byte[] broken = new String(bytes, StandardCharsets.ISO_8859_1)
            .replace("Grocer X", "Grocer \u00FF").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(directory.resolve(DataFiles.TERMINALS), broken);

        final ImportException ex = org.junit.jupiter.api.Assertions.assertThrows(
            ImportException.class, () -> DataSetImporter.load(directory, TestDataDirectory.LMK));

        assertEquals("terminals.csv line=3 column=name value=\"Grocer \uFFFD\" reason=invalid UTF-8", ex.getMessage());
    }
}
