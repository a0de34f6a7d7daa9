package org.unicard.tools.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.Luhn;
import org.unicard.state.TerminalTable;
import org.unicard.state.Program;
import org.unicard.state.TerminalType;
import org.unicard.time.CairoCalendar;
import org.unicard.tools.traffic.UsablePools;

/**
 * What the families of the data set do, day by day: the demo's plan of visits, deterministic for a
 * seed. Rates are per household or per card and come from the data set's sizes (docs/design.md,
 * "The demo's month"):
 * <ul>
 * <li>bread: every family with a usable head card, at its own bakery; on a given day
 *     {@value #BREAD_SKIP_PERCENT}% skip (bread points build up), the others buy in one visit (most
 *     of the quota) or two (morning and evening); {@value #OVER_QUOTA_PER_MILLE}‰ of the visiting
 *     families come back in the evening for more than is left (51);</li>
 * <li>ration: 2 to 4 visits a month at the family's grocer on random days, spending 80–100% of the
 *     allowance; half of them with the PIN; {@value #WRONG_PIN_PER_MILLE}‰ first enter a wrong PIN
 *     (55) and then the right one;</li>
 * <li>health: a co-payment of 5–20 EGP at a health unit, {@value #HEALTH_VISITS_PER_YEAR} visits per
 *     citizen card and year;</li>
 * <li>post: each family with cash support withdraws it once a month in the first ten days; each
 *     wallet card withdraws some of its wallet with a probability of {@value #WALLET_WITHDRAWAL_PERCENT}%
 *     a month;</li>
 * <li>declines on purpose: {@value #WRONG_TERMINAL_PER_MILLE}‰ of the bread buyers first present
 *     the card at their grocer (58); {@value #LOST_CARDS_PER_TEN_THOUSAND} in 10,000 families a month
 *     report the head's card lost (a {@link StoryEvent}: blocked through the operator API) and the
 *     card is then tried at their bakery (41); the next day a replacement card is issued by a change
 *     batch ({@link StoryEvent.ReplacementCardIssued}), the family buys with it from the day after and
 *     the old card is tried once more that evening (62);</li>
 * <li>a bakery opens mid-run ({@link StoryEvent.BakeryOpened}); from the next day every
 *     {@value #NEW_BAKERY_EVERY_NTH_HOUSEHOLD}nd family of the middle bakery's neighbourhood buys there.</li>
 * </ul>
 * On the first day of a month after the first, every family buys bread, so that the switch shows each
 * family's new ration credit, with its bread points, that day.
 */
final class MonthStory
{
    static final int BREAD_SKIP_PERCENT = 12;
    static final int TWO_VISITS_PERCENT = 25;
    static final int OVER_QUOTA_PER_MILLE = 10;
    static final int WRONG_PIN_PER_MILLE = 5;
    static final int WRONG_TERMINAL_PER_MILLE = 2;
    static final int HEALTH_VISITS_PER_YEAR = 4;
    static final int WALLET_WITHDRAWAL_PERCENT = 20;
    static final int LOST_CARDS_PER_TEN_THOUSAND = 30;
    /** One family in this many of the new bakery's neighbourhood buys its bread there once it has opened. */
    static final int NEW_BAKERY_EVERY_NTH_HOUSEHOLD = 2;
    /** Replacement PANs: 507809, a 9-digit serial, the Luhn digit; the generator's PANs all start 507803. */
    static final long REPLACEMENT_PAN_PREFIX = 507809L * 1_000_000_000L;
    /** The new bakery's terminal id: the generator numbers bakeries B0000001 upwards, one per 250 households. */
    static final String NEW_BAKERY_ID = "B9990001";
    /** When the old card of a replaced one is tried again, on the day the new card is first used: 22:00 and later. */
    static final int OLD_CARD_TRY_MINUTE = 22 * 60;

    /** One planned request: when (minute of the Cairo day), who, where, what. */
    static final class Visit
    {
        final int minuteOfDay;
        final int household;
        final int card;
        final int terminal;
        final int processingCode;
        final long amount;
        /** 0 no PIN, 1 the right PIN, 2 a wrong one. */
        final int pin;

        Visit(final int minuteOfDay, final int household, final int card, final int terminal, final int processingCode, final long amount,
            final int pin)
        {
            this.minuteOfDay = minuteOfDay;
            this.household = household;
            this.card = card;
            this.terminal = terminal;
            this.processingCode = processingCode;
            this.amount = amount;
            this.pin = pin;
        }
    }

