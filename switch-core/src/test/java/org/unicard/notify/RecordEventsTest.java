package org.unicard.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ResponseCode;
import org.unicard.config.ProgramRules;
import org.unicard.config.Settings;
import org.unicard.importer.DataSetImporter;
import org.unicard.security.Hex;
import org.unicard.security.TdesKey;
import org.unicard.server.WireData;
import org.unicard.state.DataSet;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.time.CairoCalendar;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rules of {@link RecordEvents} on the wire data set, record by record: which kinds go out,
 * bread folded or at once, declines by code, nobody's mobile, and the tallies of the digest and statement.
 */
class RecordEventsTest
{
    private static final long TIME_MS = OffsetDateTime.parse("2026-11-23T09:00:00+02:00").toInstant().toEpochMilli();

    @TempDir
    Path directory;

    private DataSet data;
    private final CitizenEvent[] events = {new CitizenEvent(), new CitizenEvent(), new CitizenEvent()};
    private final AuthRequest request = new AuthRequest();
    private final AuthOutcome outcome = new AuthOutcome();
    private final NotifierCounters counters = new NotifierCounters();
    private HouseholdTally tally;

    @BeforeEach
    void importData() throws Exception
    {
        WireData.write(directory);
        data = DataSetImporter.load(directory, TdesKey.of(Hex.parseKey(WireData.LMK_HEX)));
        tally = new HouseholdTally(data.households().capacity());
        tally.indexHeads(data.cards());
    }

    @Test
    void shouldFoldBreadIntoTheDigestByDefaultAndSendItAtOnceWhenConfigured()
    {
        final RecordEvents folded = events(settings());
        approved(WireData.HEAD, WireData.BAKERY, 9200, 3, Program.ACCOUNT_BREAD, -3, 7);
        assertEquals(0, folded.onRequest(100, request, outcome, true, events, 0));
        assertEquals(1, counters.foldedIntoDigest.get());
        assertEquals(3, tally.loavesToday(household(WireData.HEAD)));

        final RecordEvents atOnce = events(settings("notifications.bread-at-once", "true"));
        assertEquals(1, atOnce.onRequest(101, request, outcome, true, events, 0));
        assertEquals("101-0", events[0].key);
        assertEquals("3 loaves at مخبز الأمل, بورسعيد; 7 left today.", events[0].textEn);
        assertEquals("تم صرف ٣ أرغفة من مخبز الأمل, بورسعيد. المتبقي اليوم ٧ أرغفة.", events[0].textAr);
        assertEquals(6, tally.loavesToday(household(WireData.HEAD)), "tallied whether sent at once or not");

        assertEquals(true, atOnce.breadDigest(household(WireData.HEAD), CairoCalendar.instance().dayNumber(TIME_MS), events[1]));
        assertEquals(6, events[1].amount);
        assertEquals(4, events[1].balance, "2 bread individuals x 5 loaves, 6 taken");
        assertEquals(1_012_345_678L, events[1].mobile);
    }

    @Test
    void shouldDropAKindLeftOutOfTheConfigurationAndCountIt()
    {
        final RecordEvents onlyDeclines = events(settings("notifications.kinds", "decline"));
        approved(WireData.HEAD, WireData.GROCER_NO_MAC, 9100, 3_000, Program.ACCOUNT_RATION, -3_000, 7_000);
        assertEquals(0, onlyDeclines.onRequest(200, request, outcome, true, events, 0));
        assertEquals(1, counters.droppedByRule.get());
        assertEquals(3_000, tally.rationUsedThisMonthPiasters(household(WireData.HEAD)), "the statement still counts it");
    }

    @Test
    void shouldSendDeclinesOnlyForTheConfiguredCodes()
    {
        final RecordEvents only51 = events(settings("notifications.decline-codes", "51"));
        declined(WireData.LOST, ResponseCode.LOST_CARD);
        assertEquals(0, only51.onRequest(300, request, outcome, true, events, 0));
        declined(WireData.HEAD, ResponseCode.INSUFFICIENT_FUNDS);
        outcome.addBalance(Program.ACCOUNT_RATION, 1_500);
        assertEquals(1, only51.onRequest(301, request, outcome, true, events, 0));
        assertEquals(51, events[0].code);
        assertEquals(1_500, events[0].balance);
        assertEquals(20_000, events[0].amount);
        assertEquals("ration", events[0].program);
    }

