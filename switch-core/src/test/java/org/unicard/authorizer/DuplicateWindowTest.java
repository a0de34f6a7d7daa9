package org.unicard.authorizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unicard.testing.StateCapture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The duplicate window against a model: capacity, overflow eviction, expiry by whole minutes with
 * exact hits, re-use of an expired key and backward-shift deletion in the hash index, under seeded
 * random sequences; the detail read back from the records when it has left the in-memory ring; and
 * the early-eviction zone.
 */
class DuplicateWindowTest
{
    private static final long WINDOW_MS = 600_000;
    private static final long MINUTE_MS = 60_000;

    private record Key(long terminal, long source, long transmission)
    {
    }

    private record Held(Key key, long timeMs, long sequence)
    {
    }

    /** The reference: entries in arrival order with the same eviction rules. */
    private static final class Model
    {
        private final int capacity;
        private final ArrayDeque<Held> order = new ArrayDeque<>();
        private long overflowEvictions;

        Model(final int capacity)
        {
            this.capacity = capacity;
        }

        Held find(final Key key, final long nowMs)
        {
            for (final Held held : order)
            {
                if (held.key().equals(key) && nowMs - held.timeMs() <= WINDOW_MS)
                {
                    return held;
                }
            }
            return null;
        }

        void insert(final Key key, final long nowMs, final long sequence)
        {
            for (int i = 0; i < 4 && !order.isEmpty(); i++)
            {
                final long age = nowMs / MINUTE_MS - order.peekFirst().timeMs() / MINUTE_MS;
                if (age <= (WINDOW_MS + MINUTE_MS - 1) / MINUTE_MS)
                {
                    break;
                }
                order.pollFirst();
            }
            if (order.size() == capacity)
            {
                order.pollFirst();
                overflowEvictions++;
            }
            order.addLast(new Held(key, nowMs, sequence));
        }
    }

    /** Decided requests kept as a journal would keep them, by sequence. */
    private static final class Records implements DecidedRecords
    {
        final Map<Long, AuthRequest> requests = new HashMap<>();
        final Map<Long, AuthOutcome> outcomes = new HashMap<>();
        int reads;

        void add(final Key key, final long digest, final long timeMs, final AuthOutcome outcome)
        {
            final AuthRequest request = new AuthRequest();
            request.clear();
            request.terminalId = key.terminal();
            request.sourceType = (byte)(key.source() >>> 56);
            request.sourceIndex = (int)(key.source() >>> 24) & 0xFF_FFFF;
            request.stan = (int)key.source() & 0xFF_FFFF;
            request.mti = 200;
            request.transmissionDateTime = key.transmission();
            request.contentHash = digest;
            request.businessTimeMs = timeMs;
            final AuthOutcome copy = new AuthOutcome();
            copy.copyFrom(outcome);
            requests.put(outcome.sequence, request);
            outcomes.put(outcome.sequence, copy);
        }

        @Override
        public boolean read(final long sequence, final AuthRequest request, final AuthOutcome outcome)
        {
            reads++;
            final AuthRequest kept = requests.get(sequence);
            if (kept == null)
            {
                return false;
            }
            request.copyFrom(kept);
            outcome.copyFrom(outcomes.get(sequence));
            return true;
        }
    }

    private static long source(final int stan)
    {
        return DuplicateWindow.sourceKey(1, 0, DuplicateWindow.CLASS_FINANCIAL, stan);
    }

    private static AuthOutcome outcome(final long sequence)
    {
        final AuthOutcome outcome = new AuthOutcome();
        outcome.clear();
        outcome.sequence = sequence;
        outcome.responseCode = (int)(sequence % 100);
        outcome.authorizationId = (int)(sequence % 1_000_000);
        outcome.retrievalReference = sequence * 7;
        outcome.card = (int)(sequence % 13);
        outcome.addBalance(91, sequence);
        return outcome;
    }

