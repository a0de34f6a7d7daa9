package org.unicard.authorizer;

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
 * The spend ledger against a {@link HashMap} model: net spend per terminal and card key in the
 * current month, reuse of slots of dead months, and the probe bound.
 */
class SpendLedgerTest
{
    private static final int NOVEMBER = 2026 * 12 + 10;

    private record Key(long terminal, long card)
    {
    }

    @ParameterizedTest(name = "seed={0} capacity={1} terminals={2} cards={3}")
    @CsvSource({"1,16,2,8", "2,16,4,20", "3,128,5,40", "4,128,8,100", "5,1024,10,300", "6,64,1,200"})
    void shouldBehaveLikeTheModelAcrossMonths(final long seed, final int capacity, final int terminals, final int cards)
    {
        final Random random = new Random(seed);
        final SpendLedger ledger = new SpendLedger(capacity);
        final Map<Key, long[]> model = new HashMap<>();
        long overflows = 0;
        int month = NOVEMBER;
        for (int step = 1; step <= 8_000; step++)
        {
            if (random.nextInt(500) == 0)
            {
                month += 1 + random.nextInt(2);
            }
            final Key key = new Key(1 + random.nextInt(terminals),
                SpendLedger.cardKey(random.nextInt(cards), 91 + 3 * random.nextInt(2), 1, random.nextInt(3)));
            if (random.nextInt(3) == 0)
            {
                final int asked = month - random.nextInt(2);
                assertEquals(modelSpent(model.get(key), asked), ledger.spent(key.terminal(), key.card(), asked),
                    "step=" + step + " key=" + key + " month=" + asked);
                continue;
            }
            final long amount = random.nextInt(4) == 0 ? -random.nextInt(1_000) : 1 + random.nextInt(5_000);
            final boolean added = ledger.add(key.terminal(), key.card(), month, amount);
            final long[] entry = model.get(key);
            if (added)
            {
                final long spent = modelSpent(entry, month) + amount;
                model.put(key, new long[] {month, spent, modelSpent(entry, month - 1)});
            }
            else
            {
                overflows++;
                assertTrue(entry == null || entry[0] < month - 1, "a live key must always find its slot: step=" + step);
                model.remove(key);
            }
            assertEquals(overflows, ledger.overflows(), "step=" + step);
            assertEquals(modelSpent(model.get(key), month), ledger.spent(key.terminal(), key.card(), month), "step=" + step);
            if (step % 250 == 0)
            {
                for (final Map.Entry<Key, long[]> held : model.entrySet())
                {
                    for (int asked = month - 1; asked <= month; asked++)
                    {
                        assertEquals(modelSpent(held.getValue(), asked),
                            ledger.spent(held.getKey().terminal(), held.getKey().card(), asked),
                            "step=" + step + " key=" + held.getKey() + " month=" + asked);
                    }
                }
            }
        }
    }

    /** The model's net for a month: {month, net of that month, net of the month before}. */
    private static long modelSpent(final long[] entry, final int month)
    {
        if (entry == null)
        {
            return 0;
        }
        if (entry[0] == month)
        {
            return entry[1];
        }
        return entry[0] == month + 1 ? entry[2] : 0;
    }

    @Test
    void shouldKeepTheMonthBeforeForReversalsAcrossTheMonthEnd()
    {
        final SpendLedger ledger = new SpendLedger(16);
        ledger.add(1, 2, NOVEMBER, 3_000);
        ledger.add(1, 2, NOVEMBER + 1, 200);

        ledger.addTo(1, 2, NOVEMBER, NOVEMBER + 1, -1_000);

        assertEquals(2_000, ledger.spent(1, 2, NOVEMBER));
        assertEquals(200, ledger.spent(1, 2, NOVEMBER + 1));
        ledger.add(1, 2, NOVEMBER + 2, 1);
        assertEquals(0, ledger.spent(1, 2, NOVEMBER));
        assertEquals(200, ledger.spent(1, 2, NOVEMBER + 1));
    }

    @Test
    void shouldNotReuseTheSlotOfTheMonthBefore()
    {
        final SpendLedger ledger = new SpendLedger(16);
        for (int card = 0; card < 16; card++)
        {
            assertTrue(ledger.add(1, SpendLedger.cardKey(card, 91, 1, 0), NOVEMBER, 100));
        }

        assertFalse(ledger.add(1, SpendLedger.cardKey(16, 91, 1, 0), NOVEMBER + 1, 100));
        assertTrue(ledger.add(1, SpendLedger.cardKey(16, 91, 1, 0), NOVEMBER + 2, 100));
    }

