package org.unicard.tools.demo;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.ResponseCode;
import org.unicard.generate.DataSetGenerator;
import org.unicard.importer.DataSetImporter;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;
import org.unicard.state.Program;
import org.unicard.state.TerminalType;
import org.unicard.tools.traffic.UsablePools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's month model on its own, with figures worked out by hand from spec §4: quotas, bread
 * points across the month boundary, the codes it expects, and its comparison with a household table.
 */
class MonthModelTest
{
    private static final int NOV_28 = (int)LocalDate.of(2026, 11, 28).toEpochDay();
    private static final int NOV_29 = NOV_28 + 1;
    private static final int DEC_1 = NOV_28 + 3;
    private static final int NOVEMBER = 2026 * 12 + 10;

    @TempDir
    static Path directory;

    private static DataSet data;
    private static int head;
    private static int household;
    private static int bakery;
    private static int grocer;

    @BeforeAll
    static void generate() throws Exception
    {
        final TdesKey lmk = LocalMasterKey.parse("0123456789ABCDEFFEDCBA9876543210", "test");
        DataSetGenerator.of(50, 3).generate(directory, lmk, (written, total) -> { });
        data = DataSetImporter.load(directory, lmk);
        head = UsablePools.headCards(data.cards(), Program.BREAD)[0];
        household = data.cards().household(head);
        bakery = UsablePools.activeTerminals(data.terminals(), TerminalType.BAKERY)[0];
        grocer = UsablePools.activeTerminals(data.terminals(), TerminalType.GROCER)[0];
    }

    @Test
    void shouldCreditTenPiastersForEveryUnusedLoafFromTheFirstBusinessDayToTheMonthsEnd()
    {
        final MonthModel model = new MonthModel(data, NOV_28);
        final int quota = 5 * data.households().breadIndividuals(household);
        assertEquals(quota, model.quotaLoaves(household));
        assertEquals(3, model.daysCounted(NOVEMBER), "28, 29 and 30 November");
        assertEquals(ResponseCode.APPROVED, model.decide(bakery, head, MonthModel.BREAD, quota, 0, NOV_28));
        assertEquals(ResponseCode.APPROVED, model.decide(bakery, head, MonthModel.BREAD, 1, 0, NOV_29));

        assertEquals((3L * quota - quota - 1) * 10, model.breadPointsEarned(household, NOVEMBER));
        assertEquals(ResponseCode.APPROVED, model.decide(bakery, head, MonthModel.BREAD, 1, 0, DEC_1));
        final long allowance = model.rationAllowancePiasters(household);
        assertEquals(allowance + (3L * quota - quota - 1) * 10, model.rationCredit(household, NOVEMBER + 1));
        assertEquals(allowance + (3L * quota - quota - 1) * 10, model.expectedBalance[Program.ACCOUNT_RATION]);
        assertEquals(quota - 1, model.expectedBalance[Program.ACCOUNT_BREAD]);
    }

    @Test
    void shouldExpectTheLostCardToAnswer41UntilItsReplacementIsUsedAnd62After()
    {
        final MonthModel model = new MonthModel(data, NOV_28);
        model.blockLost(head, NOV_28);
        assertEquals(ResponseCode.LOST_CARD, model.decide(bakery, head, MonthModel.BREAD, 1, 0, NOV_28));
        final org.unicard.state.CardTable cards = data.cards();
        final long payload = MonthStory.REPLACEMENT_PAN_PREFIX + 1;
        final int replacement = cards.add(payload * 10 + org.unicard.state.Luhn.checkDigit(payload), cards.nationalId(head), household, true,
            org.unicard.state.CardStatus.COLLECTED, NOV_29, cards.expiryYyMm(head), cards.pvv(head), cards.programs(head), 0, false);
        cards.replacesCard(replacement, head);
        model.issueReplacement(replacement, head);

        assertEquals(ResponseCode.LOST_CARD, model.decide(bakery, head, MonthModel.BREAD, 1, 0, NOV_29), "the new card not used yet");
        assertEquals(ResponseCode.NOT_PERMITTED_ON_TERMINAL, model.decide(grocer, replacement, MonthModel.BREAD, 1, 0, NOV_29),
            "a decline does not supersede");
        assertEquals(ResponseCode.LOST_CARD, model.decide(bakery, head, MonthModel.BREAD, 1, 0, NOV_29));
        assertEquals(ResponseCode.APPROVED, model.decide(bakery, replacement, MonthModel.BREAD, 2, 0, NOV_29));
        assertEquals(model.quotaLoaves(household) - 2, model.expectedBalance[Program.ACCOUNT_BREAD], "the household's quota, shared");
        assertEquals(ResponseCode.RESTRICTED_CARD, model.decide(bakery, head, MonthModel.BREAD, 1, 0, NOV_29));
        assertTrue(model.superseded(head));
        assertEquals(ResponseCode.APPROVED, model.decide(bakery, replacement, MonthModel.BREAD, 1, 0, NOV_29));
    }

