package org.unicard.tools.traffic;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.unicard.config.ProgramRules;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;
import org.unicard.terminal.TerminalRequest;

/**
 * A morning at the bakeries and grocers, as the load generator sends it: mostly approvals, since
 * that is what a real morning is. The mix keeps, per household, what it has already asked of the
 * switch (loaves taken today, ration credit spent this month), so that its purchases stay within
 * the quota and the credit (spec §4 default rules) and are approved; a few ask on purpose for more
 * than is left, and are declined 51.
 * <ul>
 *   <li>bakery: {@value #BAKERY_BREAD_PERCENT}% bread purchases of 1–5 loaves within the household's
 *       daily quota, the rest balance inquiries (31 00 00);</li>
 *   <li>grocer: {@value #GROCER_RATION_PERCENT}% ration purchases of 5–49 EGP, cut to the credit left,
 *       {@value #GROCER_RETURN_PERCENT}% returns of an earlier approved purchase of the same card at the
 *       same grocer (all of it or half, never more than was spent), the rest balance inquiries;</li>
 *   <li>{@value #OVER_ASK_PERCENT}% of purchases ask for one unit more than the household's whole allowance
 *       (declined 51, nothing moves): the day's quota of loaves, or the month's ration credit plus every
 *       return sent so far.</li>
 * </ul>
 * When the households drawn have nothing left (a run longer than the data set's morning), the
 * request becomes a balance inquiry, still approved. Returns are not added back to what the mix
 * thinks is left, so a purchase is never counted on credit that a return still in flight restores.
 * An over-ask is sized on the whole allowance, not on what the mix thinks is left, so that it is
 * declined whatever order the requests reach the switch in: one unit more than the mix's count was
 * approved when a return had already been credited, or (with requests prepared ahead, whose connections
 * drift apart) when it overtook purchases of the same household sent on other connections, and a later
 * purchase of the household was declined 51 instead.
 * <p>
 * The mix assumes the switch starts from the data set as generated (a fresh import, as
 * {@code loadtest --self} runs it); against a switch that has already served traffic some purchases
 * are declined 51, and a return of a purchase that was declined is answered 13.
 * <p>
 * A return is only sent for a purchase whose approval the caller confirmed ({@link Till#confirmSale},
 * from the thread that reads the responses): a purchase the switch shed (91) or has not answered yet
 * is never returned. Without confirmations a till sends no returns.
 * <p>
 * One sending thread per mix (the load generator's sender) and one confirming thread; nothing
 * allocates per request.
 */
public final class MorningMix
{
    /** Share of a bakery's requests that are bread purchases, in percent. */
    public static final int BAKERY_BREAD_PERCENT = 94;
    /** Share of a grocer's requests that are ration purchases, in percent. */
    public static final int GROCER_RATION_PERCENT = 84;
    /** Share of a grocer's requests that are returns, in percent. */
    public static final int GROCER_RETURN_PERCENT = 8;
    /** Share of purchases that ask for more than is left, in percent. */
    public static final int OVER_ASK_PERCENT = 2;
    /** Cards tried for a purchase before it becomes a balance inquiry. */
    static final int TRIES = 8;
    /** Recent purchases a grocer remembers for returns. */
    static final int RECENT_SALES = 256;

    /** What {@link Till#next} filled in. */
    public static final int KIND_BREAD = 0;
    public static final int KIND_RATION = 1;
    public static final int KIND_RETURN = 2;
    public static final int KIND_INQUIRY = 3;
    public static final int KIND_OVER_ASK = 4;
    /**
     * {@link Till#next} with returns deferred ({@link Till#deferReturns}): a return falls here and nothing
     * was filled in; {@link Till#giveBackOrInquiry} fills it in when it is sent.
     */
    public static final int KIND_RETURN_LATER = 5;

    private final String[] breadPans;
    private final String[] rationPans;
    /**
     * Per entry of {@link #breadPans}, its card's household (copied once from the card table, so
     * that choosing a card reads two small arrays and not a card record).
     */
    private final int[] breadHouseholds;
    /** The same for {@link #rationPans}. */
    private final int[] rationHouseholds;
    /** Per household: loaves the mix may still ask for today. */
    private final int[] loavesLeft;
    /** Per household: piasters of ration credit the mix may still ask for this month. */
    private final long[] creditLeft;
    /** Per household: its daily quota of loaves, at most what the switch has left of it at any time. */
    private final int[] dailyLoaves;
    /**
     * Per household: the month's ration credit plus every return sent, at least what the switch has left
     * of it at any time.
     */
    private final long[] creditCeiling;
    /** Indexes into {@link #breadPans} of the cards whose household may still have loaves; the rest are swapped out. */
    private final int[] breadAlive;
    private int breadAliveCount;
    /** The same for {@link #rationPans} and credit. */
    private final int[] rationAlive;
    private int rationAliveCount;
    private final long loavesAtStart;
    private final long creditAtStart;