    @Test
    void shouldSumSignedAmountsWithinAMonth()
    {
        final SpendLedger ledger = new SpendLedger(16);
        ledger.add(1, 2, NOVEMBER, 3_000);
        ledger.add(1, 2, NOVEMBER, 1_000);
        ledger.add(1, 2, NOVEMBER, -500);

        assertEquals(3_500, ledger.spent(1, 2, NOVEMBER));
    }

    @Test
    void shouldReportNothingSpentInALaterMonth()
    {
        final SpendLedger ledger = new SpendLedger(16);
        ledger.add(1, 2, NOVEMBER, 3_000);

        assertEquals(0, ledger.spent(1, 2, NOVEMBER + 1));
    }

    @Test
    void shouldRestartTheSumInANewMonth()
    {
        final SpendLedger ledger = new SpendLedger(16);
        ledger.add(1, 2, NOVEMBER, 3_000);

        ledger.add(1, 2, NOVEMBER + 1, 200);

        assertEquals(200, ledger.spent(1, 2, NOVEMBER + 1));
    }

    @Test
    void shouldOverflowWhenEverySlotWithinTheProbeBoundIsLive()
    {
        final SpendLedger ledger = new SpendLedger(16);
        for (int card = 0; card < 16; card++)
        {
            assertTrue(ledger.add(1, SpendLedger.cardKey(card, 91, 1, 0), NOVEMBER, 100));
        }

        final boolean added = ledger.add(1, SpendLedger.cardKey(16, 91, 1, 0), NOVEMBER, 100);

        assertFalse(added);
        assertEquals(1, ledger.overflows());
        assertEquals(0, ledger.spent(1, SpendLedger.cardKey(16, 91, 1, 0), NOVEMBER));
        for (int card = 0; card < 16; card++)
        {
            assertEquals(100, ledger.spent(1, SpendLedger.cardKey(card, 91, 1, 0), NOVEMBER));
        }
    }

    /** The ledger's home slot, restated here to build keys that share one (white box). */
    private static int home(final long terminalId, final long cardKey, final int mask)
    {
        long h = terminalId * 0x9E3779B97F4A7C15L;
        h = (h ^ cardKey) * 0xC2B2AE3D27D4EB4FL;
        return (int)(h ^ (h >>> 31)) & mask;
    }

    private static long[] keysWithHome(final int count, final int slot, final int mask)
    {
        final long[] keys = new long[count];
        int found = 0;
        for (int card = 0; found < count; card++)
        {
            final long key = SpendLedger.cardKey(card, 91, 1, 0);
            if (home(1, key, mask) == slot)
            {
                keys[found++] = key;
            }
        }
        return keys;
    }

    @Test
    void shouldRefuseAKeyWhoseProbeBoundIsFullThoughOtherSlotsAreFree()
    {
        final SpendLedger ledger = new SpendLedger(1_024);
        final long[] keys = keysWithHome(SpendLedger.MAX_PROBES + 1, 100, 1_023);
        for (int i = 0; i < SpendLedger.MAX_PROBES; i++)
        {
            assertTrue(ledger.add(1, keys[i], NOVEMBER, 10), "key=" + i);
        }

        final boolean added = ledger.add(1, keys[SpendLedger.MAX_PROBES], NOVEMBER, 10);

        assertFalse(added);
        assertEquals(1, ledger.overflows());
        assertEquals(0, ledger.spent(1, keys[SpendLedger.MAX_PROBES], NOVEMBER));
        assertEquals(10, ledger.spent(1, keys[SpendLedger.MAX_PROBES - 1], NOVEMBER));
    }

    @Test
    void shouldTakeADeadSlotWithinTheProbeBoundTwoMonthsLater()
    {
        final SpendLedger ledger = new SpendLedger(1_024);
        final long[] keys = keysWithHome(SpendLedger.MAX_PROBES + 1, 100, 1_023);
        for (int i = 0; i < SpendLedger.MAX_PROBES; i++)
        {
            ledger.add(1, keys[i], NOVEMBER, 10);
        }

        assertTrue(ledger.add(1, keys[SpendLedger.MAX_PROBES], NOVEMBER + 2, 25));

        assertEquals(25, ledger.spent(1, keys[SpendLedger.MAX_PROBES], NOVEMBER + 2));
        assertEquals(0, ledger.overflows());
    }

