package org.unicard.concurrent;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks Linux for a short scheduler slice for the threads on the request path (the listeners' event
 * loops, and the ring's threads where it has its own), so that one of them woken by a request preempts
 * whatever holds its core instead of waiting for that thread's slice or the next tick.
 * <p>
 * Why: the fair scheduler of Linux 6.6 and later (EEVDF) gives each thread a virtual deadline of its
 * eligible time plus its slice, and since 6.12 a thread may ask for its own slice with
 * {@code sched_setattr} ({@code sched_runtime}, clamped by the kernel to 0.1–100 ms). A thread with a
 * shorter slice than the running one has the earlier deadline, and may preempt it when it wakes. The
 * slice changes when a thread runs, not how much: its weight (nice value) stays, so it gets no more than
 * its share of a contended core. It needs no privilege. The default slice here is 1.4 ms (0.7 ms
 * scaled for 2 CPUs), and ticks are 4 ms apart: docs/performance.md ("A short slice for the request
 * path") measured what that did to the tail at 20,000 requests/s.
 * <p>
 * The slice is the JVM property {@value #PROPERTY} in microseconds: {@value #DEFAULT_MICROS} by default,
 * 0 to leave the threads at the kernel's default, else 100 (the kernel's shortest) to 100,000. Only a
 * thread in the normal policy ({@code SCHED_OTHER}) is changed: one an operator has put in a real-time
 * policy keeps it. Where the system call is missing (not Linux on x86-64 or AArch64) nothing changes;
 * on a Linux older than 6.12 the call succeeds and the kernel ignores the value.
 */
public final class SchedulerSlice
{
    /** JVM property: the request path's slice in microseconds, 0 or 100..100,000. */
    public static final String PROPERTY = "unicard.threads.loop-slice-us";
    /**
     * The request path's slice, 0.5 ms: about a third of the default here. 0.1 ms (the kernel's shortest) did no
     * better for the tail and cost a fifth of the throughput at saturation (docs/performance.md).
     */
    public static final int DEFAULT_MICROS = 500;
    /** The kernel's shortest slice, 0.1 ms. */
    private static final int MIN_MICROS = 100;
    /** The kernel's longest slice, 100 ms. */
    private static final int MAX_MICROS = 100_000;
    /** {@code struct sched_attr} as first defined ({@code SCHED_ATTR_SIZE_VER0}). */
    private static final int ATTR_SIZE = 48;
    private static final int ATTR_POLICY = 4;
    private static final int ATTR_FLAGS = 8;
    private static final int ATTR_RUNTIME = 24;
    private static final int SCHED_OTHER = 0;
    private static final long SETATTR;
    private static final long GETATTR;
    private static final MethodHandle SYSCALL_3;
    private static final MethodHandle SYSCALL_4;
    private static final AtomicInteger SHORTENED = new AtomicInteger();

    static
    {
        final String arch = System.getProperty("os.arch", "");
        final boolean linux = System.getProperty("os.name", "").startsWith("Linux");
        SETATTR = !linux ? -1 : arch.equals("amd64") || arch.equals("x86_64") ? 314 : arch.equals("aarch64") ? 274 : -1;
        GETATTR = SETATTR < 0 ? -1 : SETATTR + 1;
        SYSCALL_3 = SETATTR < 0 ? null : syscall(3);
        SYSCALL_4 = SETATTR < 0 ? null : syscall(4);
    }

    private SchedulerSlice()
    {
    }

    /**
     * @return whether a slice can be asked for here.
     */
    public static boolean available()
    {
        return SYSCALL_3 != null && SYSCALL_4 != null;
    }

    /**
     * @return the slice from {@value #PROPERTY}, in microseconds; 0 means the kernel's default.
     * @throws IllegalArgumentException when it is not 0 or a whole number in 100..100,000, naming the property.
     */
    public static int micros()
    {
        final String text = System.getProperty(PROPERTY);
        if (text == null)
        {
            return DEFAULT_MICROS;
        }
        final int micros = ThreadPriorities.wholeNumber(PROPERTY, text, "0 or a whole number of microseconds in 100..100000");
        if (micros != 0 && (micros < MIN_MICROS || micros > MAX_MICROS))
        {
            throw new IllegalArgumentException(PROPERTY + " must be 0 (the kernel's default) or in 100..100000 microseconds, " +
                "the range the kernel accepts: " + PROPERTY + "=" + text);
        }
        return micros;
    }

    /**
     * Gives the calling thread the request path's slice. Never throws, so that an event loop cannot die
     * of it: a bad property leaves the thread as it was, and the switch's start refuses the value
     * ({@link #micros()}).
     *
     * @return whether the slice was set (false where unavailable, when the property is 0 or bad, or the
     *         thread is not in the normal policy).
     */
    public static boolean shortenCurrentThread()
    {
        final int micros;
        try
        {
            micros = micros();
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
        if (micros == 0 || !available())
        {
            return false;
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment attr = arena.allocate(ATTR_SIZE, Long.BYTES);
            if ((long)SYSCALL_4.invokeExact(GETATTR, 0, attr, ATTR_SIZE, 0) != 0 ||
                attr.get(ValueLayout.JAVA_INT, ATTR_POLICY) != SCHED_OTHER)
            {
                return false;
            }
            // sched_setattr sets the nice value too: the one just read is written back unchanged.
            attr.set(ValueLayout.JAVA_INT, 0, ATTR_SIZE);
            attr.set(ValueLayout.JAVA_LONG, ATTR_FLAGS, 0L);
            attr.set(ValueLayout.JAVA_LONG, ATTR_RUNTIME, micros * 1_000L);
            final boolean set = (long)SYSCALL_3.invokeExact(SETATTR, 0, attr, 0) == 0;
            if (set)
            {
                SHORTENED.incrementAndGet();
            }
            return set;
        }
        catch (final Throwable ex)
        {
            return false;
        }
    }

    /**
     * @param threads makes the request path's threads.
     * @return a factory whose threads first {@link #shortenCurrentThread()}, then run their task.
     */
    public static ThreadFactory shortening(final ThreadFactory threads)
    {
        return task -> threads.newThread(() ->
        {
            shortenCurrentThread();
            task.run();
        });
    }

    /**
     * @return how many threads of this JVM were given the slice so far.
     */
    public static int threadsShortened()
    {
        return SHORTENED.get();
    }

    /**
     * @param task a {@code /proc/self/task/TID} directory, or {@code /proc/thread-self}.
     * @return its thread's slice in nanoseconds ({@code se.slice} of its {@code sched} file), or -1 when
     *         this kernel does not show one.
     * @throws IOException when the file cannot be read.
     */
    public static long sliceNanosOf(final Path task) throws IOException
    {
        for (final String line : Files.readAllLines(task.resolve("sched")))
        {
            if (line.startsWith("se.slice "))
            {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return -1;
    }

    /** {@code long syscall(long number, ...)} with {@code arguments} int, pointer, int[, int] after the number. */
    private static MethodHandle syscall(final int arguments)
    {
        try
        {
            final Linker linker = Linker.nativeLinker();
            final FunctionDescriptor descriptor = arguments == 3 ?
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT) :
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
            return linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(), descriptor,
                Linker.Option.firstVariadicArg(1));
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return null;
        }
    }
}
