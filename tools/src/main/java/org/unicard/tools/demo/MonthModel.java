package org.unicard.tools.demo;

import org.unicard.authorizer.ResponseCode;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;
import org.unicard.time.CairoCalendar;

/**
 * The demo's own account of the month, written from the interface spec (§4, §7, §9) and not from
 * the switch's code: for every visit it says which answer the switch must give on the Cairo day the
 * switch decided it, and what each account then holds, so every answer and every balance in field 54
 * can be checked. It keeps each household's loaves per day and per month, its ration credit (the
 * allowance plus the bread points of the month before), its cash support, each card's wallet, PIN
 * tries and blocks, and what each terminal sold.
 * <p>
 * The rules are the spec's defaults, as constants here: 5 loaves per bread individual and day; ration
 * 5,000 piasters for each of the first 4 individuals and 2,500 for each beyond; 10 piasters of next
 * month's ration for every loaf of the daily quota left unused, counted from the first business day
 * (or the 1st) to the month's end; cash support credited for every month from the first business
 * day's; the third wrong PIN in a row blocks the PIN.
 * <p>
 * Not thread-safe: the demo calls it from the one thread its answers arrive on, one visit of a
 * household at a time.
 */
final class MonthModel
{
    static final int LOAVES_PER_INDIVIDUAL_PER_DAY = 5;
    static final long RATION_PIASTERS_FIRST_FOUR = 5_000;
    static final long RATION_PIASTERS_BEYOND_FOUR = 2_500;
    static final long BREAD_POINT_PIASTERS_PER_LOAF = 10;
    static final int PIN_TRIES_MAX = 3;
    /** The longest run the model keeps months for (62 days span at most 3 months). */
    static final int MONTHS_MAX = 3;

    /** Processing codes the demo sends: type (2 digits), account (2), 00. */
    static final int BREAD = 9200;
    static final int RATION = 9100;
    static final int HEALTH = 9300;
    static final int CASH_WITHDRAWAL = 19500;
    static final int WALLET_WITHDRAWAL = 19400;
    /** A balance inquiry on every account: the go-live warm-up sends only these. */
    static final int BALANCE_INQUIRY = 310000;

    private final DataSet data;
    private final int firstBusinessDay;
    private final int firstMonth;

    private final int[] breadDay;
    private final int[] loavesToday;
    private final int[][] loavesInMonth;
    private final int[] rationMonth;
    private final long[] rationBalancePiasters;
    private final long[][] rationCreditPiasters;
    private final long[][] breadPointsPiasters;
    private final int[] cashCreditedMonth;
    private final long[] cashBalancePiasters;
    private final long[] walletPiasters;
    private final byte[] pinTries;
    private final boolean[] blockedLost;
    /** Per card: the card a replacement replaces (-1 none), whether it has had an approval, whether it was superseded. */
    private final int[] replaces;
    private final boolean[] used;
    private final boolean[] superseded;

    /** What each terminal sold, by account: approved purchases and withdrawals (count, total). */
    private final long[][] terminalCount;
    private final long[][] terminalTotal;
    /** Per month and program index ({@link #programIndex}): units approved, and the households served. */
    private final long[][] programUnits;
    private final boolean[][][] served;

    /** Filled by {@link #decide}: the balances the answer's field 54 must show, by account (-1 when not held). */
    final long[] expectedBalance = new long[100];

