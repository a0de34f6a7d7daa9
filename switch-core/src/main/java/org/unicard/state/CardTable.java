package org.unicard.state;

import org.unicard.security.PanMask;

/**
 * Cards, indexed densely from 0, one 64-byte record each, with a PAN index. A card belongs to one
 * household; a head's card carries the household programs, every card may carry its citizen's
 * health eligibility and wallet.
 * <p>
 * <b>Layout.</b> Deciding a request reads almost every field of one card, at a random place in
 * gigabytes of cards, so the fields of a card live together in one cache line (an array of
 * records, eight {@code long}s each) instead of one array per field, where every field read is a
 * cache and TLB miss of its own. The records array is large enough to be a G1 humongous object,
 * which starts on a region boundary; with the 16-byte array header, starting the records at
 * element {@link #FIRST} puts each one on a cache line of its own. (Should an array start
 * elsewhere, records straddle two lines: slower, never wrong.)
 * <pre>
 *   word 0  PAN
 *   word 1  wallet balance, piasters
 *   word 2  national id
 *   word 3  household (high 32 bits) | dense index of the card it replaces, or {@link #NO_CARD} (low 32)
 *   word 4  issue day (high 32) | expiry YYMM (bits 16-31) | PVV (bits 0-15)
 *   word 5  flags (bits 0-7) | status (8-15) | programs (16-23) | consecutive wrong PINs (24-31)
 *   word 6  mobile number without its leading 0 (10 digits, 1X........), or 0 for none
 *   word 7  journal sequence of the last decided record naming this card (0: none yet): the head of
 *           the card's history chain, each REQUEST record holding the one before it
 * </pre>
 * The PAN index is open addressing over {@code int} slots that hold a card's index plus one; a
 * lookup compares the PAN in the card's own record, the line the authorizer reads next anyway,
 * so a lookup costs one miss in the index and the index costs 4 bytes a slot.
 * <p>
 * PAN, national id, household, issue day, expiry, PVV and programs never change after import;
 * the PIN-verification stage reads the PAN and PVV (words 0 and 4) from its own thread. Status, PIN
 * tries, wallet balance and the {@link #FLAG_USED} bit are changed by the authorizer thread alone,
 * which alone reads them (the replacement link is set by the importer, before any stage runs).
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

    /** Longs per card record: one 64-byte cache line. */
    public static final int LONGS_PER_CARD = 8;
    /** The most cards a table holds (twice the national ~64 million; records stay one Java array). */
    public static final int MAX_CAPACITY = 1 << 27;
    /** Element of the first record: 16 header bytes + 6 longs = 64, a cache-line boundary. */
    static final int FIRST = 6;

    private static final int PAN = 0;
    private static final int WALLET = 1;
    private static final int NATIONAL_ID = 2;
    private static final int LINKS = 3;
    private static final int DATES = 4;
    private static final int STATE = 5;
    private static final int MOBILE = 6;
    private static final int LAST_SEQUENCE = 7;

    private static final int FLAGS_SHIFT = 0;
    private static final int STATUS_SHIFT = 8;
    private static final int PROGRAMS_SHIFT = 16;
    private static final int PIN_TRIES_SHIFT = 24;

    private final long[] records;
    private final int[] panSlots;
    private final int slotMask;
    private final int capacity;
    private int size;

    /**
     * @param capacity the most cards this table will hold.
     */
    public CardTable(final int capacity)
    {
        if (capacity < 0 || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " range=[0," + MAX_CAPACITY + "]");
        }
        this.capacity = capacity;
        records = new long[FIRST + capacity * LONGS_PER_CARD];
        // At most half the slots are used, so a miss ends at an empty slot soon.
        final int slots = Math.max(16, Integer.highestOneBit(Math.max(1, capacity) * 2 - 1) << 1);
        panSlots = new int[slots];
        slotMask = slots - 1;
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
        if (cardPan <= 0)
        {
            throw new IllegalArgumentException("pan=" + PanMask.masked(cardPan) + " (must be positive)");
        }
        if (size == capacity)
        {
            throw new IllegalStateException("card table full: capacity=" + capacity);
        }
        int slot = slot(cardPan);
        int cardPlusOne;
        while ((cardPlusOne = panSlots[slot]) != 0)
        {
            if (records[base(cardPlusOne - 1) + PAN] == cardPan)
            {
                return -1;
            }
            slot = (slot + 1) & slotMask;
        }
        final int card = size;
        final int at = base(card);
        records[at + PAN] = cardPan;
        records[at + WALLET] = walletPiasters;
        records[at + NATIONAL_ID] = citizenNationalId;
        records[at + LINKS] = ((long)householdIndex << 32) | (NO_CARD & 0xFFFF_FFFFL);
        records[at + DATES] = ((long)issuedOnDay << 32) | ((expiry & 0xFFFFL) << 16) | (pinVerificationValue & 0xFFFFL);
        final int cardFlags = (head ? FLAG_HEAD : 0) | (healthExempt ? FLAG_HEALTH_EXEMPT : 0);
        records[at + STATE] = ((long)(cardFlags & 0xFF) << FLAGS_SHIFT) | ((long)(cardStatus & 0xFF) << STATUS_SHIFT) |
            ((long)(programMask & 0xFF) << PROGRAMS_SHIFT);
        panSlots[slot] = card + 1;
        size++;
        return card;
    }

    /**
     * @param cardPan a PAN.
     * @return the card's dense index, or -1.
     */
    public int indexOf(final long cardPan)
    {
        if (cardPan <= 0)
        {
            return -1;
        }
        int slot = slot(cardPan);
        int cardPlusOne;
        while ((cardPlusOne = panSlots[slot]) != 0)
        {
            if (records[base(cardPlusOne - 1) + PAN] == cardPan)
            {
                return cardPlusOne - 1;
            }
            slot = (slot + 1) & slotMask;
        }
        return -1;
    }

    /**
     * @param cardPan a PAN.
     * @return where in the PAN index its search starts (for replay's prefetching, which computes a
     * batch's slots first and then reads them in a loop of loads alone).
     */
    public int homeSlot(final long cardPan)
    {
        return slot(cardPan);
    }

    /**
     * @param slot a value {@link #homeSlot} returned.
     * @return the slot's content: 0, or the index of the card there plus one.
     */
    public int slotContent(final int slot)
    {
        return panSlots[slot];
    }

    /**
     * Reads the record of the card in a PAN's home slot, without comparing the PAN: no branch waits
     * on the read, so the processor can have many of these cache misses in flight at once. For
     * replay's prefetching; the record is the right one unless the PAN's card lies further along its
     * probe sequence.
     *
     * @param cardPlusOne a value {@link #slotContent} returned.
     * @return a word of that card's record, of no meaning, or 0 for an empty slot.
     */
    public long touchCard(final int cardPlusOne)
    {
        return cardPlusOne == 0 ? 0 : records[base(cardPlusOne - 1) + STATE];
    }

    public long pan(final int card)
    {
        return records[base(card) + PAN];
    }

    public long nationalId(final int card)
    {
        return records[base(card) + NATIONAL_ID];
    }

    /**
     * @return the dense index of the card's household.
     */
    public int household(final int card)
    {
        return (int)(records[base(card) + LINKS] >> 32);
    }

    /**
     * @return the dense index of the old card this one replaces, or {@link #NO_CARD}.
     */
    public int replacesCard(final int card)
    {
        return (int)records[base(card) + LINKS];
    }

    /**
     * Links a replacement card to the card it replaces (import, and live changes while no ring stage reads the table).
     */
    public void replacesCard(final int card, final int oldCard)
    {
        final int at = base(card) + LINKS;
        records[at] = (records[at] & 0xFFFF_FFFF_0000_0000L) | (oldCard & 0xFFFF_FFFFL);
    }

    /**
     * @return the issue date as a Cairo day number (days since 1970-01-01).
     */
    public int issuedDay(final int card)
    {
        return (int)(records[base(card) + DATES] >> 32);
    }

    /**
     * @return the expiry as YYMM.
     */
    public int expiryYyMm(final int card)
    {
        return (int)(records[base(card) + DATES] >>> 16) & 0xFFFF;
    }

    /**
     * @return the Visa PIN verification value, 4 digits.
     */
    public int pvv(final int card)
    {
        return (int)records[base(card) + DATES] & 0xFFFF;
    }

    public byte flags(final int card)
    {
        return (byte)(records[base(card) + STATE] >>> FLAGS_SHIFT);
    }

    /**
     * @param card a dense index.
     * @param flag one of the {@code FLAG_} bits.
     * @return whether the card has the flag.
     */
    public boolean hasFlag(final int card, final byte flag)
    {
        return (flags(card) & flag) != 0;
    }

    /**
     * Sets a flag (the authorizer sets {@link #FLAG_USED}).
     */
    public void addFlag(final int card, final byte flag)
    {
        records[base(card) + STATE] |= (long)(flag & 0xFF) << FLAGS_SHIFT;
    }

    /**
     * @return the stored {@link CardStatus}.
     */
    public byte status(final int card)
    {
        return (byte)(records[base(card) + STATE] >>> STATUS_SHIFT);
    }

    public void status(final int card, final byte cardStatus)
    {
        setByte(base(card) + STATE, STATUS_SHIFT, cardStatus);
    }

    /**
     * @return the {@link Program} bits.
     */
    public int programs(final int card)
    {
        return (int)(records[base(card) + STATE] >>> PROGRAMS_SHIFT) & 0xFF;
    }

    /**
     * @return consecutive wrong PINs; the PIN is blocked at the configured limit.
     */
    public byte pinTries(final int card)
    {
        return (byte)(records[base(card) + STATE] >>> PIN_TRIES_SHIFT);
    }

    public void pinTries(final int card, final int tries)
    {
        setByte(base(card) + STATE, PIN_TRIES_SHIFT, tries);
    }

    /**
     * @return the citizen's mobile number without its leading 0 (spec §10 {@code mobile}, e.g.
     * 1012345678 for 01012345678), or 0 when the data set gives none. Read by citizen notifications.
     */
    public long mobile(final int card)
    {
        return records[base(card) + MOBILE];
    }

    /**
     * Sets the card's mobile number (import, and live changes on the authorizer thread).
     *
     * @param mobileNumber without its leading 0, or 0 for none.
     */
    public void mobile(final int card, final long mobileNumber)
    {
        records[base(card) + MOBILE] = mobileNumber;
    }

    /**
     * Changes an existing card's attributes (a live change, spec §12, applied while no ring stage
     * reads the table): expiry, PVV, programs and the health exemption. PAN, household, head flag,
     * issue day, wallet, PIN tries and the used flag are kept.
     */
    public void attributes(final int card, final int expiry, final int pinVerificationValue, final int programMask,
        final boolean healthExempt)
    {
        final int at = base(card);
        records[at + DATES] = (records[at + DATES] & 0xFFFF_FFFF_0000_0000L) | ((expiry & 0xFFFFL) << 16) |
            (pinVerificationValue & 0xFFFFL);
        setByte(at + STATE, PROGRAMS_SHIFT, programMask);
        final int cardFlags = (flags(card) & ~FLAG_HEALTH_EXEMPT) | (healthExempt ? FLAG_HEALTH_EXEMPT : 0);
        setByte(at + STATE, FLAGS_SHIFT, cardFlags);
    }

    /**
     * @return the sequence of the last decided record that names the card, or 0 for none (authorizer thread).
     */
    public long lastSequence(final int card)
    {
        return records[base(card) + LAST_SEQUENCE];
    }

    /**
     * @param sequence the sequence of a record naming the card, just decided (authorizer thread).
     */
    public void lastSequence(final int card, final long sequence)
    {
        records[base(card) + LAST_SEQUENCE] = sequence;
    }

    public long walletBalancePiasters(final int card)
    {
        return records[base(card) + WALLET];
    }

    public void walletBalancePiasters(final int card, final long piasters)
    {
        records[base(card) + WALLET] = piasters;
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
     * Saves or loads the records, the PAN index and the size. A table to load into must have been
     * built with the saved table's capacity.
     *
     * @param visitor copies the columns out or fills them in.
     */
    public void visitState(final StateVisitor visitor)
    {
        size = (int)visitor.scalar(size);
        visitor.ints(panSlots);
        visitor.longs(records);
    }

    private void setByte(final int at, final int shift, final int value)
    {
        records[at] = (records[at] & ~(0xFFL << shift)) | ((long)(value & 0xFF) << shift);
    }

    private static int base(final int card)
    {
        return FIRST + card * LONGS_PER_CARD;
    }

    private int slot(final long cardPan)
    {
        final long mixed = cardPan * 0x9E3779B97F4A7C15L;
        return (int)(mixed ^ (mixed >>> 32)) & slotMask;
    }
}
