package org.unicard.journal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.unicard.concurrent.ThreadPriorities;

/**
 * Watches the free space of the journal's file system from a daemon thread and says when it has
 * fallen below the reserve ({@code journal.min-free-bytes}). The journal then refuses records
 * before Chronicle Queue writes through its memory map into pages the file system cannot back: on a
 * full tmpfs or a sparse file such a write faults (SIGBUS, an {@code InternalError} in the JVM),
 * and the reserve keeps the switch from relying on that. The appending thread reads one volatile
 * flag, so the check costs the hot path nothing.
 */
final class JournalSpaceMonitor implements AutoCloseable
{
    /** How often free space is read: at the journal's peak rate (a few MB/s) far less than the reserve is written between reads. */
    static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Path directory;
    private final FileStore store;
    private final long minFreeBytes;
    private final Thread thread;
    private volatile boolean low;
    private volatile long lastFreeBytes;
    private volatile boolean running = true;

    private JournalSpaceMonitor(final Path directory, final FileStore store, final long minFreeBytes)
    {
        this.directory = directory;
        this.store = store;
        this.minFreeBytes = minFreeBytes;
        this.thread = Thread.ofPlatform().daemon().name("journal-space").unstarted(this::run);
    }

    /**
     * Reads the free space once and starts watching.
     *
     * @throws JournalException when the file system already has less free space than the reserve.
     */
    static JournalSpaceMonitor start(final Path directory, final long minFreeBytes)
    {
        final FileStore store;
        final long free;
        try
        {
            store = Files.getFileStore(directory);
            free = store.getUsableSpace();
        }
        catch (final IOException ex)
        {
            throw new JournalException("journal directory=" + directory + " reason=cannot read free space: " + ex.getMessage(), ex);
        }
        if (free < minFreeBytes)
        {
            throw new JournalException("journal directory=" + directory + " reason=disk full: " + free +
                " bytes free, journal.min-free-bytes=" + minFreeBytes);
        }
        final JournalSpaceMonitor monitor = new JournalSpaceMonitor(directory, store, minFreeBytes);
        monitor.lastFreeBytes = free;
        monitor.thread.start();
        return monitor;
    }

    /**
     * Any thread: reads the free space now.
     *
     * @return free bytes above the reserve (negative below it; 0 when the file system cannot be read).
     */
    long spareBytesNow()
    {
        try
        {
            return store.getUsableSpace() - minFreeBytes;
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    /**
     * @return whether free space was below the reserve at the last reading (sticky once seen).
     */
    boolean low()
    {
        return low;
    }

    /**
     * @return the reason for a refused record, naming the directory, the free space and the reserve.
     */
    String reason()
    {
        return "journal directory=" + directory + " reason=disk full: " + lastFreeBytes + " bytes free, journal.min-free-bytes=" +
            minFreeBytes;
    }

    private void run()
    {
        ThreadPriorities.lowerCurrentThread();
        while (running && !low)
        {
            try
            {
                final long free = store.getUsableSpace();
                lastFreeBytes = free;
                if (free < minFreeBytes)
                {
                    low = true;
                }
            }
            catch (final IOException ex)
            {
                // An unreadable file system is not taken for a full one; the append itself will fail if it is gone.
            }
            LockSupport.parkNanos(INTERVAL_NS);
        }
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
    }
}