    /**
     * @param data             the demo's own copy of the data set (never the switch's tables).
     * @param firstBusinessDay the Cairo day of the switch's first business day (the demo's start).
     */
    MonthModel(final DataSet data, final int firstBusinessDay)
    {
        this.data = data;
        this.firstBusinessDay = firstBusinessDay;
        this.firstMonth = CairoCalendar.monthOfDay(firstBusinessDay);
        final int households = data.households().size();
        // Sized to the tables' capacity: the story adds a replacement card and a bakery to the demo's copy as the switch accepts them.
        final int cards = data.cards().capacity();
        breadDay = new int[households];
        loavesToday = new int[households];
        loavesInMonth = new int[MONTHS_MAX][households];
        rationMonth = new int[households];
        rationBalancePiasters = new long[households];
        rationCreditPiasters = new long[MONTHS_MAX][households];
        breadPointsPiasters = new long[MONTHS_MAX][households];
        cashCreditedMonth = new int[households];
        cashBalancePiasters = new long[households];
        java.util.Arrays.fill(breadDay, Integer.MIN_VALUE);
        java.util.Arrays.fill(rationMonth, Integer.MIN_VALUE);
        java.util.Arrays.fill(cashCreditedMonth, Integer.MIN_VALUE);
        walletPiasters = new long[cards];
        pinTries = new byte[cards];
        blockedLost = new boolean[cards];
        replaces = new int[cards];
        java.util.Arrays.fill(replaces, -1);
        used = new boolean[cards];
        superseded = new boolean[cards];
        for (int card = 0; card < data.cards().size(); card++)
        {
            walletPiasters[card] = data.cards().walletBalancePiasters(card);
        }
        terminalCount = new long[data.terminals().capacity()][5];
        terminalTotal = new long[data.terminals().capacity()][5];
        programUnits = new long[MONTHS_MAX][5];
        served = new boolean[MONTHS_MAX][5][households];
    }

    /**
     * @return the household's bread quota per day, in loaves.
     */
    int quotaLoaves(final int household)
    {
        return LOAVES_PER_INDIVIDUAL_PER_DAY * data.households().breadIndividuals(household);
    }

    /**
     * @return the household's monthly ration allowance, before bread points.
     */
    long rationAllowancePiasters(final int household)
    {
        final int individuals = data.households().rationIndividuals(household);
        return Math.min(4, individuals) * RATION_PIASTERS_FIRST_FOUR + Math.max(0, individuals - 4) * RATION_PIASTERS_BEYOND_FOUR;
    }

    /**
     * @return the days of a month that earn bread points: from the first business day (or the 1st) to its end.
     */
    int daysCounted(final int month)
    {
        final int first = CairoCalendar.firstDayOfMonth(month);
        final int end = CairoCalendar.firstDayOfMonth(month + 1);
        return Math.max(0, end - Math.max(first, firstBusinessDay));
    }

    /**
     * @return the bread points a household earned in a month: 10 piasters for each unused loaf of its quota.
     */
    long breadPointsEarned(final int household, final int month)
    {
        final int index = month - firstMonth;
        final long taken = index >= 0 && index < MONTHS_MAX ? loavesInMonth[index][household] : 0;
        return Math.max(0, (long)quotaLoaves(household) * daysCounted(month) - taken) * BREAD_POINT_PIASTERS_PER_LOAF;
    }

    /**
     * A lost card reported by the family and blocked by an operator: from now on it is answered 41.
     * The operator's answer shows the card's balances of that day, so the household's cycles are
     * brought to it, as on any other use of a card.
     *
     * @param card the card blocked.
     * @param day  the Cairo day of the block.
     */
    void blockLost(final int card, final int day)
    {
        blockedLost[card] = true;
        if ((data.cards().programs(card) & (Program.RATION | Program.BREAD | Program.CASH)) != 0)
        {
            roll(data.cards().household(card), day);
        }
    }

    /**
     * A replacement card issued by a change batch (spec §12) and added to the demo's copy: it starts with no
     * wallet and no PIN tries; its first approval supersedes the card it replaces, which from then on is
     * answered 62 (spec §9), whatever it was before (the lost card's 41 included).
     *
     * @param card    the new card.
     * @param oldCard the card it replaces.
     */
    void issueReplacement(final int card, final int oldCard)
    {
        replaces[card] = oldCard;
        walletPiasters[card] = data.cards().walletBalancePiasters(card);
    }

    /**
     * @return whether the card was superseded by its replacement's first approval.
     */
    boolean superseded(final int card)
    {
        return superseded[card];
    }

