package org.unicard.notify;

import java.util.Arrays;

import org.unicard.state.CardTable;

/**
 * What the notifier folds per household from the journal for the bread digest and the monthly
 * statement, and which card is each household's head (whose mobile gets the household's events).
 * <p>
 * <b>Memory, bounded by the household table's capacity:</b> four {@code int}s per household slot:
 * loaves taken today, loaves taken this month, ration piasters used this month (net of returns and
 * reversals), and the head card's index. 16 bytes a household: 0.7 MB for the Port Said pilot
 * (42,000 households), about 370 MB for the national 23 million, allocated once when the notifier
 * starts (none when notifications are off). Nothing else grows with traffic.
 * <p>
 * One thread (the notifier's) reads and writes it. The head index is built from the card table's
 * import-time fields (household, {@link CardTable#FLAG_HEAD}, replacement link), which never change
 * after import; a replacement head card takes over when it is first used ({@link #replaced}); cards
 * added live (spec §12) come through {@link #cardAdded}.
 */
public final class HouseholdTally
{
    private final int[] loavesToday;
    private final int[] loavesThisMonth;
    private final int[] rationUsedThisMonthPiasters;
    private final int[] headCard;

    /**
     * @param capacity the household table's capacity.
     */
    public HouseholdTally(final int capacity)
    {
        loavesToday = new int[capacity];
        loavesThisMonth = new int[capacity];
        rationUsedThisMonthPiasters = new int[capacity];
        headCard = new int[capacity];
        Arrays.fill(headCard, CardTable.NO_CARD);
    }

    /**
     * Finds every household's head card: a card flagged head; of an old head card and its replacement,
     * the replacement once it has been used ({@link CardTable#FLAG_USED}, set by the authorizer thread
     * and never cleared: a stale read only means the old card's mobile until {@link #replaced}).
     *
     * @param cards the card table, read up to its size.
     * @return the cards indexed (the table's size when read).
     */
    public int indexHeads(final CardTable cards)
    {
        final int size = cards.size();
        for (int card = 0; card < size; card++)
        {
            cardAdded(cards, card);
        }
        return size;
    }

    /**
     * A card came into the table (import, or a live change once such records are journaled).
     */
    public void cardAdded(final CardTable cards, final int card)
    {
        if (!cards.hasFlag(card, CardTable.FLAG_HEAD))
        {
            return;
        }
        final int household = cards.household(card);
        if (household < 0 || household >= headCard.length)
        {
            return;
        }
        final int current = headCard[household];
        if (current == CardTable.NO_CARD)
        {
            headCard[household] = card;
        }
        else if (cards.replacesCard(card) == current)
        {
            // A replacement takes over once it has been used (the old card is then superseded, spec §9).
            if (cards.hasFlag(card, CardTable.FLAG_USED))
            {
                headCard[household] = card;
            }
        }
        else if (cards.replacesCard(current) == card)
        {
            if (!cards.hasFlag(current, CardTable.FLAG_USED))
            {
                headCard[household] = card;
            }
        }
        else
        {
            headCard[household] = card;
        }
    }

    /**
     * A replacement card was used for the first time and superseded the old one.
     */
    public void replaced(final int household, final int oldCard, final int newCard)
    {
        if (household >= 0 && household < headCard.length && headCard[household] == oldCard)
        {
            headCard[household] = newCard;
        }
    }

    /**
     * @return the household's head card, or {@link CardTable#NO_CARD}.
     */
    public int headCard(final int household)
    {
        return household < 0 || household >= headCard.length ? CardTable.NO_CARD : headCard[household];
    }

    /**
     * Loaves taken (positive) or given back by a reversal (negative).
     *
     * @param today whether they count for today's digest (a reversal of an earlier day's bread does not).
     */
    public void bread(final int household, final int loaves, final boolean today, final boolean thisMonth)
    {
        if (today)
        {
            loavesToday[household] += loaves;
        }
        if (thisMonth)
        {
            loavesThisMonth[household] += loaves;
        }
    }

    /**
     * Ration used (positive) or given back (negative), this month.
     */
    public void ration(final int household, final long piasters)
    {
        rationUsedThisMonthPiasters[household] = (int)Math.max(Integer.MIN_VALUE,
            Math.min(Integer.MAX_VALUE, rationUsedThisMonthPiasters[household] + piasters));
    }

    public int loavesToday(final int household)
    {
        return loavesToday[household];
    }

    public int loavesThisMonth(final int household)
    {
        return loavesThisMonth[household];
    }

    public int rationUsedThisMonthPiasters(final int household)
    {
        return rationUsedThisMonthPiasters[household];
    }

    /** Starts a new day for one household (after its digest). */
    public void clearDay(final int household)
    {
        loavesToday[household] = 0;
    }

    /** Starts a new month for one household (after its statement). */
    public void clearMonth(final int household)
    {
        loavesThisMonth[household] = 0;
        rationUsedThisMonthPiasters[household] = 0;
    }

    /** Forgets every tally (a rescan from a month's start begins here). */
    public void clearAll()
    {
        Arrays.fill(loavesToday, 0);
        Arrays.fill(loavesThisMonth, 0);
        Arrays.fill(rationUsedThisMonthPiasters, 0);
    }

    public int capacity()
    {
        return headCard.length;
    }
}