    private final DataSet data;
    private final MonthModel rules;
    private final long seed;
    private final int firstDay;
    private final int days;
    private final int[] headCard;
    private final int[] bakery;
    private final int[] grocer;
    private final int[] healthUnits;
    private final int[] postOffices;
    private final int[] healthCards;
    private final int[] walletCards;
    private final int[] lostOnDay;
    /** Per household: the replacement card's index in the demo's copy (-1 none yet) and the first day it is used. */
    private final int[] replacementCard;
    private final int[] replacementFrom;
    /** The new bakery's neighbourhood: the bakery it takes families from, its index once opened, and from which day. */
    private final int newBakeryArea;
    private int newBakery = -1;
    private int newBakeryFrom = Integer.MAX_VALUE;
    private final List<StoryEvent> events = new ArrayList<>();
    /** Ration visits planned per household and month index: day and amount. */
    private final int[][] rationVisitDay;
    private final long[][] rationVisitAmount;

    /**
     * @param data     the demo's copy of the data set.
     * @param rules    the model, for quotas and allowances.
     * @param seed     the story's seed.
     * @param firstDay the first simulated Cairo day.
     * @param days     how many days.
     */
    MonthStory(final DataSet data, final MonthModel rules, final long seed, final int firstDay, final int days)
    {
        this.data = data;
        this.rules = rules;
        this.seed = seed;
        this.firstDay = firstDay;
        this.days = days;
        final CardTable cards = data.cards();
        final int households = data.households().size();
        headCard = new int[households];
        Arrays.fill(headCard, -1);
        for (final int card : UsablePools.headCards(cards, Program.BREAD | Program.RATION))
        {
            headCard[cards.household(card)] = card;
        }
        final int[] bakeries = UsablePools.activeTerminals(data.terminals(), TerminalType.BAKERY);
        final int[] grocers = UsablePools.activeTerminals(data.terminals(), TerminalType.GROCER);
        healthUnits = UsablePools.activeTerminals(data.terminals(), TerminalType.HEALTH);
        postOffices = UsablePools.activeTerminals(data.terminals(), TerminalType.POST);
        if (bakeries.length == 0 || grocers.length == 0 || healthUnits.length == 0 || postOffices.length == 0)
        {
            throw new IllegalArgumentException("the data set needs an active terminal of every type: bakeries=" + bakeries.length +
                " grocers=" + grocers.length + " health=" + healthUnits.length + " post=" + postOffices.length);
        }
        bakery = new int[households];
        grocer = new int[households];
        for (int h = 0; h < households; h++)
        {
            // Neighbours share a bakery and a grocer: households are numbered street by street.
            bakery[h] = bakeries[(int)((long)h * bakeries.length / households)];
            grocer[h] = grocers[(int)((long)h * grocers.length / households)];
        }
        healthCards = UsablePools.cards(cards, Program.HEALTH | Program.WALLET);
        walletCards = UsablePools.cards(cards, Program.WALLET);

        final SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        lostOnDay = new int[households];
        Arrays.fill(lostOnDay, Integer.MAX_VALUE);
        replacementCard = new int[households];
        Arrays.fill(replacementCard, -1);
        replacementFrom = new int[households];
        Arrays.fill(replacementFrom, Integer.MAX_VALUE);
        final int months = CairoCalendar.monthOfDay(firstDay + days - 1) - CairoCalendar.monthOfDay(firstDay) + 1;
        rationVisitDay = new int[households * MonthModel.MONTHS_MAX][];
        rationVisitAmount = new long[households * MonthModel.MONTHS_MAX][];
        for (int h = 0; h < households; h++)
        {
            if (headCard[h] < 0)
            {
                continue;
            }
            if (days > 2 && random.nextInt(10_000) < LOST_CARDS_PER_TEN_THOUSAND * days / 30)
            {
                // Not the last day: the block and the try at the bakery both fall inside the run.
                lostOnDay[h] = firstDay + random.nextInt(days - 1);
                events.add(new StoryEvent.LostCardReported(lostOnDay[h], StoryEvent.LOST_CARD_REPORT_MINUTE, h, headCard[h]));
            }
            for (int m = 0; m < months; m++)
            {
                planRation(random, h, m);
            }
        }
        final int lastDay = firstDay + days - 1;
        if (days >= 3 && events.stream().noneMatch(event -> event.day() + 2 <= lastDay))
        {
            // Small runs: one family of the middle of town loses its card on the first day, so the replacement is seen.
            for (int h = households / 2, i = 0; i < households; i++, h = (h + 1) % households)
            {
                if (headCard[h] >= 0 && lostOnDay[h] == Integer.MAX_VALUE)
                {
                    lostOnDay[h] = firstDay;
                    events.add(new StoryEvent.LostCardReported(firstDay, StoryEvent.LOST_CARD_REPORT_MINUTE, h, headCard[h]));
                    break;
                }
            }
        }
        events.sort(Comparator.comparingInt(StoryEvent::day).thenComparingInt(StoryEvent::minuteOfDay));
        // The day after the block, a replacement card when the run still has a day for the family to use it.
        long serial = Math.floorMod(seed * 7_919L, 1_000_000L) * 1_000L;
        final List<StoryEvent> replacements = new ArrayList<>();
        for (final StoryEvent event : events)
        {
            if (event instanceof StoryEvent.LostCardReported lost && lost.day() + 2 <= lastDay)
            {
                long pan;
                do
                {
                    final long payload = REPLACEMENT_PAN_PREFIX + serial++ % 1_000_000_000L;
                    pan = payload * 10 + Luhn.checkDigit(payload);
                }
                while (cards.indexOf(pan) >= 0);
                replacements.add(new StoryEvent.ReplacementCardIssued(lost.day() + 1, StoryEvent.REPLACEMENT_MINUTE, lost.household(),
                    lost.card(), pan));
            }
        }
        events.addAll(replacements);
        // Mid-run, a bakery opens in the middle of town, in the neighbourhood of the bakery there.
        newBakeryArea = bakeries[bakeries.length / 2];
        if (days >= 2)
        {
            final int opening = firstDay + (days - 1) / 2;
            int first = -1;
            for (int h = 0; h < households && first < 0; h++)
            {
                if (movesToNewBakery(h))
                {
                    first = h;
                }
            }
            if (first >= 0 && data.terminals().indexOf(TerminalTable.packTerminalId(NEW_BAKERY_ID)) < 0)
            {
                final int governorate = data.terminals().governorate[newBakeryArea];
                events.add(new StoryEvent.BakeryOpened(opening, StoryEvent.BAKERY_OPENING_MINUTE, first, NEW_BAKERY_ID,
                    String.format("EG%02dB%010d", governorate, 9_990_001), governorate));
            }
        }
        events.sort(Comparator.comparingInt(StoryEvent::day).thenComparingInt(StoryEvent::minuteOfDay));
    }