    /**
     * Decides a visit as the spec says the switch must, on the Cairo day the switch decided it, and
     * applies its effect when approved; fills {@link #expectedBalance}.
     *
     * @param terminal       the terminal's index.
     * @param card           the card's index.
     * @param processingCode {@link #BREAD}, {@link #RATION}, {@link #HEALTH}, {@link #CASH_WITHDRAWAL} or {@link #WALLET_WITHDRAWAL}.
     * @param amount         field 4: loaves or piasters.
     * @param pin            0 none, 1 right, 2 wrong.
     * @param day            the Cairo day it was decided on.
     * @return the response code the switch must answer.
     */
    int decide(final int terminal, final int card, final int processingCode, final long amount, final int pin, final int day)
    {
        java.util.Arrays.fill(expectedBalance, -1);
        final int account = processingCode / 100 % 100;
        final int type = processingCode / 10_000;
        if (!allowed(data.terminals().type[terminal], type, account))
        {
            return ResponseCode.NOT_PERMITTED_ON_TERMINAL;
        }
        if (superseded[card])
        {
            return ResponseCode.RESTRICTED_CARD;
        }
        if (blockedLost[card])
        {
            return ResponseCode.LOST_CARD;
        }
        final CardTable cards = data.cards();
        if (cards.status(card) != CardStatus.COLLECTED)
        {
            throw new IllegalStateException("the story presents only collected cards: card=" + card);
        }
        final int household = cards.household(card);
        final int programs = cards.programs(card);
        if ((programs & (Program.RATION | Program.BREAD | Program.CASH)) != 0)
        {
            roll(household, day);
        }
        final boolean pinRequired = account == Program.ACCOUNT_WALLET || account == Program.ACCOUNT_CASH || type == 1;
        if (pinTries[card] >= PIN_TRIES_MAX && (pin != 0 || pinRequired))
        {
            return ResponseCode.PIN_TRIES_EXCEEDED;
        }
        if (pin == 2)
        {
            pinTries[card]++;
            return pinTries[card] >= PIN_TRIES_MAX ? ResponseCode.PIN_TRIES_EXCEEDED : ResponseCode.WRONG_PIN;
        }
        if (pin == 0 && pinRequired)
        {
            return ResponseCode.WRONG_PIN;
        }
        if (pin == 1)
        {
            pinTries[card] = 0;
        }
        final int code = move(card, household, account, amount, day);
        if (code == ResponseCode.APPROVED)
        {
            if (!used[card])
            {
                used[card] = true;
                if (replaces[card] >= 0)
                {
                    superseded[replaces[card]] = true;
                }
            }
            final int programIndex = programIndex(account);
            terminalCount[terminal][programIndex]++;
            terminalTotal[terminal][programIndex] += amount;
            final int monthIndex = CairoCalendar.monthOfDay(day) - firstMonth;
            programUnits[monthIndex][programIndex] += amount;
            served[monthIndex][programIndex][household] = true;
        }
        balances(card, household, programs);
        return code;
    }

    private int move(final int card, final int household, final int account, final long amount, final int day)
    {
        switch (account)
        {
            case Program.ACCOUNT_BREAD ->
            {
                if (loavesToday[household] + amount > quotaLoaves(household))
                {
                    return ResponseCode.INSUFFICIENT_FUNDS;
                }
                loavesToday[household] += (int)amount;
                loavesInMonth[CairoCalendar.monthOfDay(day) - firstMonth][household] += (int)amount;
            }
            case Program.ACCOUNT_RATION ->
            {
                if (rationBalancePiasters[household] < amount)
                {
                    return ResponseCode.INSUFFICIENT_FUNDS;
                }
                rationBalancePiasters[household] -= amount;
            }
            case Program.ACCOUNT_HEALTH ->
            {
                if (!data.cards().hasFlag(card, CardTable.FLAG_HEALTH_EXEMPT))
                {
                    if (walletPiasters[card] < amount)
                    {
                        return ResponseCode.INSUFFICIENT_FUNDS;
                    }
                    walletPiasters[card] -= amount;
                }
            }
            case Program.ACCOUNT_WALLET ->
            {
                if (walletPiasters[card] < amount)
                {
                    return ResponseCode.INSUFFICIENT_FUNDS;
                }
                walletPiasters[card] -= amount;
            }
            case Program.ACCOUNT_CASH ->
            {
                if (cashBalancePiasters[household] < amount)
                {
                    return ResponseCode.INSUFFICIENT_FUNDS;
                }
                cashBalancePiasters[household] -= amount;
            }
            default -> throw new IllegalArgumentException("account=" + account);
        }
        return ResponseCode.APPROVED;
    }

