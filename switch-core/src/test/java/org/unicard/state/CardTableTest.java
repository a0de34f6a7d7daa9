package org.unicard.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The packed card record: every field keeps its value at the edges of its range, and writing one
 * field never disturbs another; the PAN index finds every card and nothing else.
 */
class CardTableTest
{
    @Test
    void shouldKeepEveryFieldAtTheEdgesOfItsRange()
    {
        final CardTable cards = new CardTable(4);
        final int card = cards.add(999_999_999_999_999_999L, 39_912_312_345_678L, 123_456_789, true, CardStatus.BLOCKED_STOLEN,
            -25_567, 9912, 9999, Program.RATION | Program.BREAD | Program.HEALTH | Program.WALLET | Program.CASH,
            999_999_999_999_999_999L, true);
        assertEquals(0, card);
        assertEquals(999_999_999_999_999_999L, cards.pan(card));
        assertEquals(39_912_312_345_678L, cards.nationalId(card));
        assertEquals(123_456_789, cards.household(card));
        assertEquals(CardTable.NO_CARD, cards.replacesCard(card));
        assertEquals(CardStatus.BLOCKED_STOLEN, cards.status(card));
        assertEquals(-25_567, cards.issuedDay(card), "1900-01-01 as a day number");
        assertEquals(9912, cards.expiryYyMm(card));
        assertEquals(9999, cards.pvv(card));
        assertEquals(Program.RATION | Program.BREAD | Program.HEALTH | Program.WALLET | Program.CASH, cards.programs(card));
        assertEquals(999_999_999_999_999_999L, cards.walletBalancePiasters(card));
        assertTrue(cards.hasFlag(card, CardTable.FLAG_HEAD));
        assertTrue(cards.hasFlag(card, CardTable.FLAG_HEALTH_EXEMPT));
        assertFalse(cards.hasFlag(card, CardTable.FLAG_USED));
        assertEquals(0, cards.pinTries(card));
    }

    @Test
    void shouldChangeOnlyTheFieldWritten()
    {
        final CardTable cards = new CardTable(3);
        final int before = cards.add(4_000_000_000_000_002L, 29_001_010_100_001L, 7, false, CardStatus.COLLECTED, 20_000, 2903, 1234,
            Program.HEALTH | Program.WALLET, 500, false);
        final int card = cards.add(4_000_000_000_000_010L, 29_001_010_100_002L, 8, false, CardStatus.ISSUED, 20_001, 2904, 4321,
            Program.WALLET, 600, false);
        final int after = cards.add(4_000_000_000_000_028L, 29_001_010_100_003L, 9, true, CardStatus.COLLECTED, 20_002, 2905, 1111,
            Program.RATION, 700, false);

        cards.status(card, CardStatus.SUPERSEDED);
        cards.pinTries(card, 99);
        cards.addFlag(card, CardTable.FLAG_USED);
        cards.walletBalancePiasters(card, -1);
        cards.replacesCard(card, before);

        assertEquals(CardStatus.SUPERSEDED, cards.status(card));
        assertEquals(99, cards.pinTries(card));
        assertTrue(cards.hasFlag(card, CardTable.FLAG_USED));
        assertFalse(cards.hasFlag(card, CardTable.FLAG_HEAD));
        assertEquals(-1, cards.walletBalancePiasters(card));
        assertEquals(before, cards.replacesCard(card));
        assertEquals(8, cards.household(card), "household beside the replacement link");
        assertEquals(Program.WALLET, cards.programs(card), "programs beside status and PIN tries");
        assertEquals(20_001, cards.issuedDay(card));
        assertEquals(2904, cards.expiryYyMm(card));
        assertEquals(4321, cards.pvv(card));
        assertEquals(4_000_000_000_000_010L, cards.pan(card));

        cards.pinTries(card, 0);
        cards.status(card, CardStatus.BLOCKED_LOST);
        assertEquals(0, cards.pinTries(card));
        assertEquals(CardStatus.BLOCKED_LOST, cards.status(card));
        assertTrue(cards.hasFlag(card, CardTable.FLAG_USED));

        for (final int neighbour : new int[] {before, after})
        {
            assertEquals(CardStatus.COLLECTED, cards.status(neighbour));
            assertEquals(0, cards.pinTries(neighbour));
            assertEquals(CardTable.NO_CARD, cards.replacesCard(neighbour));
            assertFalse(cards.hasFlag(neighbour, CardTable.FLAG_USED));
        }
        assertEquals(500, cards.walletBalancePiasters(before));
        assertEquals(700, cards.walletBalancePiasters(after));
    }

    @Test
    void shouldFindEveryCardByPanAndRefuseADuplicate()
    {
        final int count = 50_000;
        final CardTable cards = new CardTable(count + 1);
        final SplittableRandom random = new SplittableRandom(5);
        final long[] pans = new long[count];
        for (int i = 0; i < count; i++)
        {
            long pan;
            do
            {
                pan = 1_000_000_000_000_000L + random.nextLong(8_000_000_000_000_000L);
            }
            while (cards.indexOf(pan) >= 0);
            pans[i] = pan;
            assertEquals(i, cards.add(pan, 0, i, false, CardStatus.COLLECTED, 0, 2901, 0, Program.WALLET, 0, false));
        }
        for (int i = 0; i < count; i++)
        {
            assertEquals(i, cards.indexOf(pans[i]));
            assertEquals(i, cards.household(i));
        }
        assertEquals(-1, cards.add(pans[17], 1, 1, false, CardStatus.COLLECTED, 0, 2901, 0, 0, 0, false), "duplicate PAN");
        assertEquals(count, cards.size());
        assertEquals(-1, cards.indexOf(pans[3] + 1));
        assertEquals(-1, cards.indexOf(0));
        assertEquals(-1, cards.indexOf(-5));
    }

    @Test
    void shouldRefuseACardPastCapacityOrACapacityPastTheLimit()
    {
        final CardTable cards = new CardTable(1);
        cards.add(41, 0, 0, false, CardStatus.COLLECTED, 0, 2901, 0, 0, 0, false);
        assertThrows(IllegalStateException.class, () -> cards.add(42, 0, 0, false, CardStatus.COLLECTED, 0, 2901, 0, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new CardTable(CardTable.MAX_CAPACITY + 1));
    }
}
