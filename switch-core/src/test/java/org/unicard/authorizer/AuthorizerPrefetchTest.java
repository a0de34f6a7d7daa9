package org.unicard.authorizer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.unicard.config.ProgramRules;
import org.unicard.state.AcquirerTable;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.TerminalTable;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.Requests;
import org.unicard.testing.StateCapture;
import org.unicard.testing.TestData;

/**
 * Replay's prefetch only reads: it changes no field of any table, window or counter, and it
 * copes with PANs that are not in the tables, tables that are empty, and operator commands. The
 * live ring's prefetch of a batch decoded ahead ({@link Authorizer#prefetchBatch}) does the same,
 * and names each request's card as the PAN index would find it.
 */
class AuthorizerPrefetchTest
{
    private static AuthRequest[] mixedBatch()
    {
        return new AuthRequest[] {
            Requests.financial().card(TestData.pan(TestData.HEAD)).build(),
            Requests.authorization().card(TestData.pan(TestData.MEMBER)).build(),
            Requests.reversalOf(Requests.financial().card(TestData.pan(TestData.BIG_HEAD)).build()).build(),
            Requests.financial().pan(4_000_000_000_000_002L, 16).build(),
            Requests.command(AuthRequest.COMMAND_QUERY, TestData.pan(TestData.LOST)).build(),
        };
    }

    @Test
    void shouldChangeNothing()
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();
        h.send(Requests.financial().card(TestData.pan(TestData.HEAD)).build());
        final List<Object> before = StateCapture.of(h.data, h.authorizer);

        final AuthRequest[] batch = mixedBatch();
        h.authorizer.prefetch(batch, batch.length, new PrefetchSlots(batch.length));
        h.authorizer.prefetchEvictions(64, h.nowMs() + 72 * 3_600_000L);