    private void roll(final int household, final int day)
    {
        final int month = CairoCalendar.monthOfDay(day);
        if (rationMonth[household] != month)
        {
            final long points = breadPointsEarned(household, month - 1);
            final int index = month - firstMonth;
            rationCreditPiasters[index][household] = rationAllowancePiasters(household) + points;
            breadPointsPiasters[index][household] = points;
            rationBalancePiasters[household] = rationCreditPiasters[index][household];
            rationMonth[household] = month;
        }
        if (breadDay[household] != day)
        {
            breadDay[household] = day;
            loavesToday[household] = 0;
        }
        if (cashCreditedMonth[household] != month)
        {
            final int from = cashCreditedMonth[household] == Integer.MIN_VALUE ? firstMonth : cashCreditedMonth[household] + 1;
            cashBalancePiasters[household] += Math.max(0, month - from + 1) * data.households().cashSupportMonthlyPiasters(household);
            cashCreditedMonth[household] = month;
        }
    }

    private void balances(final int card, final int household, final int programs)
    {
        if ((programs & Program.RATION) != 0)
        {
            expectedBalance[Program.ACCOUNT_RATION] = rationBalancePiasters[household];
        }
        if ((programs & Program.BREAD) != 0)
        {
            expectedBalance[Program.ACCOUNT_BREAD] = quotaLoaves(household) - loavesToday[household];
        }
        if ((programs & Program.HEALTH) != 0)
        {
            expectedBalance[Program.ACCOUNT_HEALTH] = 0;
        }
        if ((programs & Program.WALLET) != 0)
        {
            expectedBalance[Program.ACCOUNT_WALLET] = walletPiasters[card];
        }
        if ((programs & Program.CASH) != 0)
        {
            expectedBalance[Program.ACCOUNT_CASH] = cashBalancePiasters[household];
        }
    }

    /**
     * Spec §4's table of what each terminal type may do, for the processing codes the demo sends.
     */
    static boolean allowed(final byte terminalType, final int type, final int account)
    {
        return switch (terminalType)
        {
            case TerminalType.BAKERY -> type == 0 && account == Program.ACCOUNT_BREAD;
            case TerminalType.GROCER -> type == 0 && (account == Program.ACCOUNT_RATION || account == Program.ACCOUNT_WALLET);
            case TerminalType.HEALTH -> type == 0 && account == Program.ACCOUNT_HEALTH;
            case TerminalType.POST -> type == 1 && (account == Program.ACCOUNT_WALLET || account == Program.ACCOUNT_CASH) ||
                type == 0 && account == Program.ACCOUNT_WALLET;
            default -> false;
        };
    }

    /**
     * @return 0 bread, 1 ration, 2 health, 3 wallet, 4 cash support.
     */
    static int programIndex(final int account)
    {
        return switch (account)
        {
            case Program.ACCOUNT_BREAD -> 0;
            case Program.ACCOUNT_RATION -> 1;
            case Program.ACCOUNT_HEALTH -> 2;
            case Program.ACCOUNT_WALLET -> 3;
            case Program.ACCOUNT_CASH -> 4;
            default -> throw new IllegalArgumentException("account=" + account);
        };
    }

    static final String[] PROGRAM_NAMES = {"bread", "ration", "health co-payments", "wallet withdrawals", "cash support withdrawals"};
    static final int[] PROGRAM_ACCOUNTS = {
        Program.ACCOUNT_BREAD, Program.ACCOUNT_RATION, Program.ACCOUNT_HEALTH, Program.ACCOUNT_WALLET, Program.ACCOUNT_CASH};

    int firstMonth()
    {
        return firstMonth;
    }

    long programUnits(final int month, final int programIndex)
    {
        final int index = month - firstMonth;
        return index >= 0 && index < MONTHS_MAX ? programUnits[index][programIndex] : 0;
    }

