package org.unicard.testing;

import java.time.LocalDate;
import java.time.ZonedDateTime;

import org.unicard.state.Luhn;
import org.unicard.state.AcquirerTable;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;
import org.unicard.time.CairoCalendar;

/**
 * A small hand-built data set for authorizer, journal and recovery tests: every household, card,
 * terminal and acquirer has a named dense index here, so a test reads as the spec does ("the lost
 * card at the grocer"). Every call of {@link #dataSet()} builds a fresh, independent copy.
 * <p>
 * Households:
 * <pre>
 *   SMALL     3 ration, 3 bread individuals, no cash support
 *   BIG       6 ration, 6 bread individuals, 300.00 EGP cash support a month
 *   REPLACED  2 ration, 2 bread individuals: its head card was replaced (OLD_HEAD -> NEW_HEAD)
 * </pre>
 */
public final class TestData
{
    /** The data set's first business day: Sunday 2026-11-01 08:00 Cairo (UTC+2, no DST in November). */
    public static final ZonedDateTime GENESIS = ZonedDateTime.of(2026, 11, 1, 8, 0, 0, 0, CairoCalendar.ZONE);
    public static final long GENESIS_MS = GENESIS.toInstant().toEpochMilli();
    public static final long FINGERPRINT = 0x5EED_CAFE_F00D_0001L;

    public static final int CARD_EXPIRY = 2812;
    public static final int EXPIRED_CARD_EXPIRY = 2610;
    public static final int NOVEMBER_EXPIRY = 2611;

    // Households.
    public static final int SMALL = 0;
    public static final int BIG = 1;
    public static final int REPLACED = 2;
    public static final long SMALL_ID = 100_001;
    public static final long BIG_ID = 100_002;
    public static final long REPLACED_ID = 100_003;
    public static final long BIG_CASH_MONTHLY_PIASTERS = 30_000;

    // Cards, in the order they are added.
    public static final int HEAD = 0;
    public static final int MEMBER = 1;
    public static final int BIG_HEAD = 2;
    public static final int EXEMPT = 3;
    public static final int NO_WALLET = 4;
    public static final int LOST = 5;
    public static final int STOLEN = 6;
    public static final int DAMAGED = 7;
    public static final int ISSUED_RECENTLY = 8;
    public static final int ISSUED_LONG_AGO = 9;
    public static final int OLD_HEAD = 10;
    public static final int NEW_HEAD = 11;
    public static final int EXPIRED = 12;
    public static final int EXPIRES_NOVEMBER = 13;
    public static final int CARD_COUNT = 14;

    public static final long HEAD_WALLET_PIASTERS = 100_000;
    public static final long MEMBER_WALLET_PIASTERS = 20_000;
    public static final long BIG_HEAD_WALLET_PIASTERS = 50_000;
    public static final long OTHER_WALLET_PIASTERS = 10_000;

    /** Issue day of {@link #ISSUED_RECENTLY}: 10 days before genesis. */
    public static final LocalDate ISSUED_RECENTLY_ON = GENESIS.toLocalDate().minusDays(10);
    /** Issue day of {@link #ISSUED_LONG_AGO}: 70 days before genesis. */
    public static final LocalDate ISSUED_LONG_AGO_ON = GENESIS.toLocalDate().minusDays(70);
    public static final LocalDate ISSUED_ON = LocalDate.of(2025, 6, 1);

    // Terminals.
    public static final int BAKERY = 0;
    public static final int GROCER = 1;
    public static final int GROCER_2 = 2;
    public static final int HEALTH = 3;
    public static final int POST = 4;
    public static final int INACTIVE_GROCER = 5;
    private static final String[] TERMINAL_IDS = {"BAK00001", "GRO00001", "GRO00002", "HLT00001", "PST00001", "GRO00099"};

    // Acquirers.
    public static final int BANK = 0;
    public static final int POST_BANK = 1;
    public static final long BANK_ID = 40_000_001;
    public static final long POST_BANK_ID = 40_000_002;
    /** A terminal id on an acquirer link: not registered with the switch. */
    public static final String ACQUIRER_TERMINAL = "ATM00042";

    private static final long PAN_PREFIX = 603_666_000_000_000L;

    private TestData()
    {
    }

    /**
     * @param card a card index of this data set.
     * @return its 16-digit Luhn-valid PAN.
     */
    public static long pan(final int card)
    {
        return withCheckDigit(PAN_PREFIX + 1_000 + card * 7L);
    }

    /**
     * @param terminal a terminal index of this data set.
     * @return its field-41 id packed as the decoder packs it.
     */
    public static long terminalId(final int terminal)
    {
        return TerminalTable.packTerminalId(TERMINAL_IDS[terminal]);
    }

    /**
     * @param payload the digits before the check digit.
     * @return the payload followed by its Luhn check digit.
     */
    public static long withCheckDigit(final long payload)
    {
        return payload * 10 + Luhn.checkDigit(payload);
    }

    /**
     * @param date a Cairo local date.
     * @return its Cairo day number as the tables store it.
     */
    public static int dayNumber(final LocalDate date)
    {
        return (int)date.toEpochDay();
    }

    /**
     * @return a fresh copy of the data set.
     */
    public static DataSet dataSet()
    {
        return dataSet(FINGERPRINT);
    }

