package org.unicard.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalPretoucherTest
{
    private static final int RECORD_BYTES = 200;
    private static final long AHEAD_BYTES = 2L << 20;

    @TempDir
    Path directory;

    @Test
    void shouldPublishTheAppendersFileAndTheEndOfItsLastRecord() throws Exception
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            assertNull(journal.appendingFile(), "nothing appended yet");
            assertEquals(0, journal.appendedUpTo());
            long previous = 0;
            for (int i = 0; i < 100; i++)
            {
                append(journal, i);
                final long upTo = journal.appendedUpTo();
                assertTrue(upTo >= previous + RECORD_BYTES + 4, "record " + i + " ends at " + upTo + ", the one before at " + previous);
                previous = upTo;
            }
            assertTrue(journal.appendingFile().getName().endsWith(".cq4"), journal.appendingFile().getName());
            assertTrue(Files.size(journal.appendingFile().toPath()) >= previous, "the published end lies inside the file");
        }
    }

    @Test
    void shouldKeepTheFileReadAheadOfTheAppenderAndChangeNoRecord()
    {
        final int records = 20_000;
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            append(journal, 0);
            try (JournalPretoucher pretoucher = JournalPretoucher.start(journal, AHEAD_BYTES, true))
            {
                awaitTouched(pretoucher, journal.appendedUpTo() + AHEAD_BYTES);
                for (int i = 1; i < records; i++)
                {
                    append(journal, i);
                }
                final long end = journal.appendedUpTo();
                assertTrue(end > AHEAD_BYTES, "the appender went past the first distance read ahead: " + end);
                awaitTouched(pretoucher, end + AHEAD_BYTES);
            }
            try (ChronicleJournal.Reader reader = journal.reader())
            {
                final UnsafeBuffer into = new UnsafeBuffer(new byte[RECORD_BYTES * 2]);
                for (int i = 0; i < records; i++)
                {
                    assertEquals(RECORD_BYTES, reader.next(into), "record " + i);
                    assertArrayEquals(content(i), Arrays.copyOf(into.byteArray(), RECORD_BYTES), "record " + i);
                }
                assertTrue(reader.next(into) < 0, "no record more");
            }
        }
    }

    @Test
    void shouldMapThePagesAheadForWritingSoThatTheAppenderTakesNoFaultOnThem() throws Exception
    {
        // The same 1 MB of appends (256 pages) with the pages only read ahead, then also mapped for writing.
        final long readOnly = appenderFaultsOverOneMegabyte(false);
        final long populated = appenderFaultsOverOneMegabyte(true);
        assertTrue(readOnly >= 200, "a page only read ahead still faults on its first write: faults=" + readOnly);
        assertTrue(populated < 20, "pages mapped for writing ahead: faults=" + populated + " (read ahead only: " + readOnly + ")");
    }

    @Test
    void shouldPublishTheAppendersMappingAndWithdrawItWhenTheAppenderIsReleased()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final JournalPretoucher.Region region = new JournalPretoucher.Region();
            assertFalse(journal.appendingRegion(region), "nothing appended yet");
            append(journal, 0);
            assertTrue(journal.appendingRegion(region));
            assertEquals(journal.appendingFile(), region.file);
            assertTrue(region.start <= journal.appendedUpTo() && journal.appendedUpTo() <= region.limit,
                "the last record lies in the mapping: " + region.start + " <= " + journal.appendedUpTo() + " <= " + region.limit);
            assertTrue(region.address != 0);
            assertTrue(journal.stillAppendingThrough(region));
            // A released appender's mapping may be unmapped with it: it is withdrawn, never left to be advised.
            journal.releaseAppender();
            assertFalse(journal.stillAppendingThrough(region));
            assertFalse(journal.appendingRegion(new JournalPretoucher.Region()), "withdrawn");
            append(journal, 1);
            assertTrue(journal.appendingRegion(region), "the next appender publishes its own");
            assertEquals(journal.appendingFile(), region.file);
        }
    }

    @Test
    void shouldMapNoPageForWritingWhileTheFileSystemIsAtItsReserve()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory);
             JournalPretoucher pretoucher = JournalPretoucher.start(journal, AHEAD_BYTES, true))
        {
            // A page mapped for writing takes its space at once: at the reserve, none is.
            final long[] spare = {0};
            pretoucher.keepReserve(() -> spare[0]);
            append(journal, 0);
            awaitTouched(pretoucher, journal.appendedUpTo() + AHEAD_BYTES);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3 * JournalPretoucher.INTERVAL_NS / 1_000_000));
            assertEquals(0, pretoucher.populatedUpTo(), "read ahead, but nothing mapped for writing");
            // With room again, it maps as far as it has read.
            spare[0] = Long.MAX_VALUE;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pretoucher.populatedUpTo() < journal.appendedUpTo() + AHEAD_BYTES - MappedPages.PAGE_BYTES)
            {
                assertTrue(System.nanoTime() < deadline, "mapped for writing up to " + pretoucher.populatedUpTo());
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /**
     * Appends records until the pretoucher is 2 MB ahead, then counts the appending thread's minor page faults
     * over 1 MB more, and checks that every record reads back unchanged.
     */
    private long appenderFaultsOverOneMegabyte(final boolean populate) throws Exception
    {
        final Path journalDirectory = Files.createTempDirectory(directory, populate ? "populated" : "read-only");
        final UnsafeBuffer record = new UnsafeBuffer(content(7));
        final int records = (1 << 20) / RECORD_BYTES;
        final long faults;
        try (ChronicleJournal journal = ChronicleJournal.open(journalDirectory))
        {
            journal.append(record, RECORD_BYTES);
            try (JournalPretoucher pretoucher = JournalPretoucher.start(journal, AHEAD_BYTES, populate))
            {
                awaitTouched(pretoucher, journal.appendedUpTo() + AHEAD_BYTES);
                if (populate)
                {
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (pretoucher.populatedUpTo() < journal.appendedUpTo() + AHEAD_BYTES - MappedPages.PAGE_BYTES)
                    {
                        assertTrue(System.nanoTime() < deadline, "mapped for writing up to " + pretoucher.populatedUpTo());
                        LockSupport.parkNanos(1_000_000);
                    }
                }
                final long before = minorFaultsOfThisThread();
                for (int i = 0; i < records; i++)
                {
                    journal.append(record, RECORD_BYTES);
                }
                faults = minorFaultsOfThisThread() - before;
            }
            try (ChronicleJournal.Reader reader = journal.reader())
            {
                final UnsafeBuffer into = new UnsafeBuffer(new byte[RECORD_BYTES * 2]);
                for (int i = 0; i <= records; i++)
                {
                    assertEquals(RECORD_BYTES, reader.next(into), "record " + i);
                    assertArrayEquals(content(7), Arrays.copyOf(into.byteArray(), RECORD_BYTES), "record " + i);
                }
                assertTrue(reader.next(into) < 0, "no record more");
            }
        }
        return faults;
    }

    /** Field 10 of /proc/thread-self/stat: minor faults of the calling thread. */
    private static long minorFaultsOfThisThread() throws IOException
    {
        final String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    }

    @Test
    void shouldStopItsThreadWhenTheJournalCloses()
    {
        final ChronicleJournal journal = ChronicleJournal.open(directory);
        journal.startPretouch();
        append(journal, 0);
        assertTrue(pretouchThreadAlive());
        journal.close();
        assertFalse(pretouchThreadAlive(), "the journal's close stops the pretoucher");
    }

    @Test
    void shouldRefuseADistanceShorterThanOneRead()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> JournalPretoucher.start(journal, 4096, true));
            assertEquals("aheadBytes=4096 min=65536", ex.getMessage());
        }
    }

    private static boolean pretouchThreadAlive()
    {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("journal-pretouch") && t.isAlive());
    }

    private static void awaitTouched(final JournalPretoucher pretoucher, final long offset)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pretoucher.touchedUpTo() < offset)
        {
            assertTrue(System.nanoTime() < deadline, "read ahead up to " + pretoucher.touchedUpTo() + ", expected " + offset);
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static void append(final ChronicleJournal journal, final int i)
    {
        final UnsafeBuffer record = new UnsafeBuffer(content(i));
        journal.append(record, RECORD_BYTES);
    }

    private static byte[] content(final int i)
    {
        final byte[] bytes = new byte[RECORD_BYTES];
        for (int b = 0; b < bytes.length; b++)
        {
            bytes[b] = (byte)(i * 31 + b);
        }
        return bytes;
    }
}