    int familiesServed(final int month, final int programIndex)
    {
        final int index = month - firstMonth;
        if (index < 0 || index >= MONTHS_MAX)
        {
            return 0;
        }
        int count = 0;
        for (final boolean was : served[index][programIndex])
        {
            count += was ? 1 : 0;
        }
        return count;
    }

    long terminalCount(final int terminal, final int programIndex)
    {
        return terminalCount[terminal][programIndex];
    }

    long terminalTotal(final int terminal, final int programIndex)
    {
        return terminalTotal[terminal][programIndex];
    }

    /**
     * @return the ration credit the model opened for the household in a month (allowance plus bread
     * points), or -1 when the household was not seen in that month.
     */
    long rationCredit(final int household, final int month)
    {
        final int index = month - firstMonth;
        return index >= 0 && index < MONTHS_MAX && rationMonth[household] >= month ? rationCreditPiasters[index][household] : -1;
    }

    long breadPointsCredited(final int household, final int month)
    {
        return breadPointsPiasters[month - firstMonth][household];
    }

    int rationMonth(final int household)
    {
        return rationMonth[household];
    }

    long rationBalance(final int household)
    {
        return rationBalancePiasters[household];
    }

    int breadDay(final int household)
    {
        return breadDay[household];
    }

    int loavesToday(final int household)
    {
        return loavesToday[household];
    }

    int loavesInMonth(final int household, final int month)
    {
        return loavesInMonth[month - firstMonth][household];
    }

    long cashBalance(final int household)
    {
        return cashBalancePiasters[household];
    }

    int cashCreditedMonth(final int household)
    {
        return cashCreditedMonth[household];
    }

    long wallet(final int card)
    {
        return walletPiasters[card];
    }

    /**
     * Compares the switch's household table with the model, household by household: ration month and
     * balance, bread day and loaves taken that day and month, cash support.
     *
     * @param switchHouseholds the switch's own table, read after every answer arrived.
     * @param mismatches       receives one line per difference (up to {@code limit}).
     * @return the number of households that differ.
     */
    int compareHouseholds(final HouseholdTable switchHouseholds, final java.util.List<String> mismatches, final int limit)
    {
        int differing = 0;
        for (int h = 0; h < switchHouseholds.size(); h++)
        {
            if (rationMonth[h] == Integer.MIN_VALUE)
            {
                continue;
            }
            final int month = rationMonth[h];
            // Loaves taken on the later of the two bread days: a household's day rolls lazily on its next use (a block
            // included), so the days may differ while the loaves taken on each agree.
            final int day = Math.max(breadDay[h], switchHouseholds.breadDay(h));
            final int demoToday = breadDay[h] == day ? loavesToday[h] : 0;
            final int switchToday = switchHouseholds.breadDay(h) == day ? switchHouseholds.loavesTakenToday(h) : 0;
            final boolean same = switchHouseholds.rationMonth(h) == month &&
                switchHouseholds.rationBalancePiasters(h) == rationBalancePiasters[h] &&
                switchToday == demoToday &&
                switchHouseholds.breadMonth(h) == month &&
                switchHouseholds.loavesTakenThisMonth(h) == loavesInMonth[month - firstMonth][h] &&
                switchHouseholds.cashBalancePiasters(h) == cashBalancePiasters[h];
            if (!same)
            {
                differing++;
                if (mismatches.size() < limit)
                {
                    mismatches.add(String.format("household %d: switch ration=%d (month %d) loaves on %s=%d month=%d (month %d) cash=%d;" +
                            " demo ration=%d (month %d) loaves on %s=%d month=%d cash=%d",
                        switchHouseholds.householdId(h), switchHouseholds.rationBalancePiasters(h), switchHouseholds.rationMonth(h),
                        java.time.LocalDate.ofEpochDay(day), switchToday, switchHouseholds.loavesTakenThisMonth(h),
                        switchHouseholds.breadMonth(h), switchHouseholds.cashBalancePiasters(h), rationBalancePiasters[h], month,
                        java.time.LocalDate.ofEpochDay(day), demoToday, loavesInMonth[month - firstMonth][h], cashBalancePiasters[h]));
                }
            }
        }
        return differing;
    }

    TerminalTable terminals()
    {
        return data.terminals();
    }
}
