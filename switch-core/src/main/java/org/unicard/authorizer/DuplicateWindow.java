package org.unicard.authorizer;

/**
 * The exactly-once memory of the switch (spec §8): every request the authorizer decided within the
 * window (48 hours by default), keyed by where it came from, its terminal id, STAN, field 7 and
 * message class, with the digest of its content and what was answered, so that a retransmission
 * gets the original response again and a reversal finds the debit it undoes.
 * <p>
 * Entries live in a circular array in arrival order (business time never goes backwards in the
 * authorizer), so the oldest entry is always next to expire; an open-addressing hash index maps a
 * key to its entry. Capacity is fixed: when the window is full, the oldest entry is evicted before
 * its time and {@link #overflowEvictions()} counts it. Nothing allocates after construction.
 * Single-threaded: owned by the authorizer.
 */
public final class DuplicateWindow
{
    /** Message class of 0100 requests. */
    public static final int CLASS_AUTHORIZATION = 1;
    /** Message class of 0200 requests. */
    public static final int CLASS_FINANCIAL = 2;
    /** Message class of 0400 and 0420 requests (a 0420 repeats a 0400). */
    public static final int CLASS_REVERSAL = 4;

    /** Flag: the financial request of this entry has been reversed. */
    public static final byte FLAG_REVERSED = 1;
    /**
     * Flag: the entry was made by a reversal whose original had not arrived; the late original is
     * declined with 05.
     */
    public static final byte FLAG_LATE_ORIGINAL = 1 << 1;

    private static final int MISSING = -1;
    private static final int EXPIRED_EVICTIONS_PER_INSERT = 4;

    private final int capacity;
    private final int entryMask;
    /** Open addressing: each used slot holds the key's 32-bit hash (high half) and its entry + 1 (low half). */
    private final long[] index;
    private final int indexMask;

    private final long[] keyTerminal;
    private final long[] keySource;
    private final long[] keyTransmission;
    private final long[] contentHash;
    private final long[] timeMs;
    private final long[] sequence;
    private final long[] retrievalReference;
    private final long[] amountApplied;
    private final int[] authorizationId;
    private final int[] card;
    private final byte[] responseCode;
    private final byte[] account;
    private final byte[] flags;
    private final byte[] balanceCount;
    private final byte[] balanceAccount;
    private final long[] balanceAmount;

    private long oldest;
    private long next;
    private long overflowEvictions;

    /**
     * @param capacityEntries the most entries held at once; rounded up to a power of two.
     */
    public DuplicateWindow(final int capacityEntries)
    {
        if (capacityEntries < 1 || capacityEntries > (1 << 28))
        {
            throw new IllegalArgumentException("capacityEntries=" + capacityEntries + " range=[1," + (1 << 28) + "]");
        }
        capacity = Integer.highestOneBit(capacityEntries * 2 - 1);
        entryMask = capacity - 1;
        index = new long[capacity * 2];
        indexMask = index.length - 1;
        keyTerminal = new long[capacity];
        keySource = new long[capacity];
        keyTransmission = new long[capacity];
        contentHash = new long[capacity];
        timeMs = new long[capacity];
        sequence = new long[capacity];
        retrievalReference = new long[capacity];
        amountApplied = new long[capacity];
        authorizationId = new int[capacity];
        card = new int[capacity];
        responseCode = new byte[capacity];
        account = new byte[capacity];
        flags = new byte[capacity];
        balanceCount = new byte[capacity];
        balanceAccount = new byte[capacity * AuthOutcome.MAX_BALANCES];
        balanceAmount = new long[capacity * AuthOutcome.MAX_BALANCES];
    }

    /**
     * Packs the parts of a key other than the terminal id and field 7.
     *
     * @param sourceType   {@link AuthRequest#SOURCE_TERMINAL} or {@link AuthRequest#SOURCE_ACQUIRER}.
     * @param sourceIndex  terminal or acquirer index (below 2^24).
     * @param messageClass one of the {@code CLASS_} constants.
     * @param stan         field 11.
     * @return the packed key part.
     */
    public static long sourceKey(final int sourceType, final int sourceIndex, final int messageClass, final int stan)
    {
        return ((long)sourceType << 56) | ((long)messageClass << 48) | ((long)(sourceIndex & 0xFF_FFFF) << 24) | (stan & 0xFF_FFFF);
    }

