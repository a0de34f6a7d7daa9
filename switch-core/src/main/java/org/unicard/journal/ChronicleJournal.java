package org.unicard.journal;

import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.core.values.TwoLongValue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.RecordPositions;
import org.unicard.metrics.SingleWriterCounter;

/**
 * The journal on disk: a Chronicle Queue of {@link JournalRecord}s, one excerpt each, in the
 * directory given at start ({@code --journal}, default {@code DATA/journal}).
 * <p>
 * An appended record is in the memory-mapped queue file when {@link #append} returns, so it
 * survives the death of the process (kill -9); surviving a power cut depends on the OS flushing
 * its page cache (see docs/design.md). Appends come from one thread at a time: the journal stage
 * once the ring runs, the starting thread before.
 * <p>
 * <b>Torn last record.</b> Chronicle Queue writes an excerpt's header as "not complete", then the
 * data, then completes the header. A process killed in between leaves an incomplete header, and
 * perhaps part of the record, after the last whole excerpt; a power cut can also leave a complete
 * header over data that never reached the disk. {@link #openCuttingTornTail} (the switch at
 * start-up; not {@link #open}, for tools that write journals of their own, nor {@link #openReadOnly},
 * for readers beside a running switch) looks at the tail of the last queue file before anything
 * reads or appends, and cuts it back to the last whole record: it zeroes an incomplete excerpt, a last record whose checksum fails, or stray bytes after the
 * last excerpt, and logs a WARN line naming the journal, the file and the position ({@link #cutTail()}). Such a
 * record was never acknowledged: a response leaves only after its record is appended. Damage
 * anywhere before the last record is left for {@link org.unicard.recovery.JournalReplayer} to
 * stop on.
 * <p>
 * <b>One writer.</b> {@link #open} and {@link #openCuttingTornTail} take the journal's
 * {@link JournalLock} before they read, create or cut anything, and hold it until {@link #close()};
 * a second writer fails with a {@link JournalLockedException} having changed nothing (spec §8).
 * {@link #openReadOnly} takes no lock: readers run beside the writer.
 */
