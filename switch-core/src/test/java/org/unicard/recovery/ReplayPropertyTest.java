package org.unicard.recovery;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
import org.unicard.testing.PublicFields;
import org.unicard.testing.StateCapture;
import org.unicard.testing.RandomTraffic;
import org.unicard.testing.Requests;
import org.unicard.testing.TestData;
import org.unicard.time.CairoCalendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay is exact: a seeded random stream of requests (purchases, returns, reversals repeated and
 * before their originals, retransmissions, wrong PINs, operator commands, a clock running over days
 * and month ends) decided by a live authorizer and journaled to a real Chronicle journal, replayed
 * into a fresh authorizer over a fresh copy of the data set, leaves every field of every table equal.
 */
class ReplayPropertyTest
{
    private static final int STEPS = 3_000;

    @TempDir
    Path directory;

    /** The live side: an authorizer whose every input goes to the journal. */
    private static final class Live
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis(AuthorizerHarness.SMALL_WINDOW_DETAIL);
        final JournalRecord record = new JournalRecord();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        final ChronicleJournal journal;
        final org.unicard.journal.JournalLookup lookup;
        final int[] codes = new int[100];
        final java.util.List<AuthRequest> sent = new java.util.ArrayList<>();
        long records;

        Live(final ChronicleJournal journal, final long fingerprint)
        {
            this.journal = journal;
            lookup = journal.lookup(h.authorizer.positions());
            h.authorizer.journal(lookup);
            journal.append(buffer, record.encodeGenesis(buffer, TestData.GENESIS_MS, fingerprint));
            records++;
        }