    private boolean movesToNewBakery(final int household)
    {
        return headCard[household] >= 0 && bakery[household] == newBakeryArea && household % NEW_BAKERY_EVERY_NTH_HOUSEHOLD == 0;
    }

    /**
     * The switch accepted the replacement card: the family uses it from the day after.
     *
     * @param household the family.
     * @param card      the new card's index in the demo's copy of the card table.
     * @param issuedDay the day it was issued.
     */
    void replacementIssued(final int household, final int card, final int issuedDay)
    {
        replacementCard[household] = card;
        replacementFrom[household] = issuedDay + 1;
    }

    /**
     * The switch accepted the new bakery: some of the neighbourhood's families buy there from the day after.
     *
     * @param terminal its index in the demo's copy of the terminal table.
     * @param day      the day it opened.
     */
    void bakeryOpened(final int terminal, final int day)
    {
        newBakery = terminal;
        newBakeryFrom = day + 1;
    }

    /**
     * @return the new bakery's index in the demo's copy of the terminal table, or -1 while not open.
     */
    int newBakery()
    {
        return newBakery;
    }

    /**
     * @return the replacement card of a household, or -1.
     */
    int replacementCard(final int household)
    {
        return replacementCard[household];
    }

    private int bakeryOn(final int household, final int day)
    {
        return day >= newBakeryFrom && movesToNewBakery(household) ? newBakery : bakery[household];
    }

