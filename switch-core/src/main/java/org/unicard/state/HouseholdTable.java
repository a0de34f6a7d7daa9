package org.unicard.state;

/**
 * Households, indexed densely from 0, one 64-byte record each. A household holds the programs
 * kept per family (ration, bread, cash support) and their lazily rolled cycles: each counter is
 * tagged with the cycle (Cairo month or day number) it belongs to, and is recomputed on the first
 * touch in a newer cycle, so no month-end batch exists.
 * <p>
 * <b>Layout.</b> As in {@link CardTable}: deciding a request reads and writes most fields of one
 * household at a random place, so they share one cache line (eight {@code long}s a record,
 * starting at element {@link CardTable#FIRST} of a region-aligned humongous array).
 * <pre>
 *   word 0  ration balance, piasters
 *   word 1  cash-support balance, piasters
 *   word 2  cash support credited each month, piasters
 *   word 3  ration month (high 32 bits) | bread day (low 32)
 *   word 4  bread month (high 32) | loaves taken today (low 32)
 *   word 5  last month credited with cash support (high 32) | loaves taken this month (low 32)
 *   word 6  ration individuals (bits 0-15) | bread individuals (16-31) | governorate (32-39)
 *   word 7  household id as in {@code households.csv}
 * </pre>
 * Months are numbered {@code year * 12 + month - 1}, days are Cairo day numbers. Imported fields
 * are set once by {@link #add}; cycle fields start at {@link #NO_CYCLE} and are changed only by the
 * authorizer thread. The id index is used by the importer and by live changes (spec §12), which
 * add households and change entitlements while no ring stage reads the table.
 */
public final class HouseholdTable
{
    /** Cycle tag of a counter that was never touched. */
    public static final int NO_CYCLE = Integer.MIN_VALUE;

    /** The most households a table holds (the records stay one Java array). */
    public static final int MAX_CAPACITY = 1 << 27;
    /** Longs per household record: one 64-byte cache line. */
    public static final int LONGS_PER_HOUSEHOLD = 8;

    private static final int RATION_BALANCE = 0;
    private static final int CASH_BALANCE = 1;
    private static final int CASH_SUPPORT = 2;
    private static final int RATION_MONTH_BREAD_DAY = 3;
    private static final int BREAD_MONTH_LOAVES_TODAY = 4;
    private static final int CASH_MONTH_LOAVES_MONTH = 5;
    private static final int SIZES = 6;
    private static final int ID = 7;

    private static final long NO_CYCLES = ((long)NO_CYCLE << 32) | (NO_CYCLE & 0xFFFF_FFFFL);

    private final LongIntIndex indexById;
    private final long[] records;
    private final int capacity;
    private int size;

