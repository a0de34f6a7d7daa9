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
 * <p>
 * Layout: one row of four {@code long}s per slot, so that a lookup reads one cache line, not one
 * line in each of five columns (this table is tens of MB and its slots are hit at random):
 * <pre>
 *   +-------------+----------+----------------------------------+----------------+
 *   | terminal id | card key | month (16) | spent (48, signed)  | previous spent |
 *   +-------------+----------+----------------------------------+----------------+
 * </pre>
 * Month numbers ({@code year * 12 + month - 1}) must lie in 1–65535 and 0 marks an empty slot.
 * A month's net fits in 48 bits (±{@value #MAX_SPENT} piasters, about 1.4 trillion EGP, at
 * most 10 million per transaction by default): an addition that would leave that range is not
 * recorded and counts as an overflow, like a full table, so a later return is declined rather than
 * over-credited. The array starts with {@value #FIRST} spare elements, as {@code CardTable}'s does,
 * so that in an array starting on a 64-byte boundary (G1 gives large arrays a region of their own) a
 * row never straddles two lines.
 * Single-threaded: owned by the authorizer.
 */
public final class SpendLedger
{
    /** Most slots one lookup visits. */
    public static final int MAX_PROBES = 64;
    /** Largest net a month may hold, in piasters (the 48-bit field's range; the least is {@code -MAX_SPENT - 1}). */
    public static final long MAX_SPENT = (1L << 47) - 1;
    /** {@code long}s per slot. */
    public static final int ROW_LONGS = 4;
    /** Spare elements before the first row (16-byte array header + 48 = 64). */
    public static final int FIRST = 6;

    private static final int TERMINAL = 0;
    private static final int CARD_KEY = 1;
    private static final int MONTH_AND_SPENT = 2;
    private static final int PREVIOUS_SPENT = 3;
    private static final int MONTH_SHIFT = 48;
    private static final long SPENT_MASK = (1L << MONTH_SHIFT) - 1;
    private static final int MAX_MONTH = 0xFFFF;

    private final long[] rows;
    private final int mask;
    /** Authorizer thread writes; the metrics scrape reads (release stores, acquire loads). */
    private final SingleWriterCounter overflows = new SingleWriterCounter();

    /**
     * @param capacityEntries slots; rounded up to a power of two. Size it at about twice the
     *                        card–terminal pairs used in a month.
     */
    public SpendLedger(final int capacityEntries)
    {
        if (capacityEntries < 16 || capacityEntries > (1 << 28))
        {
            throw new IllegalArgumentException("capacityEntries=" + capacityEntries + " range=[16," + (1 << 28) + "]");
        }
        final int capacity = Integer.highestOneBit(capacityEntries * 2 - 1);
        rows = new long[FIRST + capacity * ROW_LONGS];
        mask = capacity - 1;
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
        final int row = find(terminalId, cardKey);
        if (row < 0)
        {
            return 0;
        }
        final int entryMonth = month(row);
        if (entryMonth == ofMonth)
        {
            return spent(row);
        }
        return entryMonth == ofMonth + 1 ? rows[row + PREVIOUS_SPENT] : 0;
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
        final int row = find(terminalId, cardKey);
        if (row < 0)
        {
            return;
        }
        final int entryMonth = month(row);
        if (entryMonth == ofMonth)
        {
            addToSpent(row, entryMonth, amount);
        }
        else if (entryMonth == ofMonth + 1)
        {
            final long sum = rows[row + PREVIOUS_SPENT] + amount;
            if (fits(sum))
            {
                rows[row + PREVIOUS_SPENT] = sum;
            }
            else
            {
                overflows.increment();
            }
        }
    }

    /** @return the row of the key, or -1. */
    private int find(final long terminalId, final long cardKey)
    {
        int slot = home(terminalId, cardKey);
        for (int probe = 0; probe < MAX_PROBES; probe++)
        {
            final int row = row(slot);
            if (month(row) == 0)
            {
                return -1;
            }
            if (rows[row + TERMINAL] == terminalId && rows[row + CARD_KEY] == cardKey)
            {
                return row;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /**
     * Adds a signed amount to what the card spent this month at the terminal.
     *
     * @param currentMonth the current month, 1 to 65535.
     * @return {@code false} when no slot was free within the probe bound, or the month's net would
     * leave the 48-bit range: nothing was recorded.
     */
    public boolean add(final long terminalId, final long cardKey, final int currentMonth, final long amount)
    {
        if (currentMonth < 1 || currentMonth > MAX_MONTH)
        {
            throw new IllegalArgumentException("month=" + currentMonth + " range=[1," + MAX_MONTH + "]");
        }
        int slot = home(terminalId, cardKey);
        int reusable = -1;
        for (int probe = 0; probe < MAX_PROBES; probe++)
        {
            final int row = row(slot);
            final int entryMonth = month(row);
            if (entryMonth == 0)
            {
                return fill(reusable >= 0 ? reusable : row, terminalId, cardKey, currentMonth, amount);
            }
            if (rows[row + TERMINAL] == terminalId && rows[row + CARD_KEY] == cardKey)
            {
                if (entryMonth != currentMonth)
                {
                    rows[row + PREVIOUS_SPENT] = entryMonth == currentMonth - 1 ? spent(row) : 0;
                    rows[row + MONTH_AND_SPENT] = (long)currentMonth << MONTH_SHIFT;
                }
                return addToSpent(row, currentMonth, amount);
            }
            if (reusable < 0 && entryMonth < currentMonth - 1)
            {
                reusable = row;
            }
            slot = (slot + 1) & mask;
        }
        if (reusable >= 0)
        {
            // The key is not within the probe bound, so a dead slot on its path can take it.
            return fill(reusable, terminalId, cardKey, currentMonth, amount);
        }
        overflows.increment();
        return false;
    }

    private boolean fill(final int row, final long terminalId, final long cardKey, final int month, final long amount)
    {
        if (!fits(amount))
        {
            overflows.increment();
            return false;
        }
        rows[row + TERMINAL] = terminalId;
        rows[row + CARD_KEY] = cardKey;
        rows[row + MONTH_AND_SPENT] = ((long)month << MONTH_SHIFT) | (amount & SPENT_MASK);
        rows[row + PREVIOUS_SPENT] = 0;
        return true;
    }

    private boolean addToSpent(final int row, final int month, final long amount)
    {
        final long sum = spent(row) + amount;
        if (!fits(sum))
        {
            overflows.increment();
            return false;
        }
        rows[row + MONTH_AND_SPENT] = ((long)month << MONTH_SHIFT) | (sum & SPENT_MASK);
        return true;
    }

    private static boolean fits(final long amount)
    {
        return amount >= -MAX_SPENT - 1 && amount <= MAX_SPENT;
    }

    private int month(final int row)
    {
        return (int)(rows[row + MONTH_AND_SPENT] >>> MONTH_SHIFT);
    }

    private long spent(final int row)
    {
        // The low 48 bits, sign-extended.
        return (rows[row + MONTH_AND_SPENT] << (64 - MONTH_SHIFT)) >> (64 - MONTH_SHIFT);
    }

    private static int row(final int slot)
    {
        return FIRST + slot * ROW_LONGS;
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
     * @return the element of the row a key's search starts at, so that computing it and reading it
     * ({@link #touch}) can be apart: replay's prefetching computes a batch's first, then reads them
     * all in a loop of loads alone.
     */
    public int homeElement(final long terminalId, final long cardKey)
    {
        return row(home(terminalId, cardKey)) + MONTH_AND_SPENT;
    }

    /**
     * @param element a value {@link #homeElement} returned.
     * @return the word there, of no meaning to the caller.
     */
    public long touch(final int element)
    {
        return rows[element];
    }

    /**
     * Saves or loads the whole ledger for a snapshot. A ledger to load into must have the saved
     * one's capacity.
     *
     * @param visitor copies the rows out or fills them in.
     */
    public void visitState(final org.unicard.state.StateVisitor visitor)
    {
        overflows.set(visitor.scalar(overflows.get()));
        visitor.longs(rows);
    }

    private int home(final long terminalId, final long cardKey)
    {
        long h = terminalId * 0x9E3779B97F4A7C15L;
        h = (h ^ cardKey) * 0xC2B2AE3D27D4EB4FL;
        return (int)(h ^ (h >>> 31)) & mask;
    }
}
