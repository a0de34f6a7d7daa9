package org.unicard.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.importer.DataFiles;
import org.unicard.importer.DataSetImporter;
import org.unicard.state.Luhn;
import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.PinVerificationValue;
import org.unicard.security.TdesKey;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;

class DataSetGeneratorTest
{
    static final TdesKey LMK = TdesKey.of(Hex.parseKey("0123456789ABCDEFFEDCBA9876543210"));
    static final long SEED = 7;
    static final int HOUSEHOLDS = 500;

    @TempDir
    static Path shared;

    static Path directory;
    static GenerationSummary summary;
    static DataSet dataSet;

    @TempDir
    Path other;

    @BeforeAll
    static void generateAndImport() throws Exception
    {
        directory = shared.resolve("set");
        summary = new DataSetGenerator(HOUSEHOLDS, SEED, 3, 2).generate(directory, LMK, GenerationListener.NONE);
        dataSet = DataSetImporter.load(directory, LMK);
    }

    private static List<String> lines(final Path directory, final String file) throws Exception
    {
        return Files.readAllLines(directory.resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void shouldImportAsManyHouseholdsAsGenerated() throws Exception
    {
        assertEquals(HOUSEHOLDS, summary.households());
        assertEquals(HOUSEHOLDS, dataSet.households().size());
        assertEquals(HOUSEHOLDS + 1, lines(directory, DataFiles.HOUSEHOLDS).size());
    }

    @Test
    void shouldImportAsManyCardsAsGenerated()
    {
        assertEquals(summary.cards(), dataSet.cards().size());
    }

    @Test
    void shouldCountCitizensAsTheSumOfHouseholdMembers()
    {
        long members = 0;
        for (int i = 0; i < dataSet.households().size(); i++)
        {
            members += dataSet.households().rationIndividuals(i);
        }
        assertEquals(summary.citizens(), members);
    }

    @Test
    void shouldWriteTerminalsInTheGivenProportionsWithMinimums()
    {
        assertEquals(2, summary.bakeries());
        assertEquals(3, summary.grocers());
        assertEquals(2, summary.healthProviders());
        assertEquals(2, summary.postOffices());
        assertEquals(9, dataSet.terminals().size());
    }

    @Test
    void shouldWriteThreeActiveAcquirersWithZoneKeys()
    {
        assertEquals(3, dataSet.acquirers().size());
        for (int i = 0; i < 3; i++)
        {
            assertTrue(dataSet.acquirers().active[i]);
            assertEquals(16, dataSet.acquirers().zonePinKey[i].length);
        }
    }

    @Test
    void shouldWriteTheSpecHeadersInOrder() throws Exception
    {
        assertEquals(DataFiles.header(DataFiles.HOUSEHOLDS_COLUMNS), lines(directory, DataFiles.HOUSEHOLDS).get(0));
        assertEquals(DataFiles.header(DataFiles.CARDS_COLUMNS), lines(directory, DataFiles.CARDS).get(0));
        assertEquals(DataFiles.header(DataFiles.TERMINALS_COLUMNS), lines(directory, DataFiles.TERMINALS).get(0));
        assertEquals(DataFiles.header(DataFiles.ACQUIRERS_COLUMNS), lines(directory, DataFiles.ACQUIRERS).get(0));
        assertEquals(DataFiles.header(DataFiles.KEYS_COLUMNS), lines(directory, DataFiles.KEYS).get(0));
    }

    @Test
    void shouldWriteTheFirstHouseholdOfSeedSeven() throws Exception
    {
        assertEquals("30000000001,03,7,7,0", lines(directory, DataFiles.HOUSEHOLDS).get(1));
    }

    @Test
    void shouldGiveEveryHouseholdIdTheGovernorateAndIndex()
    {
        assertEquals(30000000001L, dataSet.households().householdId(0));
        assertEquals(30000000500L, dataSet.households().householdId(499));
        assertEquals(3, dataSet.households().governorate(499));
    }

    @Test
    void shouldVerifyEveryPvvWithTheSyntheticPin()
    {
        final TdesKey pvk = TdesKey.of(dataSet.pinVerificationKey());
        final CardTable cards = dataSet.cards();
        for (int card = 0; card < cards.size(); card++)
        {
            final int pin = DataSetGenerator.syntheticPin(SEED, cards.pan(card));
            assertEquals(PinVerificationValue.compute(pvk, cards.pan(card), 16, 1, pin, 4), cards.pvv(card));
        }
    }

    @Test
    void shouldDecryptEveryTerminalKeyWrittenToTheFile() throws Exception
    {
        final List<String> rows = lines(directory, DataFiles.TERMINALS);
        final TerminalTable terminals = dataSet.terminals();
        for (int i = 1; i < rows.size(); i++)
        {
            final String[] cells = rows.get(i).split(",");
            final int terminal = terminals.indexOf(TerminalTable.packTerminalId(cells[0]));
            final int keys = cells.length - 3;
            assertArrayEquals(KeyCipher.decryptUnderLmk(LMK, Hex.parseKey(cells[keys])), terminals.pinKey[terminal]);
            assertArrayEquals(KeyCipher.decryptUnderLmk(LMK, Hex.parseKey(cells[keys + 1])), terminals.macKey[terminal]);
        }
    }

    @Test
    void shouldGiveEveryTerminalItsOwnPinAndMacKeys()
    {
        final TerminalTable terminals = dataSet.terminals();
        final java.util.Set<String> keys = new java.util.HashSet<>();
        for (int i = 0; i < terminals.size(); i++)
        {
            keys.add(Hex.encode(terminals.pinKey[i]));
            keys.add(Hex.encode(terminals.macKey[i]));
        }
        assertEquals(2 * terminals.size(), keys.size());
    }

    @Test
    void shouldMatchThePilotProportions() throws Exception
    {
        final GenerationSummary pilot = new DataSetGenerator(5000, 3, 3, 2).generate(other, LMK, GenerationListener.NONE);
        final DataSet loaded = DataSetImporter.load(other, LMK);
        int withCash = 0;
        for (int i = 0; i < loaded.households().size(); i++)
        {
            withCash += loaded.households().cashSupportMonthlyPiasters(i) > 0 ? 1 : 0;
        }
        final double membersPerHousehold = pilot.citizens() / 5000.0;
        final double cardsPerCitizen = pilot.cards() / (double)pilot.citizens();

        assertTrue(membersPerHousehold > 3.2 && membersPerHousehold < 3.5, "members per household " + membersPerHousehold);
        assertTrue(cardsPerCitizen > 0.55 && cardsPerCitizen < 0.65, "cards per citizen " + cardsPerCitizen);
        assertTrue(withCash > 600 && withCash < 900, "households with cash support " + withCash);
    }

    @Test
    void shouldNameTerminalsByTypeLetterAndNumber()
    {
        final TerminalTable terminals = dataSet.terminals();
        assertEquals("B0000001", TerminalTable.unpackTerminalId(terminals.terminalId[0]));
        assertEquals(TerminalType.BAKERY, terminals.type[0]);
        assertEquals("G0000001", TerminalTable.unpackTerminalId(terminals.terminalId[2]));
        assertEquals("H0000001", TerminalTable.unpackTerminalId(terminals.terminalId[5]));
        assertEquals(TerminalType.HEALTH, terminals.type[5]);
        assertEquals("P0000002", TerminalTable.unpackTerminalId(terminals.terminalId[8]));
        assertEquals("EG03P0000000002", new String(terminals.merchantId[8], StandardCharsets.US_ASCII));
        assertTrue(terminals.name[0].startsWith("مخبز "));
        assertTrue(terminals.name[0].endsWith(" 1, بورسعيد"));
    }

    @Test
    void shouldWriteSixteenDigitLuhnValidPansWithThePrefix()
    {
        final CardTable cards = dataSet.cards();
        for (int card = 0; card < cards.size(); card++)
        {
            final long pan = cards.pan(card);
            assertEquals(507803, pan / 10_000_000_000L);
            assertTrue(Luhn.isValid(pan));
        }
    }

    @Test
    void shouldGiveEveryHouseholdOneHeadCardThatIsNotReplaced()
    {
        final CardTable cards = dataSet.cards();
        final int[] activeHeads = new int[HOUSEHOLDS];
        final boolean[] replaced = new boolean[cards.size()];
        for (int card = 0; card < cards.size(); card++)
        {
            if (cards.replacesCard(card) != CardTable.NO_CARD)
            {
                replaced[cards.replacesCard(card)] = true;
            }
        }
        for (int card = 0; card < cards.size(); card++)
        {
            if (cards.hasFlag(card, CardTable.FLAG_HEAD) && !replaced[card])
            {
                activeHeads[cards.household(card)]++;
            }
        }
        for (int household = 0; household < HOUSEHOLDS; household++)
        {
            assertEquals(1, activeHeads[household], "household index " + household);
        }
    }

    @Test
    void shouldKeepReplacedCardsCollectedInTheSameHousehold()
    {
        final CardTable cards = dataSet.cards();
        int replacements = 0;
        for (int card = 0; card < cards.size(); card++)
        {
            final int old = cards.replacesCard(card);
            if (old != CardTable.NO_CARD)
            {
                replacements++;
                assertEquals(CardStatus.COLLECTED, cards.status(old));
                assertEquals(cards.household(card), cards.household(old));
                assertEquals(cards.nationalId(card), cards.nationalId(old));
                assertTrue(cards.issuedDay(old) < cards.issuedDay(card));
            }
        }
        assertTrue(replacements > 0);
    }

    @Test
    void shouldGiveHouseholdProgramsToHeadsAndCashOnlyWithSupport()
    {
        final CardTable cards = dataSet.cards();
        for (int card = 0; card < cards.size(); card++)
        {
            final int household = cards.household(card);
            if (cards.hasFlag(card, CardTable.FLAG_HEAD))
            {
                final boolean cash = dataSet.households().cashSupportMonthlyPiasters(household) > 0;
                assertEquals(Program.RATION | Program.BREAD | Program.HEALTH | Program.WALLET | (cash ? Program.CASH : 0),
                    cards.programs(card));
            }
            else
            {
                assertEquals(Program.HEALTH | Program.WALLET, cards.programs(card));
            }
        }
    }

    @Test
    void shouldIssueCardsInTheFourHundredDaysBeforeTheReferenceDate()
    {
        final int reference = (int)DataSetGenerator.REFERENCE_DATE.toEpochDay();
        final CardTable cards = dataSet.cards();
        for (int card = 0; card < cards.size(); card++)
        {
            assertTrue(cards.issuedDay(card) <= reference && cards.issuedDay(card) > reference - 400);
        }
    }

    @Test
    void shouldGiveIdenticalBytesForTheSameSeedWhateverTheThreads() throws Exception
    {
        final Path one = other.resolve("one");
        final Path three = other.resolve("three");
        new DataSetGenerator(9000, 11, 3, 1).generate(one, LMK, GenerationListener.NONE);
        new DataSetGenerator(9000, 11, 3, 3).generate(three, LMK, GenerationListener.NONE);

        for (final String file : List.of(DataFiles.HOUSEHOLDS, DataFiles.CARDS, DataFiles.TERMINALS, DataFiles.ACQUIRERS,
            DataFiles.KEYS, DataSetGenerator.PROPERTIES_FILE))
        {
            assertArrayEquals(Files.readAllBytes(one.resolve(file)), Files.readAllBytes(three.resolve(file)), file);
        }
    }

    @Test
    void shouldGiveDifferentDataForAnotherSeed() throws Exception
    {
        new DataSetGenerator(HOUSEHOLDS, SEED + 1, 3, 2).generate(other, LMK, GenerationListener.NONE);

        assertNotEquals(lines(directory, DataFiles.CARDS), lines(other, DataFiles.CARDS));
        assertNotEquals(lines(directory, DataFiles.KEYS), lines(other, DataFiles.KEYS));
    }

    @Test
    void shouldKeepTheFirstHouseholdsWhenMoreAreGenerated() throws Exception
    {
        new DataSetGenerator(HOUSEHOLDS + 100, SEED, 3, 2).generate(other, LMK, GenerationListener.NONE);

        assertEquals(lines(directory, DataFiles.HOUSEHOLDS), lines(other, DataFiles.HOUSEHOLDS).subList(0, HOUSEHOLDS + 1));
    }

    @Test
    void shouldLeaveNoPartialFiles() throws Exception
    {
        try (var files = Files.list(directory))
        {
            assertEquals(List.of("acquirers.csv", "cards.csv", "dataset.properties", "households.csv", "keys.csv",
                "terminals.csv"), files.map(path -> path.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void shouldDescribeTheDataSetInItsProperties() throws Exception
    {
        final List<String> properties = lines(directory, DataSetGenerator.PROPERTIES_FILE);

        assertTrue(properties.contains("seed=7"));
        assertTrue(properties.contains("households=500"));
        assertTrue(properties.contains("reference_date=2026-11-01"));
        assertTrue(properties.contains("generator_version=" + DataSetGenerator.VERSION));
        assertTrue(properties.contains("cards=" + summary.cards()));
    }

    @Test
    void shouldReportProgressAfterEachChunk() throws Exception
    {
        final List<Long> reports = new ArrayList<>();
        new DataSetGenerator(9000, 1, 3, 2).generate(other, LMK, (written, total) -> reports.add(written));

        assertEquals(List.of(4096L, 8192L, 9000L), reports);
    }

    @Test
    void shouldSpreadANationalSetOverGovernorates() throws Exception
    {
        new DataSetGenerator(2000, 1, 0, 2).generate(other, LMK, GenerationListener.NONE);
        final DataSet national = DataSetImporter.load(other, LMK);
        final java.util.Set<Integer> governorates = new java.util.HashSet<>();
        for (int i = 0; i < national.households().size(); i++)
        {
            governorates.add(national.households().governorate(i));
        }
        assertTrue(governorates.size() > 20, "governorates=" + governorates);
    }

    @Test
    void shouldComputeTheDocumentedSyntheticPin()
    {
        final long z0 = 1 * 0x9E3779B97F4A7C15L + 5078030000000011L;
        long z = (z0 ^ (z0 >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);

        assertEquals((int)Long.remainderUnsigned(z, 10_000), DataSetGenerator.syntheticPin(1, 5078030000000011L));
    }

    @Test
    void shouldKeepSyntheticPinsWithinFourDigits()
    {
        for (long pan = 5078030000000000L; pan < 5078030000010000L; pan++)
        {
            final int pin = DataSetGenerator.syntheticPin(SEED, pan);
            assertTrue(pin >= 0 && pin <= 9999);
        }
    }
}
