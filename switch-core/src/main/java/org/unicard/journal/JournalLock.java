package org.unicard.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one-writer rule of spec §8: an exclusive operating-system lock on {@value #FILE_NAME} in the
 * journal directory, taken before anything writes the journal or cuts its torn tail, and held
 * until the writer closes the journal (for a switch, the life of the process). The file holds the
 * holder's PID, so that a second writer can say whose lock it met.
 * <p>
 * A second writer, in another process or in this one, gets a {@link JournalLockedException}
 * naming the directory and the holder's PID, having changed nothing: the lock file is opened
 * without truncating, and only its holder writes to it. Readers ({@link ChronicleJournal#openReadOnly})
 * take no lock: they may run beside the writer.
 * <p>
 * The operating system releases the lock when the process dies, kill -9 included, so a crashed
 * switch never blocks its own restart; the file itself stays and is harmless. Within one JVM a
 * lock is recorded in a set of held directories before the file is opened, so that a second writer in
 * the same process never opens a second channel to it: closing any channel on a file drops every
 * POSIX lock the process holds on that file.
 */
public final class JournalLock implements AutoCloseable
{
    /** The lock file, inside the journal directory. */
    public static final String FILE_NAME = "writer.lock";

    /** How long to wait for a holder that has just taken the lock to write its PID. */
    private static final int PID_READ_ATTEMPTS = 20;
    private static final long PID_READ_PAUSE_MS = 10;
    private static final int PID_MAX_BYTES = 32;

    /** Journal directories (real paths) locked by this process, entered before the lock file is opened. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private JournalLock(final Path directory, final Path key, final FileChannel channel, final FileLock lock)
    {
        this.directory = directory;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the writer lock of an existing journal directory, or fails at once.
     *
     * @param directory the journal directory; it must exist.
     * @return the lock, held until {@link #close()}.
     * @throws JournalLockedException when another process, or another writer in this one, holds it.
     * @throws JournalException       when the lock file cannot be opened or locked.
     */
    public static JournalLock acquire(final Path directory)
    {
        final Path key;
        try
        {
            key = directory.toRealPath();
        }
        catch (final IOException ex)
        {
            throw new JournalException("journal directory=" + directory + " reason=cannot lock: " + ex.getMessage(), ex);
        }
        if (!HELD.add(key))
        {
            throw locked(directory, ProcessHandle.current().pid());
        }
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(key.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final FileLock lock = channel.tryLock();
            if (lock == null)
            {
                final String holder = readPid(channel);
                closeQuietly(channel);
                HELD.remove(key);
                throw locked(directory, holder);
            }
            writePid(channel);
            return new JournalLock(directory, key, channel, lock);
        }
        catch (final IOException | OverlappingFileLockException ex)
        {
            closeQuietly(channel);
            HELD.remove(key);
            throw new JournalException("journal directory=" + directory + " file=" + FILE_NAME + " reason=cannot lock: " + ex, ex);
        }
    }

    /**
     * Writes this process's PID into the lock file. Best effort: on a full disk the write may fail,
     * and the lock, which is what keeps a second writer out, holds all the same; a refused writer
     * then names the holder {@code pid=unknown}.
     */
    private static void writePid(final FileChannel channel)
    {
        try
        {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
        }
        catch (final IOException ex)
        {
            // The lock is held; only the name of its holder is missing.
        }
    }

    private static JournalLockedException locked(final Path directory, final Object pid)
    {
        return new JournalLockedException("journal=" + directory + " reason=another process writes this journal: pid=" + pid +
            " holds " + directory.resolve(FILE_NAME) + " (only one switch may write a journal; nothing was changed)");
    }

    /**
     * The holder's PID as it wrote it; it writes it just after taking the lock, so an empty file is
     * read again for a moment before giving up.
     */
    private static String readPid(final FileChannel channel) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(PID_MAX_BYTES);
        for (int attempt = 0; attempt < PID_READ_ATTEMPTS; attempt++)
        {
            bytes.clear();
            channel.read(bytes, 0);
            final String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).strip();
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit))
            {
                return text;
            }
            try
            {
                Thread.sleep(PID_READ_PAUSE_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "unknown";
    }

    /**
     * @return the journal directory this lock guards.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * @param directory a journal directory.
     * @return the PID written in its lock file, or {@code null} when there is none (for tests and operators).
     */
    public static String holderPid(final Path directory) throws IOException
    {
        final Path file = directory.resolve(FILE_NAME);
        if (!Files.exists(file))
        {
            return null;
        }
        final String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        return text.isEmpty() ? null : text;
    }

    /**
     * Empties the lock file (it names no holder any more) and releases the lock. Idempotent.
     */
    @Override
    public void close()
    {
        if (!channel.isOpen())
        {
            return;
        }
        try
        {
            channel.truncate(0);
            lock.release();
        }
        catch (final IOException ex)
        {
            // The lock goes with the channel below in any case.
        }
        finally
        {
            closeQuietly(channel);
            HELD.remove(key);
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // Nothing to do: closing releases the lock whether or not it reports an error.
            }
        }
    }
}