    /**
     * @return the entry for the key when it is present and younger than the window, else -1.
     */
    public int find(final long terminalId, final long source, final long transmission, final long nowMs, final long windowMs)
    {
        final int entry = findAny(terminalId, source, transmission);
        return entry != MISSING && nowMs - timeMs[entry] <= windowMs ? entry : MISSING;
    }

    /**
     * @return the index slot a key's search starts at (a read that brings it into the cache; for
     * replay's prefetching).
     */
    public long probe(final long terminalId, final long source, final long transmission)
    {
        return index[hash(terminalId, source, transmission) & indexMask];
    }

    /**
     * Records a decided request. The key must not be present (callers {@link #find} first); an
     * expired entry with the same key is evicted first.
     *
     * @return the new entry.
     */
    public int insert(
        final long terminalId,
        final long source,
        final long transmission,
        final long digest,
        final long nowMs,
        final long windowMs,
        final AuthOutcome outcome,
        final byte entryFlags)
    {
        evictExpired(nowMs, windowMs);
        final int stale = findAny(terminalId, source, transmission);
        if (stale != MISSING)
        {
            evictUntil(stale);
        }
        if (next - oldest == capacity)
        {
            evictOldest();
            overflowEvictions++;
        }
        final int entry = (int)(next & entryMask);
        next++;
        keyTerminal[entry] = terminalId;
        keySource[entry] = source;
        keyTransmission[entry] = transmission;
        contentHash[entry] = digest;
        timeMs[entry] = nowMs;
        flags[entry] = entryFlags;
        record(entry, outcome);
        final int hash = hash(terminalId, source, transmission);
        int slot = hash & indexMask;
        while (index[slot] != 0)
        {
            slot = (slot + 1) & indexMask;
        }
        index[slot] = slotValue(hash, entry);
        return entry;
    }

    /**
     * Overwrites the answer kept for an entry (a late original's 05 replaces its placeholder).
     */
    public void record(final int entry, final AuthOutcome outcome)
    {
        sequence[entry] = outcome.sequence;
        responseCode[entry] = (byte)outcome.responseCode;
        authorizationId[entry] = outcome.authorizationId;
        retrievalReference[entry] = outcome.retrievalReference;
        card[entry] = outcome.card;
        account[entry] = (byte)outcome.account;
        amountApplied[entry] = outcome.amountApplied;
        final int count = outcome.balanceCount;
        balanceCount[entry] = (byte)count;
        final int base = entry * AuthOutcome.MAX_BALANCES;
        for (int i = 0; i < count; i++)
        {
            balanceAccount[base + i] = (byte)outcome.balanceAccount[i];
            balanceAmount[base + i] = outcome.balanceAmount[i];
        }
    }

    /**
     * Fills an outcome with the answer kept for an entry, as a retransmission of it.
     */
    public void answerAgain(final int entry, final AuthOutcome outcome)
    {
        outcome.duplicateOf = sequence[entry];
        outcome.responseCode = responseCode[entry];
        outcome.authorizationId = authorizationId[entry];
        outcome.retrievalReference = retrievalReference[entry];
        outcome.card = card[entry];
        outcome.balanceCount = 0;
        final int base = entry * AuthOutcome.MAX_BALANCES;
        for (int i = 0, count = balanceCount[entry]; i < count; i++)
        {
            outcome.addBalance(balanceAccount[base + i], balanceAmount[base + i]);
        }
    }

    public long contentHash(final int entry)
    {
        return contentHash[entry];
    }

    public void contentHash(final int entry, final long digest)
    {
        contentHash[entry] = digest;
    }

    public long sequence(final int entry)
    {
        return sequence[entry];
    }

    public long timeMs(final int entry)
    {
        return timeMs[entry];
    }

    public int responseCode(final int entry)
    {
        return responseCode[entry];
    }

    public int card(final int entry)
    {
        return card[entry];
    }

    public int account(final int entry)
    {
        return account[entry];
    }

    public long amountApplied(final int entry)
    {
        return amountApplied[entry];
    }