    @ParameterizedTest(name = "seed={0} capacity={1} keys={2} detail={3}")
    @CsvSource({"1,8,24,16", "2,8,200,16", "3,64,100,16", "4,64,2000,65536", "5,1,5,16", "6,16,16,16", "7,256,600,16",
        "8,300,900,1024"})
    void shouldBehaveLikeTheModelUnderRandomInsertsFindsAndExpiry(final long seed, final int capacity, final int keySpace,
        final int detail)
    {
        final Random random = new Random(seed);
        final DuplicateWindow window = new DuplicateWindow(capacity, detail);
        final Records records = new Records();
        window.records(records);
        final Model model = new Model(window.capacity());
        final Key[] keys = new Key[keySpace];
        for (int i = 0; i < keySpace; i++)
        {
            // Few terminals and field-7 values so keys share parts; STANs collide across source types.
            keys[i] = new Key(1 + random.nextInt(3), DuplicateWindow.sourceKey(1 + random.nextInt(2), random.nextInt(4),
                DuplicateWindow.CLASS_FINANCIAL, random.nextInt(keySpace)), random.nextInt(3));
        }
        final AuthOutcome answer = new AuthOutcome();
        long nowMs = 1_000_000;
        for (int step = 1; step <= 5_000; step++)
        {
            nowMs += random.nextInt(10) == 0 ? WINDOW_MS + random.nextInt(100_000) : random.nextInt((int)(WINDOW_MS / 20));
            final Key key = keys[random.nextInt(keySpace)];
            final int found = window.find(key.terminal(), key.source(), key.transmission(), nowMs, WINDOW_MS);
            final Held expected = model.find(key, nowMs);
            assertEquals(expected != null, found >= 0, "step=" + step + " key=" + key);
            if (found >= 0)
            {
                answer.clear();
                window.answerAgain(answer);
                assertEquals(expected.sequence(), answer.duplicateOf, "step=" + step);
                assertEquals(expected.sequence(), answer.balanceAmount[0], "step=" + step);
                assertEquals(expected.sequence() * 31, window.foundContentHash(), "step=" + step);
                assertEquals(expected.timeMs(), window.foundTimeMs(), "step=" + step);
            }
            else
            {
                final AuthOutcome decided = outcome(step);
                window.insert(key.terminal(), key.source(), key.transmission(), step * 31L, nowMs, WINDOW_MS, decided, (byte)0);
                records.add(key, step * 31L, nowMs, decided);
                model.insert(key, nowMs, step);
            }
            assertEquals(model.order.size(), window.size(), "step=" + step);
            assertEquals(model.overflowEvictions, window.overflowEvictions(), "step=" + step);
            if (step % 97 == 0)
            {
                assertEquals(-1, window.firstWrongDistance(), "step=" + step + ": an index slot's distance from its home is wrong");
                for (final Held held : model.order)
                {
                    final Key k = held.key();
                    final int entry = window.find(k.terminal(), k.source(), k.transmission(), nowMs, WINDOW_MS);
                    assertEquals(model.find(k, nowMs) != null, entry >= 0, "step=" + step + " held key=" + k);
                }
            }
        }
        if (detail < capacity && keySpace > detail)
        {
            assertTrue(records.reads > 0, "the detail of old entries must have been read back from the records");
        }
    }

    @Test
    void shouldFindAnEntryWithinTheWindowAndNotAfter()
    {
        final DuplicateWindow window = new DuplicateWindow(16);
        window.insert(1, 2, 3, 99, 10_000, WINDOW_MS, outcome(5), (byte)0);

        assertTrue(window.find(1, 2, 3, 10_000 + WINDOW_MS, WINDOW_MS) >= 0);
        assertEquals(DuplicateWindow.MISSING, window.find(1, 2, 3, 10_000 + WINDOW_MS + 1, WINDOW_MS));
    }