        assertNull(StateCapture.firstDifference(before, StateCapture.of(h.data, h.authorizer)));
    }

    @Test
    void shouldChangeNothingOverBatchesLargerThanReplaysWithEveryKindOfLedgerRequest()
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();
        h.send(Requests.financial().terminal(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(500).build());
        final List<Object> before = StateCapture.of(h.data, h.authorizer);
        // Ration and wallet purchases and returns, a balance inquiry, bread, an unknown PAN and a
        // command, in a batch bigger than replay's, then the first three alone.
        final int[] codes = {9100, 9400, 209100, 209400, 319100, 9200};
        final AuthRequest[] batch = new AuthRequest[150];
        for (int i = 0; i < batch.length; i++)
        {
            batch[i] = switch (i % 8)
            {
                case 6 -> Requests.financial().pan(4_000_000_000_000_002L, 16).code(9100).build();
                case 7 -> Requests.command(AuthRequest.COMMAND_QUERY, TestData.pan(TestData.LOST)).build();
                default -> Requests.financial().terminal(TestData.GROCER).card(TestData.pan(i % 2 == 0 ? TestData.HEAD : TestData.MEMBER))
                    .code(codes[i % 8]).egp(100).stan(i + 1).build();
            };
        }

        h.authorizer.prefetch(batch, batch.length, new PrefetchSlots(batch.length));
        h.authorizer.prefetch(batch, 3, new PrefetchSlots(3));

        assertNull(StateCapture.firstDifference(before, StateCapture.of(h.data, h.authorizer)));
    }

    @Test
    void shouldChangeNothingWithTheCardsAndHouseholdsARecordNamesRightWrongOrOutOfRange()
    {
        // Replay's batches name each record's card and household; the prefetch reads those lines
        // directly, and ignores hints outside the tables.
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();
        h.send(Requests.financial().terminal(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(500).build());
        final List<Object> before = StateCapture.of(h.data, h.authorizer);
        final int[] codes = {9100, 9400, 209100, 209400, 319100, 9200, 9300};
        final int[] cardHints = {TestData.HEAD, TestData.MEMBER, TestData.CARD_COUNT - 1, TestData.CARD_COUNT, Integer.MAX_VALUE, -1, -5};
        final int[] householdHints = {TestData.SMALL, TestData.BIG, TestData.REPLACED, 3, Integer.MAX_VALUE, -1, -9};
        final AuthRequest[] batch = new AuthRequest[cardHints.length * householdHints.length];
        final PrefetchSlots slots = new PrefetchSlots(batch.length);
        for (int i = 0; i < batch.length; i++)
        {
            batch[i] = i % 5 == 4 ? Requests.command(AuthRequest.COMMAND_QUERY, TestData.pan(TestData.LOST)).build() :
                Requests.financial().terminal(TestData.GROCER).card(TestData.pan(i % 2 == 0 ? TestData.HEAD : TestData.BIG_HEAD))
                    .code(codes[i % codes.length]).egp(100).stan(i + 1).build();
            batch[i].cardHint = cardHints[i % cardHints.length];
            slots.householdHint(i, householdHints[i / cardHints.length]);
        }

        h.authorizer.prefetch(batch, batch.length, slots);

        assertNull(StateCapture.firstDifference(before, StateCapture.of(h.data, h.authorizer)));
    }

    @Test
    void shouldNameEachLiveRequestsCardAndChangeNothingElse()
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();
        h.send(Requests.financial().terminal(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(500).build());
        final List<Object> before = StateCapture.of(h.data, h.authorizer);
        final int[] codes = {9100, 9400, 209100, 209400, 319100, 9200};
        final AuthRequest[] batch = new AuthRequest[64];
        for (int i = 0; i < batch.length; i++)
        {
            batch[i] = switch (i % 8)
            {
                case 6 -> Requests.financial().pan(4_000_000_000_000_002L, 16).code(9100).build();
                case 7 -> Requests.command(AuthRequest.COMMAND_QUERY, TestData.pan(TestData.LOST)).build();
                default -> Requests.financial().terminal(TestData.GROCER)
                    .card(TestData.pan(i % 3 == 0 ? TestData.HEAD : i % 3 == 1 ? TestData.MEMBER : TestData.BIG_HEAD))
                    .code(codes[i % 6]).egp(100).stan(i + 1).build();
            };
            // A live request names no card, or (a slot's leftover) a wrong one: the prefetch names the right one.
            batch[i].cardHint = i % 2 == 0 ? AuthRequest.ABSENT : TestData.CARD_COUNT - 1;
        }

        h.authorizer.prefetchBatch(batch, batch.length, new PrefetchSlots(batch.length));

        for (int i = 0; i < batch.length; i++)
        {
            final int expected = i % 8 == 7 ? -1 : h.cards.indexOf(batch[i].pan);
            assertEquals(expected, batch[i].cardHint, "request " + i);
        }
        assertEquals(TestData.HEAD, batch[0].cardHint);
        assertEquals(-1, batch[6].cardHint, "a PAN not in the table");
        assertNull(StateCapture.firstDifference(before, StateCapture.of(h.data, h.authorizer)));
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> h.authorizer.prefetchBatch(batch, batch.length, new PrefetchSlots(batch.length - 1)));
        assertEquals("count=64 slots.capacity=63", refused.getMessage());
    }

    @Test
    void shouldRefuseABatchLargerThanItsSlots()
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();
        final AuthRequest[] batch = mixedBatch();

        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> h.authorizer.prefetch(batch, batch.length, new PrefetchSlots(batch.length - 1)));
        assertEquals("count=" + batch.length + " slots.capacity=" + (batch.length - 1), refused.getMessage());
    }

    @Test
    void shouldLetTwoThreadsPrefetchAtOnceEachWithItsOwnSlots() throws Exception
    {
        // Replay's reader thread and replaying thread may both prefetch (each its own batch).
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();
        final List<Object> before = StateCapture.of(h.data, h.authorizer);
        final AuthRequest[] first = mixedBatch();
        final AuthRequest[] second = new AuthRequest[] {
            Requests.command(AuthRequest.COMMAND_QUERY, TestData.pan(TestData.HEAD)).build(),
            Requests.financial().terminal(TestData.GROCER).card(TestData.pan(TestData.MEMBER)).code(9400).egp(100).build(),
            Requests.financial().pan(4_000_000_000_000_002L, 16).build(),
        };
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread other = new Thread(() ->
        {
            try
            {
                final PrefetchSlots slots = new PrefetchSlots(second.length);
                for (int i = 0; i < 20_000; i++)
                {
                    h.authorizer.prefetch(second, second.length, slots);
                }
            }
            catch (final Throwable t)
            {
                failure.set(t);
            }
        });
        other.start();
        final PrefetchSlots slots = new PrefetchSlots(first.length);
        for (int i = 0; i < 20_000; i++)
        {
            h.authorizer.prefetch(first, first.length, slots);
        }
        other.join();

        assertNull(failure.get());
        assertNull(StateCapture.firstDifference(before, StateCapture.of(h.data, h.authorizer)));
    }

    @Test
    void shouldCopeWithEmptyTables()
    {
        final DataSet empty = new DataSet(new HouseholdTable(0), new CardTable(0), new TerminalTable(0), new AcquirerTable(0),
            new byte[16], 1);
        final Authorizer authorizer = new Authorizer(empty, ProgramRules.defaults(), 16, 16);
        final AuthRequest[] batch = mixedBatch();
        final PrefetchSlots hinted = new PrefetchSlots(batch.length);
        final AuthRequest[] hintedBatch = mixedBatch();
        for (int i = 0; i < hintedBatch.length; i++)
        {
            hintedBatch[i].cardHint = i;
            hinted.householdHint(i, i);
        }

        assertDoesNotThrow(() -> authorizer.prefetch(batch, batch.length, new PrefetchSlots(batch.length)));
        assertDoesNotThrow(() -> authorizer.prefetch(hintedBatch, hintedBatch.length, hinted));
        assertDoesNotThrow(() -> authorizer.prefetchEvictions(64, TestData.GENESIS_MS));
    }

    @Test
    void shouldCountTheEvictionsTheNextInsertsWillMakeExpiredUpToFourAnInsertThenOverflowing()
    {
        // 10 entries a minute apart in a 16-entry, one-hour window.
        final DuplicateWindow window = new DuplicateWindow(16, 16);
        final AuthOutcome outcome = new AuthOutcome();
        final long hourMs = 3_600_000L;
        for (int i = 0; i < 10; i++)
        {
            outcome.clear();
            outcome.sequence = i + 1;
            outcome.responseCode = ResponseCode.APPROVED;
            window.insert(7, DuplicateWindow.sourceKey(0, 0, DuplicateWindow.CLASS_FINANCIAL, i), 1204_101500L, 1, 60_000L * i, hourMs, outcome, (byte)0);
        }

        assertEquals(0, window.evictionsAhead(5, 60_000L * 9, hourMs), "nothing expired, room for all");
        assertEquals(1, window.evictionsAhead(7, 60_000L * 9, hourMs), "six inserts fit, the seventh overflows");
        assertEquals(8, window.evictionsAhead(2, 60_000L * 600, hourMs), "all expired: four an insert");
        assertEquals(10, window.evictionsAhead(5, 60_000L * 600, hourMs), "all expired: at most every entry");
        // An entry leaves once its minute is more than the window's 60 minutes behind.
        assertEquals(2, window.evictionsAhead(5, 60_000L * 62, hourMs), "the first two minutes expired");

        final long sink = window.probeEvictions(5, 60_000L * 600, hourMs);
        assertEquals(10, window.size(), "probing changes nothing: " + sink);
    }

    @Test
    void shouldTouchTheOldestEntriesAroundTheWindowsEndWithoutChangingThem()
    {
        // A window of 16 entries that has wrapped: the oldest entries sit at its end and its start.
        final DuplicateWindow window = new DuplicateWindow(16, 16);
        final AuthOutcome outcome = new AuthOutcome();
        for (int i = 0; i < 40; i++)
        {
            outcome.clear();
            outcome.sequence = i + 1;
            outcome.responseCode = ResponseCode.APPROVED;
            window.insert(7, DuplicateWindow.sourceKey(0, 0, DuplicateWindow.CLASS_FINANCIAL, i), 1204_101500L, 1, 60_000L * i, 3_600_000L, outcome, (byte)0);
        }
        final int size = window.size();
        final long evictions = window.overflowEvictions();

        assertDoesNotThrow(() -> window.probeOldest(100));

        assertEquals(size, window.size());
        assertEquals(evictions, window.overflowEvictions());
        assertTrue(window.find(7, DuplicateWindow.sourceKey(0, 0, DuplicateWindow.CLASS_FINANCIAL, 38), 1204_101500L, 60_000L * 39,
            3_600_000L) >= 0, "a live entry is still found");
        assertEquals(DuplicateWindow.MISSING, window.find(7, DuplicateWindow.sourceKey(0, 0, DuplicateWindow.CLASS_FINANCIAL, 3),
            1204_101500L, 60_000L * 39, 3_600_000L), "an evicted one is not");
    }
}