    public boolean hasFlag(final int entry, final byte flag)
    {
        return (flags[entry] & flag) != 0;
    }

    public void addFlag(final int entry, final byte flag)
    {
        flags[entry] |= flag;
    }

    public void clearFlag(final int entry, final byte flag)
    {
        flags[entry] &= (byte)~flag;
    }

    /**
     * @return entries held, expired ones not yet evicted included.
     */
    public int size()
    {
        return (int)(next - oldest);
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * @return entries evicted before their time because the window was full.
     */
    public long overflowEvictions()
    {
        return overflowEvictions;
    }

    /**
     * Saves or loads the whole window (entries, index, positions, counters) for a snapshot. A
     * window to load into must have the saved one's capacity.
     *
     * @param visitor copies the columns out or fills them in.
     */
    public void visitState(final org.unicard.state.StateVisitor visitor)
    {
        oldest = visitor.scalar(oldest);
        next = visitor.scalar(next);
        overflowEvictions = visitor.scalar(overflowEvictions);
        visitor.longs(index);
        visitor.longs(keyTerminal);
        visitor.longs(keySource);
        visitor.longs(keyTransmission);
        visitor.longs(contentHash);
        visitor.longs(timeMs);
        visitor.longs(sequence);
        visitor.longs(retrievalReference);
        visitor.longs(amountApplied);
        visitor.ints(authorizationId);
        visitor.ints(card);
        visitor.bytes(responseCode);
        visitor.bytes(account);
        visitor.bytes(flags);
        visitor.bytes(balanceCount);
        visitor.bytes(balanceAccount);
        visitor.longs(balanceAmount);
    }

    private void evictExpired(final long nowMs, final long windowMs)
    {
        for (int i = 0; i < EXPIRED_EVICTIONS_PER_INSERT && next != oldest; i++)
        {
            if (nowMs - timeMs[(int)(oldest & entryMask)] <= windowMs)
            {
                return;
            }
            evictOldest();
        }
    }

    private void evictUntil(final int entry)
    {
        // Business time is monotonic, so every entry older than an expired one is expired too.
        while (next != oldest)
        {
            final int evicted = (int)(oldest & entryMask);
            evictOldest();
            if (evicted == entry)
            {
                return;
            }
        }
    }

    private int findAny(final long terminalId, final long source, final long transmission)
    {
        // The hash kept in the slot turns away other keys without reading their entries.
        final int hash = hash(terminalId, source, transmission);
        int slot = hash & indexMask;
        long value;
        while ((value = index[slot]) != 0)
        {
            final int entry = (int)value - 1;
            if ((int)(value >>> 32) == hash &&
                keyTerminal[entry] == terminalId && keySource[entry] == source && keyTransmission[entry] == transmission)
            {
                return entry;
            }
            slot = (slot + 1) & indexMask;
        }
        return MISSING;
    }

    private void evictOldest()
    {
        final int entry = (int)(oldest & entryMask);
        oldest++;
        final long value = slotValue(hash(keyTerminal[entry], keySource[entry], keyTransmission[entry]), entry);
        int slot = (int)(value >>> 32) & indexMask;
        while (index[slot] != value)
        {
            slot = (slot + 1) & indexMask;
        }
        deleteSlot(slot);
    }

    private void deleteSlot(final int deleted)
    {
        int hole = deleted;
        int slot = (hole + 1) & indexMask;
        long value;
        while ((value = index[slot]) != 0)
        {
            final int home = (int)(value >>> 32) & indexMask;
            final boolean movable = slot > hole ? (home <= hole || home > slot) : (home <= hole && home > slot);
            if (movable)
            {
                index[hole] = value;
                hole = slot;
            }
            slot = (slot + 1) & indexMask;
        }
        index[hole] = 0;
    }

    private static long slotValue(final int hash, final int entry)
    {
        return ((long)hash << 32) | (entry + 1L);
    }

    private static int hash(final long terminalId, final long source, final long transmission)
    {
        long h = terminalId * 0x9E3779B97F4A7C15L;
        h = (h ^ source) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ transmission) * 0x165667B19E3779F9L;
        return (int)(h ^ (h >>> 29) ^ (h >>> 47));
    }
}
