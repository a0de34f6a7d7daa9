package org.unicard.importer;

import org.unicard.security.PanMask;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;

/**
 * Reads {@code cards.csv} into a {@link CardTable}, then links each replacement card to the card
 * it replaces (which may come later in the file).
 */
final class CardsLoader
{
    static final int PAN = 0;
    static final int NATIONAL_ID = 1;
    static final int HOUSEHOLD_ID = 2;
    static final int ROLE = 3;
    static final int STATUS = 4;
    static final int ISSUED_ON = 5;
    static final int EXPIRY = 6;
    static final int PVV = 7;
    static final int PROGRAMS = 8;
    static final int WALLET_PIASTERS = 9;
    static final int HEALTH_EXEMPT = 10;
    static final int REPLACES_PAN = 11;
    static final int MOBILE = 12;

    static final byte[] DISPLAY = {
        CsvFile.MASK_PAN, CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW,
        CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW, CsvFile.MASK_PAN, CsvFile.SHOW};

    private static final byte[] HEAD = Values.ascii("head");
    private static final byte[] MEMBER = Values.ascii("member");
    private static final byte[] TRUE = Values.ascii("true");
    private static final byte[] FALSE = Values.ascii("false");
    private static final byte[][] STATUS_NAMES = {
        Values.ascii("issued"), Values.ascii("collected"), Values.ascii("blocked_lost"),
        Values.ascii("blocked_stolen"), Values.ascii("damaged")};
    private static final byte[] STATUS_CODES = {
        CardStatus.ISSUED, CardStatus.COLLECTED, CardStatus.BLOCKED_LOST, CardStatus.BLOCKED_STOLEN, CardStatus.DAMAGED};
    private static final byte[][] PROGRAM_NAMES = {
        Values.ascii("ration"), Values.ascii("bread"), Values.ascii("health"), Values.ascii("wallet"), Values.ascii("cash")};
    private static final int[] PROGRAM_BITS = {Program.RATION, Program.BREAD, Program.HEALTH, Program.WALLET, Program.CASH};

    private CardsLoader()
    {
    }

    static CardTable load(final CsvFile file, final HouseholdTable households, final ImportListener listener, final Headroom headroom)
        throws ImportException
    {
        final CardTable cards = new CardTable(Values.capacity(file, CardTable.MAX_CAPACITY, headroom));
        final Replacements replacements = new Replacements();
        while (file.next())
        {
            final long pan = Values.pan(file, PAN);
            final long nationalId = nationalId(file);
            final long householdId = Values.digits(file, HOUSEHOLD_ID, 1, 15, "expected 1 to 15 digits");
            final int household = householdId == 0 ? -1 : households.indexOf(householdId);
            if (household < 0)
            {
                throw file.error(HOUSEHOLD_ID, "no such household in " + DataFiles.HOUSEHOLDS);
            }
            final boolean head = role(file);
            final byte status = status(file);
            final int issuedDay = issuedDay(file);
            final int expiry = expiry(file);
            final int pvv = (int)Values.digits(file, PVV, 4, 4, "expected 4 digits");
            final int programs = programs(file, head);
            final long wallet = Values.digits(
                file, WALLET_PIASTERS, 1, 18, "expected a whole number of piasters, 0 or more, at most 18 digits");
            final boolean healthExempt = healthExempt(file);
            final long replacedPan = file.isEmpty(REPLACES_PAN) ? 0 : Values.pan(file, REPLACES_PAN);
            final long mobile = mobile(file);

            final int index = cards.add(
                pan, nationalId, household, head, status, issuedDay, expiry, pvv, programs, wallet, healthExempt);
            if (index < 0)
            {
                throw file.error(PAN, "duplicate pan");
            }
            cards.mobile(index, mobile);
            if (replacedPan != 0)
            {
                replacements.add(index, replacedPan, file.line());
            }
            DataSetImporter.report(file, listener);
        }
        replacements.resolve(file, cards);
        DataSetImporter.reportEnd(file, listener);
        return cards;
    }

    /**
     * An Egyptian national id: century digit (2: 1900s, 3: 2000s), birth date YYMMDD, governorate
     * code, then 5 more digits (serial, sex, check digit), which are not checked.
     */
    private static long nationalId(final CsvFile file) throws ImportException
    {
        final long id = Values.digits(file, NATIONAL_ID, 14, 14, "expected 14 digits");
        final int century = file.byteAt(NATIONAL_ID, 0) - '0';
        if (century != 2 && century != 3)
        {
            throw file.error(NATIONAL_ID, "first digit (century) must be 2 or 3");
        }
        final int year = (century == 2 ? 1900 : 2000) + (int)file.digits(NATIONAL_ID, 1, 3);
        final int month = (int)file.digits(NATIONAL_ID, 3, 5);
        final int day = (int)file.digits(NATIONAL_ID, 5, 7);
        if (month < 1 || month > 12 || day < 1 || day > CivilDays.daysInMonth(year, month))
        {
            throw file.error(NATIONAL_ID, "digits 2-7 are not a birth date YYMMDD");
        }
        if (!Governorates.isValid((int)file.digits(NATIONAL_ID, 7, 9)))
        {
            throw file.error(NATIONAL_ID, "digits 8-9 are not a governorate code");
        }
        return id;
    }

    private static boolean role(final CsvFile file) throws ImportException
    {
        Values.require(file, ROLE);
        if (file.is(ROLE, HEAD))
        {
            return true;
        }
        if (file.is(ROLE, MEMBER))
        {
            return false;
        }
        throw file.error(ROLE, "expected head or member");
    }