    @Test
    void shouldNotFindAKeyDifferingInAnyPart()
    {
        final DuplicateWindow window = new DuplicateWindow(16);
        window.insert(1, 2, 3, 99, 10_000, WINDOW_MS, outcome(5), (byte)0);

        assertEquals(DuplicateWindow.MISSING, window.find(9, 2, 3, 10_000, WINDOW_MS));
        assertEquals(DuplicateWindow.MISSING, window.find(1, 9, 3, 10_000, WINDOW_MS));
        assertEquals(DuplicateWindow.MISSING, window.find(1, 2, 9, 10_000, WINDOW_MS));
    }

    @Test
    void shouldKeepTheContentHashAndAnswer()
    {
        final DuplicateWindow window = new DuplicateWindow(16);
        final AuthOutcome recorded = outcome(42);
        recorded.account = 94;
        recorded.amountApplied = -500;
        recorded.addBalance(94, 123);
        final int entry = window.insert(1, 2, 3, 0xABCDL, 10_000, WINDOW_MS, recorded, (byte)0);
        final AuthOutcome answer = new AuthOutcome();
        answer.clear();

        assertEquals(entry, window.find(1, 2, 3, 10_000, WINDOW_MS));
        window.answerAgain(answer);

        assertEquals(0xABCDL, window.foundContentHash());
        assertEquals(42, answer.duplicateOf);
        assertEquals(recorded.responseCode, answer.responseCode);
        assertEquals(recorded.authorizationId, answer.authorizationId);
        assertEquals(recorded.retrievalReference, answer.retrievalReference);
        assertEquals(recorded.card, answer.card);
        assertEquals(2, answer.balanceCount);
        assertEquals(94, answer.balanceAccount[1]);
        assertEquals(123, answer.balanceAmount[1]);
        assertEquals(94, window.foundAccount());
        assertEquals(-500, window.foundAmountApplied());
        assertEquals(10_000, window.foundTimeMs());
    }

    @Test
    void shouldReadTheDetailBackFromTheRecordsOnceItLeftTheRing()
    {
        final DuplicateWindow window = new DuplicateWindow(1_000, 16);
        final Records records = new Records();
        window.records(records);
        for (int i = 1; i <= 40; i++)
        {
            final AuthOutcome decided = outcome(i);
            decided.account = 91;
            decided.amountApplied = -i;
            window.insert(1, source(i), 3, i * 31L, 10_000 + i, WINDOW_MS, decided, (byte)0);
            records.add(new Key(1, source(i), 3), i * 31L, 10_000 + i, decided);
        }
        final AuthOutcome answer = new AuthOutcome();
        answer.clear();

        assertTrue(window.find(1, source(7), 3, 20_000, WINDOW_MS) >= 0);
        window.answerAgain(answer);

        assertEquals(1, records.reads);
        assertEquals(7, answer.duplicateOf);
        assertEquals(7 * 31L, window.foundContentHash());
        assertEquals(-7, window.foundAmountApplied());
        assertEquals(10_007, window.foundTimeMs());
        assertTrue(window.find(1, source(40), 3, 20_000, WINDOW_MS) >= 0);
        assertEquals(1, records.reads, "a recent entry's detail is still in memory");
    }

    @Test
    void shouldAnswerUnreadableWhenAnOldEntrysDetailCannotBeReadBack()
    {
        final DuplicateWindow window = new DuplicateWindow(1_000, 16);
        for (int i = 1; i <= 40; i++)
        {
            window.insert(1, i, 3, 0, 10_000, WINDOW_MS, outcome(i), (byte)0);
        }

        assertEquals(DuplicateWindow.UNREADABLE, window.find(1, 7, 3, 20_000, WINDOW_MS));
        assertEquals(DuplicateWindow.MISSING, window.find(1, 99, 3, 20_000, WINDOW_MS));
    }

    @Test
    void shouldSetFlags()
    {
        final DuplicateWindow window = new DuplicateWindow(16);
        final int entry = window.insert(1, 2, 3, 0, 10_000, WINDOW_MS, outcome(1), DuplicateWindow.FLAG_LATE_ORIGINAL);

        window.addFlag(entry, DuplicateWindow.FLAG_REVERSED);

        assertTrue(window.hasFlag(entry, DuplicateWindow.FLAG_REVERSED));
        assertTrue(window.hasFlag(entry, DuplicateWindow.FLAG_LATE_ORIGINAL));
    }

