package org.unicard.journal;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.unicard.concurrent.ThreadPriorities;
import org.slf4j.LoggerFactory;

/**
 * Reads the journal's current file a few megabytes ahead of the appender, from a daemon thread, so
 * that the appending thread never takes a page fault that must fill a page of the file first.
 * <p>
 * Why: Chronicle Queue writes through a memory map of a sparse file. The first touch of a page
 * that is not in the page cache is a read fault, and the kernel answers a read fault with
 * read-around: it fills the file's whole readahead window ({@code read_ahead_kb}, 8 MB on the
 * machines we measure on) with zeros before the write goes on. Measured on ext4 at 20,000
 * requests/s: a 19–33 ms stall of the ring thread every 1.5 s (8.4 MB of records), which was the
 * switch's whole p99 (docs/performance.md, "The journal's read faults"). Reading the same pages
 * with {@code pread} from this thread puts them in the page cache first; the appender's fault then
 * only maps a cached page. The reads are 64 KiB each through {@link RandomReadFile}, so the kernel
 * fills what each asks for and never its whole readahead window at once, which would hold this
 * thread on one of two cores for milliseconds.
 * <p>
 * Then it maps the same pages for writing in the appender's own mapping ({@link MappedPages},
 * {@code madvise(MADV_POPULATE_WRITE)}), where the appender published it ({@link ChronicleJournal#appendingRegion}):
 * a page of a shared file mapping that was only read into the page cache still costs its first writer a
 * fault (the file system's {@code page_mkwrite}). Measured on the shared event loop at 112,000 answers/s,
 * those faults took 6% of the thread, ≈ 0.5 µs per answer, most of it this virtual machine's
 * exception and interrupt path (docs/performance.md, "The journal's write faults").
 * <p>
 * Neither step changes a byte: the reads go to a buffer of its own, and the advice maps pages without
 * writing them. A page mapped for writing takes its disk space at once, so pages are mapped only while
 * the file system keeps the journal's reserve after them ({@link #keepReserve}). A file it cannot read
 * (rolled away, deleted, an I/O error) is logged once and skipped, a range the kernel will not map is
 * logged once per file and asked for again a period later; the appender works exactly as without them,
 * only slower on its first touches.
 */