    private static byte status(final CsvFile file) throws ImportException
    {
        Values.require(file, STATUS);
        for (int i = 0; i < STATUS_NAMES.length; i++)
        {
            if (file.is(STATUS, STATUS_NAMES[i]))
            {
                return STATUS_CODES[i];
            }
        }
        throw file.error(STATUS, "expected issued, collected, blocked_lost, blocked_stolen or damaged");
    }

    private static int issuedDay(final CsvFile file) throws ImportException
    {
        Values.require(file, ISSUED_ON);
        if (file.length(ISSUED_ON) != 10)
        {
            throw file.error(ISSUED_ON, "expected YYYY-MM-DD");
        }
        final long year = file.digits(ISSUED_ON, 0, 4);
        final long month = file.digits(ISSUED_ON, 5, 7);
        final long day = file.digits(ISSUED_ON, 8, 10);
        if (file.byteAt(ISSUED_ON, 4) != '-' || file.byteAt(ISSUED_ON, 7) != '-' || year < 0 || month < 0 || day < 0)
        {
            throw file.error(ISSUED_ON, "expected YYYY-MM-DD");
        }
        if (year < 1900 || year > 2099)
        {
            throw file.error(ISSUED_ON, "year outside 1900..2099");
        }
        if (month < 1 || month > 12 || day < 1 || day > CivilDays.daysInMonth((int)year, (int)month))
        {
            throw file.error(ISSUED_ON, "not a calendar date");
        }
        return CivilDays.toDay((int)year, (int)month, (int)day);
    }

    private static int expiry(final CsvFile file) throws ImportException
    {
        final int expiry = (int)Values.digits(file, EXPIRY, 4, 4, "expected YYMM");
        final int month = expiry % 100;
        if (month < 1 || month > 12)
        {
            throw file.error(EXPIRY, "expected YYMM");
        }
        return expiry;
    }

    private static int programs(final CsvFile file, final boolean head) throws ImportException
    {
        Values.require(file, PROGRAMS);
        final int length = file.length(PROGRAMS);
        int mask = 0;
        int start = 0;
        for (int i = 0; i <= length; i++)
        {
            if (i == length || file.byteAt(PROGRAMS, i) == ';')
            {
                int bit = 0;
                for (int p = 0; p < PROGRAM_NAMES.length; p++)
                {
                    if (file.regionIs(PROGRAMS, start, i, PROGRAM_NAMES[p]))
                    {
                        bit = PROGRAM_BITS[p];
                        break;
                    }
                }
                if (bit == 0)
                {
                    throw file.error(PROGRAMS, "expected ;-separated programs of ration, bread, health, wallet, cash");
                }
                if ((mask & bit) != 0)
                {
                    throw file.error(PROGRAMS, "a program is listed twice");
                }
                mask |= bit;
                start = i + 1;
            }
        }
        if (!head && (mask & Program.HOUSEHOLD_PROGRAMS) != 0)
        {
            throw file.error(PROGRAMS, "household programs (ration, bread, cash) are only allowed on a head card");
        }
        return mask;
    }

    private static boolean healthExempt(final CsvFile file) throws ImportException
    {
        Values.require(file, HEALTH_EXEMPT);
        if (file.is(HEALTH_EXEMPT, TRUE))
        {
            return true;
        }
        if (file.is(HEALTH_EXEMPT, FALSE))
        {
            return false;
        }
        throw file.error(HEALTH_EXEMPT, "expected true or false");
    }

    /**
     * @return the mobile number without its leading 0, or 0 when the cell is empty.
     */
    private static long mobile(final CsvFile file) throws ImportException
    {
        if (file.isEmpty(MOBILE))
        {
            return 0;
        }
        if (file.length(MOBILE) != 11 || file.digits(MOBILE) < 0 ||
            file.byteAt(MOBILE, 0) != '0' || file.byteAt(MOBILE, 1) != '1')
        {
            throw file.error(MOBILE, "expected 11 digits starting 01");
        }
        return file.digits(MOBILE);
    }

    /**
     * Cards naming a card they replace, kept until every card has been read: the replaced card may
     * come later in the file. Replacement cards are few, so these arrays stay small.
     */
    private static final class Replacements
    {
        private int[] card = new int[64];
        private long[] replacedPan = new long[64];
        private long[] line = new long[64];
        private int size;

        void add(final int newCard, final long oldPan, final long recordLine)
        {
            if (size == card.length)
            {
                card = java.util.Arrays.copyOf(card, size * 2);
                replacedPan = java.util.Arrays.copyOf(replacedPan, size * 2);
                line = java.util.Arrays.copyOf(line, size * 2);
            }
            card[size] = newCard;
            replacedPan[size] = oldPan;
            line[size] = recordLine;
            size++;
        }

        void resolve(final CsvFile file, final CardTable cards) throws ImportException
        {
            for (int i = 0; i < size; i++)
            {
                final int oldCard = cards.indexOf(replacedPan[i]);
                final String shown = PanMask.masked(replacedPan[i]);
                if (oldCard < 0)
                {
                    throw file.error(line[i], REPLACES_PAN, shown, "no card with this PAN in " + DataFiles.CARDS);
                }
                if (oldCard == card[i])
                {
                    throw file.error(line[i], REPLACES_PAN, shown, "a card cannot replace itself");
                }
                if (cards.household(oldCard) != cards.household(card[i]))
                {
                    throw file.error(line[i], REPLACES_PAN, shown, "the replaced card belongs to another household");
                }
                cards.replacesCard(card[i], oldCard);
            }
        }
    }
}