        AuthOutcome send(final AuthRequest request)
        {
            final AuthOutcome outcome = h.send(request);
            journal.append(buffer, record.encodeRequest(buffer, request, outcome));
            h.authorizer.positions().recorded(outcome.sequence, journal.lastAppendedIndex());
            records++;
            sent.add(request);
            codes[outcome.responseCode]++;
            return outcome;
        }
    }

    private static Authorizer freshAuthorizer(final DataSet data)
    {
        return new Authorizer(data, ProgramRules.defaults(), AuthorizerHarness.WINDOW_CAPACITY, AuthorizerHarness.LEDGER_CAPACITY,
            AuthorizerHarness.SMALL_WINDOW_DETAIL);
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1, 2, 3})
    void shouldReplayARandomStreamIntoEqualState(final long seed)
    {
        final DataSet replayData = TestData.dataSet();
        final Authorizer replayed = freshAuthorizer(replayData);
        final Live live;
        final long replayedRecords;
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            live = new Live(journal, TestData.FINGERPRINT);
            final RandomTraffic stream = new RandomTraffic(seed, live.h, live::send);
            for (int i = 0; i < STEPS; i++)
            {
                stream.step();
            }
            replayedRecords = JournalReplayer.replay(journal, replayed, TestData.FINGERPRINT, count -> { });
            replayed.journal(journal.lookup(replayed.positions()));
            assertBothAnswerRetransmissionsAlike(live, replayed);
        }

        assertEquals(live.records, replayedRecords);
        final Authorizer original = live.h.authorizer;
        assertEquals(original.sequence(), replayed.sequence());
        assertEquals(original.lastTimeMs(), replayed.lastTimeMs());
        assertEquals(original.firstBusinessDay(), replayed.firstBusinessDay());
        assertNull(StateCapture.firstDifference(StateCapture.of(live.h.data.households()), StateCapture.of(replayData.households())), "households");
        assertNull(StateCapture.firstDifference(StateCapture.of(live.h.data.cards()), StateCapture.of(replayData.cards())), "cards");
        assertEquals(original.window().size(), replayed.window().size());
        assertEquals(original.ledger().overflows(), replayed.ledger().overflows());
        assertStreamCoversTheRules(live, original);
        assertTrue(live.lookup.reads() > 0, "retransmissions and reversals of entries whose detail left memory read the journal");
    }

    @Test
    void shouldReplayReversalsAfterReturnsIntoTheSameBalances()
    {
        final DataSet replayData = TestData.dataSet();
        final Authorizer replayed = freshAuthorizer(replayData);
        final Live live;
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            live = new Live(journal, TestData.FINGERPRINT);
            final AuthorizerHarness h = live.h;
            final AuthRequest purchase = h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(3_000).build();
            live.send(purchase);
            live.send(h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(209100).egp(3_000).build());
            final AuthRequest reversal = h.reversalOf(purchase).build();
            assertEquals(ResponseCode.APPROVED, live.send(reversal).responseCode);
            live.send(h.reversalOf(purchase).build());
            live.send(h.again(reversal));
            JournalReplayer.replay(journal, replayed, TestData.FINGERPRINT, count -> { });
        }

        assertEquals(15_000, live.h.ration(TestData.SMALL));
        assertEquals(15_000, replayData.households().rationBalancePiasters(TestData.SMALL));
        assertNull(StateCapture.firstDifference(StateCapture.of(live.h.data.households()), StateCapture.of(replayData.households())));
    }

    /** After recovery the window must answer every recent request as the live one does. */
    private static void assertBothAnswerRetransmissionsAlike(final Live live, final Authorizer replayed)
    {
        final java.util.List<AuthRequest> recent = live.sent.subList(Math.max(0, live.sent.size() - 300), live.sent.size());
        final AuthOutcome fromReplayed = new AuthOutcome();
        for (final AuthRequest request : java.util.List.copyOf(recent))
        {
            final AuthRequest again = live.h.again(request);
            final AuthOutcome fromLive = live.h.send(again);
            replayed.authorize(again, fromReplayed);
            assertNull(fromLive.firstDifference(fromReplayed), "retransmission of sequence " + fromLive.duplicateOf);
        }
    }

    private static void assertStreamCoversTheRules(final Live live, final Authorizer original)
    {
        final int[] expected = {
            ResponseCode.APPROVED, ResponseCode.DO_NOT_HONOUR, ResponseCode.INVALID_PROCESSING_CODE, ResponseCode.INVALID_AMOUNT,
            ResponseCode.INVALID_CARD_NUMBER, ResponseCode.ORIGINAL_NOT_FOUND, ResponseCode.INSUFFICIENT_FUNDS,
            ResponseCode.WRONG_PIN, ResponseCode.NOT_PERMITTED_ON_TERMINAL, ResponseCode.RESTRICTED_CARD,
            ResponseCode.DUPLICATE_KEY_OTHER_CONTENT};
        for (final int code : expected)
        {
            assertTrue(live.codes[code] > 0, "the stream never produced code=" + code);
        }
        final int lastMonth = CairoCalendar.monthOfDay(CairoCalendar.instance().dayNumber(original.lastTimeMs()));
        assertTrue(lastMonth > CairoCalendar.monthOfDay(original.firstBusinessDay()), "the stream never crossed a month end");
    }

    @Test
    void shouldRefuseAJournalOfAnotherDataSet()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final Live live = new Live(journal, TestData.FINGERPRINT);
            live.send(live.h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(100).build());
            final long otherFingerprint = TestData.FINGERPRINT + 1;
            final Authorizer fresh = freshAuthorizer(TestData.dataSet(otherFingerprint));

            final JournalException refused = assertThrows(JournalException.class,
                () -> JournalReplayer.replay(journal, fresh, otherFingerprint, count -> { }));

            assertTrue(refused.getMessage().contains("another data set"), refused.getMessage());
            assertTrue(refused.getMessage().contains(Long.toHexString(TestData.FINGERPRINT)), refused.getMessage());
            assertEquals(0, fresh.sequence());
        }
    }

    @Test
    void shouldStopAtARecordWithAFlippedByteAndNameIt()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final Live live = new Live(journal, TestData.FINGERPRINT);
            for (int i = 0; i < 5; i++)
            {
                live.send(live.h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(100).build());
            }
            final AuthRequest damaged = live.h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(100)
                .build();
            final AuthOutcome outcome = live.h.send(damaged);
            final int length = live.record.encodeRequest(live.buffer, damaged, outcome);
            live.buffer.putByte(73, (byte)(live.buffer.getByte(73) ^ 0x10));
            journal.append(live.buffer, length);
            live.send(live.h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(100).build());
            final Authorizer fresh = freshAuthorizer(TestData.dataSet());

            final JournalException stopped = assertThrows(JournalException.class,
                () -> JournalReplayer.replay(journal, fresh, TestData.FINGERPRINT, count -> { }));

            assertTrue(stopped.getMessage().contains("record=7"), stopped.getMessage());
            assertTrue(stopped.getMessage().contains("damaged record"), stopped.getMessage());
            assertTrue(stopped.getMessage().contains("crc32c"), stopped.getMessage());
            assertEquals(5, fresh.sequence());
        }
    }

    @Test
    void shouldStopAtARecordDamagedOnDiskAndNameIt() throws IOException
    {
        final long marker = 0x0DD5_EED5_0DD5_EED5L;
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final Live live = new Live(journal, TestData.FINGERPRINT);
            for (int i = 0; i < 3; i++)
            {
                live.send(live.h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(100).build());
            }
            live.send(live.h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(100).contentHash(marker)
                .build());
            live.send(live.h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(100).build());
        }
        flipByteAfter(marker);

        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final Authorizer fresh = freshAuthorizer(TestData.dataSet());

            final JournalException stopped = assertThrows(JournalException.class,
                () -> JournalReplayer.replay(journal, fresh, TestData.FINGERPRINT, count -> { }));

            assertTrue(stopped.getMessage().contains("record=5"), stopped.getMessage());
            assertTrue(stopped.getMessage().contains("damaged record"), stopped.getMessage());
            assertEquals(3, fresh.sequence());
        }
    }

    /** Flips one bit of the byte that follows the only occurrence of a little-endian marker in the queue files. */
    private void flipByteAfter(final long marker) throws IOException
    {
        final byte[] pattern = new byte[8];
        for (int i = 0; i < 8; i++)
        {
            pattern[i] = (byte)(marker >>> (8 * i));
        }
        int found = 0;
        try (var files = Files.list(directory))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                for (int at = 0; at + 8 < bytes.length; at++)
                {
                    if (Arrays.equals(bytes, at, at + 8, pattern, 0, 8))
                    {
                        found++;
                        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                        {
                            raf.seek(at + 8);
                            raf.write(bytes[at + 8] ^ 0x04);
                        }
                    }
                }
            }
        }
        assertEquals(1, found, "marker occurrences in the queue files");
    }

    @Test
    void shouldStopAtARecordWhoseRecordedOutcomeReplayDecidesDifferently()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final Live live = new Live(journal, TestData.FINGERPRINT);
            live.send(live.h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(100).build());
            final AuthRequest request = live.h.financial(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100).egp(100)
                .build();
            final AuthOutcome outcome = live.h.send(request);
            outcome.responseCode = ResponseCode.INSUFFICIENT_FUNDS;
            journal.append(live.buffer, live.record.encodeRequest(live.buffer, request, outcome));
            final Authorizer fresh = freshAuthorizer(TestData.dataSet());

            final JournalException stopped = assertThrows(JournalException.class,
                () -> JournalReplayer.replay(journal, fresh, TestData.FINGERPRINT, count -> { }));

            assertTrue(stopped.getMessage().contains("sequence=2"), stopped.getMessage());
            assertTrue(stopped.getMessage().contains("field=responseCode"), stopped.getMessage());
        }
    }

    @Test
    void shouldApplyJournaledRulesFromTheirRecordOn()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final Live live = new Live(journal, TestData.FINGERPRINT);
            final long[] values = ProgramRules.defaults().values();
            values[4] = 1;
            final ProgramRules oneLoaf = ProgramRules.fromValues(values);
            live.h.authorizer.rules(oneLoaf);
            journal.append(live.buffer, live.record.encodeRules(live.buffer, oneLoaf));
            final AuthOutcome declined = live.send(live.h.financial(TestData.BAKERY).card(TestData.pan(TestData.HEAD)).code(9200)
                .loaves(4).build());
            assertEquals(ResponseCode.INSUFFICIENT_FUNDS, declined.responseCode);
            final Authorizer fresh = freshAuthorizer(TestData.dataSet());

            final long replayed = JournalReplayer.replay(journal, fresh, TestData.FINGERPRINT, count -> { });

            assertEquals(3, replayed);
            assertEquals(oneLoaf, fresh.rules());
        }
    }
}
