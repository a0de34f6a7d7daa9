package org.unicard.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.config.ProgramRules;
import org.unicard.testing.TestData;

/**
 * {@link JournalLock}: one writer per journal (spec §8). The holder's PID is in the lock file; a
 * second writer, in this process or another, is refused with the directory and that PID and changes
 * nothing (not even a torn tail it would otherwise cut); readers open beside the writer; the lock
 * goes when its holder closes it or dies.
 */
class JournalLockTest
{
    @TempDir
    Path directory;

    private Process holder;

    @AfterEach
    void killHolder()
    {
        if (holder != null && holder.isAlive())
        {
            holder.destroyForcibly();
        }
    }

    @Test
    void shouldWriteTheHoldersPidAndEmptyTheFileOnClose() throws IOException
    {
        try (JournalLock lock = JournalLock.acquire(directory))
        {
            assertEquals(directory, lock.directory());
            assertEquals(Long.toString(ProcessHandle.current().pid()), JournalLock.holderPid(directory));
        }
        assertNull(JournalLock.holderPid(directory), "a released lock names no holder");
    }

    @Test
    void shouldRefuseASecondWriterInTheSameProcessUntilTheFirstCloses()
    {
        final JournalLock first = JournalLock.acquire(directory);
        final JournalLockedException refused = assertThrows(JournalLockedException.class, () -> JournalLock.acquire(directory));
        assertEquals("journal=" + directory + " reason=another process writes this journal: pid=" + ProcessHandle.current().pid() +
            " holds " + directory.resolve(JournalLock.FILE_NAME) + " (only one switch may write a journal; nothing was changed)",
            refused.getMessage());
        assertThrows(JournalLockedException.class, () -> ChronicleJournal.open(directory));

        first.close();
        first.close();
        JournalLock.acquire(directory).close();
    }

    @Test
    void shouldRefuseAWriterWhileAnotherProcessHoldsTheLockAndCutNothing() throws Exception
    {
        final Path queueFile = journalWithATornTail();
        final byte[] before = Files.readAllBytes(queueFile);
        final long pid = startHolder();

        final JournalLockedException refused = assertThrows(JournalLockedException.class,
            () -> ChronicleJournal.openCuttingTornTail(directory));

        assertTrue(refused.getMessage().startsWith("journal=" + directory + " "), refused.getMessage());
        assertTrue(refused.getMessage().contains("pid=" + pid + " "), refused.getMessage());
        assertArrayEquals(before, Files.readAllBytes(queueFile), "the refused writer cut the torn tail");
        assertEquals(Long.toString(pid), JournalLock.holderPid(directory), "the refused writer touched the lock file");
        assertThrows(JournalLockedException.class, () -> ChronicleJournal.open(directory));
        try (ChronicleJournal reader = ChronicleJournal.openReadOnly(directory))
        {
            assertEquals(2, reader.records(), "a reader opens beside the writer");
        }
    }

    @Test
    void shouldTakeTheLockOnceItsHolderIsKilled() throws Exception
    {
        final Path queueFile = journalWithATornTail();
        startHolder();

        holder.destroyForcibly();
        assertTrue(holder.waitFor(10, TimeUnit.SECONDS));

        try (ChronicleJournal journal = ChronicleJournal.openCuttingTornTail(directory))
        {
            assertTrue(journal.cutTail() != null && journal.cutTail().contains("file=" + queueFile.getFileName()), journal.cutTail());
            assertEquals(Long.toString(ProcessHandle.current().pid()), JournalLock.holderPid(directory));
        }
    }

    @Test
    void shouldFailWithTheDirectoryWhenItDoesNotExist()
    {
        final Path missing = directory.resolve("missing");
        final JournalException failed = assertThrows(JournalException.class, () -> JournalLock.acquire(missing));
        assertTrue(failed.getMessage().startsWith("journal directory=" + missing + " reason=cannot lock"), failed.getMessage());
        assertTrue(!Files.exists(missing));
    }

    /**
     * A journal of two records followed by an incomplete excerpt header, which a writer would cut.
     */
    private Path journalWithATornTail() throws IOException
    {
        final JournalRecord record = new JournalRecord();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        final long end;
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            journal.append(buffer, record.encodeGenesis(buffer, TestData.GENESIS_MS, TestData.FINGERPRINT));
            journal.append(buffer, record.encodeRules(buffer, ProgramRules.defaults()));
        }
        final Path queueFile;
        try (Stream<Path> files = Files.list(directory))
        {
            queueFile = files.filter(file -> file.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        end = lastRecordEnd();
        try (RandomAccessFile file = new RandomAccessFile(queueFile.toFile(), "rw"))
        {
            file.seek(end);
            file.write(new byte[] {0, 0, 0, (byte)0x80, 1, 2, 3, 4});
        }
        return queueFile;
    }

    /**
     * Where the last excerpt's bytes end in its queue file: the next excerpt's header would go there.
     */
    private long lastRecordEnd()
    {
        long end = -1;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(directory.toFile())
            .rollCycle(LegacyRollCycles.DAILY).readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        return end;
                    }
                    final Bytes<?> bytes = context.wire().bytes();
                    end = bytes.readPosition() + bytes.readRemaining();
                }
            }
        }
    }

    private long startHolder() throws Exception
    {
        final String java = ProcessHandle.current().info().command().orElse("java");
        holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(), directory.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        final BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        final String line = lines.readLine();
        assertEquals("locked " + holder.pid(), line, "the holder process says it holds the lock");
        return holder.pid();
    }

    /**
     * A second process that takes the lock, says so, and holds it until its standard input closes
     * or it is killed.
     */
    public static final class Holder
    {
        public static void main(final String[] args) throws IOException
        {
            final JournalLock lock = JournalLock.acquire(Path.of(args[0]));
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0)
            {
                Thread.onSpinWait();
            }
            lock.close();
        }
    }
}
