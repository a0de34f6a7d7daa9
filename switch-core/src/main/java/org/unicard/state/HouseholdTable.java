package org.unicard.state;

/**
 * Households as struct-of-arrays, indexed densely from 0. A household holds the programs kept per
 * family (ration, bread, cash support) and their lazily rolled cycles: each counter is tagged with
 * the cycle (Cairo month or day number) it belongs to, and is recomputed on the first touch in a
 * newer cycle, so no month-end batch exists.
 * <p>
 * Imported fields are set once by {@link #add}; cycle fields start at {@link #NO_CYCLE} and are
 * changed only by the authorizer thread.
 */
public final class HouseholdTable
{
    /** Cycle tag of a counter that was never touched. */
    public static final int NO_CYCLE = Integer.MIN_VALUE;

    private final LongIntIndex indexById;
    private int size;

    /** Household id as in {@code households.csv}. */
    public final long[] householdId;
    /** Two-digit governorate code. */
    public final byte[] governorate;
    public final short[] rationIndividuals;
    public final short[] breadIndividuals;
    /** Cash support credited each month, in piasters. */
    public final long[] cashSupportMonthlyPiasters;

    /** Month number ({@code year * 12 + month - 1}) the ration balance belongs to. */
    public final int[] rationMonth;
    public final long[] rationBalancePiasters;
    /** Cairo day number the loaves-taken-today counter belongs to. */
    public final int[] breadDay;
    public final int[] loavesTakenToday;
    /** Month number the loaves-taken-this-month counter belongs to. */
    public final int[] breadMonth;
    public final int[] loavesTakenThisMonth;
    /** Last month number whose cash support has been credited. */
    public final int[] cashCreditedMonth;
    public final long[] cashBalancePiasters;

    /**
     * @param capacity the most households this table will hold.
     */
    public HouseholdTable(final int capacity)
    {
        indexById = new LongIntIndex(capacity);
        householdId = new long[capacity];
        governorate = new byte[capacity];
        rationIndividuals = new short[capacity];
        breadIndividuals = new short[capacity];
        cashSupportMonthlyPiasters = new long[capacity];
        rationMonth = filled(capacity);
        rationBalancePiasters = new long[capacity];
        breadDay = filled(capacity);
        loavesTakenToday = new int[capacity];
        breadMonth = filled(capacity);
        loavesTakenThisMonth = new int[capacity];
        cashCreditedMonth = filled(capacity);
        cashBalancePiasters = new long[capacity];
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
        if (size == householdId.length)
        {
            throw new IllegalStateException("household table full: capacity=" + householdId.length);
        }
        final int index = size;
        if (!indexById.putIfAbsent(id, index))
        {
            return -1;
        }
        householdId[index] = id;
        governorate[index] = (byte)governorateCode;
        rationIndividuals[index] = (short)rationIndividualsCount;
        breadIndividuals[index] = (short)breadIndividualsCount;
        cashSupportMonthlyPiasters[index] = cashSupportPiasters;
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

    public int size()
    {
        return size;
    }

    public int capacity()
    {
        return householdId.length;
    }

    /**
     * Saves or loads every column, the id index and the size. A table to load into must have been
     * built with the saved table's capacity.
     *
     * @param visitor copies the columns out or fills them in.
     */
    public void visitState(final StateVisitor visitor)
    {
        size = (int)visitor.scalar(size);
        indexById.visitState(visitor);
        visitor.longs(householdId);
        visitor.bytes(governorate);
        visitor.shorts(rationIndividuals);
        visitor.shorts(breadIndividuals);
        visitor.longs(cashSupportMonthlyPiasters);
        visitor.ints(rationMonth);
        visitor.longs(rationBalancePiasters);
        visitor.ints(breadDay);
        visitor.ints(loavesTakenToday);
        visitor.ints(breadMonth);
        visitor.ints(loavesTakenThisMonth);
        visitor.ints(cashCreditedMonth);
        visitor.longs(cashBalancePiasters);
    }

    private static int[] filled(final int capacity)
    {
        final int[] array = new int[capacity];
        java.util.Arrays.fill(array, NO_CYCLE);
        return array;
    }
}