    /**
     * @param data  the data set, as the switch imported it.
     * @param rules the program rules the switch runs with.
     */
    public MorningMix(final DataSet data, final ProgramRules rules)
    {
        final CardTable cards = data.cards();
        final HouseholdTable households = data.households();
        final int[] breadCards = UsablePools.cards(cards, Program.BREAD);
        final int[] rationCards = UsablePools.cards(cards, Program.RATION);
        if (breadCards.length == 0 || rationCards.length == 0)
        {
            throw new IllegalArgumentException("data set without usable cards: breadCards=" + breadCards.length + " rationCards=" + rationCards.length);
        }
        breadPans = UsablePools.pans(cards, breadCards);
        rationPans = UsablePools.pans(cards, rationCards);
        breadHouseholds = households(cards, breadCards);
        rationHouseholds = households(cards, rationCards);
        breadAlive = identity(breadCards.length);
        breadAliveCount = breadCards.length;
        rationAlive = identity(rationCards.length);
        rationAliveCount = rationCards.length;
        loavesLeft = new int[households.size()];
        creditLeft = new long[households.size()];
        dailyLoaves = new int[households.size()];
        creditCeiling = new long[households.size()];
        long loaves = 0;
        long credit = 0;
        for (int household = 0; household < households.size(); household++)
        {
            loavesLeft[household] = households.breadIndividuals(household) * rules.breadDailyLoavesPerIndividual;
            creditLeft[household] = rules.monthlyRationPiasters(households.rationIndividuals(household));
            dailyLoaves[household] = loavesLeft[household];
            creditCeiling[household] = creditLeft[household];
            loaves += loavesLeft[household];
            credit += creditLeft[household];
        }
        loavesAtStart = loaves;
        creditAtStart = credit;
    }

    private static int[] households(final CardTable cards, final int[] pool)
    {
        final int[] households = new int[pool.length];
        for (int i = 0; i < pool.length; i++)
        {
            households[i] = cards.household(pool[i]);
        }
        return households;
    }

    private static int[] identity(final int length)
    {
        final int[] indexes = new int[length];
        for (int i = 0; i < length; i++)
        {
            indexes[i] = i;
        }
        return indexes;
    }

    /**
     * @return loaves of the whole data set's daily quotas at the start.
     */
    public long loavesAtStart()
    {
        return loavesAtStart;
    }

    /**
     * @return piasters of the whole data set's monthly ration credit at the start.
     */
    public long creditAtStart()
    {
        return creditAtStart;
    }

    /**
     * @param terminal the terminal the till sends from.
     * @param seed     its own random seed.
     * @return the terminal's till: what it sells next, remembering its recent sales for returns.
     */
    public Till till(final SimulatedTerminal terminal, final long seed)
    {
        return new Till(terminal, new SplittableRandom(seed));
    }

    /** One terminal's sales. */
    public final class Till
    {
        private final SimulatedTerminal terminal;
        private final SplittableRandom random;
        /** Approved purchases not yet returned: a single-producer single-consumer ring of sale tokens. */
        private final long[] confirmed = new long[RECENT_SALES];
        /** Written by the confirming thread only. */
        private final AtomicLong produced = new AtomicLong();
        /** Written by the sending thread only. */
        private final AtomicLong consumed = new AtomicLong();
        private long lastSale = -1;
        private boolean deferReturns;

        Till(final SimulatedTerminal terminal, final SplittableRandom random)
        {
            this.terminal = terminal;
            this.random = random;
        }

        /**
         * Fills in the next request's card, processing code and amount.
         *
         * @param request started by {@link SimulatedTerminal#start}.
         * @return what it is, one of the {@code KIND_} constants.
         */
        public int next(final TerminalRequest request)
        {
            lastSale = -1;
            final int roll = random.nextInt(100);
            if (terminal.isBakery())
            {
                return roll < BAKERY_BREAD_PERCENT ? bread(request) : inquiry(request, breadPans);
            }
            if (roll < GROCER_RATION_PERCENT)
            {
                return ration(request);
            }
            if (roll < GROCER_RATION_PERCENT + GROCER_RETURN_PERCENT && deferReturns)
            {
                return KIND_RETURN_LATER;
            }
            if (roll < GROCER_RATION_PERCENT + GROCER_RETURN_PERCENT && produced.get() != consumed.get())
            {
                return giveBack(request);
            }
            return inquiry(request, rationPans);
        }