    @Test
    void shouldSendNothingForARetransmissionOrWhenNotEmitting()
    {
        final RecordEvents rules = events(settings());
        approved(WireData.HEAD, WireData.GROCER_NO_MAC, 9100, 3_000, Program.ACCOUNT_RATION, -3_000, 7_000);
        outcome.duplicateOf = 5;
        assertEquals(0, rules.onRequest(400, request, outcome, true, events, 0));
        assertEquals(0, tally.rationUsedThisMonthPiasters(household(WireData.HEAD)), "a retransmission changed nothing");
        outcome.duplicateOf = AuthOutcome.NONE;
        assertEquals(0, rules.onRequest(401, request, outcome, false, events, 0), "read again after a restart: tallied, not sent");
        assertEquals(3_000, tally.rationUsedThisMonthPiasters(household(WireData.HEAD)));
    }

    @Test
    void shouldDropAMembersOwnEventWhenItHasNoMobileButSendTheHouseholdsToTheHead() throws Exception
    {
        final Path cards = directory.resolve("cards.csv");
        Files.writeString(cards, Files.readString(cards).replace(",01012345678\n", ",\n").replaceFirst(
            "(" + WireData.HEAD + ",.*),\n", "$1,01000000001\n"));
        data = DataSetImporter.load(directory, TdesKey.of(Hex.parseKey(WireData.LMK_HEX)));
        tally = new HouseholdTally(data.households().capacity());
        tally.indexHeads(data.cards());
        final RecordEvents rules = events(settings());
        approved(WireData.MEMBER, WireData.GROCER_NO_MAC, 9400, 100, Program.ACCOUNT_WALLET, -100, 4_900);
        assertEquals(0, rules.onRequest(500, request, outcome, true, events, 0), "a member's wallet is not told to the head");
        assertEquals(1, counters.droppedNoMobile.get());
        declined(WireData.MEMBER, ResponseCode.RESTRICTED_CARD);
        assertEquals(1, rules.onRequest(501, request, outcome, true, events, 0), "a card problem reaches the head");
        assertEquals(1_000_000_001L, events[0].mobile);
    }

    @Test
    void shouldSendAReversalWithTheBalanceAfterItForARationAndAWalletReversal()
    {
        final RecordEvents rules = events(settings());
        reversed(WireData.HEAD, WireData.GROCER_NO_MAC, 9100, 3_000, Program.ACCOUNT_RATION, 2_000, 10_000);
        assertEquals(1, rules.onRequest(600, request, outcome, true, events, 0));
        assertEquals(EventKind.REVERSAL, events[0].kind);
        assertEquals("ration", events[0].program);
        assertEquals(2_000, events[0].amount);
        assertEquals(10_000, events[0].balance, "the ration credit after the reversal, as the record keeps it");
        assertEquals("Cancelled at Grocer two: 20.00 EGP given back to your ration credit. Balance now: 100.00 EGP.", events[0].textEn);

        reversed(WireData.MEMBER, WireData.GROCER_NO_MAC, 9400, 100, Program.ACCOUNT_WALLET, 100, 5_000);
        assertEquals(1, rules.onRequest(601, request, outcome, true, events, 0));
        assertEquals(EventKind.REVERSAL, events[0].kind);
        assertEquals("wallet", events[0].program);
        assertEquals(100, events[0].amount);
        assertEquals(5_000, events[0].balance);

        reversed(WireData.MEMBER, WireData.HEALTH, 9300, 500, Program.ACCOUNT_HEALTH, 500, 5_000);
        assertEquals(1, rules.onRequest(602, request, outcome, true, events, 0));
        assertEquals("health", events[0].program);
        assertEquals(5_000, events[0].balance, "the wallet's, which paid the co-payment");

        reversed(WireData.HEAD, WireData.GROCER_NO_MAC, 209100, 1_000, Program.ACCOUNT_RATION, -1_000, 9_000);
        assertEquals(1, rules.onRequest(603, request, outcome, true, events, 0));
        assertEquals(1_000, events[0].amount, "a return's reversal takes its credit back");
        assertEquals(9_000, events[0].balance);
        assertEquals("Cancelled return at Grocer two: 10.00 EGP taken back from your ration credit. Balance now: 90.00 EGP.",
            events[0].textEn);
        assertEquals("تم إلغاء عملية رد لدى Grocer two وخصم ١٠٫٠٠ جنيه من رصيد التموين. الرصيد الآن ٩٠٫٠٠ جنيه.", events[0].textAr);
    }

