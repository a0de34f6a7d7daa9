package org.unicard.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.Authorizer;
import org.unicard.config.ProgramRules;
import org.unicard.recovery.JournalReplayer;
import org.unicard.testing.TestData;

/**
 * The tail of a real queue file damaged the ways a crash leaves it: {@link ChronicleJournal#openCuttingTornTail}
 * cuts it back to the last whole record, says so, and appending carries on with contiguous queue
 * indexes across further restarts. Damage before the last record is not cut: the replay stops on it.
 * A reader's {@link ChronicleJournal#openReadOnly} changes nothing.
 */
class ChronicleJournalTornTailTest
{
    private static final int RECORDS = 130;
    private static final int NOT_COMPLETE_UNKNOWN_LENGTH = 0x8000_0000;

    @TempDir
    Path directory;

    private final JournalRecord record = new JournalRecord();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);

    @Test
    void shouldOpenAWholeJournalWithoutCutting()
    {
        writeJournal();

        try (ChronicleJournal journal = ChronicleJournal.openCuttingTornTail(directory))
        {
            assertNull(journal.cutTail());
        }
        assertWholeRecords(RECORDS);
    }

    @Test
    void shouldCutAnIncompleteHeaderWithPartOfARecord() throws IOException
    {
        final Excerpt last = writeJournal();
        final byte[] partial = new byte[200];
        java.util.Arrays.fill(partial, (byte)0x5A);
        writeAt(last.end, intBytes(NOT_COMPLETE_UNKNOWN_LENGTH));
        writeAt(last.end + 4, partial);

        assertCutThenAppendable(last.end, "incomplete excerpt header=80000000", RECORDS);
    }

    @Test
    void shouldNotCutWhenOpenedByAReader() throws IOException
    {
        final Excerpt last = writeJournal();
        final byte[] torn = {0, 0, 0, (byte)0x80, 1, 2, 3, 4};
        writeAt(last.end, torn);

        try (ChronicleJournal journal = ChronicleJournal.openReadOnly(directory))
        {
            assertNull(journal.cutTail());
            assertEquals(RECORDS, JournalReplayer.replay(journal, fresh(), TestData.FINGERPRINT, count -> { }));
        }
        try (RandomAccessFile file = new RandomAccessFile(queueFile().toFile(), "r"))
        {
            final byte[] after = new byte[torn.length];
            file.seek(last.end);
            file.readFully(after);
            assertArrayEquals(torn, after, "a reader changed the journal");
        }
    }

    @Test
    void shouldCutAnIncompleteHeaderWithNoData() throws IOException
    {
        final Excerpt last = writeJournal();
        writeAt(last.end, intBytes(NOT_COMPLETE_UNKNOWN_LENGTH));

        assertCutThenAppendable(last.end, "incomplete excerpt header=80000000", RECORDS);
    }

    @Test
    void shouldCutAnIncompleteHeaderThatAlreadyHoldsALength() throws IOException
    {
        final Excerpt last = writeJournal();
        writeAt(last.end, intBytes(NOT_COMPLETE_UNKNOWN_LENGTH | 24));
        writeAt(last.end + 4, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});

        assertCutThenAppendable(last.end, "incomplete excerpt header=80000018", RECORDS);
    }

    @Test
    void shouldCutALastRecordWhoseDataNeverReachedTheDisk() throws IOException
    {
        final Excerpt last = writeJournal();
        writeAt(last.start, new byte[(int)(last.end - last.start)]);

        assertCutThenAppendable(last.start - 4, "is damaged: ", RECORDS - 1);
    }

    @Test
    void shouldCutALastRecordWithAFlippedByte() throws IOException
    {
        final Excerpt last = writeJournal();
        flipByte(last.start + 10);

        assertCutThenAppendable(last.start - 4, "is damaged: ", RECORDS - 1);
    }

    @Test
    void shouldCutStrayBytesAfterTheLastRecord() throws IOException
    {
        final Excerpt last = writeJournal();
        writeAt(last.end + 4, new byte[]{(byte)0xEE, (byte)0xEE, 0, 0, 0x11});

        assertCutThenAppendable(last.end, "stray bytes after the last whole excerpt", RECORDS);
    }

    @Test
    void shouldCutAFileTruncatedInsideTheLastRecord() throws IOException
    {
        final Excerpt last = writeJournal();
        try (RandomAccessFile file = new RandomAccessFile(queueFile().toFile(), "rw"))
        {
            file.setLength(last.start + 5);
        }

        assertCutThenAppendable(last.start - 4, "is damaged: ", RECORDS - 1);
    }

    @Test
    void shouldStopReplayOnDamageBeforeTheLastRecord() throws IOException
    {
        writeJournal();
        final List<Excerpt> excerpts = excerpts();
        flipByte(excerpts.get(RECORDS / 2).start + 10);

        try (ChronicleJournal journal = ChronicleJournal.openCuttingTornTail(directory))
        {
            assertNull(journal.cutTail());
            final JournalException stopped = assertThrows(JournalException.class,
                () -> JournalReplayer.replay(journal, fresh(), TestData.FINGERPRINT, count -> { }));
            assertTrue(stopped.getMessage().contains("record=" + (RECORDS / 2 + 1) + " reason=damaged record: crc"),
                stopped.getMessage());
            assertTrue(stopped.getMessage().contains("index=" + Long.toHexString(excerpts.get(RECORDS / 2).index)),
                stopped.getMessage());
        }
    }

    @Test
    void shouldStopReplayOnACutRecordFollowedByAnAppendedOne() throws IOException
    {
        final Excerpt last = writeJournal();
        flipByte(last.start + 10);
        try (ChronicleJournal journal = ChronicleJournal.openCuttingTornTail(directory))
        {
            assertNotNull(journal.cutTail());
        }
        // The cut is physical: a new record appended after it is whole, so the journal replays.
        try (ChronicleJournal journal = ChronicleJournal.openCuttingTornTail(directory))
        {
            journal.append(buffer, record.encodeRules(buffer, ProgramRules.defaults()));
        }
        try (ChronicleJournal journal = ChronicleJournal.openCuttingTornTail(directory))
        {
            assertNull(journal.cutTail());
            assertEquals(RECORDS, JournalReplayer.replay(journal, fresh(), TestData.FINGERPRINT, count -> { }));
        }
    }

    private void assertCutThenAppendable(final long position, final String reason, final int wholeRecords)
    {
        try (ChronicleJournal journal = ChronicleJournal.openCuttingTornTail(directory))
        {
            final String cut = journal.cutTail();
            assertNotNull(cut, "nothing cut");
            assertTrue(cut.contains("journal=" + directory), cut);
            assertTrue(cut.contains("position=" + position + " "), cut);
            assertTrue(cut.contains(reason), cut);
            assertEquals(wholeRecords, JournalReplayer.replay(journal, fresh(), TestData.FINGERPRINT, count -> { }));
            for (int i = 0; i < 3; i++)
            {
                journal.append(buffer, record.encodeRules(buffer, ProgramRules.defaults()));
            }
        }
        try (ChronicleJournal journal = ChronicleJournal.openCuttingTornTail(directory))
        {
            assertNull(journal.cutTail(), "cut again after appending");
            assertEquals(wholeRecords + 3, JournalReplayer.replay(journal, fresh(), TestData.FINGERPRINT, count -> { }));
            journal.append(buffer, record.encodeRules(buffer, ProgramRules.defaults()));
        }
        assertWholeRecords(wholeRecords + 4);
    }

    /**
     * Every record whole, queue indexes contiguous, and each record found again by its index.
     */
    private void assertWholeRecords(final int expected)
    {
        final List<Excerpt> excerpts = excerpts();
        assertEquals(expected, excerpts.size());
        try (SingleChronicleQueue queue = queue(); ExcerptTailer tailer = queue.createTailer())
        {
            assertEquals(excerpts.get(expected - 1).index, queue.lastIndex());
            for (int i = 0; i < expected; i++)
            {
                final Excerpt excerpt = excerpts.get(i);
                assertNull(excerpt.damage, "record " + i + " " + excerpt.damage);
                if (i > 0)
                {
                    assertEquals(excerpts.get(i - 1).index + 1, excerpt.index, "index after record " + (i - 1));
                }
                assertTrue(tailer.moveToIndex(excerpt.index), "moveToIndex " + Long.toHexString(excerpt.index));
                try (DocumentContext context = tailer.readingDocument())
                {
                    assertTrue(context.isPresent());
                    assertEquals(excerpt.start, context.wire().bytes().readPosition(), "record " + i + " by index");
                }
            }
        }
    }

    private Excerpt writeJournal()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            journal.append(buffer, record.encodeGenesis(buffer, TestData.GENESIS_MS, TestData.FINGERPRINT));
            for (int i = 1; i < RECORDS; i++)
            {
                journal.append(buffer, record.encodeRules(buffer, ProgramRules.defaults()));
            }
        }
        final List<Excerpt> excerpts = excerpts();
        assertEquals(RECORDS, excerpts.size());

        return excerpts.get(RECORDS - 1);
    }

    private List<Excerpt> excerpts()
    {
        final List<Excerpt> excerpts = new ArrayList<>();
        final UnsafeBuffer data = new UnsafeBuffer(new byte[4096]);
        try (SingleChronicleQueue queue = queue(); ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        return excerpts;
                    }
                    final Bytes<?> bytes = context.wire().bytes();
                    final long start = bytes.readPosition();
                    final int length = (int)bytes.readRemaining();
                    bytes.read(data.byteArray(), 0, Math.min(length, data.capacity()));
                    excerpts.add(new Excerpt(context.index(), start, start + length, record.verify(data, length)));
                }
            }
        }
    }

    private SingleChronicleQueue queue()
    {
        return SingleChronicleQueueBuilder.single(directory.toFile()).rollCycle(LegacyRollCycles.DAILY).build();
    }

    private Path queueFile() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    private void writeAt(final long position, final byte[] bytes) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(queueFile().toFile(), "rw"))
        {
            file.seek(position);
            file.write(bytes);
        }
    }

    private void flipByte(final long position) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(queueFile().toFile(), "rw"))
        {
            file.seek(position);
            final int b = file.read();
            file.seek(position);
            file.write(b ^ 0x40);
        }
    }

    private static byte[] intBytes(final int value)
    {
        return new byte[]{(byte)value, (byte)(value >>> 8), (byte)(value >>> 16), (byte)(value >>> 24)};
    }

    private static Authorizer fresh()
    {
        return new Authorizer(TestData.dataSet(), ProgramRules.defaults(), 64, 64);
    }

    private record Excerpt(long index, long start, long end, String damage)
    {
    }
}