        /**
         * For requests built ahead of sending ({@code loadtest --prepared}): from now on {@link #next} leaves
         * each return's place empty ({@link #KIND_RETURN_LATER}), because which purchases to return depends on
         * the answers, which only come back once the purchases are sent; the sender fills it in with
         * {@link #giveBackOrInquiry} when its turn comes.
         */
        public void deferReturns()
        {
            deferReturns = true;
        }

        /**
         * A return's place, filled in as it is sent: the oldest approved purchase not yet returned, or a
         * balance inquiry when no approval has come back yet (what {@link #next} does for a return without
         * deferral).
         *
         * @param request started by {@link SimulatedTerminal#start}.
         * @return {@link #KIND_RETURN} or {@link #KIND_INQUIRY}.
         */
        public int giveBackOrInquiry(final TerminalRequest request)
        {
            lastSale = -1;
            return produced.get() != consumed.get() ? giveBack(request) : inquiry(request, rationPans);
        }

        /**
         * @return the sale token of the request {@link #next} just filled in when it was a ration
         *         purchase ({@link #KIND_RATION}), else -1; give it to {@link #confirmSale} once approved.
         */
        public long lastSale()
        {
            return lastSale;
        }

        /**
         * The response thread: the purchase of this token was approved, so it may be returned.
         * Dropped when {@value #RECENT_SALES} approved purchases already wait.
         *
         * @param sale a token from {@link #lastSale}.
         */
        public void confirmSale(final long sale)
        {
            final long at = produced.get();
            if (sale < 0 || at - consumed.get() >= RECENT_SALES)
            {
                return;
            }
            confirmed[(int)(at & (RECENT_SALES - 1))] = sale;
            produced.lazySet(at + 1);
        }

        private int bread(final TerminalRequest request)
        {
            final boolean overAsk = random.nextInt(100) < OVER_ASK_PERCENT;
            for (int i = 0; i < TRIES && breadAliveCount > 0; i++)
            {
                final int slot = random.nextInt(breadAliveCount);
                final int pick = breadAlive[slot];
                final int household = breadHouseholds[pick];
                final int left = loavesLeft[household];
                if (left <= 0)
                {
                    // The household's quota is used up: this card is not drawn again.
                    breadAlive[slot] = breadAlive[--breadAliveCount];
                    continue;
                }
                request.pan = breadPans[pick];
                if (overAsk && dailyLoaves[household] < 50)
                {
                    Purchases.bread(request, dailyLoaves[household] + 1);
                    return KIND_OVER_ASK;
                }
                final int loaves = Math.min(1 + random.nextInt(5), left);
                loavesLeft[household] = left - loaves;
                Purchases.bread(request, loaves);
                return KIND_BREAD;
            }
            return inquiry(request, breadPans);
        }

        private int ration(final TerminalRequest request)
        {
            final boolean overAsk = random.nextInt(100) < OVER_ASK_PERCENT;
            for (int i = 0; i < TRIES && rationAliveCount > 0; i++)
            {
                final int slot = random.nextInt(rationAliveCount);
                final int pick = rationAlive[slot];
                final int household = rationHouseholds[pick];
                final long left = creditLeft[household];
                if (left < 100)
                {
                    rationAlive[slot] = rationAlive[--rationAliveCount];
                    continue;
                }
                request.pan = rationPans[pick];
                if (overAsk)
                {
                    Purchases.ration(request, creditCeiling[household] + 100);
                    return KIND_OVER_ASK;
                }
                final long piasters = Math.min(500 + random.nextInt(45) * 100L, left / 100 * 100);
                creditLeft[household] = left - piasters;
                lastSale = (long)pick << 32 | piasters;
                Purchases.ration(request, piasters);
                return KIND_RATION;
            }
            return inquiry(request, rationPans);
        }

        /** A return of the oldest approved purchase not yet returned: all of it, or half in whole pounds. */
        private int giveBack(final TerminalRequest request)
        {
            final long at = consumed.get();
            final long sale = confirmed[(int)(at & (RECENT_SALES - 1))];
            consumed.lazySet(at + 1);
            final int pick = (int)(sale >>> 32);
            request.pan = rationPans[pick];
            final long spent = sale & 0xFFFF_FFFFL;
            final long piasters = random.nextBoolean() ? spent : Math.max(100, spent / 200 * 100);
            creditCeiling[rationHouseholds[pick]] += piasters;
            Purchases.rationReturn(request, piasters);
            return KIND_RETURN;
        }

        private int inquiry(final TerminalRequest request, final String[] pans)
        {
            request.pan = pans[random.nextInt(pans.length)];
            Purchases.balanceInquiry(request);
            return KIND_INQUIRY;
        }
    }
}
