package org.unicard.state;

/**
 * Cards as struct-of-arrays, indexed densely from 0, with a PAN index. A card belongs to one
 * household; a head's card carries the household programs, every card may carry its citizen's
 * health eligibility and wallet.
 * <p>
 * PAN, household, expiry, PVV and programs never change after import and may be read by any ring
 * stage; status, PIN tries, wallet balance and the {@link #FLAG_USED} bit of the flags are changed
 * by the authorizer thread, which alone reads them.
 */
public final class CardTable
{
    /** Flag: the card is its household's head card (holds ration, bread, cash). */
    public static final byte FLAG_HEAD = 1;
    /** Flag: the citizen is exempt from health co-payments. */
    public static final byte FLAG_HEALTH_EXEMPT = 1 << 1;
    /** Flag: this card has had an approved transaction (so the card it replaces is superseded). */
    public static final byte FLAG_USED = 1 << 2;

    /** Value of {@link #replacesCard} when the card replaces none. */
    public static final int NO_CARD = -1;

    private final LongIntIndex indexByPan;
    private int size;

    public final long[] pan;
    public final long[] nationalId;
    public final int[] household;
    public final byte[] flags;
    public final byte[] status;
    /** Issue date as a Cairo day number (days since 1970-01-01). */
    public final int[] issuedDay;
    /** Expiry as YYMM. */
    public final short[] expiryYyMm;
    /** Visa PIN verification value, 4 digits. */
    public final short[] pvv;
    /** {@link Program} bits. */
    public final byte[] programs;
    public final long[] walletBalancePiasters;
    /** Dense index of the old card this one replaces, or {@link #NO_CARD}. */
    public final int[] replacesCard;
    /** Consecutive wrong PINs; the PIN is blocked at the configured limit. */
    public final byte[] pinTries;

    /**
     * @param capacity the most cards this table will hold.
     */
    public CardTable(final int capacity)
    {
        indexByPan = new LongIntIndex(capacity);
        pan = new long[capacity];
        nationalId = new long[capacity];
        household = new int[capacity];
        flags = new byte[capacity];
        status = new byte[capacity];
        issuedDay = new int[capacity];
        expiryYyMm = new short[capacity];
        pvv = new short[capacity];
        programs = new byte[capacity];
        walletBalancePiasters = new long[capacity];
        replacesCard = new int[capacity];
        pinTries = new byte[capacity];
    }

    /**
     * Adds an imported card.
     *
     * @return its dense index, or -1 when the PAN is already present.
     */
    public int add(
        final long cardPan,
        final long citizenNationalId,
        final int householdIndex,
        final boolean head,
        final byte cardStatus,
        final int issuedOnDay,
        final int expiry,
        final int pinVerificationValue,
        final int programMask,
        final long walletPiasters,
        final boolean healthExempt)
    {
        if (size == pan.length)
        {
            throw new IllegalStateException("card table full: capacity=" + pan.length);
        }
        final int index = size;
        if (!indexByPan.putIfAbsent(cardPan, index))
        {
            return -1;
        }
        pan[index] = cardPan;
        nationalId[index] = citizenNationalId;
        household[index] = householdIndex;
        flags[index] = (byte)((head ? FLAG_HEAD : 0) | (healthExempt ? FLAG_HEALTH_EXEMPT : 0));
        status[index] = cardStatus;
        issuedDay[index] = issuedOnDay;
        expiryYyMm[index] = (short)expiry;
        pvv[index] = (short)pinVerificationValue;
        programs[index] = (byte)programMask;
        walletBalancePiasters[index] = walletPiasters;
        replacesCard[index] = NO_CARD;
        size++;
        return index;
    }

    /**
     * @param cardPan a PAN.
     * @return the card's dense index, or -1.
     */
    public int indexOf(final long cardPan)
    {
        return cardPan <= 0 ? -1 : indexByPan.get(cardPan);
    }

    /**
     * @param cardPan a PAN.
     * @return the key in the PAN index's home slot for it (a read that brings that slot into the
     * cache; for replay's prefetching).
     */
    public long probe(final long cardPan)
    {
        return indexByPan.probe(cardPan);
    }

    public int size()
    {
        return size;
    }

    public int capacity()
    {
        return pan.length;
    }

    /**
     * Saves or loads every column, the PAN index and the size. A table to load into must have been
     * built with the saved table's capacity.
     *
     * @param visitor copies the columns out or fills them in.
     */
    public void visitState(final StateVisitor visitor)
    {
        size = (int)visitor.scalar(size);
        indexByPan.visitState(visitor);
        visitor.longs(pan);
        visitor.longs(nationalId);
        visitor.ints(household);
        visitor.bytes(flags);
        visitor.bytes(status);
        visitor.ints(issuedDay);
        visitor.shorts(expiryYyMm);
        visitor.shorts(pvv);
        visitor.bytes(programs);
        visitor.longs(walletBalancePiasters);
        visitor.ints(replacesCard);
        visitor.bytes(pinTries);
    }

    /**
     * @param card a dense index.
     * @param flag one of the {@code FLAG_} bits.
     * @return whether the card has the flag.
     */
    public boolean hasFlag(final int card, final byte flag)
    {
        return (flags[card] & flag) != 0;
    }
}
