package org.unicard.journal;

import java.nio.file.Files;
import java.nio.file.Path;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The journal on disk: a Chronicle Queue of {@link JournalRecord}s, one excerpt each, in the
 * directory given at start ({@code --journal}, default {@code DATA/journal}).
 * <p>
 * An appended record is in the memory-mapped queue file when {@link #append} returns, so it
 * survives the death of the process (kill -9); surviving a power cut depends on the OS flushing
 * its page cache (see docs/design.md). Appends come from one thread at a time: the journal stage
 * once the ring runs, the starting thread before.
 */
public final class ChronicleJournal implements AutoCloseable
{
    private final Path directory;
    private final SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private long appended;

    private ChronicleJournal(final Path directory, final SingleChronicleQueue queue)
    {
        this.directory = directory;
        this.queue = queue;
    }

    /**
     * Opens (or creates) the journal in a directory.
     *
     * @throws JournalException when the directory cannot be created or written.
     */
    public static ChronicleJournal open(final Path directory)
    {
        try
        {
            Files.createDirectories(directory);
        }
        catch (final Exception ex)
        {
            throw new JournalException("journal directory=" + directory + " reason=cannot create: " + ex.getMessage(), ex);
        }
        if (!Files.isWritable(directory))
        {
            throw new JournalException("journal directory=" + directory + " reason=not writable");
        }
        final SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(directory.toFile())
            .rollCycle(LegacyRollCycles.DAILY)
            .build();
        return new ChronicleJournal(directory, queue);
    }

    /**
     * Opens an existing journal for reading only, beside a process that may be appending to it (the
     * snapshot process reads the live switch's journal this way). Nothing is created or changed.
     *
     * @throws JournalException when the directory does not exist.
     */
    public static ChronicleJournal openReadOnly(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            throw new JournalException("journal directory=" + directory + " reason=does not exist");
        }
        final SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(directory.toFile())
            .rollCycle(LegacyRollCycles.DAILY)
            .readOnly(true)
            .build();
        return new ChronicleJournal(directory, queue);
    }

    /**
     * Appends one record. Allocation-free in steady state.
     *
     * @param record holding the record at offset 0 (backed by a byte array).
     * @param length its length.
     */
    public void append(final UnsafeBuffer record, final int length)
    {
        if (appender == null)
        {
            appender = queue.createAppender();
        }
        try (DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(record.byteArray(), 0, length);
        }
        appended++;
    }

    /**
     * Lets another thread append from now on (the journal stage takes over from the starting thread).
     */
    public void releaseAppender()
    {
        if (appender != null)
        {
            appender.close();
            appender = null;
        }
    }

    /**
     * @return a reader from the first record.
     */
    public Reader reader()
    {
        return new Reader(queue.createTailer());
    }

    /**
     * A reader whose next record is the one at a queue index (snapshots resume the replay there).
     *
     * @param index a queue index a record was read at, as {@link Reader#index()} gave it.
     * @return the reader, or {@code null} when the journal holds no record at that index.
     */
    public Reader readerAt(final long index)
    {
        final ExcerptTailer tailer = queue.createTailer();
        if (!tailer.moveToIndex(index))
        {
            tailer.close();
            return null;
        }
        return new Reader(tailer);
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * @return records appended by this process.
     */
    public long appended()
    {
        return appended;
    }

    /**
     * @return the records in the journal (all of them, not only this process's); for progress
     *         displays, read once before a full read.
     */
    public long records()
    {
        return queue.entryCount();
    }

    /**
     * @return the queue's last index, or -1 when empty.
     */
    public long lastIndex()
    {
        final long index = queue.lastIndex();
        return index < 0 ? -1 : index;
    }

    @Override
    public void close()
    {
        releaseAppender();
        queue.close();
    }

    /** Reads records in order. One thread. */
    public static final class Reader implements AutoCloseable
    {
        private final ExcerptTailer tailer;
        private long index = -1;

        private Reader(final ExcerptTailer tailer)
        {
            this.tailer = tailer;
        }

        /**
         * Reads the next record into the buffer.
         *
         * @return the record's length, or -1 at the end of the journal.
         */
        public int next(final UnsafeBuffer into)
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                if (!context.isPresent())
                {
                    return -1;
                }
                index = context.index();
                final Bytes<?> bytes = context.wire().bytes();
                final long recordLength = bytes.readRemaining();
                bytes.read(into.byteArray(), 0, (int)Math.min(recordLength, into.capacity()));
                return (int)Math.min(recordLength, Integer.MAX_VALUE);
            }
        }

        /**
         * @return the queue index of the record last read.
         */
        public long index()
        {
            return index;
        }

        @Override
        public void close()
        {
            tailer.close();
        }
    }
}
