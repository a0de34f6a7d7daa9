package org.unicard.authorizer;

import org.unicard.metrics.SingleWriterCounter;

/**
 * What each card has spent, net of returns and reversals, at each terminal and account in the
 * current month and in the month before: the ceiling of a return (spec §4 type 20: "credit back
 * what this card spent at this terminal this cycle, no more"), and of what a reversal gives back
 * (spec §8: only what its original debited and returns did not already give back). A reversal may
 * come up to 48 hours after its original, so across one month boundary: each entry keeps the net of
 * its month and of the month before it.
 * <p>
 * An open-addressing table of fixed capacity. Entries older than the month before the current one
 * are dead and their slots are reused in place, so the table never needs a month-end sweep. A probe is bounded: when no
 * slot is found within {@link #MAX_PROBES}, the spend is not recorded and {@link #overflows()}
 * counts it; a later return at that terminal is then declined (never over-credited).
 * Single-threaded: owned by the authorizer.
 */
public final class SpendLedger
{
    /** Most slots one lookup visits. */
    public static final int MAX_PROBES = 64;

    private static final int EMPTY_MONTH = Integer.MIN_VALUE;

    private final long[] keyTerminal;
    private final long[] keyCard;
    private final int[] month;
    private final long[] spent;
    /** The net of the month before {@link #month}, when that entry was carried into a new month. */
    private final long[] previousSpent;
    private final int mask;
    /** Authorizer thread writes; the metrics scrape reads (release stores, acquire loads). */
    private final SingleWriterCounter overflows = new SingleWriterCounter();

    /**
     * @param capacityEntries slots; rounded up to a power of two. Size it at about twice the
     *                        card–terminal pairs used in a month.
     */
    public SpendLedger(final int capacityEntries)
    {
        if (capacityEntries < 16 || capacityEntries > (1 << 30))
        {
            throw new IllegalArgumentException("capacityEntries=" + capacityEntries + " range=[16," + (1 << 30) + "]");
        }
        final int capacity = Integer.highestOneBit(capacityEntries * 2 - 1);
        keyTerminal = new long[capacity];
        keyCard = new long[capacity];
        month = new int[capacity];
        spent = new long[capacity];
        previousSpent = new long[capacity];
        mask = capacity - 1;
        java.util.Arrays.fill(month, EMPTY_MONTH);
    }

    /**
     * @return the card key of a card, account and source kind.
     */
    public static long cardKey(final int card, final int account, final int sourceType, final int sourceIndex)
    {
        return ((long)card << 32) | ((long)account << 24) | ((long)sourceType << 22) | (sourceIndex & 0x3F_FFFF);
    }

    /**
     * @param ofMonth the month asked about: the current one or the one before it.
     * @return the net amount spent in {@code ofMonth}, 0 when none (or when the ledger no longer
     * holds that month).
     */
    public long spent(final long terminalId, final long cardKey, final int ofMonth)
    {
        final int slot = find(terminalId, cardKey);
        if (slot < 0)
        {
            return 0;
        }
        final int entryMonth = month[slot];
        if (entryMonth == ofMonth)
        {
            return spent[slot];
        }
        return entryMonth == ofMonth + 1 ? previousSpent[slot] : 0;
    }

    /**
     * Adds a signed amount to what the card spent in an earlier month that the ledger still holds
     * (the month before the entry's own); nothing when it holds no figure for that month.
     *
     * @param ofMonth      the month the amount belongs to.
     * @param currentMonth the current month; {@code ofMonth == currentMonth} is {@link #add}.
     */
    public void addTo(final long terminalId, final long cardKey, final int ofMonth, final int currentMonth, final long amount)
    {
        if (ofMonth == currentMonth)
        {
            add(terminalId, cardKey, currentMonth, amount);
            return;
        }
        final int slot = find(terminalId, cardKey);
        if (slot < 0)
        {
            return;
        }
        if (month[slot] == ofMonth)
        {
            spent[slot] += amount;
        }
        else if (month[slot] == ofMonth + 1)
        {
            previousSpent[slot] += amount;
        }
    }

    private int find(final long terminalId, final long cardKey)
    {
        int slot = home(terminalId, cardKey);
        for (int probe = 0; probe < MAX_PROBES; probe++)
        {
            if (month[slot] == EMPTY_MONTH)
            {
                return -1;
            }
            if (keyTerminal[slot] == terminalId && keyCard[slot] == cardKey)
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /**
     * Adds a signed amount to what the card spent this month at the terminal.
     *
     * @return {@code false} when no slot was free within the probe bound.
     */
    public boolean add(final long terminalId, final long cardKey, final int currentMonth, final long amount)
    {
        int slot = home(terminalId, cardKey);
        int reusable = -1;
        for (int probe = 0; probe < MAX_PROBES; probe++)
        {
            final int entryMonth = month[slot];
            if (entryMonth == EMPTY_MONTH)
            {
                final int target = reusable >= 0 ? reusable : slot;
                keyTerminal[target] = terminalId;
                keyCard[target] = cardKey;
                month[target] = currentMonth;
                spent[target] = amount;
                previousSpent[target] = 0;
                return true;
            }
            if (keyTerminal[slot] == terminalId && keyCard[slot] == cardKey)
            {
                if (entryMonth != currentMonth)
                {
                    previousSpent[slot] = entryMonth == currentMonth - 1 ? spent[slot] : 0;
                    spent[slot] = 0;
                    month[slot] = currentMonth;
                }
                spent[slot] += amount;
                return true;
            }
            if (reusable < 0 && entryMonth < currentMonth - 1)
            {
                reusable = slot;
            }
            slot = (slot + 1) & mask;
        }
        if (reusable >= 0)
        {
            // The key is not within the probe bound, so a dead slot on its path can take it.
            keyTerminal[reusable] = terminalId;
            keyCard[reusable] = cardKey;
            month[reusable] = currentMonth;
            spent[reusable] = amount;
            previousSpent[reusable] = 0;
            return true;
        }
        overflows.increment();
        return false;
    }

    /**
     * @return slots in the table (a power of two).
     */
    public int capacity()
    {
        return mask + 1;
    }

    public long overflows()
    {
        return overflows.get();
    }

    /**
     * Saves or loads the whole ledger for a snapshot. A ledger to load into must have the saved
     * one's capacity.
     *
     * @param visitor copies the columns out or fills them in.
     */
    public void visitState(final org.unicard.state.StateVisitor visitor)
    {
        overflows.set(visitor.scalar(overflows.get()));
        visitor.longs(keyTerminal);
        visitor.longs(keyCard);
        visitor.ints(month);
        visitor.longs(spent);
        visitor.longs(previousSpent);
    }

    private int home(final long terminalId, final long cardKey)
    {
        long h = terminalId * 0x9E3779B97F4A7C15L;
        h = (h ^ cardKey) * 0xC2B2AE3D27D4EB4FL;
        return (int)(h ^ (h >>> 31)) & mask;
    }
}