    /**
     * @param fingerprint the fingerprint to give the copy.
     * @return a fresh copy of the data set.
     */
    public static DataSet dataSet(final long fingerprint)
    {
        final HouseholdTable households = new HouseholdTable(8);
        check(households.add(SMALL_ID, 3, 3, 3, 0), SMALL);
        check(households.add(BIG_ID, 3, 6, 6, BIG_CASH_MONTHLY_PIASTERS), BIG);
        check(households.add(REPLACED_ID, 3, 2, 2, 0), REPLACED);

        final CardTable cards = new CardTable(32);
        final int ration = Program.RATION | Program.BREAD;
        final int citizen = Program.HEALTH | Program.WALLET;
        card(cards, HEAD, SMALL, true, CardStatus.COLLECTED, ISSUED_ON, CARD_EXPIRY, ration | citizen, HEAD_WALLET_PIASTERS, false);
        card(cards, MEMBER, SMALL, false, CardStatus.COLLECTED, ISSUED_ON, CARD_EXPIRY, citizen, MEMBER_WALLET_PIASTERS, false);
        card(cards, BIG_HEAD, BIG, true, CardStatus.COLLECTED, ISSUED_ON, CARD_EXPIRY, ration | citizen | Program.CASH,
            BIG_HEAD_WALLET_PIASTERS, false);
        card(cards, EXEMPT, BIG, false, CardStatus.COLLECTED, ISSUED_ON, CARD_EXPIRY, citizen, 0, true);
        card(cards, NO_WALLET, BIG, false, CardStatus.COLLECTED, ISSUED_ON, CARD_EXPIRY, Program.HEALTH, 0, false);
        card(cards, LOST, SMALL, false, CardStatus.BLOCKED_LOST, ISSUED_ON, CARD_EXPIRY, citizen, OTHER_WALLET_PIASTERS, false);
        card(cards, STOLEN, SMALL, false, CardStatus.BLOCKED_STOLEN, ISSUED_ON, CARD_EXPIRY, citizen, OTHER_WALLET_PIASTERS, false);
        card(cards, DAMAGED, SMALL, false, CardStatus.DAMAGED, ISSUED_ON, CARD_EXPIRY, citizen, OTHER_WALLET_PIASTERS, false);
        card(cards, ISSUED_RECENTLY, SMALL, false, CardStatus.ISSUED, ISSUED_RECENTLY_ON, CARD_EXPIRY, citizen,
            OTHER_WALLET_PIASTERS, false);
        card(cards, ISSUED_LONG_AGO, SMALL, false, CardStatus.ISSUED, ISSUED_LONG_AGO_ON, CARD_EXPIRY, citizen,
            OTHER_WALLET_PIASTERS, false);
        card(cards, OLD_HEAD, REPLACED, true, CardStatus.COLLECTED, ISSUED_ON, CARD_EXPIRY, ration, 0, false);
        card(cards, NEW_HEAD, REPLACED, true, CardStatus.COLLECTED, ISSUED_RECENTLY_ON, CARD_EXPIRY, ration, 0, false);
        cards.replacesCard(NEW_HEAD, OLD_HEAD);
        card(cards, EXPIRED, SMALL, false, CardStatus.COLLECTED, ISSUED_ON, EXPIRED_CARD_EXPIRY, citizen,
            OTHER_WALLET_PIASTERS, false);
        card(cards, EXPIRES_NOVEMBER, SMALL, false, CardStatus.COLLECTED, ISSUED_ON, NOVEMBER_EXPIRY, citizen,
            OTHER_WALLET_PIASTERS, false);
        check(cards.size(), CARD_COUNT);

        final TerminalTable terminals = new TerminalTable(16);
        check(terminals.add(TERMINAL_IDS[BAKERY], "BAKERY000000001", TerminalType.BAKERY, 3, "Bakery", null, null, true), BAKERY);
        check(terminals.add(TERMINAL_IDS[GROCER], "GROCER000000001", TerminalType.GROCER, 3, "Grocer", null, null, true), GROCER);
        check(terminals.add(TERMINAL_IDS[GROCER_2], "GROCER000000002", TerminalType.GROCER, 3, "Grocer 2", null, null, true),
            GROCER_2);
        check(terminals.add(TERMINAL_IDS[HEALTH], "HEALTH000000001", TerminalType.HEALTH, 3, "Clinic", null, null, true), HEALTH);
        check(terminals.add(TERMINAL_IDS[POST], "POST00000000001", TerminalType.POST, 3, "Post office", null, null, true), POST);
        check(terminals.add(TERMINAL_IDS[INACTIVE_GROCER], "GROCER000000099", TerminalType.GROCER, 3, "Closed grocer", null, null,
            false), INACTIVE_GROCER);

        final AcquirerTable acquirers = new AcquirerTable(4);
        check(acquirers.add(BANK_ID, "Bank", null, true), BANK);
        check(acquirers.add(POST_BANK_ID, "Post bank", null, true), POST_BANK);

        return new DataSet(households, cards, terminals, acquirers, new byte[16], fingerprint);
    }

    private static void card(
        final CardTable cards,
        final int expectedIndex,
        final int household,
        final boolean head,
        final byte status,
        final LocalDate issuedOn,
        final int expiry,
        final int programs,
        final long walletPiasters,
        final boolean healthExempt)
    {
        final long nationalId = 29_001_011_234_560L + expectedIndex;
        check(cards.add(pan(expectedIndex), nationalId, household, head, status, dayNumber(issuedOn), expiry, 1234, programs,
            walletPiasters, healthExempt), expectedIndex);
    }

    private static void check(final int actual, final int expected)
    {
        if (actual != expected)
        {
            throw new IllegalStateException("fixture index expected=" + expected + " actual=" + actual);
        }
    }
}
