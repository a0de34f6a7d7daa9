package org.unicard.recovery;

import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.Authorizer;
import org.unicard.config.ProgramRules;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalException;
import org.unicard.journal.JournalRecord;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal entries that are not whole records stop the replay with an error naming the record.
 */
class JournalReplayerTest
{
    @TempDir
    Path directory;

    private final JournalRecord record = new JournalRecord();

    private static Authorizer fresh()
    {
        return new Authorizer(TestData.dataSet(), ProgramRules.defaults(), 64, 64);
    }

    @Test
    void shouldReplayAnEmptyJournalAsNothing()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final Authorizer authorizer = fresh();

            assertEquals(0, JournalReplayer.replay(journal, authorizer, TestData.FINGERPRINT, count -> { }));
            assertFalse(authorizer.hasGenesis());
        }
    }

    @Test
    void shouldSetGenesisFromTheJournal()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
            journal.append(buffer, record.encodeGenesis(buffer, TestData.GENESIS_MS, TestData.FINGERPRINT));
            final Authorizer authorizer = fresh();

            assertEquals(1, JournalReplayer.replay(journal, authorizer, TestData.FINGERPRINT, count -> { }));
            assertEquals(TestData.dayNumber(TestData.GENESIS.toLocalDate()), authorizer.firstBusinessDay());
            assertEquals(TestData.GENESIS_MS, authorizer.lastTimeMs());
        }
    }

    @Test
    void shouldStopAtAnEntryLongerThanAnyRecord()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
            journal.append(buffer, record.encodeGenesis(buffer, TestData.GENESIS_MS, TestData.FINGERPRINT));
            final UnsafeBuffer oversized = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES + 36]);
            journal.append(oversized, JournalRecord.MAX_BYTES + 36);

            final JournalException stopped = assertThrows(JournalException.class,
                () -> JournalReplayer.replay(journal, fresh(), TestData.FINGERPRINT, count -> { }));

            assertTrue(stopped.getMessage().contains("record=2"), stopped.getMessage());
            assertTrue(stopped.getMessage().contains("length=" + (JournalRecord.MAX_BYTES + 36) + " range=[8," + JournalRecord.MAX_BYTES + "]"), stopped.getMessage());
        }
    }

    @Test
    void shouldStopAtATruncatedRecord()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
            journal.append(buffer, record.encodeGenesis(buffer, TestData.GENESIS_MS, TestData.FINGERPRINT));
            final int length = record.encodeRules(buffer, ProgramRules.defaults());
            journal.append(buffer, length - 8);

            final JournalException stopped = assertThrows(JournalException.class,
                () -> JournalReplayer.replay(journal, fresh(), TestData.FINGERPRINT, count -> { }));

            assertTrue(stopped.getMessage().contains("record=2"), stopped.getMessage());
            assertTrue(stopped.getMessage().contains("declared length=" + length + " actual=" + (length - 8)),
                stopped.getMessage());
        }
    }
}
