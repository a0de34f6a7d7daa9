package org.unicard.changes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.config.ProgramRules;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import org.unicard.recovery.JournalReplayer;
import org.unicard.state.CardStatus;
import org.unicard.state.DataSet;
import org.unicard.state.Program;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.StateCapture;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spec §12 semantics of a change batch on the live tables: entitlement changes from the next cycle,
 * full entitlements for a new household, an existing card's live state kept, all or nothing, and the
 * same state again after replay.
 */
class ChangeApplierTest
{
    private static final long NEW_PAN = TestData.withCheckDigit(603_666_000_009_001L);

    @TempDir
    Path directory;

    private final AuthorizerHarness h = AuthorizerHarness.atGenesis();
    private final ChangeParser parser = new ChangeParser(ChangeParserTest.LMK);

    private static String household(final long id, final int ration, final int bread, final long cash)
    {
        return "{\"op\":\"household\",\"household_id\":" + id + ",\"governorate\":\"03\",\"ration_individuals\":" + ration +
            ",\"bread_individuals\":" + bread + ",\"cash_support_piasters\":" + cash + "}";
    }

    private String card(final long pan, final long household, final long nationalId, final String issuedOn, final String status,
        final String programs, final String replaces, final String walletField)
    {
        return "{\"op\":\"card\",\"pan\":\"" + pan + "\",\"national_id\":\"" + nationalId + "\",\"household_id\":" + household +
            ",\"role\":\"head\",\"status\":\"" + status + "\",\"issued_on\":\"" + issuedOn + "\",\"expiry\":\"2812\",\"pvv\":\"0123\"," +
            "\"programs\":\"" + programs + "\",\"health_exempt\":false,\"replaces_pan\":\"" + replaces + "\",\"mobile\":\"\"" + walletField + "}";
    }