    @Test
    void shouldExpectTheDeclinesTheStoryProvokes()
    {
        final MonthModel model = new MonthModel(data, NOV_28);
        final int quota = model.quotaLoaves(household);
        assertEquals(ResponseCode.APPROVED, model.decide(bakery, head, MonthModel.BREAD, quota - 1, 0, NOV_28));
        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, model.decide(bakery, head, MonthModel.BREAD, 2, 0, NOV_28), "over quota");
        assertEquals(ResponseCode.APPROVED, model.decide(bakery, head, MonthModel.BREAD, 1, 0, NOV_28));
        assertEquals(ResponseCode.NOT_PERMITTED_ON_TERMINAL, model.decide(grocer, head, MonthModel.BREAD, 1, 0, NOV_29), "bread at a grocer");
        assertEquals(ResponseCode.WRONG_PIN, model.decide(grocer, head, MonthModel.RATION, 100, 2, NOV_29));
        assertEquals(ResponseCode.WRONG_PIN, model.decide(grocer, head, MonthModel.RATION, 100, 2, NOV_29));
        assertEquals(ResponseCode.APPROVED, model.decide(grocer, head, MonthModel.RATION, 100, 1, NOV_29), "the right PIN resets the tries");
        assertEquals(ResponseCode.WRONG_PIN, model.decide(grocer, head, MonthModel.RATION, 100, 2, NOV_29));
        assertEquals(ResponseCode.INSUFFICIENT_FUNDS,
            model.decide(grocer, head, MonthModel.RATION, model.rationAllowancePiasters(household), 0, NOV_29), "100 already spent");
        model.blockLost(head, NOV_29);
        assertEquals(ResponseCode.LOST_CARD, model.decide(bakery, head, MonthModel.BREAD, 1, 0, NOV_29));
        assertEquals(ResponseCode.NOT_PERMITTED_ON_TERMINAL, model.decide(grocer, head, MonthModel.BREAD, 1, 0, NOV_29),
            "the terminal type is checked before the card (spec §7)");
    }

    @Test
    void shouldNameEveryHouseholdWhoseStateDiffers() throws Exception
    {
        final MonthModel model = new MonthModel(data, NOV_28);
        assertEquals(ResponseCode.APPROVED, model.decide(bakery, head, MonthModel.BREAD, 3, 0, NOV_28));
        final DataSet switchData = DataSetImporter.load(directory, LocalMasterKey.parse("0123456789ABCDEFFEDCBA9876543210", "test"));
        final var table = switchData.households();
        table.rationMonth(household, NOVEMBER);
        table.rationBalancePiasters(household, model.rationBalance(household));
        table.breadDay(household, NOV_28);
        table.breadMonth(household, NOVEMBER);
        table.loavesTakenToday(household, 3);
        table.loavesTakenThisMonth(household, 3);
        table.cashBalancePiasters(household, model.cashBalance(household));
        final List<String> mismatches = new ArrayList<>();
        assertEquals(0, model.compareHouseholds(table, mismatches, 10), mismatches.toString());

        table.loavesTakenThisMonth(household, 4);
        assertEquals(1, model.compareHouseholds(table, mismatches, 10));
        assertEquals(1, mismatches.size());
        assertTrue(mismatches.getFirst().startsWith("household " + table.householdId(household) + ": switch"), mismatches.getFirst());
    }
}
