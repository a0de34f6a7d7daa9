package org.unicard.cluster;

import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ResponseCode;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster member whose journal lacks a record the duplicate window needs stops instead of deciding
 * otherwise than the members that hold it: a reversal of an original whose detail has left the window's
 * in-memory ring, on a member whose journal positions are gone (as after a start from a cluster snapshot).
 */
class HistoryGuardTest
{
    @TempDir
    Path directory;

    private final AuthorizerHarness h = AuthorizerHarness.atGenesis(AuthorizerHarness.SMALL_WINDOW_DETAIL);
    private final JournalRecord record = new JournalRecord();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);

    /** Decides a request and journals it, as a member's clustered service does. */
    private AuthOutcome send(final ChronicleJournal journal, final AuthRequest request)
    {
        final AuthOutcome outcome = h.send(request);
        journal.append(buffer, record.encodeRequest(buffer, request, outcome));
        h.authorizer.positions().recorded(outcome.sequence, journal.lastAppendedIndex());
        return outcome;
    }

    @Test
    void shouldReadAnOldOriginalFromTheJournalAndStopWhenTheJournalLacksIt()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            h.authorizer.journal(new HistoryGuard(journal.lookup(h.authorizer.positions())));
            final AuthRequest first = h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(1_000).build();
            final AuthRequest second = h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(500).build();
            assertEquals(ResponseCode.APPROVED, send(journal, first).responseCode);
            assertEquals(ResponseCode.APPROVED, send(journal, second).responseCode);
            for (int i = 0; i < 2 * AuthorizerHarness.SMALL_WINDOW_DETAIL; i++)
            {
                send(journal, h.financial(TestData.BAKERY).card(TestData.pan(TestData.HEAD)).code(9200).loaves(1).build());
            }

            // The member that holds its journal reads the original back and reverses it.
            assertEquals(1_000, send(journal, h.reversalOf(first).build()).amountApplied);

            // The member whose journal lacks it (its positions gone, as after a cluster snapshot): it stops, nothing moves.
            h.authorizer.positions().clear();
            final long balance = h.households.rationBalancePiasters(h.cards.household(TestData.HEAD));
            final HistoryGuard.MissingHistoryException stopped = assertThrows(HistoryGuard.MissingHistoryException.class,
                () -> h.send(h.reversalOf(second).build()));
            assertTrue(stopped.getMessage().contains("which this member's journal does not hold"), stopped.getMessage());
            // (The member then halts: what the authorizer counted in memory before the read is gone with the process.)
            assertEquals(balance, h.households.rationBalancePiasters(h.cards.household(TestData.HEAD)), "no credit given back");
        }
    }

    @Test
    void shouldStopTheMemberBeforeItJournalsOrAnswersWhenItsJournalLacksARecord()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            h.authorizer.journal(new HistoryGuard(journal.lookup(h.authorizer.positions())));
            final SwitchClusteredService service = new SwitchClusteredService(h.data, h.authorizer, journal, new PendingDecisions(16),
                0, 1L, null);
            final boolean[] stopped = new boolean[1];
            service.onMissingHistory(() -> stopped[0] = true);
            final UnsafeBuffer entry = new UnsafeBuffer(new byte[LogMessages.REQUEST_BYTES]);
            final io.aeron.logbuffer.Header header = new io.aeron.logbuffer.Header(0, 16);
            header.buffer(new UnsafeBuffer(new byte[64]));
            final AuthRequest first = h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(1_000).build();
            final AuthRequest[] log = new AuthRequest[2 + 2 * AuthorizerHarness.SMALL_WINDOW_DETAIL];
            log[0] = first;
            log[1] = h.reversalOf(first).build();
            for (int i = 2; i < log.length; i++)
            {
                log[i] = h.financial(TestData.BAKERY).card(TestData.pan(TestData.HEAD)).code(9200).loaves(1).build();
            }
            // The reversal comes after the fillers: its original's detail has left the ring by then.
            final AuthRequest reversal = log[1];
            log[1] = log[log.length - 1];
            log[log.length - 1] = reversal;
            for (int i = 0; i < log.length - 1; i++)
            {
                final int length = LogMessages.encodeRequest(entry, 1, 7L, i + 1, log[i]);
                service.onSessionMessage(null, h.nowMs(), entry, 0, length, header);
            }
            final long records = journal.records();
            h.authorizer.positions().clear();

            final int length = LogMessages.encodeRequest(entry, 1, 7L, log.length, reversal);
            assertThrows(HistoryGuard.MissingHistoryException.class, () -> service.onSessionMessage(null, h.nowMs(), entry, 0, length, header));
            assertTrue(stopped[0], "the member stops");
            assertEquals(records, journal.records(), "nothing journaled for the request it could not decide as the others do");
            assertEquals(0, service.faults(), "not counted as a deterministic fault, which every member would answer 96");
        }
    }
}
