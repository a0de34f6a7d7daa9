package org.unicard.authorizer;

import java.util.Arrays;

import org.unicard.iso8583.message.Mti;
import org.unicard.metrics.SingleWriterCounter;
import org.unicard.state.StateVisitor;
import org.unicard.time.CairoCalendar;

/**
 * The exactly-once memory of the switch (spec §8): every request the authorizer decided within the
 * window (48 hours by default), keyed by where it came from, its terminal id, STAN, field 7 and
 * message class, so that a retransmission gets the original response again and a reversal finds
 * the debit it undoes.
 * <p>
 * Sized for a country: 48 hours of national traffic is about 70 million requests, so an entry is
 * compact, 24 bytes, and the detail (the key, the content digest and the original answer) is read
 * back from the journal on a hit:
 * <pre>
 *   entries (circular, arrival order)          index (open addressing, 2 slots per entry)
 *   +--------------------+--------------------+     +---------+--------------+----------------+
 *   | key hash (64 bits) | ref                |     | tag (2) | distance (3) | entry + 1 (27) |  int
 *   +--------------------+--------------------+     +---------+--------------+----------------+
 *   ref = sequence (40 bits) | flags (4) &lt;&lt; 40 | business minute mod 2^20 &lt;&lt; 44
 * </pre>
 * An index slot says how far it is from its entry's home slot (0–6, or 7 for "7 or more"), so that
 * the backward shift of a deletion, run once per insert when the window is full, learns where each
 * entry after the hole belongs without reading that entry's hash at a random place in the entries; a
 * lookup skips slots whose distance is not its own as well as those whose tag is not its own.
 * The detail of the last {@link #DETAIL_ENTRIES} requests stays in a ring indexed by sequence, so
 * a retransmission arriving while its original is still on its way to the journal, and the usual
 * retransmission seconds later, never touch the journal. An older entry's detail is read through
 * {@link DecidedRecords}, which the switch points at its journal.
 * <p>
 * Expiry: entries leave in arrival order (business time never goes backwards in the authorizer)
 * once their minute is older than the window; a hit is checked against the exact time in its
 * detail. When the window is full the oldest entry leaves before its time and
 * {@link #overflowEvictions()} counts it, and the field 7 of what left is remembered per source:
 * from then on a request that is not found but whose field 7 is no later than that of the newest
 * early-evicted entry of its own terminal (the same terminal's clock on both sides) might be a
 * retransmission of an evicted request ({@link #possiblyEvicted}), and the authorizer must not
 * decide it again.
 * <p>
 * Nothing allocates after construction. Single-threaded: owned by the authorizer.
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
    /** Flag: a late-original entry whose original has not arrived yet (no answer recorded). */
    private static final byte FLAG_PENDING = 1 << 2;

    /** {@link #find} result: no live entry with that key. */
    public static final int MISSING = -1;
    /** {@link #find} result: an entry matched but its detail could not be read back. */
    public static final int UNREADABLE = -2;

    /** Requests whose detail stays in memory by default (a power of two; must exceed the ring's slots). */
    public static final int DETAIL_ENTRIES = 1 << 16;
    /** Most entries: an index slot holds entry + 1 in 27 bits (about twice 48 hours of national traffic). */
    public static final int MAX_CAPACITY = (1 << 27) - 2;
    /** Least entries. */
    public static final int MIN_CAPACITY = 1;
    /** Bytes of memory per entry: the entry (16) and its two index slots (8). */
    public static final int BYTES_PER_ENTRY = 24;
    /**
     * How far a terminal's field 7 may be from the business clock (ISO 8583 field 7 is GMT; a
     * terminal set to Cairo time is 2–3 hours off): a request not found whose field 7 is within this
     * of an early-evicted entry's time may be its retransmission.
     */
    public static final long CLOCK_SKEW_MS = 3 * 3_600_000L;
    /**
     * Slots of the newest early-evicted field 7 per source (terminal or acquirer link), a power of two:
     * sources that share a slot share the later of their times, which only makes the check stricter.
     */
    public static final int EVICTED_SOURCE_SLOTS = 1 << 16;

    private static final long SEQUENCE_MASK = (1L << 40) - 1;
    private static final int FLAGS_SHIFT = 40;
    private static final long FLAGS_MASK = 0xF;
    private static final int MINUTE_SHIFT = 44;
    private static final long MINUTE_MASK = (1L << 20) - 1;
    private static final int ENTRY_BITS = 27;
    private static final int ENTRY_MASK = (1 << ENTRY_BITS) - 1;
    private static final int DISTANCE_SHIFT = ENTRY_BITS;
    /** Distance field value meaning "this far or farther": the entry's hash tells where its home is. */
    private static final int FAR = 7;
    private static final int TAG_SHIFT = 30;
    /** Snapshot format version from which index slots hold their distance (older ones are rebuilt on load). */
    private static final int FIRST_FORMAT_WITH_DISTANCES = 6;
    private static final int EXPIRED_EVICTIONS_PER_INSERT = 4;
    private static final long MINUTE_MS = 60_000;

    private final int capacity;
    private final long[] entryHash;
    private final long[] entryRef;
    private final int[] index;
    private final int indexSize;
    private int oldestEntry;
    private int nextEntry;
    /** Written by the authorizer thread; read by the metrics scrape (the entries gauge). */
    private final SingleWriterCounter size = new SingleWriterCounter();
    /** Authorizer thread writes; the metrics scrape reads (release stores, acquire loads). */
    private final SingleWriterCounter overflowEvictions = new SingleWriterCounter();
    private final SingleWriterCounter unmatchable = new SingleWriterCounter();
    /** Business time (end of its minute) of the newest entry evicted before its time, or MIN_VALUE. */
    private long evictedHorizonMs = Long.MIN_VALUE;
    /** Per source slot, the latest field 7 (as an instant) of an entry evicted before its time, or MIN_VALUE. */
    private final long[] evictedSentMs = new long[EVICTED_SOURCE_SLOTS];
    private boolean evictedEarly;

    private final long[] detailSequence;
    private final long[] detailTerminal;
    private final long[] detailSource;
    private final long[] detailTransmission;
    private final long[] detailContentHash;
    private final long[] detailTimeMs;
    private final long[] detailRetrievalReference;
    private final long[] detailAmountApplied;
    private final int[] detailAuthorizationId;
    private final int[] detailCard;
    private final byte[] detailResponseCode;
    private final byte[] detailAccount;
    private final byte[] detailBalanceCount;
    private final byte[] detailBalanceAccount;
    private final long[] detailBalanceAmount;
    private final int detailMask;

    private DecidedRecords records;
    private final AuthRequest readRequest = new AuthRequest();
    private final AuthOutcome readOutcome = new AuthOutcome();

    /** The detail of the entry {@link #find} last returned. */
    private final Detail found = new Detail();
    /** The detail of an entry being evicted early (kept apart from {@link #found}, which callers read). */
    private final Detail evicted = new Detail();

    /** One entry's detail, read from the ring or the journal. */
    private static final class Detail
    {
        long terminal;
        long source;
        long transmission;
        long contentHash;
        long timeMs;
        long sequence;
        long retrievalReference;
        long amountApplied;
        int authorizationId;
        int card;
        int responseCode;
        int account;
        int balanceCount;
        final int[] balanceAccount = new int[AuthOutcome.MAX_BALANCES];
        final long[] balanceAmount = new long[AuthOutcome.MAX_BALANCES];
    }

    /**
     * @param capacityEntries the most entries held at once (exact).
     */
    public DuplicateWindow(final int capacityEntries)
    {
        this(capacityEntries, DETAIL_ENTRIES);
    }

    /**
     * @param capacityEntries the most entries held at once (exact).
     * @param detailEntries   requests whose detail stays in memory: a power of two, at least 16
     *                        (tests make it small to read details back from a journal).
     */
    public DuplicateWindow(final int capacityEntries, final int detailEntries)
    {
        if (capacityEntries < MIN_CAPACITY || capacityEntries > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("capacityEntries=" + capacityEntries + " range=[" + MIN_CAPACITY + "," + MAX_CAPACITY + "]");
        }
        if (detailEntries < 16 || Integer.bitCount(detailEntries) != 1)
        {
            throw new IllegalArgumentException("detailEntries=" + detailEntries + " expected a power of two >= 16");
        }
        capacity = capacityEntries;
        entryHash = new long[capacity];
        entryRef = new long[capacity];
        indexSize = capacity * 2;
        index = new int[indexSize];
        detailMask = detailEntries - 1;
        detailSequence = new long[detailEntries];
        detailTerminal = new long[detailEntries];
        detailSource = new long[detailEntries];
        detailTransmission = new long[detailEntries];
        detailContentHash = new long[detailEntries];
        detailTimeMs = new long[detailEntries];
        detailRetrievalReference = new long[detailEntries];
        detailAmountApplied = new long[detailEntries];
        detailAuthorizationId = new int[detailEntries];
        detailCard = new int[detailEntries];
        detailResponseCode = new byte[detailEntries];
        detailAccount = new byte[detailEntries];
        detailBalanceCount = new byte[detailEntries];
        detailBalanceAccount = new byte[detailEntries * AuthOutcome.MAX_BALANCES];
        detailBalanceAmount = new long[detailEntries * AuthOutcome.MAX_BALANCES];
        Arrays.fill(detailSequence, -1);
        Arrays.fill(evictedSentMs, Long.MIN_VALUE);
    }

    /**
     * Points the window at the journal it reads old entries' detail from. Without one, an entry
     * whose detail has left the in-memory ring is {@link #UNREADABLE}.
     */
    public void records(final DecidedRecords decidedRecords)
    {
        records = decidedRecords;
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
     * @return the duplicate window's message class of an MTI the authorizer decides, else 0.
     */
    public static int messageClass(final int mti)
    {
        return switch (mti)
        {
            case Mti.AUTHORIZATION_REQUEST -> CLASS_AUTHORIZATION;
            case Mti.FINANCIAL_REQUEST -> CLASS_FINANCIAL;
            case Mti.REVERSAL_REQUEST, Mti.REVERSAL_ADVICE -> CLASS_REVERSAL;
            default -> 0;
        };
    }

    /**
     * Looks a key up and, when a live entry holds it, reads that entry's detail (the accessors
     * {@code found…} and {@link #answerAgain} then describe it, until the next call).
     *
     * @return the entry, {@link #MISSING}, or {@link #UNREADABLE} when an entry with the key's hash
     * is live but its detail cannot be read back.
     */
    public int find(final long terminalId, final long source, final long transmission, final long nowMs, final long windowMs)
    {
        final long hash = hash(terminalId, source, transmission);
        final int tagBits = tag(hash) << TAG_SHIFT;
        int slot = home(hash);
        int distance = 0;
        int value;
        while ((value = index[slot]) != 0)
        {
            final int entry = (value & ENTRY_MASK) - 1;
            // Only a slot with this key's tag, at this key's distance from its home, can hold it.
            if ((value & ~ENTRY_MASK) == (tagBits | (distance << DISTANCE_SHIFT)) && entryHash[entry] == hash &&
                !expiredByMinute(entry, nowMs, windowMs))
            {
                if (!load(entry, terminalId, source, transmission))
                {
                    return UNREADABLE;
                }
                if (found.terminal == terminalId && found.source == source && found.transmission == transmission &&
                    nowMs - found.timeMs <= windowMs)
                {
                    return entry;
                }
            }
            slot = next(slot);
            distance = Math.min(distance + 1, FAR);
        }
        return MISSING;
    }

    /**
     * @return the index slot a key's search starts at (for replay's prefetching, which computes a
     * batch's slots first and then reads them in a loop of loads alone, {@link #touchSlot}).
     */
    public int homeSlot(final long terminalId, final long source, final long transmission)
    {
        return home(hash(terminalId, source, transmission));
    }

    /**
     * @param slot a value {@link #homeSlot} returned.
     * @return the slot's content, of no meaning to the caller.
     */
    public int touchSlot(final int slot)
    {
        return index[slot];
    }

    /**
     * Reads, changing nothing, the index slots of the {@code count} oldest entries: the next ones to
     * leave the window, whose slots an insert must find and clear (for replay's prefetching; the
     * entries are read in order, their slots at random).
     *
     * @return a value of no meaning, so the loads are not optimised away.
     */
    long probeOldest(final int count)
    {
        long sink = 0;
        int entry = oldestEntry;
        final long entries = Math.min(count, size.get());
        for (int i = 0; i < entries; i++)
        {
            sink += index[home(entryHash[entry])];
            entry = entry + 1 == capacity ? 0 : entry + 1;
        }
        return sink;
    }

    /**
     * Reads, changing nothing, the index slots of the entries the next {@code inserts} inserts will
     * evict ({@link #evictionsAhead}), for replay's prefetching.
     *
     * @param nowMs the latest time among those inserts.
     * @return a value of no meaning, so the loads are not optimised away.
     */
    public long probeEvictions(final int inserts, final long nowMs, final long windowMs)
    {
        return probeOldest(evictionsAhead(inserts, nowMs, windowMs));
    }

    /**
     * How many of the oldest entries the next {@code inserts} inserts may evict: those expired by
     * {@code nowMs} (an insert evicts up to four of them, so at each minute's turn a whole minute of
     * entries leaves four an insert), then, where the window would overflow, one an insert. Reads
     * the oldest entries' times in order.
     *
     * @param nowMs the latest time among those inserts.
     */
    int evictionsAhead(final int inserts, final long nowMs, final long windowMs)
    {
        final long live = size.get();
        final long mostExpired = Math.min(live, (long)inserts * EXPIRED_EVICTIONS_PER_INSERT);
        int entry = oldestEntry;
        long expired = 0;
        while (expired < mostExpired && expiredByMinute(entry, nowMs, windowMs))
        {
            expired++;
            entry = entry + 1 == capacity ? 0 : entry + 1;
        }
        final long overflow = Math.max(0, Math.min(inserts, live - expired + inserts - capacity));
        return (int)Math.min(live, expired + overflow);
    }

    /**
     * Records a decided request. The key must not be live (callers {@link #find} first).
     *
     * @param digest     the request's content digest (0 for a late-original entry).
     * @param outcome    the answer; a late-original entry passes the reversal's outcome with
     *                   {@link ResponseCode#NONE} as its code.
     * @param entryFlags {@link #FLAG_LATE_ORIGINAL} or 0.
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
        if (size.get() == capacity)
        {
            final int evicted = oldestEntry;
            rememberEvicted(evicted, nowMs);
            evictOldest();
            overflowEvictions.increment();
        }
        final int entry = nextEntry;
        nextEntry = nextEntry + 1 == capacity ? 0 : nextEntry + 1;
        size.increment();
        final long hash = hash(terminalId, source, transmission);
        final byte flags = outcome.responseCode == ResponseCode.NONE ? (byte)(entryFlags | FLAG_PENDING) : entryFlags;
        entryHash[entry] = hash;
        entryRef[entry] = ref(outcome.sequence, flags, nowMs);
        place(hash, entry);
        if ((flags & FLAG_PENDING) == 0)
        {
            // A pending late-original entry shares its sequence with the reversal that made it, whose detail the slot keeps.
            keepDetail(outcome.sequence, terminalId, source, transmission, digest, nowMs, outcome);
        }
        return entry;
    }

    /**
     * The late original of a reversal arrived (the entry {@link #find} returned is a pending
     * late-original entry): its answer and digest become the entry's.
     */
    public void answerLateOriginal(final int entry, final long digest, final long nowMs, final AuthOutcome outcome)
    {
        final long flags = ((entryRef[entry] >>> FLAGS_SHIFT) & FLAGS_MASK) & ~FLAG_PENDING;
        entryRef[entry] = (entryRef[entry] & ~(SEQUENCE_MASK | (FLAGS_MASK << FLAGS_SHIFT))) |
            (outcome.sequence & SEQUENCE_MASK) | (flags << FLAGS_SHIFT);
        keepDetail(outcome.sequence, found.terminal, found.source, found.transmission, digest, nowMs, outcome);
    }

    /**
     * Fills an outcome with the answer kept for the entry {@link #find} returned, as a
     * retransmission of it.
     */
    public void answerAgain(final AuthOutcome outcome)
    {
        outcome.duplicateOf = found.sequence;
        outcome.responseCode = found.responseCode;
        outcome.authorizationId = found.authorizationId;
        outcome.retrievalReference = found.retrievalReference;
        outcome.card = found.card;
        outcome.balanceCount = 0;
        for (int i = 0; i < found.balanceCount; i++)
        {
            outcome.addBalance(found.balanceAccount[i], found.balanceAmount[i]);
        }
    }

    /** @return the found entry's content digest. */
    public long foundContentHash()
    {
        return found.contentHash;
    }

    /** @return the found entry's answer's sequence. */
    public long foundSequence()
    {
        return found.sequence;
    }

    /** @return the found entry's business time of decision. */
    public long foundTimeMs()
    {
        return found.timeMs;
    }

    /** @return the found entry's response code ({@link ResponseCode#NONE} for a pending late original). */
    public int foundResponseCode()
    {
        return found.responseCode;
    }

    /** @return the found entry's card. */
    public int foundCard()
    {
        return found.card;
    }

    /** @return the found entry's account changed (0 when none). */
    public int foundAccount()
    {
        return found.account;
    }

    /** @return the found entry's signed change to that account. */
    public long foundAmountApplied()
    {
        return found.amountApplied;
    }

    public boolean hasFlag(final int entry, final byte flag)
    {
        return ((entryRef[entry] >>> FLAGS_SHIFT) & flag) != 0;
    }

    public void addFlag(final int entry, final byte flag)
    {
        entryRef[entry] |= ((long)flag & FLAGS_MASK) << FLAGS_SHIFT;
    }

    /**
     * @param terminalId   field 41 of a request that was not found.
     * @param sourceType   its source kind.
     * @param sourceIndex  its terminal or acquirer index.
     * @param transmission its field 7 (MMDDhhmmss).
     * @param nowMs        the business time.
     * @return whether the request might be the retransmission of an entry evicted before its time:
     * its field 7 is no later than that of the newest such entry of the same source (or, for entries
     * whose detail could not be read back, no later than their time plus {@link #CLOCK_SKEW_MS}).
     */
    public boolean possiblyEvicted(
        final long terminalId, final int sourceType, final int sourceIndex, final long transmission, final long nowMs)
    {
        if (!evictedEarly)
        {
            return false;
        }
        final long sentMs = transmissionTimeMs(transmission, nowMs);
        if (sentMs == Long.MIN_VALUE)
        {
            return true;
        }
        return sentMs <= evictedSentMs[sourceSlot(terminalId, sourceType, sourceIndex)] ||
            evictedHorizonMs != Long.MIN_VALUE && sentMs <= evictedHorizonMs + CLOCK_SKEW_MS;
    }

    /**
     * An entry leaves before its time: its source's newest early-evicted field 7 moves up to its own
     * (read from its detail, in the ring or the journal; eviction runs in arrival order, so the
     * journal is read sequentially). An entry whose detail cannot be read moves the time horizon
     * instead, checked with the clock skew allowed.
     */
    private void rememberEvicted(final int entry, final long nowMs)
    {
        evictedEarly = true;
        final long sequence = entryRef[entry] & SEQUENCE_MASK;
        final Detail d = evicted;
        if (!loadDetail(sequence, d))
        {
            evictedHorizonMs = Math.max(evictedHorizonMs, endOfMinuteMs(entry, nowMs));
            return;
        }
        final long sentMs = transmissionTimeMs(d.transmission, d.timeMs);
        if (sentMs == Long.MIN_VALUE)
        {
            evictedHorizonMs = Math.max(evictedHorizonMs, endOfMinuteMs(entry, nowMs));
            return;
        }
        final int source = sourceSlot(d.terminal, (int)(d.source >>> 56), (int)(d.source >>> 24) & 0xFF_FFFF);
        evictedSentMs[source] = Math.max(evictedSentMs[source], sentMs);
    }

    private static int sourceSlot(final long terminalId, final int sourceType, final int sourceIndex)
    {
        long h = terminalId * 0x9E3779B97F4A7C15L;
        h = (h ^ (((long)sourceType << 32) | sourceIndex)) * 0xC2B2AE3D27D4EB4FL;
        return (int)(h ^ (h >>> 32)) & (EVICTED_SOURCE_SLOTS - 1);
    }

    /** Counts a request answered without a decision because it could not be matched safely. */
    public void countUnmatchable()
    {
        unmatchable.increment();
    }

    /**
     * @return requests not decided because the window could not tell whether they were
     * retransmissions (early eviction, or a detail that could not be read back).
     */
    public long unmatchable()
    {
        return unmatchable.get();
    }

    /**
     * @return entries held, expired ones not yet evicted included.
     */
    public int size()
    {
        return (int)size.get();
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
        return overflowEvictions.get();
    }

    /**
     * Saves or loads the whole window (entries, index, detail ring, positions, counters) for a
     * snapshot. A window to load into must have the saved one's capacity.
     *
     * @param visitor copies the columns out or fills them in.
     */
    public void visitState(final StateVisitor visitor)
    {
        oldestEntry = (int)visitor.scalar(oldestEntry);
        nextEntry = (int)visitor.scalar(nextEntry);
        size.set((int)visitor.scalar(size.get()));
        overflowEvictions.set(visitor.scalar(overflowEvictions.get()));
        unmatchable.set(visitor.scalar(unmatchable.get()));
        evictedHorizonMs = visitor.scalar(evictedHorizonMs);
        evictedEarly = visitor.scalar(evictedEarly ? 1 : 0) != 0;
        visitor.longs(evictedSentMs);
        visitor.longs(entryHash);
        visitor.longs(entryRef);
        visitor.ints(index);
        if (visitor.formatVersion() < FIRST_FORMAT_WITH_DISTANCES)
        {
            rebuildIndex();
        }
        visitor.longs(detailSequence);
        visitor.longs(detailTerminal);
        visitor.longs(detailSource);
        visitor.longs(detailTransmission);
        visitor.longs(detailContentHash);
        visitor.longs(detailTimeMs);
        visitor.longs(detailRetrievalReference);
        visitor.longs(detailAmountApplied);
        visitor.ints(detailAuthorizationId);
        visitor.ints(detailCard);
        visitor.bytes(detailResponseCode);
        visitor.bytes(detailAccount);
        visitor.bytes(detailBalanceCount);
        visitor.bytes(detailBalanceAccount);
        visitor.longs(detailBalanceAmount);
    }

    private void keepDetail(
        final long sequence,
        final long terminalId,
        final long source,
        final long transmission,
        final long digest,
        final long nowMs,
        final AuthOutcome outcome)
    {
        final int slot = (int)(sequence & detailMask);
        detailSequence[slot] = sequence;
        detailTerminal[slot] = terminalId;
        detailSource[slot] = source;
        detailTransmission[slot] = transmission;
        detailContentHash[slot] = digest;
        detailTimeMs[slot] = nowMs;
        detailRetrievalReference[slot] = outcome.retrievalReference;
        detailAmountApplied[slot] = outcome.amountApplied;
        detailAuthorizationId[slot] = outcome.authorizationId;
        detailCard[slot] = outcome.card;
        detailResponseCode[slot] = (byte)outcome.responseCode;
        detailAccount[slot] = (byte)outcome.account;
        final int count = outcome.balanceCount;
        detailBalanceCount[slot] = (byte)count;
        final int base = slot * AuthOutcome.MAX_BALANCES;
        for (int i = 0; i < count; i++)
        {
            detailBalanceAccount[base + i] = (byte)outcome.balanceAccount[i];
            detailBalanceAmount[base + i] = outcome.balanceAmount[i];
        }
    }

    /**
     * Reads an entry's detail into {@link #found}, from the ring or else the journal. A pending
     * late-original entry has the sequence of the reversal that made it: its time is that
     * reversal's, its key is known by its 64-bit hash alone (the one the caller looks up), its
     * digest is 0 and it has no answer yet.
     */
    private boolean load(final int entry, final long terminalId, final long source, final long transmission)
    {
        final long ref = entryRef[entry];
        final long sequence = ref & SEQUENCE_MASK;
        if (!loadDetail(sequence, found))
        {
            return false;
        }
        if (((ref >>> FLAGS_SHIFT) & FLAG_PENDING) != 0)
        {
            found.terminal = terminalId;
            found.source = source;
            found.transmission = transmission;
            found.contentHash = 0;
            found.responseCode = ResponseCode.NONE;
        }
        return true;
    }

    /** Reads the detail of a sequence into {@code into}: from the ring, else from the journal. */
    private boolean loadDetail(final long sequence, final Detail into)
    {
        final int slot = (int)(sequence & detailMask);
        if (detailSequence[slot] == sequence)
        {
            loadFromRing(slot, into);
            return true;
        }
        if (records != null && records.read(sequence, readRequest, readOutcome) && readOutcome.sequence == sequence)
        {
            loadFromRecord(into);
            return true;
        }
        return false;
    }

    private void loadFromRing(final int slot, final Detail d)
    {
        d.sequence = detailSequence[slot];
        d.terminal = detailTerminal[slot];
        d.source = detailSource[slot];
        d.transmission = detailTransmission[slot];
        d.contentHash = detailContentHash[slot];
        d.timeMs = detailTimeMs[slot];
        d.retrievalReference = detailRetrievalReference[slot];
        d.amountApplied = detailAmountApplied[slot];
        d.authorizationId = detailAuthorizationId[slot];
        d.card = detailCard[slot];
        d.responseCode = detailResponseCode[slot];
        d.account = detailAccount[slot];
        d.balanceCount = detailBalanceCount[slot];
        final int base = slot * AuthOutcome.MAX_BALANCES;
        for (int i = 0; i < d.balanceCount; i++)
        {
            d.balanceAccount[i] = detailBalanceAccount[base + i];
            d.balanceAmount[i] = detailBalanceAmount[base + i];
        }
    }

    /** Fills {@link #found} from a journaled request and outcome, as {@link #keepDetail} would have kept it. */
    private void loadFromRecord(final Detail d)
    {
        final AuthRequest request = readRequest;
        final AuthOutcome outcome = readOutcome;
        d.sequence = outcome.sequence;
        d.terminal = request.terminalId;
        d.source = sourceKey(request.sourceType, request.sourceIndex, messageClass(request.mti), request.stan);
        d.transmission = request.transmissionDateTime;
        d.contentHash = request.contentHash;
        d.timeMs = request.businessTimeMs;
        d.retrievalReference = outcome.retrievalReference;
        d.amountApplied = outcome.amountApplied;
        d.authorizationId = outcome.authorizationId;
        d.card = outcome.card;
        d.responseCode = outcome.responseCode;
        d.account = outcome.account;
        d.balanceCount = outcome.balanceCount;
        for (int i = 0; i < d.balanceCount; i++)
        {
            d.balanceAccount[i] = outcome.balanceAccount[i];
            d.balanceAmount[i] = outcome.balanceAmount[i];
        }
    }

    private void evictExpired(final long nowMs, final long windowMs)
    {
        for (int i = 0; i < EXPIRED_EVICTIONS_PER_INSERT && size.get() > 0; i++)
        {
            if (!expiredByMinute(oldestEntry, nowMs, windowMs))
            {
                return;
            }
            evictOldest();
        }
    }

    /**
     * Whole minutes, counted so that an entry is never dropped early: it is kept while its minute is
     * within the window's minutes (rounded up) of the current one, up to a minute longer than the
     * window; {@link #find} checks the exact time of a hit.
     */
    private boolean expiredByMinute(final int entry, final long nowMs, final long windowMs)
    {
        final long entryMinute = entryRef[entry] >>> MINUTE_SHIFT;
        final long age = ((nowMs / MINUTE_MS) - entryMinute) & MINUTE_MASK;
        return age > (windowMs + MINUTE_MS - 1) / MINUTE_MS;
    }

    private long endOfMinuteMs(final int entry, final long nowMs)
    {
        final long nowMinute = nowMs / MINUTE_MS;
        final long age = (nowMinute - (entryRef[entry] >>> MINUTE_SHIFT)) & MINUTE_MASK;
        return (nowMinute - age + 1) * MINUTE_MS - 1;
    }

    private void evictOldest()
    {
        final int entry = oldestEntry;
        oldestEntry = oldestEntry + 1 == capacity ? 0 : oldestEntry + 1;
        size.add(-1);
        int slot = home(entryHash[entry]);
        while ((index[slot] & ENTRY_MASK) != entry + 1)
        {
            slot = next(slot);
        }
        deleteSlot(slot);
    }

    private void deleteSlot(final int deleted)
    {
        int hole = deleted;
        int slot = next(hole);
        int value;
        while ((value = index[slot]) != 0)
        {
            final int distance = (value >>> DISTANCE_SHIFT) & FAR;
            final int entry = (value & ENTRY_MASK) - 1;
            // The slot's distance gives its entry's home; only a FAR one needs the entry's hash.
            final int home = distance < FAR ? back(slot, distance) : home(entryHash[entry]);
            final boolean movable = slot > hole ? (home <= hole || home > slot) : (home <= hole && home > slot);
            if (movable)
            {
                index[hole] = (value & ~(FAR << DISTANCE_SHIFT)) | (Math.min(forward(home, hole), FAR) << DISTANCE_SHIFT);
                hole = slot;
            }
            slot = next(slot);
        }
        index[hole] = 0;
    }

    /** Builds the index again from the live entries, oldest first (loading a snapshot of the older slot layout). */
    private void rebuildIndex()
    {
        Arrays.fill(index, 0);
        int entry = oldestEntry;
        for (long i = size.get(); i > 0; i--)
        {
            place(entryHash[entry], entry);
            entry = entry + 1 == capacity ? 0 : entry + 1;
        }
    }

    /** Puts an entry in the first free index slot from its home on. */
    private void place(final long hash, final int entry)
    {
        int slot = home(hash);
        int distance = 0;
        while (index[slot] != 0)
        {
            slot = next(slot);
            distance++;
        }
        index[slot] = slotValue(hash, distance, entry);
    }

    /**
     * Checks that every occupied index slot's distance is its entry's (for tests).
     *
     * @return the first slot whose distance is wrong, or -1.
     */
    int firstWrongDistance()
    {
        for (int slot = 0; slot < indexSize; slot++)
        {
            final int value = index[slot];
            if (value != 0 &&
                ((value >>> DISTANCE_SHIFT) & FAR) != Math.min(forward(home(entryHash[(value & ENTRY_MASK) - 1]), slot), FAR))
            {
                return slot;
            }
        }
        return -1;
    }

    /** Slots from {@code from} forward to {@code to}, wrapping around the index. */
    private int forward(final int from, final int to)
    {
        return to >= from ? to - from : to + indexSize - from;
    }

    /** The slot {@code distance} slots before {@code slot}, wrapping around the index. */
    private int back(final int slot, final int distance)
    {
        return slot >= distance ? slot - distance : slot + indexSize - distance;
    }

    private static int slotValue(final long hash, final int distance, final int entry)
    {
        return (tag(hash) << TAG_SHIFT) | (Math.min(distance, FAR) << DISTANCE_SHIFT) | (entry + 1);
    }

    private int next(final int slot)
    {
        return slot + 1 == indexSize ? 0 : slot + 1;
    }

    private int home(final long hash)
    {
        // Lemire's multiply-shift: the high 32 bits of the hash scaled to the index size.
        return (int)(((hash >>> 32) * indexSize) >>> 32);
    }

    private static int tag(final long hash)
    {
        return (int)(hash & 0x3);
    }

    private static long ref(final long sequence, final byte flags, final long nowMs)
    {
        return (sequence & SEQUENCE_MASK) | (((long)flags & FLAGS_MASK) << FLAGS_SHIFT) |
            (((nowMs / MINUTE_MS) & MINUTE_MASK) << MINUTE_SHIFT);
    }

    private static long hash(final long terminalId, final long source, final long transmission)
    {
        long h = terminalId * 0x9E3779B97F4A7C15L;
        h = (h ^ source) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ transmission) * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 32);
    }

    /**
     * @param transmission field 7, MMDDhhmmss in GMT.
     * @param nowMs        the business time, which fixes the year (the one that puts the instant
     *                     nearest to now).
     * @return the instant, or {@link Long#MIN_VALUE} when field 7 is not a valid date and time.
     */
    static long transmissionTimeMs(final long transmission, final long nowMs)
    {
        final int second = (int)(transmission % 100);
        final int minute = (int)(transmission / 100 % 100);
        final int hour = (int)(transmission / 10_000 % 100);
        final int day = (int)(transmission / 1_000_000 % 100);
        final int month = (int)(transmission / 100_000_000 % 100);
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || transmission < 0)
        {
            return Long.MIN_VALUE;
        }
        final int year = Math.floorDiv(CairoCalendar.monthOfDay((int)Math.floorDiv(nowMs, 86_400_000L)), 12);
        long best = Long.MIN_VALUE;
        for (int y = year - 1; y <= year + 1; y++)
        {
            final long dayNumber = CairoCalendar.firstDayOfMonth(y * 12 + month - 1) + day - 1L;
            final long ms = dayNumber * 86_400_000L + hour * 3_600_000L + minute * 60_000L + second * 1_000L;
            if (best == Long.MIN_VALUE || Math.abs(ms - nowMs) < Math.abs(best - nowMs))
            {
                best = ms;
            }
        }
        return best;
    }
}