    @Test
    void shouldKeepEveryKeyOfALongClusterThatWrapsAroundTheIndexFindableAsItsOldestEntriesLeave()
    {
        // 12 entries, 24 index slots: keys that all start their search at slot 20 fill 20..23 and 0..7,
        // so distances run from 0 past the largest the slot holds (7 and more read the entry's hash).
        final DuplicateWindow window = new DuplicateWindow(12, 16);
        final int home = 20;
        final List<Integer> sameHome = new ArrayList<>();
        final List<Integer> elsewhere = new ArrayList<>();
        for (int stan = 0; sameHome.size() < 12 || elsewhere.size() < 12; stan++)
        {
            final int slot = window.homeSlot(7, source(stan), 1);
            if (slot == home && sameHome.size() < 12)
            {
                sameHome.add(stan);
            }
            else if (slot >= 8 && slot < 20 && elsewhere.size() < 12)
            {
                elsewhere.add(stan);
            }
        }
        long sequence = 1;
        for (final int stan : sameHome)
        {
            window.insert(7, source(stan), 1, 0, 10_000, WINDOW_MS, outcome(sequence++), (byte)0);
        }
        assertEquals(-1, window.firstWrongDistance());
        for (final int stan : sameHome)
        {
            assertTrue(window.find(7, source(stan), 1, 10_000, WINDOW_MS) >= 0, "stan=" + stan);
        }
        // Each insert now evicts the oldest same-home key: the cluster shifts back one slot at a time.
        for (int i = 0; i < 12; i++)
        {
            window.insert(7, source(elsewhere.get(i)), 1, 0, 10_000, WINDOW_MS, outcome(sequence++), (byte)0);
            assertEquals(-1, window.firstWrongDistance(), "after eviction " + (i + 1));
            for (int j = 0; j < 12; j++)
            {
                final boolean live = j > i;
                assertEquals(live, window.find(7, source(sameHome.get(j)), 1, 10_000, WINDOW_MS) >= 0,
                    "after eviction " + (i + 1) + " same-home key " + j);
                assertEquals(j <= i, window.find(7, source(elsewhere.get(j)), 1, 10_000, WINDOW_MS) >= 0,
                    "after eviction " + (i + 1) + " other key " + j);
            }
        }
        assertEquals(12, window.overflowEvictions());
    }

    @Test
    void shouldRebuildTheIndexWhenLoadingASnapshotOfTheOlderSlotLayoutAndKeepItOtherwise()
    {
        // 400 inserts into 300 entries: 100 evicted early, the newest entries wrapped around the ring.
        final DuplicateWindow window = new DuplicateWindow(300, 16);
        for (int stan = 0; stan < 400; stan++)
        {
            window.insert(7, source(stan), 1, 0, 10_000, WINDOW_MS, outcome(stan + 1), (byte)0);
        }
        final List<Object> saved = StateCapture.of(window);
        final List<Object> olderLayout = new ArrayList<>(saved);
        final int indexItem = indexColumn(saved, 600);
        // What a format-5 build saved there means nothing to this one: the load must not use it.
        final int[] scrambled = new int[600];
        Arrays.fill(scrambled, 0x7FFF_FFFF);
        olderLayout.set(indexItem, scrambled);

        final DuplicateWindow loaded = new DuplicateWindow(300, 16);
        StateCapture.restore(loaded, olderLayout, 5);

        assertEquals(-1, loaded.firstWrongDistance());
        assertEquals(300, loaded.size());
        // Linear probing with backward-shift deletion leaves each entry where inserting the live ones,
        // oldest first, puts it: the rebuilt index is the one the window had.
        assertArrayEquals((int[])saved.get(indexItem), (int[])StateCapture.of(loaded).get(indexItem));
        for (int stan = 0; stan < 400; stan++)
        {
            assertEquals(stan >= 100, loaded.find(7, source(stan), 1, 10_000, WINDOW_MS) != DuplicateWindow.MISSING, "stan=" + stan);
        }
        final DuplicateWindow current = new DuplicateWindow(300, 16);
        StateCapture.restore(current, saved, Integer.MAX_VALUE);
        assertArrayEquals((int[])saved.get(indexItem), (int[])StateCapture.of(current).get(indexItem),
            "a snapshot of this build's layout is loaded as saved");
    }

