package org.unicard.recovery;

import java.nio.file.Path;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.config.ProgramRules;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalException;
import org.unicard.journal.JournalRecord;
import org.unicard.state.DataSet;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.RandomTraffic;
import org.unicard.testing.StateCapture;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay on the calling thread alone and replay with the reader thread ahead of it, prefetching
 * or not, give the same state, stop at the same record for the same reasons, honour an end index in
 * the middle of a batch, and leave no reader thread behind. The journal is long enough for the reader thread's
 * ring of {@link JournalReplayer#BATCHES_AHEAD} batches to wrap several times.
 */
class ReplayModesTest
{
    private static final int STEPS = 4_000;

    @TempDir
    Path directory;

    private final JournalRecord record = new JournalRecord();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);

    private static Authorizer fresh(final DataSet data)
    {
        return new Authorizer(data, ProgramRules.defaults(), AuthorizerHarness.WINDOW_CAPACITY, AuthorizerHarness.LEDGER_CAPACITY,
            AuthorizerHarness.SMALL_WINDOW_DETAIL);
    }

    /** Journals GENESIS then a seeded random stream; @return the live harness. */
    private AuthorizerHarness journalRandomStream(final ChronicleJournal journal, final long seed, final int damageAtRecord)
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis(AuthorizerHarness.SMALL_WINDOW_DETAIL);
        h.authorizer.journal(journal.lookup(h.authorizer.positions()));
        journal.append(buffer, record.encodeGenesis(buffer, TestData.GENESIS_MS, TestData.FINGERPRINT));
        final long[] records = {1};
        final RandomTraffic stream = new RandomTraffic(seed, h, (AuthRequest request) ->
        {
            final AuthOutcome outcome = h.send(request);
            final int length = record.encodeRequest(buffer, request, outcome);
            records[0]++;
            if (records[0] == damageAtRecord)
            {
                buffer.putByte(100, (byte)(buffer.getByte(100) ^ 0x10));
            }
            journal.append(buffer, length);
            h.authorizer.positions().recorded(outcome.sequence, journal.lastAppendedIndex());
            return outcome;
        });
        for (int i = 0; i < STEPS; i++)
        {
            stream.step();
        }
        return h;
    }

    private static boolean readerThreadAlive()
    {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("journal-replay-reader") && t.isAlive());
    }

    @ParameterizedTest(name = "mode={0}")
    @EnumSource(JournalReplayer.Mode.class)
    void shouldReplayALongStreamIntoEqualStateInTwoParts(final JournalReplayer.Mode mode)
    {
        final DataSet replayData = TestData.dataSet();
        final Authorizer replayed = fresh(replayData);
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final AuthorizerHarness live = journalRandomStream(journal, 7, -1);
            final long total = journal.records();
            assertTrue(total > 3 * JournalReplayer.BATCHES_AHEAD * 64, "records=" + total);

            // Stop in the middle of a batch, then go on from where the first part ended.
            final JournalReplayer.Position position = new JournalReplayer.Position();
            final long middle;
            try (ChronicleJournal.Reader indexes = journal.reader())
            {
                final UnsafeBuffer scratch = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
                for (int i = 0; i < 1_337; i++)
                {
                    indexes.next(scratch);
                }
                middle = indexes.index();
            }
            final long first;
            try (ChronicleJournal.Reader reader = journal.reader())
            {
                first = JournalReplayer.replay(journal, reader, replayed, TestData.FINGERPRINT, middle, position, count -> { },
                    mode);
            }
            assertEquals(1_337, first);
            assertEquals(1_337, position.records);
            assertEquals(middle, position.lastIndex);
            final long second;
            try (ChronicleJournal.Reader reader = journal.readerAt(position.lastIndex))
            {
                reader.next(new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]));
                second = JournalReplayer.replay(journal, reader, replayed, TestData.FINGERPRINT, JournalReplayer.TO_END, position,
                    count -> { }, mode);
            }
            assertEquals(total, first + second);
            assertEquals(total, position.records);
            assertEquals(live.authorizer.sequence(), replayed.sequence());
            final List<Object> expected = StateCapture.of(live.data, live.authorizer);
            assertNull(StateCapture.firstDifference(expected, StateCapture.of(replayData, replayed)));
        }
        assertFalse(readerThreadAlive());
    }

    @ParameterizedTest(name = "mode={0}")
    @EnumSource(JournalReplayer.Mode.class)
    void shouldApplyEveryRecordBeforeADamagedOneAndStopThere(final JournalReplayer.Mode mode)
    {
        final int damaged = 2_500;
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            journalRandomStream(journal, 8, damaged);
            final JournalReplayer.Position position = new JournalReplayer.Position();
            final Authorizer replayed = fresh(TestData.dataSet());
            final JournalException stopped;
            try (ChronicleJournal.Reader reader = journal.reader())
            {
                stopped = assertThrows(JournalException.class, () -> JournalReplayer.replay(
                    journal, reader, replayed, TestData.FINGERPRINT, JournalReplayer.TO_END, position, count -> { }, mode));
            }
            assertTrue(stopped.getMessage().contains("record=" + damaged + " reason=damaged record: crc32c"), stopped.getMessage());
            assertEquals(damaged - 1, position.records);
            assertEquals(damaged - 2, replayed.sequence(), "every request before the damaged record, none after");
        }
        assertFalse(readerThreadAlive());
    }

    @ParameterizedTest(name = "mode={0}")
    @EnumSource(JournalReplayer.Mode.class)
    void shouldStopTheReaderWhenADecisionDiffers(final JournalReplayer.Mode mode)
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            journalRandomStream(journal, 9, -1);
            // Replaying over state that already holds the stream decides the first request differently.
            final Authorizer twice = fresh(TestData.dataSet());
            JournalReplayer.replay(journal, twice, TestData.FINGERPRINT, count -> { });
            final JournalReplayer.Position position = new JournalReplayer.Position();
            try (ChronicleJournal.Reader reader = journal.reader())
            {
                reader.next(new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]));
                position.records = 1;
                position.lastIndex = reader.index();
                final JournalException stopped = assertThrows(JournalException.class, () -> JournalReplayer.replay(
                    journal, reader, twice, TestData.FINGERPRINT, JournalReplayer.TO_END, position, count -> { }, mode));
                assertTrue(stopped.getMessage().contains("reason=replay decided differently"), stopped.getMessage());
                assertEquals(1, position.records, "nothing applied");
            }
        }
        assertFalse(readerThreadAlive());
    }
}