    private void planRation(final SplittableRandom random, final int household, final int monthIndex)
    {
        final int month = CairoCalendar.monthOfDay(firstDay) + monthIndex;
        final int from = Math.max(firstDay, CairoCalendar.firstDayOfMonth(month));
        final int to = Math.min(firstDay + days, CairoCalendar.firstDayOfMonth(month + 1));
        final int span = to - from;
        if (span <= 0)
        {
            return;
        }
        final int monthDays = CairoCalendar.firstDayOfMonth(month + 1) - CairoCalendar.firstDayOfMonth(month);
        // A family spreads 2–4 visits over a whole month; a run that covers part of a month keeps that part's share.
        final int visitsInMonth = 2 + random.nextInt(3);
        int visits = 0;
        final int[] visitDay = new int[visitsInMonth];
        for (int i = 0; i < visitsInMonth; i++)
        {
            final int day = CairoCalendar.firstDayOfMonth(month) + random.nextInt(monthDays);
            if (day >= from && day < to)
            {
                visitDay[visits++] = day;
            }
        }
        if (visits == 0)
        {
            return;
        }
        final long allowance = rules.rationAllowancePiasters(household);
        final long spend = allowance * (80 + random.nextInt(21)) / 100 * visits / visitsInMonth;
        final int[] daysPlanned = Arrays.copyOf(visitDay, visits);
        Arrays.sort(daysPlanned);
        final long[] amounts = new long[visits];
        for (int i = 0; i < visits; i++)
        {
            amounts[i] = Math.max(50, spend / visits / 50 * 50);
        }
        rationVisitDay[household * MonthModel.MONTHS_MAX + monthIndex] = daysPlanned;
        rationVisitAmount[household * MonthModel.MONTHS_MAX + monthIndex] = amounts;
    }

    /**
     * @return the story's events (lost cards reported), by day and minute.
     */
    List<StoryEvent> events()
    {
        return events;
    }

    int firstDay()
    {
        return firstDay;
    }

    int days()
    {
        return days;
    }

    int[] headCards()
    {
        return headCard;
    }

    /**
     * Plans one Cairo day's visits, sorted by time.
     *
     * @param day a day of the run.
     * @return its visits.
     */
    List<Visit> visits(final int day)
    {
        final SplittableRandom random = new SplittableRandom((seed * 1_000_003L + day) * 0x9E3779B97F4A7C15L);
        final List<Visit> visits = new ArrayList<>(64 * 1024);
        final int month = CairoCalendar.monthOfDay(day);
        final int monthIndex = month - CairoCalendar.monthOfDay(firstDay);
        final boolean everyoneBuys = day == CairoCalendar.firstDayOfMonth(month) && day != firstDay;
        for (int h = 0; h < headCard.length; h++)
        {
            int card = headCard[h];
            if (card < 0)
            {
                continue;
            }
            if (lostOnDay[h] < day)
            {
                if (day < replacementFrom[h])
                {
                    continue;
                }
                // The family buys with its replacement card; the old one is tried once more that evening (62 once the new was used).
                card = replacementCard[h];
                if (day == replacementFrom[h])
                {
                    visits.add(new Visit(OLD_CARD_TRY_MINUTE + random.nextInt(60), h, headCard[h], bakeryOn(h, day), MonthModel.BREAD, 1, 0));
                }
            }
            if (lostOnDay[h] == day)
            {
                // Someone tries the card the family reported lost this morning.
                visits.add(new Visit(StoryEvent.LOST_CARD_REPORT_MINUTE + 60 + random.nextInt(600), h, card, bakeryOn(h, day), MonthModel.BREAD, 5, 0));
                continue;
            }
            planBread(random, visits, h, card, bakeryOn(h, day), everyoneBuys || day == replacementFrom[h]);
            final int[] rationDays = rationVisitDay[h * MonthModel.MONTHS_MAX + monthIndex];
            if (rationDays != null)
            {
                for (int i = 0; i < rationDays.length; i++)
                {
                    if (rationDays[i] == day)
                    {
                        final long amount = rationVisitAmount[h * MonthModel.MONTHS_MAX + monthIndex][i];
                        final int minute = 9 * 60 + random.nextInt(11 * 60);
                        if (random.nextInt(1000) < WRONG_PIN_PER_MILLE * 2)
                        {
                            visits.add(new Visit(minute, h, card, grocer[h], MonthModel.RATION, amount, 2));
                            visits.add(new Visit(minute + 2, h, card, grocer[h], MonthModel.RATION, amount, 1));
                        }
                        else
                        {
                            visits.add(new Visit(minute, h, card, grocer[h], MonthModel.RATION, amount, random.nextBoolean() ? 1 : 0));
                        }
                    }
                }
            }
            final long cashMonthly = data.households().cashSupportMonthlyPiasters(h);
            if (cashMonthly > 0 && (card >= 0) && (data.cards().programs(card) & Program.CASH) != 0 &&
                day - CairoCalendar.firstDayOfMonth(month) == (int)(Math.floorMod(h * 31L + month, 10L)))
            {
                final long amount = random.nextInt(10) < 7 ? cashMonthly : cashMonthly / 2;
                visits.add(new Visit(10 * 60 + random.nextInt(6 * 60), h, card, postOffices[h % postOffices.length],
                    MonthModel.CASH_WITHDRAWAL, amount, 1));
            }
        }
        final int healthToday = (int)((long)healthCards.length * HEALTH_VISITS_PER_YEAR / 365);
        for (int i = 0; i < healthToday; i++)
        {
            final int card = healthCards[random.nextInt(healthCards.length)];
            final int h = data.cards().household(card);
            if (lostOnDay[h] <= day && card == headCard[h])
            {
                continue;
            }
            visits.add(new Visit(8 * 60 + random.nextInt(12 * 60), h, card, healthUnits[random.nextInt(healthUnits.length)],
                MonthModel.HEALTH, 500 + random.nextInt(16) * 100L, 0));
        }
        final int walletToday = (int)((long)walletCards.length * WALLET_WITHDRAWAL_PERCENT / 100 / 30);
        for (int i = 0; i < walletToday; i++)
        {
            final int card = walletCards[random.nextInt(walletCards.length)];
            final int h = data.cards().household(card);
            final long wallet = data.cards().walletBalancePiasters(card);
            if (lostOnDay[h] <= day && card == headCard[h] || wallet < 20_000)
            {
                continue;
            }
            final long amount = Math.max(10_000, wallet / 4 / 10_000 * 10_000);
            visits.add(new Visit(10 * 60 + random.nextInt(6 * 60), h, card, postOffices[random.nextInt(postOffices.length)],
                MonthModel.WALLET_WITHDRAWAL, amount, 1));
        }
        visits.sort(Comparator.comparingInt(visit -> visit.minuteOfDay));
        return visits;
    }