    @Test
    void shouldSendAReversalJournaledBeforeRecordsKeptTheBalanceWithoutOne()
    {
        final RecordEvents rules = events(settings());
        reversed(WireData.HEAD, WireData.GROCER_NO_MAC, 9100, 3_000, Program.ACCOUNT_RATION, 2_000, AuthOutcome.UNKNOWN_BALANCE);
        assertEquals(1, rules.onRequest(700, request, outcome, true, events, 0));
        assertEquals(2_000, events[0].amount);
        assertEquals(CitizenEvent.ABSENT, events[0].balance, "unknown, so left out of the JSON");
        assertEquals("Cancelled at Grocer two: 20.00 EGP given back to your ration credit.", events[0].textEn, "and out of the text");
    }

    private RecordEvents events(final NotifySettings settings)
    {
        return new RecordEvents(data, tally, settings, counters, ProgramRules.defaults(), CairoCalendar.instance().dayNumber(TIME_MS));
    }

    private static NotifySettings settings(final String... nameValues)
    {
        final Properties properties = Settings.load(null);
        properties.setProperty("notifications.url", "http://127.0.0.1:1/events");
        for (int i = 0; i < nameValues.length; i += 2)
        {
            properties.setProperty(nameValues[i], nameValues[i + 1]);
        }
        return NotifySettings.from(properties, "test");
    }

    private int household(final String pan)
    {
        return data.cards().household(data.cards().indexOf(Long.parseLong(pan)));
    }

    private void approved(final String pan, final String terminal, final int processingCode, final long amount, final int account,
        final long applied, final long balance)
    {
        fill(pan, terminal, processingCode, amount);
        outcome.responseCode = ResponseCode.APPROVED;
        outcome.account = account;
        outcome.amountApplied = applied;
        outcome.addBalance(account, balance);
    }

    /** An approved 0400 that moved {@code applied} on the account, leaving {@code balanceAfter}. */
    private void reversed(final String pan, final String terminal, final int processingCode, final long amount, final int account,
        final long applied, final long balanceAfter)
    {
        fill(pan, terminal, processingCode, amount);
        request.mti = 400;
        outcome.responseCode = ResponseCode.APPROVED;
        outcome.account = account;
        outcome.amountApplied = applied;
        outcome.reversalOf = 1;
        outcome.reversedAmount = Math.abs(applied);
        outcome.balanceAfter = balanceAfter;
    }

    private void declined(final String pan, final int code)
    {
        fill(pan, WireData.GROCER_NO_MAC, 9100, 20_000);
        outcome.responseCode = code;
    }

    private void fill(final String pan, final String terminal, final int processingCode, final long amount)
    {
        request.clear();
        outcome.clear();
        request.mti = 200;
        request.businessTimeMs = TIME_MS;
        request.sourceType = AuthRequest.SOURCE_TERMINAL;
        request.terminalId = TerminalTable.packTerminalId(terminal);
        request.sourceIndex = data.terminals().indexOf(request.terminalId);
        request.pan = Long.parseLong(pan);
        request.panDigits = pan.length();
        request.processingCode = processingCode;
        request.amount = amount;
        outcome.card = data.cards().indexOf(request.pan);
        outcome.household = data.cards().household(outcome.card);
    }
}
