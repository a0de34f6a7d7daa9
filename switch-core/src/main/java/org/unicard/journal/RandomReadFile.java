package org.unicard.journal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * A file opened read-only with the kernel told that its reads are random
 * ({@code posix_fadvise(POSIX_FADV_RANDOM)}): each {@code pread} fills the page cache with what it
 * asks for and nothing more. Without the advice, a read next to pages already cached counts as a
 * sequential stream and the kernel fills its whole readahead window (8 MB here) in the reading
 * thread, milliseconds of zeroing for a sparse file, which {@link JournalPretoucher} must not do
 * on a 2-core machine. Linux only (through the foreign function API); {@link #open} says when it
 * cannot be had.
 */
final class RandomReadFile implements AutoCloseable
{
    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_RANDOM = 1;
    private static final Calls CALLS = Calls.find();

    private final int fd;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer;

    private RandomReadFile(final int fd, final int bufferBytes)
    {
        this.fd = fd;
        this.buffer = arena.allocate(bufferBytes, 4096);
    }

    /**
     * @return whether the calls this needs were found (Linux with its C library).
     */
    static boolean available()
    {
        return CALLS != null;
    }

    /**
     * @param file        the file.
     * @param bufferBytes the largest read.
     * @return the file, opened in the calling thread (the only one that may use it).
     * @throws IOException when it cannot be opened or advised, naming the file and errno.
     */
    static RandomReadFile open(final Path file, final int bufferBytes) throws IOException
    {
        if (CALLS == null)
        {
            throw new IOException("file=" + file + " reason=open, pread and posix_fadvise not found in the C library");
        }
        final int fd;
        try (Arena name = Arena.ofConfined())
        {
            fd = (int)CALLS.open.invokeExact(name.allocateFrom(file.toString()), O_RDONLY, 0);
        }
        catch (final Throwable ex)
        {
            throw new IOException("file=" + file + " reason=" + ex, ex);
        }
        if (fd < 0)
        {
            throw new IOException("file=" + file + " reason=open failed");
        }
        final int advised;
        try
        {
            advised = (int)CALLS.fadvise.invokeExact(fd, 0L, 0L, POSIX_FADV_RANDOM);
        }
        catch (final Throwable ex)
        {
            closeQuietly(fd);
            throw new IOException("file=" + file + " reason=" + ex, ex);
        }
        if (advised != 0)
        {
            closeQuietly(fd);
            throw new IOException("file=" + file + " reason=posix_fadvise errno=" + advised);
        }
        return new RandomReadFile(fd, bufferBytes);
    }

    /**
     * Reads bytes at an offset into the file's own buffer (their content is not needed: the read is
     * for the page cache).
     *
     * @return the bytes read, 0 at the end of the file.
     * @throws IOException on a failed read.
     */
    long read(final long offset, final int bytes) throws IOException
    {
        final long read;
        try
        {
            read = (long)CALLS.pread.invokeExact(fd, buffer, (long)Math.min(bytes, buffer.byteSize()), offset);
        }
        catch (final Throwable ex)
        {
            throw new IOException("pread offset=" + offset + " reason=" + ex, ex);
        }
        if (read < 0)
        {
            throw new IOException("pread offset=" + offset + " failed");
        }
        return read;
    }

    @Override
    public void close()
    {
        closeQuietly(fd);
        arena.close();
    }

    private static void closeQuietly(final int fd)
    {
        try
        {
            final int ignored = (int)CALLS.close.invokeExact(fd);
        }
        catch (final Throwable ignored)
        {
            // read-only: nothing is lost
        }
    }

    private record Calls(MethodHandle open, MethodHandle pread, MethodHandle fadvise, MethodHandle close)
    {
        static Calls find()
        {
            try
            {
                final Linker linker = Linker.nativeLinker();
                final SymbolLookup libc = linker.defaultLookup();
                return new Calls(
                    // open(path, flags, ...) is variadic: the mode goes as its one variadic argument
                    linker.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(2)),
                    linker.downcallHandle(libc.find("pread").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG)),
                    linker.downcallHandle(libc.find("posix_fadvise").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT)),
                    linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)));
            }
            catch (final RuntimeException | LinkageError ex)
            {
                return null;
            }
        }
    }
}