    /**
     * @param capacity the most households this table will hold.
     */
    public HouseholdTable(final int capacity)
    {
        if (capacity < 0 || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " range=[0," + MAX_CAPACITY + "]");
        }
        this.capacity = capacity;
        indexById = new LongIntIndex(capacity);
        records = new long[CardTable.FIRST + capacity * LONGS_PER_HOUSEHOLD];
    }

    /**
     * Adds an imported household.
     *
     * @return its dense index, or -1 when the id is already present.
     */
    public int add(
        final long id,
        final int governorateCode,
        final int rationIndividualsCount,
        final int breadIndividualsCount,
        final long cashSupportPiasters)
    {
        if (size == capacity)
        {
            throw new IllegalStateException("household table full: capacity=" + capacity);
        }
        final int index = size;
        if (!indexById.putIfAbsent(id, index))
        {
            return -1;
        }
        final int at = base(index);
        records[at + CASH_SUPPORT] = cashSupportPiasters;
        records[at + RATION_MONTH_BREAD_DAY] = NO_CYCLES;
        records[at + BREAD_MONTH_LOAVES_TODAY] = (long)NO_CYCLE << 32;
        records[at + CASH_MONTH_LOAVES_MONTH] = (long)NO_CYCLE << 32;
        records[at + SIZES] = (rationIndividualsCount & 0xFFFFL) | ((breadIndividualsCount & 0xFFFFL) << 16) |
            ((governorateCode & 0xFFL) << 32);
        records[at + ID] = id;
        size++;
        return index;
    }

    /**
     * @param id a household id.
     * @return its dense index, or -1.
     */
    public int indexOf(final long id)
    {
        return indexById.get(id);
    }

    /**
     * @return a word of the household's record (a read that brings the record into the cache; for
     * replay's prefetching).
     */
    public long touch(final int household)
    {
        return records[base(household) + RATION_MONTH_BREAD_DAY];
    }

    /**
     * @return the household id as in {@code households.csv}.
     */
    public long householdId(final int household)
    {
        return records[base(household) + ID];
    }

    /**
     * @return the two-digit governorate code.
     */
    public int governorate(final int household)
    {
        return (int)(records[base(household) + SIZES] >>> 32) & 0xFF;
    }

    public int rationIndividuals(final int household)
    {
        return (int)records[base(household) + SIZES] & 0xFFFF;
    }

    public int breadIndividuals(final int household)
    {
        return (int)(records[base(household) + SIZES] >>> 16) & 0xFFFF;
    }

    /**
     * @return the cash support credited each month, in piasters.
     */
    public long cashSupportMonthlyPiasters(final int household)
    {
        return records[base(household) + CASH_SUPPORT];
    }

    /**
     * Changes a household's individuals, governorate and monthly cash support (a live change, spec
     * §12; the caller has closed the current cycles first so that the change counts from the next).
     */
    public void entitlements(final int household, final int governorateCode, final int rationIndividualsCount,
        final int breadIndividualsCount, final long cashSupportPiasters)
    {
        final int at = base(household);
        records[at + CASH_SUPPORT] = cashSupportPiasters;
        records[at + SIZES] = (rationIndividualsCount & 0xFFFFL) | ((breadIndividualsCount & 0xFFFFL) << 16) |
            ((governorateCode & 0xFFL) << 32);
    }

    public long rationBalancePiasters(final int household)
    {
        return records[base(household) + RATION_BALANCE];
    }

    public void rationBalancePiasters(final int household, final long piasters)
    {
        records[base(household) + RATION_BALANCE] = piasters;
    }

    public long cashBalancePiasters(final int household)
    {
        return records[base(household) + CASH_BALANCE];
    }

    public void cashBalancePiasters(final int household, final long piasters)
    {
        records[base(household) + CASH_BALANCE] = piasters;
    }

    /**
     * @return the month the ration balance belongs to, or {@link #NO_CYCLE}.
     */
    public int rationMonth(final int household)
    {
        return high(base(household) + RATION_MONTH_BREAD_DAY);
    }

    public void rationMonth(final int household, final int month)
    {
        setHigh(base(household) + RATION_MONTH_BREAD_DAY, month);
    }

    /**
     * @return the day the loaves-taken-today counter belongs to, or {@link #NO_CYCLE}.
     */
    public int breadDay(final int household)
    {
        return low(base(household) + RATION_MONTH_BREAD_DAY);
    }

    public void breadDay(final int household, final int day)
    {
        setLow(base(household) + RATION_MONTH_BREAD_DAY, day);
    }

    /**
     * @return the month the loaves-taken-this-month counter belongs to, or {@link #NO_CYCLE}.
     */
    public int breadMonth(final int household)
    {
        return high(base(household) + BREAD_MONTH_LOAVES_TODAY);
    }

    public void breadMonth(final int household, final int month)
    {
        setHigh(base(household) + BREAD_MONTH_LOAVES_TODAY, month);
    }

    public int loavesTakenToday(final int household)
    {
        return low(base(household) + BREAD_MONTH_LOAVES_TODAY);
    }

    public void loavesTakenToday(final int household, final int loaves)
    {
        setLow(base(household) + BREAD_MONTH_LOAVES_TODAY, loaves);
    }

    /**
     * @return the last month whose cash support has been credited, or {@link #NO_CYCLE}.
     */
    public int cashCreditedMonth(final int household)
    {
        return high(base(household) + CASH_MONTH_LOAVES_MONTH);
    }

    public void cashCreditedMonth(final int household, final int month)
    {
        setHigh(base(household) + CASH_MONTH_LOAVES_MONTH, month);
    }

    public int loavesTakenThisMonth(final int household)
    {
        return low(base(household) + CASH_MONTH_LOAVES_MONTH);
    }

    public void loavesTakenThisMonth(final int household, final int loaves)
    {
        setLow(base(household) + CASH_MONTH_LOAVES_MONTH, loaves);
    }

    public int size()
    {
        return size;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * Saves or loads the records, the id index and the size. A table to load into must have been
     * built with the saved table's capacity.
     *
     * @param visitor copies the columns out or fills them in.
     */
    public void visitState(final StateVisitor visitor)
    {
        size = (int)visitor.scalar(size);
        indexById.visitState(visitor);
        visitor.longs(records);
    }

    private int high(final int at)
    {
        return (int)(records[at] >> 32);
    }

    private int low(final int at)
    {
        return (int)records[at];
    }

    private void setHigh(final int at, final int value)
    {
        records[at] = (records[at] & 0xFFFF_FFFFL) | ((long)value << 32);
    }

    private void setLow(final int at, final int value)
    {
        records[at] = (records[at] & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL);
    }

    private static int base(final int household)
    {
        return CardTable.FIRST + household * LONGS_PER_HOUSEHOLD;
    }
}
