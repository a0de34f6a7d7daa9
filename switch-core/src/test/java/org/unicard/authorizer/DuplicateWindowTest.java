package org.unicard.authorizer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The duplicate window against a {@link HashMap} model: capacity, overflow eviction, expiry, re-use
 * of an expired key and backward-shift deletion in the hash index, under seeded random sequences.
 */
class DuplicateWindowTest
{
    private static final long WINDOW_MS = 1_000;

    private record Key(long terminal, long source, long transmission)
    {
    }

    /** The reference: entries in arrival order with the same eviction rules. */
    private static final class Model
    {
        private final int capacity;
        private final ArrayDeque<Key> order = new ArrayDeque<>();
        private final Map<Key, long[]> entries = new HashMap<>();
        private long overflowEvictions;

        Model(final int capacity)
        {
            this.capacity = capacity;
        }

        long[] find(final Key key, final long nowMs)
        {
            final long[] entry = entries.get(key);
            return entry != null && nowMs - entry[0] <= WINDOW_MS ? entry : null;
        }

        void insert(final Key key, final long nowMs, final long sequence)
        {
            for (int i = 0; i < 4 && !order.isEmpty(); i++)
            {
                if (nowMs - entries.get(order.peekFirst())[0] <= WINDOW_MS)
                {
                    break;
                }
                entries.remove(order.pollFirst());
            }
            if (entries.containsKey(key))
            {
                Key evicted;
                do
                {
                    evicted = order.pollFirst();
                    entries.remove(evicted);
                }
                while (!evicted.equals(key));
            }
            if (order.size() == capacity)
            {
                entries.remove(order.pollFirst());
                overflowEvictions++;
            }
            order.addLast(key);
            entries.put(key, new long[] {nowMs, sequence});
        }
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

    @ParameterizedTest(name = "seed={0} capacity={1} keys={2}")
    @CsvSource({"1,8,24", "2,8,200", "3,64,100", "4,64,2000", "5,1,5", "6,16,16", "7,256,600"})
    void shouldBehaveLikeTheModelUnderRandomInsertsFindsAndExpiry(final long seed, final int capacity, final int keySpace)
    {
        final Random random = new Random(seed);
        final DuplicateWindow window = new DuplicateWindow(capacity);
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
            nowMs += random.nextInt(10) == 0 ? WINDOW_MS + random.nextInt(100) : random.nextInt((int)(WINDOW_MS / 20));
            final Key key = keys[random.nextInt(keySpace)];
            final int found = window.find(key.terminal(), key.source(), key.transmission(), nowMs, WINDOW_MS);
            final long[] expected = model.find(key, nowMs);
            assertEquals(expected != null, found >= 0, "step=" + step + " key=" + key);
            if (found >= 0)
            {
                answer.clear();
                window.answerAgain(found, answer);
                assertEquals(expected[1], answer.duplicateOf, "step=" + step);
                assertEquals(expected[1], answer.balanceAmount[0], "step=" + step);
            }
            else
            {
                window.insert(key.terminal(), key.source(), key.transmission(), step, nowMs, WINDOW_MS, outcome(step), (byte)0);
                model.insert(key, nowMs, step);
            }
            assertEquals(model.order.size(), window.size(), "step=" + step);
            assertEquals(model.overflowEvictions, window.overflowEvictions(), "step=" + step);
            if (step % 97 == 0)
            {
                for (final Key k : model.order)
                {
                    final int entry = window.find(k.terminal(), k.source(), k.transmission(), nowMs, WINDOW_MS);
                    assertEquals(model.find(k, nowMs) != null, entry >= 0, "step=" + step + " held key=" + k);
                }
            }
        }
    }

    @Test
    void shouldFindAnEntryWithinTheWindowAndNotAfter()
    {
        final DuplicateWindow window = new DuplicateWindow(16);
        window.insert(1, 2, 3, 99, 10_000, WINDOW_MS, outcome(5), (byte)0);

        assertTrue(window.find(1, 2, 3, 10_000 + WINDOW_MS, WINDOW_MS) >= 0);
        assertEquals(-1, window.find(1, 2, 3, 10_000 + WINDOW_MS + 1, WINDOW_MS));
    }

    @Test
    void shouldNotFindAKeyDifferingInAnyPart()
    {
        final DuplicateWindow window = new DuplicateWindow(16);
        window.insert(1, 2, 3, 99, 10_000, WINDOW_MS, outcome(5), (byte)0);

        assertEquals(-1, window.find(9, 2, 3, 10_000, WINDOW_MS));
        assertEquals(-1, window.find(1, 9, 3, 10_000, WINDOW_MS));
        assertEquals(-1, window.find(1, 2, 9, 10_000, WINDOW_MS));
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

        window.answerAgain(entry, answer);

        assertEquals(0xABCDL, window.contentHash(entry));
        assertEquals(42, answer.duplicateOf);
        assertEquals(recorded.responseCode, answer.responseCode);
        assertEquals(recorded.authorizationId, answer.authorizationId);
        assertEquals(recorded.retrievalReference, answer.retrievalReference);
        assertEquals(recorded.card, answer.card);
        assertEquals(2, answer.balanceCount);
        assertEquals(94, answer.balanceAccount[1]);
        assertEquals(123, answer.balanceAmount[1]);
        assertEquals(94, window.account(entry));
        assertEquals(-500, window.amountApplied(entry));
        assertEquals(10_000, window.timeMs(entry));
    }

    @Test
    void shouldSetAndClearFlags()
    {
        final DuplicateWindow window = new DuplicateWindow(16);
        final int entry = window.insert(1, 2, 3, 0, 10_000, WINDOW_MS, outcome(1), DuplicateWindow.FLAG_LATE_ORIGINAL);

        window.addFlag(entry, DuplicateWindow.FLAG_REVERSED);
        window.clearFlag(entry, DuplicateWindow.FLAG_LATE_ORIGINAL);

        assertTrue(window.hasFlag(entry, DuplicateWindow.FLAG_REVERSED));
        assertFalse(window.hasFlag(entry, DuplicateWindow.FLAG_LATE_ORIGINAL));
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
        assertEquals(-1, window.find(1, 0, 0, 10_000, WINDOW_MS));
        assertTrue(window.find(1, 4, 0, 10_000, WINDOW_MS) >= 0);
    }

    @Test
    void shouldReplaceAnExpiredEntryOfTheSameKey()
    {
        final DuplicateWindow window = new DuplicateWindow(16);
        window.insert(1, 2, 3, 0, 10_000, WINDOW_MS, outcome(1), (byte)0);

        window.insert(1, 2, 3, 0, 10_000 + WINDOW_MS + 1, WINDOW_MS, outcome(2), (byte)0);

        final AuthOutcome answer = new AuthOutcome();
        window.answerAgain(window.find(1, 2, 3, 10_000 + WINDOW_MS + 1, WINDOW_MS), answer);
        assertEquals(2, answer.duplicateOf);
        assertEquals(1, window.size());
    }

    @Test
    void shouldRoundTheCapacityUpToAPowerOfTwo()
    {
        assertEquals(8, new DuplicateWindow(5).capacity());
        assertEquals(1, new DuplicateWindow(1).capacity());
        assertEquals(1024, new DuplicateWindow(1024).capacity());
    }

    @Test
    void shouldRejectACapacityOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> new DuplicateWindow(0));
        assertThrows(IllegalArgumentException.class, () -> new DuplicateWindow((1 << 28) + 1));
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
