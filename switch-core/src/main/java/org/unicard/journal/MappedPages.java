package org.unicard.journal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Maps pages of a memory-mapped file for writing before anyone writes to them:
 * {@code madvise(MADV_POPULATE_WRITE)} (Linux 5.14+) faults every page of a range in, writable and
 * dirty, as a write would, without changing a byte. The appender of a mapped file then finds its
 * pages mapped instead of taking one write fault per 4 KiB page (through {@code page_mkwrite}, the
 * file system's block reservation). Linux only (through the foreign function API); {@link #available}
 * says when it cannot be had, and a kernel without the advice answers {@code EINVAL}.
 */
final class MappedPages
{
    /** {@code MADV_POPULATE_WRITE} in Linux's {@code mman-common.h}. */
    private static final int MADV_POPULATE_WRITE = 23;
    /** The unit the kernel maps (x86-64 and arm64 with 4 KiB pages). */
    static final long PAGE_BYTES = 4096;
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MADVISE = find();

    private MappedPages()
    {
    }

    /**
     * @return whether {@code madvise} was found (Linux with its C library).
     */
    static boolean available()
    {
        return MADVISE != null;
    }

    /**
     * Maps {@code length} bytes from {@code address} for writing. Touches no byte. A range that is not
     * mapped, or that lies past the file's end, is refused by the kernel ({@code ENOMEM}, {@code EFAULT}),
     * never faulted.
     *
     * @param address page-aligned start, inside a mapping of this process.
     * @param length  bytes, a whole number of pages.
     * @param state   from {@link #callState}, for the calling thread.
     * @return 0 when every page is mapped, else the kernel's errno (-1 when the call could not be made).
     */
    static int populateForWrite(final long address, final long length, final MemorySegment state)
    {
        if (MADVISE == null)
        {
            return -1;
        }
        try
        {
            final int result = (int)MADVISE.invokeExact(state, MemorySegment.ofAddress(address), length, MADV_POPULATE_WRITE);
            return result == 0 ? 0 : (int)ERRNO.get(state, 0L);
        }
        catch (final Throwable ex)
        {
            return -1;
        }
    }

    /**
     * @param arena owns it.
     * @return where {@link #populateForWrite} leaves the call's errno.
     */
    static MemorySegment callState(final Arena arena)
    {
        return arena.allocate(CALL_STATE);
    }

    private static MethodHandle find()
    {
        try
        {
            final Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find("madvise").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return null;
        }
    }
}