    private static int indexColumn(final List<Object> items, final int length)
    {
        for (int i = 0; i < items.size(); i++)
        {
            if (items.get(i) instanceof int[] column && column.length == length)
            {
                return i;
            }
        }
        throw new AssertionError("no int column of length " + length);
    }

    @Test
    void shouldEvictTheOldestWhenFullAndCountIt()
    {
        final DuplicateWindow window = new DuplicateWindow(4);
        for (int i = 0; i < 5; i++)
        {
            window.insert(1, i, 0, 0, 10_000, WINDOW_MS, outcome(i + 1), (byte)0);
        }

        assertEquals(4, window.size());
        assertEquals(1, window.overflowEvictions());
        assertEquals(DuplicateWindow.MISSING, window.find(1, 0, 0, 10_000, WINDOW_MS));
        assertTrue(window.find(1, 4, 0, 10_000, WINDOW_MS) >= 0);
    }

    @Test
    void shouldFindTheNewEntryOfAKeyWhoseOldOneExpired()
    {
        final DuplicateWindow window = new DuplicateWindow(16);
        window.insert(1, 2, 3, 0, 10_000, WINDOW_MS, outcome(1), (byte)0);

        window.insert(1, 2, 3, 0, 10_000 + WINDOW_MS + 1, WINDOW_MS, outcome(2), (byte)0);

        final AuthOutcome answer = new AuthOutcome();
        assertTrue(window.find(1, 2, 3, 10_000 + WINDOW_MS + 1, WINDOW_MS) >= 0);
        window.answerAgain(answer);
        assertEquals(2, answer.duplicateOf);
        window.insert(1, 4, 3, 0, 10_000 + WINDOW_MS + 2 * MINUTE_MS, WINDOW_MS, outcome(3), (byte)0);
        assertEquals(2, window.size(), "the expired entry leaves once its minute is past the window");
    }

    @Test
    void shouldHoldExactlyItsCapacity()
    {
        assertEquals(5, new DuplicateWindow(5).capacity());
        assertEquals(1, new DuplicateWindow(1).capacity());
        assertEquals(1_000_003, new DuplicateWindow(1_000_003, 16).capacity());
    }