    private ChangeApplier.Outcome apply(final String id, final String... lines)
    {
        final ChangeParser.Result parsed = parser.parse(id, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), parsed.errors());
        return new ChangeApplier(h.data, h.authorizer).apply(parsed.batch(), h.nowMs());
    }

    private static long balance(final AuthOutcome outcome, final int account)
    {
        for (int i = 0; i < outcome.balanceCount; i++)
        {
            if (outcome.balanceAccount[i] == account)
            {
                return outcome.balanceAmount[i];
            }
        }
        throw new AssertionError("no balance for account " + account);
    }

    private AuthOutcome inquire(final long pan)
    {
        return h.send(h.financial(TestData.POST).card(pan).code(310000));
    }

    @Test
    void shouldChangeTheBreadQuotaFromTheNextCairoDay()
    {
        h.at(2026, 11, 1, 10, 0);
        assertEquals(13, balance(h.buyBread(TestData.HEAD, 2), Program.ACCOUNT_BREAD), "3 individuals: 15 loaves a day");
        assertTrue(apply("b1", household(TestData.SMALL_ID, 3, 1, 0)).applied());
        assertEquals(13, balance(h.inquire(TestData.HEAD), Program.ACCOUNT_BREAD), "today keeps its quota");
        h.at(2026, 11, 2, 9, 0);
        assertEquals(5, balance(h.inquire(TestData.HEAD), Program.ACCOUNT_BREAD), "1 individual from the next day");
        h.at(2026, 12, 1, 9, 0);
        // Bread points for November: 15 (Nov 1) + 29 x 5 (Nov 2-30) - 2 taken = 158 loaves, 10 piasters each.
        assertEquals(15_000 + 1_580, balance(h.inquire(TestData.HEAD), Program.ACCOUNT_RATION));
    }

    @Test
    void shouldChangeRationAndCashSupportFromTheNextMonth()
    {
        h.at(2026, 11, 10, 10, 0);
        assertEquals(ResponseCode.APPROVED, h.buyRation(TestData.BIG_HEAD, 1_000).responseCode);
        final long cashBefore = h.cash(TestData.BIG);
        assertTrue(apply("b1", household(TestData.BIG_ID, 1, 6, 10_000)).applied());
        final AuthOutcome november = h.inquire(TestData.BIG_HEAD);
        assertEquals(rationFor(6) - 1_000, balance(november, Program.ACCOUNT_RATION), "this month keeps its credit");
        assertEquals(cashBefore, balance(november, Program.ACCOUNT_CASH), "this month's cash support was credited at the old amount");
        h.at(2026, 12, 1, 9, 0);
        final AuthOutcome december = h.inquire(TestData.BIG_HEAD);
        assertEquals(rationFor(1) + 30L * 30 * 10, balance(december, Program.ACCOUNT_RATION), "1 individual; 30 loaves a day unused for 30 days");
        assertEquals(cashBefore + 10_000, balance(december, Program.ACCOUNT_CASH));
    }

    @Test
    void shouldOpenANewHouseholdWithFullEntitlementsForTheCurrentCycles()
    {
        h.at(2026, 11, 15, 10, 0);
        final ChangeApplier.Outcome outcome = apply("b1", household(3001, 2, 2, 20_000),
            card(NEW_PAN, 3001, 28001010300111L, "2026-11-14", "collected", "ration;bread;cash", "", ",\"wallet_piasters\":700"));
        assertEquals(new ChangeApplier.Counts(1, 0, 1, 0, 0, 0, 0, 0), outcome.counts());
        final AuthOutcome now = inquire(NEW_PAN);
        assertEquals(ResponseCode.APPROVED, now.responseCode);
        assertEquals(rationFor(2), balance(now, Program.ACCOUNT_RATION));
        assertEquals(10, balance(now, Program.ACCOUNT_BREAD));
        assertEquals(20_000, balance(now, Program.ACCOUNT_CASH));
        h.at(2026, 12, 1, 9, 0);
        final AuthOutcome december = inquire(NEW_PAN);
        assertEquals(rationFor(2) + 16L * 10 * 10, balance(december, Program.ACCOUNT_RATION), "bread points from Nov 15 only");
        assertEquals(40_000, balance(december, Program.ACCOUNT_CASH));
    }

    @Test
    void shouldKeepAnExistingCardsLiveStateAndRefuseAWalletForIt()
    {
        final long headPan = TestData.pan(TestData.HEAD);
        final long nationalId = h.cards.nationalId(TestData.HEAD);
        h.at(2026, 11, 2, 10, 0);
        assertEquals(ResponseCode.APPROVED, h.payFromWallet(TestData.HEAD, 500).responseCode);
        final ChangeApplier.Outcome refused = apply("b1", household(3001, 1, 1, 0),
            card(headPan, TestData.SMALL_ID, nationalId, "2025-06-01", "blocked_lost", "ration;bread;health;wallet", "", ",\"wallet_piasters\":1"));
        assertEquals(List.of(new ChangeError(2, "wallet_piasters",
            "only allowed for a new card: an existing card keeps its live wallet balance (leave it out or empty)")), refused.errors());
        assertEquals(-1, h.households.indexOf(3001), "nothing of a refused batch applies");

        assertTrue(apply("b2", card(headPan, TestData.SMALL_ID, nationalId, "2025-06-01", "blocked_lost", "ration;bread;health;wallet", "", ""))
            .applied());
        assertEquals(TestData.HEAD_WALLET_PIASTERS - 500, h.cards.walletBalancePiasters(TestData.HEAD));
        assertEquals(CardStatus.BLOCKED_LOST, h.cards.status(TestData.HEAD));
        assertEquals(ResponseCode.LOST_CARD, h.buyBread(TestData.HEAD, 1).responseCode);

        final ChangeApplier.Outcome moved = apply("b3",
            card(headPan, TestData.BIG_ID, nationalId, "2025-06-02", "collected", "ration;bread;health;wallet", "", ""));
        assertEquals(List.of("household_id", "issued_on"), moved.errors().stream().map(ChangeError::field).toList());
    }

    @Test
    void shouldRefuseAReplacementOfANonexistentCardOrAnUnknownHousehold()
    {
        final long missing = TestData.withCheckDigit(603_666_000_009_002L);
        final ChangeApplier.Outcome refused = apply("b1",
            card(NEW_PAN, TestData.SMALL_ID, 28001010300111L, "2026-11-01", "collected", "ration;bread", "" + missing, ""),
            card(TestData.withCheckDigit(603_666_000_009_003L), 777, 28001010300112L, "2026-11-01", "collected", "wallet", "", ""));
        assertEquals(List.of(
            new ChangeError(1, "replaces_pan", "no card 603666******0021 to replace (neither in the switch nor in this batch)".replace(
                "603666******0021", org.unicard.security.PanMask.masked(missing))),
            new ChangeError(2, "household_id", "no such household 777 (neither in the switch nor in this batch)")), refused.errors());
        assertEquals(-1, h.cards.indexOf(NEW_PAN));
    }

    @Test
    void shouldRefuseABatchBeyondCapacityNamingTheSetting()
    {
        final String[] lines = new String[6];
        for (int i = 0; i < lines.length; i++)
        {
            lines[i] = household(5000 + i, 1, 1, 0);
        }
        final ChangeApplier.Outcome refused = apply("b1", lines);
        assertEquals(1, refused.errors().size());
        assertNull(refused.errors().getFirst().field());
        assertEquals("household table full: capacity=8 size=3 adding=6; raise " + ChangeApplier.HEADROOM_SETTINGS +
            " (applies at the next full import: a restart without a snapshot)", refused.errors().getFirst().reason());
        assertEquals(3, h.households.size());
    }

    @Test
    void shouldPrepareAgainAPlanThatAnotherBatchOvertook()
    {
        final ChangeApplier applier = new ChangeApplier(h.data, h.authorizer);
        final ChangeBatch first = parser.parse("first", household(3001, 1, 1, 0).getBytes(StandardCharsets.UTF_8)).batch();
        final ChangeApplier.Plan stale = applier.prepare(first);
        assertTrue(applier.commit(applier.prepare(parser.parse("other", household(3001, 2, 2, 0).getBytes(StandardCharsets.UTF_8)).batch()),
            h.nowMs()).applied());
        final ChangeApplier.Outcome outcome = applier.commit(stale, h.nowMs());
        assertEquals(new ChangeApplier.Counts(0, 1, 0, 0, 0, 0, 0, 0), outcome.counts(), "3001 exists now: changed, not added twice");
        assertEquals(4, h.households.size());
        assertEquals(1, h.households.rationIndividuals(h.households.indexOf(3001)));
    }

    @Test
    void shouldSupersedeTheOldCardOnTheReplacementsFirstUse()
    {
        final long headPan = TestData.pan(TestData.HEAD);
        assertTrue(apply("b1", card(NEW_PAN, TestData.SMALL_ID, 28001010300111L, "2026-11-01", "collected", "ration;bread", "" + headPan, ""))
            .applied());
        assertEquals(ResponseCode.APPROVED, h.buyBread(TestData.HEAD, 1).responseCode, "the old card works until the new one is used");
        assertEquals(ResponseCode.APPROVED, h.send(h.financial(TestData.BAKERY).card(NEW_PAN).code(9200).loaves(1)).responseCode);
        assertEquals(ResponseCode.RESTRICTED_CARD, h.buyBread(TestData.HEAD, 1).responseCode);
    }

    @Test
    void shouldReplayAJournaledBatchAtItsPlaceAmongTheRequestsIntoTheSameState() throws Exception
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        final JournalRecord record = new JournalRecord();
        final DataSet replayData = TestData.dataSet();
        final Authorizer replayed = new Authorizer(replayData, ProgramRules.defaults(), AuthorizerHarness.WINDOW_CAPACITY,
            AuthorizerHarness.LEDGER_CAPACITY);
        try (ChronicleJournal journal = ChronicleJournal.open(directory.resolve("journal")))
        {
            journal.append(buffer, record.encodeGenesis(buffer, TestData.GENESIS_MS, TestData.FINGERPRINT));
            h.at(2026, 11, 3, 10, 0);
            final AuthRequest bread = h.financial(TestData.BAKERY).card(TestData.pan(TestData.HEAD)).code(9200).loaves(4).build();
            final AuthOutcome before = h.send(bread);
            journal.append(buffer, record.encodeRequest(buffer, bread, before));
            h.authorizer.positions().recorded(before.sequence, journal.lastAppendedIndex());
            final byte[] body = String.join("\n", household(TestData.SMALL_ID, 3, 1, 0), household(3001, 2, 2, 500),
                card(NEW_PAN, 3001, 28001010300111L, "2026-11-01", "collected", "ration;bread;cash;wallet", "", ",\"wallet_piasters\":900"))
                .getBytes(StandardCharsets.UTF_8);
            final ChangeBatch batch = parser.parse("replay-1", body).batch();
            ChangeFiles.write(journal.directory(), batch.id(), batch.sha256(), body);
            h.advance(java.time.Duration.ofMinutes(1));
            final ChangeApplier.Outcome outcome = new ChangeApplier(h.data, h.authorizer).apply(batch, h.nowMs());
            journal.append(buffer, record.encodeChanges(buffer, outcome.businessTimeMs(), outcome.counts().applied(), batch.lines(),
                batch.bodyBytes(), batch.sha256(), ChangeReplayer.countsOf(outcome.counts()), batch.id()));
            h.advance(java.time.Duration.ofDays(1));
            final AuthRequest newCard = h.financial(TestData.BAKERY).card(NEW_PAN).code(9200).loaves(3).build();
            final AuthOutcome after = h.send(newCard);
            assertEquals(ResponseCode.APPROVED, after.responseCode);
            journal.append(buffer, record.encodeRequest(buffer, newCard, after));
            h.authorizer.positions().recorded(after.sequence, journal.lastAppendedIndex());

            ChangeReplayer.install(journal.directory(), ChangeParserTest.LMK, replayData, replayed);
            assertEquals(4, JournalReplayer.replay(journal, replayed, TestData.FINGERPRINT, count -> { }));
        }
        assertNull(StateCapture.firstDifference(StateCapture.of(h.data, h.authorizer), StateCapture.of(replayData, replayed)));
        assertNotNull(replayed.batches().find("replay-1"));
        assertEquals(3, replayed.batches().find("replay-1").applied());
    }

    private static long rationFor(final int individuals)
    {
        return ProgramRules.defaults().monthlyRationPiasters(individuals);
    }
}