public final class ChronicleJournal implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);

    /** Chronicle Wire excerpt header bits (little-endian int before each excerpt). */
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int META_DATA = 0x4000_0000;
    private static final int END_OF_DATA = NOT_COMPLETE | META_DATA;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    /** How far past the last whole excerpt stray bytes are looked for and zeroed. */
    private static final int TAIL_SCAN_BYTES = 64 * 1024;

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final String cutTail;
    private final JournalSpaceMonitor space;
    private final JournalLock lock;
    private ExcerptAppender appender;
    /** File offset just past the last appended record, published for {@link JournalPretoucher}. */
    private volatile long appendedUpTo;
    /** The appender's cycle and file, published when the cycle changes. */
    private int appendingCycle = Integer.MIN_VALUE;
    private volatile File appendingFile;
    private JournalPretoucher pretoucher;
    /**
     * The mapping the appender writes through, published for {@link JournalPretoucher} when it changes (a
     * new chunk of the file, or a new file): a sequence lock, odd while the fields below change.
     */
    private volatile long regionVersion;
    private File regionFile;
    private long regionStart;
    private long regionLimit;
    private long regionAddress;
    /** The appending thread's last mapping, to see when it changes. */
    private BytesStore<?, ?> regionStore;
    /** The appending thread writes; the metrics scrape and the snapshot scheduler read. */
    private final SingleWriterCounter appended = new SingleWriterCounter();
    /** Lookups still open, closed with the journal; a lookup closed earlier removes itself. */
    private final List<JournalLookup> lookups = new CopyOnWriteArrayList<>();

    /** JVM property: how far ahead of the appender the file is read, in bytes; 0 for not at all. */
    public static final String PRETOUCH_PROPERTY = "unicard.journal.pretouch-bytes";
    /**
     * JVM property: {@code false} to read ahead only, without mapping the pages for writing too (for
     * before-and-after measurements).
     */
    public static final String PRETOUCH_POPULATE_PROPERTY = "unicard.journal.pretouch-populate";
    private static final VarHandle APPENDED_UP_TO;
    private static final VarHandle REGION_VERSION;

    static
    {
        try
        {
            APPENDED_UP_TO = MethodHandles.lookup().findVarHandle(ChronicleJournal.class, "appendedUpTo", long.class);
            REGION_VERSION = MethodHandles.lookup().findVarHandle(ChronicleJournal.class, "regionVersion", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private ChronicleJournal(
        final Path directory,
        final SingleChronicleQueue queue,
        final String cutTail,
        final JournalSpaceMonitor space,
        final JournalLock lock)
    {
        this.directory = directory;
        this.queue = queue;
        this.cutTail = cutTail;
        this.space = space;
        this.lock = lock;
    }

    /**
     * Opens (or creates) the journal in a directory for writing, as its one writer, without looking
     * at its tail: for tools and tests that write journals of their own (benchmarks, the measuring
     * tool {@code fill-journal}). A reader uses {@link #openReadOnly}.
     *
     * @throws JournalLockedException when another writer holds the journal ({@link JournalLock}).
     * @throws JournalException       when the directory cannot be created, written or locked.
     */
    public static ChronicleJournal open(final Path directory)
    {
        createDirectory(directory);
        final JournalLock lock = JournalLock.acquire(directory);
        try
        {
            return new ChronicleJournal(directory, build(directory, false), null, null, lock);
        }
        catch (final RuntimeException ex)
        {
            lock.close();
            throw ex;
        }
    }

    /**
     * Opens (or creates) the journal for its one writer, the switch at start-up, before anything
     * reads or appends: takes the writer lock ({@link JournalLock}), then cuts a torn last record
     * (see the class description, {@link #cutTail()}).
     *
     * @throws JournalLockedException when another writer holds the journal: nothing was cut or changed.
     * @throws JournalException       when the directory cannot be created or written, or the tail cannot
     *                                be cut safely.
     */
    public static ChronicleJournal openCuttingTornTail(final Path directory)
    {
        return openCuttingTornTail(directory, 0);
    }

    /**
     * {@link #openCuttingTornTail(Path)} in a directory whose file system must keep a reserve of free
     * space: below it {@link #append} refuses records (see {@link JournalSpaceMonitor}).
     *
     * @param minFreeBytes the reserve ({@code journal.min-free-bytes}); 0 for no check.
     * @throws JournalException as {@link #openCuttingTornTail(Path)}, or when the file system has less
     *                          free space than the reserve.
     */
    public static ChronicleJournal openCuttingTornTail(final Path directory, final long minFreeBytes)
    {
        createDirectory(directory);
        final JournalLock lock = JournalLock.acquire(directory);
        JournalSpaceMonitor space = null;
        try
        {
            space = minFreeBytes > 0 ? JournalSpaceMonitor.start(directory, minFreeBytes) : null;
            return openCuttingTornTail(directory, space, lock);
        }
        catch (final RuntimeException ex)
        {
            if (space != null)
            {
                space.close();
            }
            lock.close();
            throw ex;
        }
    }

    private static ChronicleJournal openCuttingTornTail(final Path directory, final JournalSpaceMonitor space, final JournalLock lock)
    {
        SingleChronicleQueue queue = build(directory, false);
        final TornTail torn;
        try
        {
            torn = findTornTail(queue);
        }
        catch (final JournalException ex)
        {
            queue.close();
            throw ex;
        }
        catch (final IOException | RuntimeException ex)
        {
            queue.close();
            throw new JournalException("journal=" + directory + " reason=cannot read the tail: " + ex.getMessage(), ex);
        }
        if (torn == null)
        {
            return new ChronicleJournal(directory, queue, null, space, lock);
        }

        try
        {
            if (torn.rewindTo >= 0)
            {
                rewindWritePosition(queue, torn);
            }
        }
        finally
        {
            queue.close();
        }
        final String cut;
        try
        {
            cut = "journal=" + directory + " file=" + torn.file.getName() + " position=" + torn.position +
                " cut=" + torn.cut() + " bytes reason=" + torn.reason;
        }
        catch (final IOException ex)
        {
            throw new JournalException("journal=" + directory + " file=" + torn.file.getName() + " position=" + torn.position +
                " reason=cannot cut the torn last record (" + torn.reason + "): " + ex.getMessage(), ex);
        }
        LOG.warn("event=journal-torn-tail-cut {} (the record was never acknowledged; replay ends at the last whole record)", cut);
        queue = build(directory, false);
        return new ChronicleJournal(directory, queue, cut, space, lock);
    }

    /**
     * What {@link #openCuttingTornTail} cut from the tail of the journal.
     *
     * @return the journal, file, position, bytes zeroed and reason, as logged; null when the tail was whole.
     */
    public String cutTail()
    {
        return cutTail;
    }

    private static void createDirectory(final Path directory)
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
    }

    private static SingleChronicleQueue build(final Path directory, final boolean readOnly)
    {
        try
        {
            return SingleChronicleQueueBuilder.single(directory.toFile())
                .rollCycle(LegacyRollCycles.DAILY)
                .readOnly(readOnly)
                .build();
        }
        catch (final InternalError ex)
        {
            throw new JournalException("journal directory=" + directory + " reason=write fault (disk full?): " + ex.getMessage(), ex);
        }
    }

    /**
     * Finds a torn tail in the last queue file: a last record whose checksum fails, an incomplete
     * excerpt header after the last whole excerpt, or stray bytes where the next header would go.
     */
    private static TornTail findTornTail(final SingleChronicleQueue queue) throws IOException
    {
        final int cycle = queue.lastCycle();
        if (cycle == Integer.MIN_VALUE)
        {
            return null;
        }
        final File file;
        final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            return null;
        }
        try
        {
            file = store.file();
        }
        finally
        {
            queue.closeStore(store);
        }

        long position = 0;
        final long lastIndex = queue.lastIndex();
        if (lastIndex >= 0 && queue.rollCycle().toCycle(lastIndex) == cycle)
        {
            try (ExcerptTailer tailer = queue.createTailer())
            {
                if (tailer.moveToIndex(lastIndex))
                {
                    try (DocumentContext context = tailer.readingDocument())
                    {
                        if (context.isPresent())
                        {
                            final Bytes<?> bytes = context.wire().bytes();
                            final long start = bytes.readPosition();
                            final long length = bytes.readRemaining();
                            final UnsafeBuffer last = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
                            bytes.read(last.byteArray(), 0, (int)Math.min(length, last.capacity()));
                            final String damage = length > JournalRecord.MAX_BYTES ? "length=" + length :
                                new JournalRecord().verify(last, (int)length);
                            if (damage != null)
                            {
                                return damagedLastRecord(queue, cycle, file, lastIndex, start - Integer.BYTES, damage);
                            }
                            position = start + length;
                        }
                    }
                }
            }
        }

        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ))
        {
            final ByteBuffer word = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (position + Integer.BYTES <= channel.size())
            {
                word.clear();
                channel.read(word, position);
                final int header = word.getInt(0);
                if (header == 0)
                {
                    final long stray = lastNonZero(channel, position, TAIL_SCAN_BYTES);
                    return stray < 0 ? null : new TornTail(file, cycle, position,
                        "stray bytes after the last whole excerpt up to position=" + stray, -1);
                }
                if (header == END_OF_DATA)
                {
                    return null;
                }
                if ((header & NOT_COMPLETE) != 0)
                {
                    return new TornTail(file, cycle, position, "incomplete excerpt header=" + Integer.toHexString(header), -1);
                }
                if ((header & META_DATA) == 0)
                {
                    return null; // a whole data excerpt the index has not counted: the tailer will read it
                }
                position = (position + Integer.BYTES + (header & LENGTH_MASK) + 3) & ~3L;
            }
        }

        return null;
    }

    /**
     * A last record whose header Chronicle completed but whose bytes are not the record written (a
     * power cut, a truncated file). Chronicle's write position names it, so the cut also moves the
     * write position back to the record before it, in the same file.
     */
    private static TornTail damagedLastRecord(
        final SingleChronicleQueue queue,
        final int cycle,
        final File file,
        final long lastIndex,
        final long header,
        final String damage)
    {
        final String reason = "last record index=" + Long.toHexString(lastIndex) + " is damaged: " + damage;
        final long previous = lastIndex - 1;
        if (queue.rollCycle().toSequenceNumber(lastIndex) > 0 && queue.rollCycle().toCycle(previous) == cycle)
        {
            try (ExcerptTailer tailer = queue.createTailer())
            {
                if (tailer.moveToIndex(previous))
                {
                    try (DocumentContext context = tailer.readingDocument())
                    {
                        if (context.isPresent())
                        {
                            return new TornTail(file, cycle, header, reason,
                                context.wire().bytes().readPosition() - Integer.BYTES);
                        }
                    }
                }
            }
        }
        throw new JournalException("journal file=" + file + " position=" + header + " reason=" + reason +
            "; it is the first record of its file, so it cannot be cut safely: start-up stops");
    }

    /**
     * Points Chronicle's write position (file header field {@code writePosition}: position, and a
     * position-and-sequence cache) at the last whole record. The field is not public in Chronicle
     * Queue 2026.4; ChronicleJournalTornTailTest checks the result (appends, queue indexes) on that version.
     */
    private static void rewindWritePosition(final SingleChronicleQueue queue, final TornTail torn)
    {
        final SingleChronicleQueueStore store = queue.storeForCycle(torn.cycle, queue.epoch(), false, null);
        try
        {
            final Field field = SingleChronicleQueueStore.class.getDeclaredField("writePosition");
            field.setAccessible(true);
            final TwoLongValue writePosition = (TwoLongValue)field.get(store);
            writePosition.setValue2(0); // no cached sequence: Chronicle recounts from its index
            writePosition.setValue(torn.rewindTo);
        }
        catch (final ReflectiveOperationException | ClassCastException ex)
        {
            throw new JournalException("journal file=" + torn.file + " position=" + torn.position + " reason=" + torn.reason +
                "; cannot move Chronicle's write position back: " + ex, ex);
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    private static long lastNonZero(final FileChannel channel, final long from, final int span) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate((int)Math.min(span, channel.size() - from));
        channel.read(bytes, from);
        for (int i = bytes.position() - 1; i >= 0; i--)
        {
            if (bytes.get(i) != 0)
            {
                return from + i;
            }
        }

        return -1;
    }

    /**
     * A torn tail found at a position of a queue file; cutting zeroes it up to its last non-zero byte.
     */
    private static final class TornTail
    {
        final File file;
        final long position;
        final int cycle;
        final String reason;
        final long rewindTo;

        TornTail(final File file, final int cycle, final long position, final String reason, final long rewindTo)
        {
            this.file = file;
            this.cycle = cycle;
            this.position = position;
            this.reason = reason;
            this.rewindTo = rewindTo;
        }

        long cut() throws IOException
        {
            try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                final long last = lastNonZero(channel, position, TAIL_SCAN_BYTES);
                if (last < 0)
                {
                    return 0;
                }
                final int bytes = (int)(last + 1 - position);
                channel.write(ByteBuffer.allocate(bytes), position);
                channel.force(true);
                return bytes;
            }
        }
    }

    /**
     * Opens an existing journal for reading only, beside a process that may be appending to it (the
     * snapshot process reads the live switch's journal this way). Nothing is created or changed, and
     * no lock is taken.
     *
     * @throws JournalException when the directory does not exist.
     */
    public static ChronicleJournal openReadOnly(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            throw new JournalException("journal directory=" + directory + " reason=does not exist");
        }
        return new ChronicleJournal(directory, build(directory, true), null, null, null);
    }

    /**
     * Appends one record. Allocation-free in steady state.
     *
     * @param record holding the record at offset 0 (backed by a byte array).
     * @param length its length.
     * @throws JournalException when free space is below the reserve, or when the write faulted
     *         (Chronicle writes through a memory map: a page the file system cannot back raises SIGBUS,
     *         which the JVM turns into an {@code InternalError}); the record may then not be in the journal.
     */
    public void append(final UnsafeBuffer record, final int length)
    {
        if (space != null && space.low())
        {
            throw new JournalException(space.reason());
        }
        try
        {
            if (appender == null)
            {
                appender = queue.createAppender();
            }
            final long end;
            final BytesStore<?, ?> store;
            try (DocumentContext context = appender.writingDocument())
            {
                final Bytes<?> bytes = context.wire().bytes();
                bytes.write(record.byteArray(), 0, length);
                end = bytes.writePosition();
                store = bytes.bytesStore();
            }
            if (appender.cycle() != appendingCycle)
            {
                appendingCycle = appender.cycle();
                appendingFile = appender.currentFile();
            }
            if (store != regionStore)
            {
                publishRegion(store);
            }
            APPENDED_UP_TO.setRelease(this, end);
        }
        catch (final InternalError ex)
        {
            throw new JournalException("journal directory=" + directory + " reason=write fault (disk full?): " + ex.getMessage(), ex);
        }
        appended.increment();
    }

    /**
     * Starts reading the file ahead of the appender (see {@link JournalPretoucher}), until
     * {@link #close}. For the process that serves; tools that only fill or read journals need not.
     * The distance is {@link JournalPretoucher#AHEAD_BYTES}; the JVM property
     * {@value #PRETOUCH_PROPERTY} sets another (0 turns it off, for before-and-after measurements).
     */
    public void startPretouch()
    {
        final long aheadBytes = Long.getLong(PRETOUCH_PROPERTY, JournalPretoucher.AHEAD_BYTES);
        if (pretoucher == null && aheadBytes != 0)
        {
            pretoucher = JournalPretoucher.start(this, aheadBytes,
                Boolean.parseBoolean(System.getProperty(PRETOUCH_POPULATE_PROPERTY, "true")));
            if (pretoucher != null && space != null)
            {
                pretoucher.keepReserve(space::spareBytesNow);
            }
        }
    }

    /**
     * The appending thread, when it writes through another mapping than before: publishes where that
     * mapping lies, so that {@link JournalPretoucher} can map its pages ahead of the appender.
     */
    private void publishRegion(final BytesStore<?, ?> store)
    {
        regionStore = store;
        File file = null;
        long start = 0;
        long limit = 0;
        long address = 0;
        if (store instanceof MappedBytesStore mapped)
        {
            try
            {
                start = mapped.start();
                limit = mapped.safeLimit();
                address = mapped.addressForWrite(start);
                file = appendingFile;
            }
            catch (final RuntimeException ex)
            {
                file = null; // a mapping that cannot say where it lies is not pretouched; the appender faults its own pages
            }
        }
        // No mapping (null, or one that cannot say where it lies) is published as none, never left stale.
        REGION_VERSION.setRelease(this, regionVersion + 1);
        VarHandle.storeStoreFence();
        regionFile = file;
        regionStart = start;
        regionLimit = limit;
        regionAddress = address;
        REGION_VERSION.setRelease(this, regionVersion + 1);
    }

    /**
     * Another thread: reads the mapping the appender last wrote through.
     *
     * @param into receives it.
     * @return whether a whole, unchanging mapping was read (false before the first append, or while it changes).
     */
    boolean appendingRegion(final JournalPretoucher.Region into)
    {
        final long before = (long)REGION_VERSION.getAcquire(this);
        if (before == 0 || (before & 1) != 0)
        {
            return false;
        }
        into.file = regionFile;
        into.start = regionStart;
        into.limit = regionLimit;
        into.address = regionAddress;
        into.version = before;
        VarHandle.loadLoadFence();
        return (long)REGION_VERSION.getAcquire(this) == before && into.file != null;
    }

    /**
     * @param region read by {@link #appendingRegion}.
     * @return whether the appender still writes through that mapping (it has published no other since).
     */
    boolean stillAppendingThrough(final JournalPretoucher.Region region)
    {
        return (long)REGION_VERSION.getAcquire(this) == region.version;
    }

    /**
     * @return the file offset just past the last record this process appended (0 before the first).
     */
    long appendedUpTo()
    {
        return appendedUpTo;
    }

    /**
     * @return the file the appender writes to, or null before this process's first append.
     */
    File appendingFile()
    {
        return appendingFile;
    }

    /**
     * Lets another thread append from now on (the journal stage takes over from the starting thread).
     */
    public void releaseAppender()
    {
        // The mapping this appender wrote through may be unmapped with it (seen: the starting thread's,
        // advised by the pretouch until the ring's first append, refused with ENOMEM). Withdraw it first.
        publishRegion(null);
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

    /**
     * A lookup of decided requests' records by sequence, for the authorizer's duplicate window.
     *
     * @param positions where each sequence's record is, kept by whoever appends or replays.
     * @return a lookup with a tailer of its own, for one thread.
     */
    public JournalLookup lookup(final RecordPositions positions)
    {
        final JournalLookup lookup = new JournalLookup(queue.createTailer(), positions, lookups::remove);
        lookups.add(lookup);
        return lookup;
    }

    /**
     * @return how many lookups are open (closing one makes the journal forget it).
     */
    int openLookups()
    {
        return lookups.size();
    }

    /**
     * @return the queue index of the record this process appended last (the appending thread only).
     */
    public long lastAppendedIndex()
    {
        return appender.lastIndexAppended();
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
        return appended.get();
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
        if (space != null)
        {
            space.close();
        }
        if (pretoucher != null)
        {
            pretoucher.close();
            pretoucher = null;
        }
        try
        {
            for (final JournalLookup lookup : lookups)
            {
                lookup.close();
            }
            releaseAppender();
        }
        finally
        {
            try
            {
                queue.close();
            }
            finally
            {
                if (lock != null)
                {
                    lock.close();
                }
            }
        }
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
         * Makes the calling thread the reader's owner: Chronicle checks that a tailer is used by one
         * thread, so a reader handed to another thread (with a happens-before edge, such as
         * {@link Thread#start()} or {@link Thread#join()}) is claimed by it first.
         */
        public void claimForThisThread()
        {
            tailer.singleThreadedCheckReset();
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