    @Test
    void shouldTakeTwentyFourBytesAnEntry()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        // The classes' own initialisation (when this test runs first) is not the window's size.
        assertEquals(16, new DuplicateWindow(16, 16).capacity());
        final long before = threads.getCurrentThreadAllocatedBytes();
        final DuplicateWindow window = new DuplicateWindow(1_000_000, 16);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(1_000_000, window.capacity());
        // Besides the entries: the per-source early-eviction times (512 KiB) and a 16-slot detail ring, whatever the capacity.
        final long fixed = DuplicateWindow.EVICTED_SOURCE_SLOTS * 8L;
        assertTrue(allocated >= 24_000_000L + fixed && allocated < 24_000_000L + fixed + 64 * 1024, "allocated=" + allocated);
    }

    @Test
    void shouldRejectACapacityOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> new DuplicateWindow(0));
        assertThrows(IllegalArgumentException.class, () -> new DuplicateWindow(DuplicateWindow.MAX_CAPACITY + 1));
        assertThrows(IllegalArgumentException.class, () -> new DuplicateWindow(16, 24));
    }

    @Test
    void shouldSeeAPossibleRetransmissionOnlyAfterAnEarlyEvictionAndOnlyForItsTerminalsOldField7()
    {
        final long decidedMs = java.time.Instant.parse("2026-11-23T07:00:00Z").toEpochMilli();
        final DuplicateWindow window = new DuplicateWindow(4);
        final long field7 = 1_123_070_000L;
        assertFalse(window.possiblyEvicted(1, 1, 0, field7, decidedMs));
        for (int i = 0; i < 4; i++)
        {
            window.insert(1, source(i), field7, 0, decidedMs, 48 * 3_600_000L, outcome(i + 1), (byte)0);
        }
        final long laterMs = decidedMs + 10 * 3_600_000L;
        window.insert(2, source(9), 1_123_170_000L, 0, laterMs, 48 * 3_600_000L, outcome(5), (byte)0);

        assertEquals(1, window.overflowEvictions());
        assertTrue(window.possiblyEvicted(1, 1, 0, field7, laterMs), "a retransmission of the evicted request");
        assertTrue(window.possiblyEvicted(1, 1, 0, 1_123_065_959L, laterMs), "older still");
        assertFalse(window.possiblyEvicted(1, 1, 0, 1_123_070_001L, laterMs), "a new request of that terminal, a second later");
        assertFalse(window.possiblyEvicted(3, 1, 0, field7, laterMs), "another terminal: none of its entries left early");
        assertTrue(window.possiblyEvicted(1, 1, 0, 1_399_999_999L, laterMs), "not a date (month 13): cannot be ruled out");
    }

    @Test
    void shouldFallBackToTheEvictedTimeAndTheClockSkewWhenAnEvictedDetailCannotBeRead()
    {
        final long decidedMs = java.time.Instant.parse("2026-11-23T07:00:00Z").toEpochMilli();
        final DuplicateWindow window = new DuplicateWindow(20, 16);
        for (int i = 0; i < 21; i++)
        {
            window.insert(1, source(i), 1_123_070_000L, 0, decidedMs, 48 * 3_600_000L, outcome(i + 1), (byte)0);
        }

        assertEquals(1, window.overflowEvictions());
        assertTrue(window.possiblyEvicted(7, 1, 0, 1_123_095_900L, decidedMs + 60_000), "within 3 hours of the evicted time");
        assertFalse(window.possiblyEvicted(7, 1, 0, 1_123_110_100L, decidedMs + 60_000), "beyond them");
    }

    @Test
    void shouldReadField7InTheYearNearestTheBusinessTime()
    {
        final long newYear = java.time.Instant.parse("2027-01-01T00:10:00Z").toEpochMilli();

        assertEquals(java.time.Instant.parse("2026-12-31T23:59:59Z").toEpochMilli(),
            DuplicateWindow.transmissionTimeMs(1_231_235_959L, newYear));
        assertEquals(java.time.Instant.parse("2027-01-01T00:05:00Z").toEpochMilli(),
            DuplicateWindow.transmissionTimeMs(101_000_500L, newYear));
        assertEquals(Long.MIN_VALUE, DuplicateWindow.transmissionTimeMs(1_232_235_959L, newYear));
    }

    @Test
    void shouldPackEveryPartOfTheSourceKey()
    {
        final long base = DuplicateWindow.sourceKey(1, 5, DuplicateWindow.CLASS_FINANCIAL, 123_456);

        assertNotEquals(base, DuplicateWindow.sourceKey(2, 5, DuplicateWindow.CLASS_FINANCIAL, 123_456));
        assertNotEquals(base, DuplicateWindow.sourceKey(1, 6, DuplicateWindow.CLASS_FINANCIAL, 123_456));
        assertNotEquals(base, DuplicateWindow.sourceKey(1, 5, DuplicateWindow.CLASS_AUTHORIZATION, 123_456));
        assertNotEquals(base, DuplicateWindow.sourceKey(1, 5, DuplicateWindow.CLASS_REVERSAL, 123_456));
        assertNotEquals(base, DuplicateWindow.sourceKey(1, 5, DuplicateWindow.CLASS_FINANCIAL, 999_999));
    }
}
