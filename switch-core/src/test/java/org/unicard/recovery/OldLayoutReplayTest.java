package org.unicard.recovery;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.config.ProgramRules;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalException;
import org.unicard.journal.JournalRecord;
import org.unicard.state.DataSet;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.StateCapture;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journals written by earlier builds replay to exactly the same state: REQUEST records of 260 bytes
 * (before the card's history link) and 268 bytes (before the balance after a reversal) among records of
 * today's 276 bytes. And the balance after a reversal is checked on replay, never taken from the record.
 */
class OldLayoutReplayTest
{
    @TempDir
    Path directory;

    private final AuthorizerHarness h = AuthorizerHarness.atGenesis(AuthorizerHarness.SMALL_WINDOW_DETAIL);
    private final JournalRecord record = new JournalRecord();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
    private long records;

    private static Authorizer freshAuthorizer(final DataSet data)
    {
        return new Authorizer(data, ProgramRules.defaults(), AuthorizerHarness.WINDOW_CAPACITY, AuthorizerHarness.LEDGER_CAPACITY,
            AuthorizerHarness.SMALL_WINDOW_DETAIL);
    }

    /** Decides a request live and journals it in the layout of {@code length} bytes. */
    private AuthOutcome send(final ChronicleJournal journal, final AuthRequest request, final int length)
    {
        final AuthOutcome outcome = h.send(request);
        assertEquals(JournalRecord.REQUEST_BYTES, record.encodeRequest(buffer, request, outcome));
        journal.append(buffer, resealAs(buffer, length));
        h.authorizer.positions().recorded(outcome.sequence, journal.lastAppendedIndex());
        records++;
        return outcome;
    }

    /** Rewrites a record's header as if it ended at {@code length}: how an earlier build wrote it. */
    private static int resealAs(final UnsafeBuffer record, final int length)
    {
        record.putShort(6, (short)length, ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        crc.update(Arrays.copyOfRange(record.byteArray(), 4, length));
        record.putInt(0, (int)crc.getValue(), ByteOrder.LITTLE_ENDIAN);
        return length;
    }

    @Test
    void shouldReplayReversalsJournaledInEveryEarlierLayoutIntoTheSameState()
    {
        final DataSet replayData = TestData.dataSet();
        final Authorizer replayed = freshAuthorizer(replayData);
        final long replayedRecords;
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            h.authorizer.journal(journal.lookup(h.authorizer.positions()));
            journal.append(buffer, record.encodeGenesis(buffer, TestData.GENESIS_MS, TestData.FINGERPRINT));
            records++;
            final int[] layouts = {
                JournalRecord.REQUEST_BYTES_BEFORE_HISTORY, JournalRecord.REQUEST_BYTES_BEFORE_BALANCE_AFTER, JournalRecord.REQUEST_BYTES};
            for (final int layout : layouts)
            {
                final AuthRequest ration = h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(1_000).build();
                final AuthRequest wallet = h.acquirerFinancial(TestData.BANK).card(TestData.pan(TestData.HEAD)).code(9400).egp(500)
                    .rightPin().build();
                final AuthRequest health = h.financial(TestData.HEALTH).card(TestData.pan(TestData.HEAD)).code(9300).egp(250).build();
                final AuthRequest cash = h.financial(TestData.POST).card(TestData.pan(TestData.BIG_HEAD)).code(19500).egp(2_000)
                    .rightPin().build();
                for (final AuthRequest original : new AuthRequest[] {ration, wallet, health, cash})
                {
                    assertEquals(ResponseCode.APPROVED, send(journal, original, layout).responseCode);
                }
                send(journal, h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(209100).egp(300).build(), layout);
                final AuthRequest rationReversal = h.reversalOf(ration).build();
                assertEquals(700, send(journal, rationReversal, layout).amountApplied);
                assertEquals(500, send(journal, h.reversalOf(wallet).build(), layout).amountApplied);
                assertEquals(250, send(journal, h.reversalOf(health).build(), layout).amountApplied);
                assertEquals(2_000, send(journal, h.reversalOf(cash).build(), layout).amountApplied);
                assertEquals(0, send(journal, h.reversalOf(ration).build(), layout).amountApplied, "a repeated reversal moves nothing");
                send(journal, h.again(rationReversal), layout);
            }

            replayedRecords = JournalReplayer.replay(journal, replayed, TestData.FINGERPRINT, count -> { });
        }

        assertEquals(records, replayedRecords);
        assertEquals(h.authorizer.sequence(), replayed.sequence());
        assertEquals(TestData.HEAD_WALLET_PIASTERS, replayData.cards().walletBalancePiasters(TestData.HEAD));
        assertEquals(15_000, replayData.households().rationBalancePiasters(TestData.SMALL), "each purchase returned or given back");
        assertNull(StateCapture.firstDifference(StateCapture.of(h.data.households()), StateCapture.of(replayData.households())));
        assertNull(StateCapture.firstDifference(StateCapture.of(h.data.cards()), StateCapture.of(replayData.cards())));
    }

    @Test
    void shouldStopWhenTheRecordedBalanceAfterAReversalDiffersFromTheReplayedOne()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            journal.append(buffer, record.encodeGenesis(buffer, TestData.GENESIS_MS, TestData.FINGERPRINT));
            final AuthRequest purchase = h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(1_000).build();
            send(journal, purchase, JournalRecord.REQUEST_BYTES);
            final AuthRequest reversal = h.reversalOf(purchase).build();
            final AuthOutcome outcome = h.send(reversal);
            assertEquals(15_000, outcome.balanceAfter);
            outcome.balanceAfter = 15_001;
            journal.append(buffer, record.encodeRequest(buffer, reversal, outcome));

            final JournalException stopped = assertThrows(JournalException.class,
                () -> JournalReplayer.replay(journal, freshAuthorizer(TestData.dataSet()), TestData.FINGERPRINT, count -> { }));

            assertTrue(stopped.getMessage().contains("sequence=" + outcome.sequence + " reason=replay decided differently field=balanceAfter"),
                stopped.getMessage());
        }
    }
}