public final class JournalPretoucher implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalPretoucher.class);

    /** How far past the appender's position the file is kept in the page cache. */
    public static final long AHEAD_BYTES = 32L << 20;
    /** How often the appender's position is looked at (at 56 MB/s, 200,000 records/s, 1.1 MB a period). */
    static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(20);
    /** One read: 64 KiB, filled by the kernel in tens of microseconds. */
    static final int READ_BYTES = 64 << 10;
    /**
     * One advice to map pages for writing: 1 MiB (256 pages). The kernel sometimes refuses a range
     * for a moment ({@code ENOMEM} on a mapped range, seen at start-up); what came before stays mapped
     * and the rest is asked for again a period later.
     */
    static final long POPULATE_BYTES = 1L << 20;

    private final ChronicleJournal journal;
    private final long aheadBytes;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long touchedUpTo;
    private final boolean populate;
    private volatile long populatedUpTo;
    private final Region region = new Region();
    /** Free bytes above the journal's reserve, read before each step (no reserve: unbounded). */
    private volatile LongSupplier spareBytes = () -> Long.MAX_VALUE;
    /** The advice's errno, for this thread (the only one that calls it). */
    private final MemorySegment callState = MappedPages.callState(Arena.ofAuto());
    private File unpopulatable;
    private File file;
    private RandomReadFile reads;
    private File unreadable;

    private JournalPretoucher(final ChronicleJournal journal, final long aheadBytes, final boolean populate)
    {
        this.journal = journal;
        this.aheadBytes = aheadBytes;
        this.populate = populate && MappedPages.available();
        this.thread = Thread.ofPlatform().daemon().name("journal-pretouch").unstarted(this::run);
    }

    /**
     * @param journal    the journal whose appender it runs ahead of.
     * @param aheadBytes how far ahead, at least one read (64 KiB).
     * @param populate   also map the pages for writing in the appender's mapping.
     * @return the started pretoucher, or null where the C library's calls cannot be had (logged).
     */
    static JournalPretoucher start(final ChronicleJournal journal, final long aheadBytes, final boolean populate)
    {
        if (!RandomReadFile.available())
        {
            LOG.warn("event=journal-pretouch-unavailable reason=\"open, pread or posix_fadvise not found\" action=appender-faults-its-own-pages");
            return null;
        }
        if (aheadBytes < READ_BYTES)
        {
            throw new IllegalArgumentException("aheadBytes=" + aheadBytes + " min=" + READ_BYTES);
        }
        final JournalPretoucher pretoucher = new JournalPretoucher(journal, aheadBytes, populate);
        pretoucher.thread.start();
        return pretoucher;
    }

    /**
     * @return the file offset up to which the current file has been read (0 before the first append).
     */
    public long touchedUpTo()
    {
        return touchedUpTo;
    }

    /**
     * @return the file offset up to which the current file's pages are mapped for writing (0 before the
     *         first append, and always without {@code populate}).
     */
    public long populatedUpTo()
    {
        return populatedUpTo;
    }

    private void run()
    {
        ThreadPriorities.lowerCurrentThread();
        while (running)
        {
            touchAhead();
            LockSupport.parkNanos(INTERVAL_NS);
        }
        closeFile();
    }

    /** One look at the appender: reads what lies between the last read and its position plus the distance ahead. */
    private void touchAhead()
    {
        final File current = journal.appendingFile();
        if (current == null)
        {
            return;
        }
        if (!current.equals(file))
        {
            closeFile();
            file = current;
            touchedUpTo = 0;
            populatedUpTo = 0;
        }
        final long position = journal.appendedUpTo();
        if (touchedUpTo > position + aheadBytes)
        {
            // Read with the previous file's offset, seen with the new file across a roll: start over from here.
            touchedUpTo = position;
        }
        final long from = Math.max(touchedUpTo, position);
        try
        {
            if (reads == null)
            {
                reads = RandomReadFile.open(current.toPath(), READ_BYTES);
            }
            final long target = position + aheadBytes;
            long at = from;
            while (running && at < target)
            {
                final long read = reads.read(at, (int)Math.min(READ_BYTES, target - at));
                if (read <= 0)
                {
                    break; // the end of the file: Chronicle grows it as it needs, and the next look goes on
                }
                at += read;
            }
            touchedUpTo = at;
            populateWrites(current, position, at);
        }
        catch (final IOException ex)
        {
            if (!current.equals(unreadable))
            {
                unreadable = current;
                LOG.warn("event=journal-pretouch-failed file={} reason=\"{}\" action=appender-faults-its-own-pages", current, ex.toString());
            }
            closeFile();
        }
    }

    /**
     * Maps the pages between the last ones mapped (or the appender's position) and {@code upTo} for writing,
     * within the mapping the appender last wrote through, when that mapping is of {@code current}.
     */
    private void populateWrites(final File current, final long position, final long upTo)
    {
        if (!populate || !journal.appendingRegion(region) || !current.equals(region.file))
        {
            return;
        }
        final long from = Math.max(Math.max(populatedUpTo, position) & -MappedPages.PAGE_BYTES, region.start);
        final long to = Math.min(upTo, region.limit) & -MappedPages.PAGE_BYTES;
        if (to <= from)
        {
            return;
        }
        long at = from;
        while (running && at < to)
        {
            final long bytes = Math.min(POPULATE_BYTES, to - at);
            if (spareBytes.getAsLong() < bytes)
            {
                break; // near the reserve: the appender takes the last pages as they come
            }
            if (!journal.stillAppendingThrough(region))
            {
                break; // the appender moved on, and the old mapping may be gone: the next period reads the new one
            }
            final int errno = MappedPages.populateForWrite(region.address + (at - region.start), bytes, callState);
            if (errno != 0)
            {
                if (!current.equals(unpopulatable))
                {
                    unpopulatable = current;
                    LOG.info("event=journal-pretouch-populate-refused file={} from={} to={} errno={} action=retry-next-period " +
                        "(logged once per file; the appender faults the pages it reaches first)", current, at, at + bytes, errno);
                }
                break;
            }
            at += bytes;
            populatedUpTo = at;
        }
    }

    /**
     * Maps pages for writing only while the file system keeps its reserve after them: a page mapped for
     * writing takes its space at once (a sparse file's block, a tmpfs's memory), so that without this
     * the journal's reserve ({@code journal.min-free-bytes}) would be reached up to the distance ahead early.
     *
     * @param spare reads the free bytes above the reserve, now.
     */
    void keepReserve(final LongSupplier spare)
    {
        spareBytes = spare;
    }

    /** Where the appender's mapping lies: read from {@link ChronicleJournal#appendingRegion}. */
    static final class Region
    {
        /** The file mapped. */
        File file;
        /** File offset of the mapping's first byte. */
        long start;
        /** File offset up to which it may be touched. */
        long limit;
        /** Address of its first byte. */
        long address;
        /** The publication it was read from. */
        long version;
    }

    private void closeFile()
    {
        if (reads != null)
        {
            reads.close();
            reads = null;
        }
    }

    /** Stops the thread and waits for it. */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