    @Test
    void shouldReuseSlotsOfDeadMonths()
    {
        final SpendLedger ledger = new SpendLedger(16);
        for (int card = 0; card < 16; card++)
        {
            ledger.add(1, SpendLedger.cardKey(card, 91, 1, 0), NOVEMBER, 100);
        }

        for (int card = 100; card < 116; card++)
        {
            assertTrue(ledger.add(1, SpendLedger.cardKey(card, 91, 1, 0), NOVEMBER + 2, 7));
        }

        assertEquals(0, ledger.overflows());
        for (int card = 100; card < 116; card++)
        {
            assertEquals(7, ledger.spent(1, SpendLedger.cardKey(card, 91, 1, 0), NOVEMBER + 2));
        }
        for (int card = 0; card < 16; card++)
        {
            assertEquals(0, ledger.spent(1, SpendLedger.cardKey(card, 91, 1, 0), NOVEMBER + 2));
        }
    }

    @Test
    void shouldKeepCardKeysOfAccountsAndSourcesApart()
    {
        assertNotEquals(SpendLedger.cardKey(1, 91, 1, 0), SpendLedger.cardKey(1, 94, 1, 0));
        assertNotEquals(SpendLedger.cardKey(1, 94, 1, 0), SpendLedger.cardKey(1, 94, 2, 0));
        assertNotEquals(SpendLedger.cardKey(1, 94, 2, 0), SpendLedger.cardKey(1, 94, 2, 1));
        assertNotEquals(SpendLedger.cardKey(1, 94, 2, 0), SpendLedger.cardKey(2, 94, 2, 0));
    }

    @Test
    void shouldKeepASignedNetWithinFortyEightBitsAndRecordNothingBeyondThem()
    {
        final SpendLedger ledger = new SpendLedger(16);
        final long key = SpendLedger.cardKey(3, 91, 1, 0);
        assertTrue(ledger.add(1, key, NOVEMBER, -50));
        assertEquals(-50, ledger.spent(1, key, NOVEMBER));
        assertTrue(ledger.add(1, key, NOVEMBER, SpendLedger.MAX_SPENT + 50));
        assertEquals(SpendLedger.MAX_SPENT, ledger.spent(1, key, NOVEMBER));

        assertFalse(ledger.add(1, key, NOVEMBER, 1));
        assertEquals(1, ledger.overflows());
        assertEquals(SpendLedger.MAX_SPENT, ledger.spent(1, key, NOVEMBER), "nothing recorded");

        // Carried into the next month whole, where the new month starts from 0.
        assertTrue(ledger.add(1, key, NOVEMBER + 1, 100));
        assertEquals(SpendLedger.MAX_SPENT, ledger.spent(1, key, NOVEMBER));
        assertEquals(100, ledger.spent(1, key, NOVEMBER + 1));
        ledger.addTo(1, key, NOVEMBER, NOVEMBER + 1, 1);
        assertEquals(2, ledger.overflows());
        assertEquals(SpendLedger.MAX_SPENT, ledger.spent(1, key, NOVEMBER));

        final long other = SpendLedger.cardKey(4, 91, 1, 0);
        assertFalse(ledger.add(1, other, NOVEMBER + 1, -SpendLedger.MAX_SPENT - 2));
        assertEquals(3, ledger.overflows());
        assertEquals(0, ledger.spent(1, other, NOVEMBER + 1));
    }

    @Test
    void shouldRejectAMonthOutsideItsSixteenBits()
    {
        final SpendLedger ledger = new SpendLedger(16);
        assertThrows(IllegalArgumentException.class, () -> ledger.add(1, SpendLedger.cardKey(1, 91, 1, 0), 0, 100));
        assertThrows(IllegalArgumentException.class, () -> ledger.add(1, SpendLedger.cardKey(1, 91, 1, 0), 0x1_0000, 100));
        assertTrue(ledger.add(1, SpendLedger.cardKey(1, 91, 1, 0), 0xFFFF, 100));
        assertEquals(100, ledger.spent(1, SpendLedger.cardKey(1, 91, 1, 0), 0xFFFF));
    }

    @Test
    void shouldRejectACapacityOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> new SpendLedger(15));
        assertThrows(IllegalArgumentException.class, () -> new SpendLedger((1 << 28) + 1));
    }
}