    /**
     * The go-live warm-up: balance inquiries (31/00, which move nothing) at the families' bakeries, all
     * due at once.
     *
     * @param count how many.
     * @return the visits.
     */
    List<Visit> warmUp(final int count)
    {
        final List<Visit> visits = new ArrayList<>(count);
        for (int h = 0, found = 0; found < count && h < headCard.length * 4; h++)
        {
            final int household = h % headCard.length;
            if (headCard[household] >= 0 && lostOnDay[household] == Integer.MAX_VALUE)
            {
                visits.add(new Visit(0, household, headCard[household], bakery[household], MonthModel.BALANCE_INQUIRY, 0, 0));
                found++;
            }
        }
        return visits;
    }

    private void planBread(final SplittableRandom random, final List<Visit> visits, final int h, final int card, final int bakeryToday,
        final boolean everyoneBuys)
    {
        if (!everyoneBuys && random.nextInt(100) < BREAD_SKIP_PERCENT)
        {
            return;
        }
        final int quota = rules.quotaLoaves(h);
        final int morning = 6 * 60 + random.nextInt(6 * 60);
        if (random.nextInt(1000) < WRONG_TERMINAL_PER_MILLE)
        {
            visits.add(new Visit(morning - 5, h, card, grocer[h], MonthModel.BREAD, Math.min(quota, 5), 0));
        }
        int taken;
        if (random.nextInt(100) < TWO_VISITS_PERCENT && quota >= 4)
        {
            final int first = (quota * 6 + 9) / 10;
            final int second = Math.max(1, quota - first - random.nextInt(2));
            visits.add(new Visit(morning, h, card, bakeryToday, MonthModel.BREAD, first, 0));
            visits.add(new Visit(15 * 60 + random.nextInt(5 * 60), h, card, bakeryToday, MonthModel.BREAD, second, 0));
            taken = first + second;
        }
        else
        {
            taken = Math.max(1, quota - random.nextInt(3));
            visits.add(new Visit(morning, h, card, bakeryToday, MonthModel.BREAD, taken, 0));
        }
        if (random.nextInt(1000) < OVER_QUOTA_PER_MILLE)
        {
            visits.add(new Visit(20 * 60 + random.nextInt(90), h, card, bakeryToday, MonthModel.BREAD, Math.min(50, quota - taken + 1 + random.nextInt(5)), 0));
        }
    }
}
