package org.unicard.concurrent;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lowers the Linux nice value of the serving process's threads that are on no request's path, so that
 * a woken event loop takes its core back from them at once instead of waiting for the next scheduler tick.
 * <p>
 * Why: on a machine with few cores, the fair scheduler lets a thread that has slept a lot (a background
 * thread, the JIT's compiler) run on after the busy event loop is woken on the same core, up to a tick
 * (4 ms here). {@code perf sched} showed exactly that behind the end-to-end tail at 20,000 requests/s
 * (docs/performance.md, "What holds the tail at 20,000/s"). With a lower weight, the other threads
 * still get every core nobody else wants, and a share when one is contended, but the loop preempts them
 * when it wakes. Raising a nice value needs no privilege, and on Linux {@code setpriority} with a
 * thread id changes that thread alone.
 * <ul>
 * <li>Background threads (the journal's pretouch and space checks, the snapshot scheduler and the
 * snapshot processes it starts, the notifier) call {@link #lowerCurrentThread()} when they start:
 * nice {@value #DEFAULT_BACKGROUND_NICE}, or the JVM property {@value #BACKGROUND_NICE_PROPERTY}.</li>
 * <li>The JIT's compiler threads are lowered once by {@link #lowerCompilerThreads()} when the switch
 * starts (compiler threads added later are started by one of them and inherit its value): nice
 * {@value #DEFAULT_JIT_NICE}, or {@value #JIT_NICE_PROPERTY}. Less than the background threads, so that
 * code still compiles promptly under load.</li>
 * </ul>
 * A value of 0 leaves those threads alone. Where the C library call is missing (not Linux) nothing
 * changes and {@link #available()} says so.
 */
public final class ThreadPriorities
{
    /** JVM property: the nice value of the background threads, 0..19. */
    public static final String BACKGROUND_NICE_PROPERTY = "unicard.threads.background-nice";
    /** JVM property: the nice value of the JIT's compiler threads, 0..19. */
    public static final String JIT_NICE_PROPERTY = "unicard.threads.jit-nice";
    /** The background threads' nice value: a tenth of a normal thread's weight. */
    public static final int DEFAULT_BACKGROUND_NICE = 10;
    /** The compiler threads' nice value: a third of a normal thread's weight. */
    public static final int DEFAULT_JIT_NICE = 5;
    /** How the JVM names its compiler threads, as Linux shows them (15 characters). */
    private static final String[] COMPILER_THREADS = {"C1 CompilerThre", "C2 CompilerThre"};
    private static final int PRIO_PROCESS = 0;
    private static final MethodHandle SETPRIORITY = find();

    private ThreadPriorities()
    {
    }

    /**
     * @return whether nice values can be set here (Linux, with its C library).
     */
    public static boolean available()
    {
        return SETPRIORITY != null;
    }

    /**
     * @return the background threads' nice value from {@value #BACKGROUND_NICE_PROPERTY}.
     * @throws IllegalArgumentException when it is not a whole number in 0..19, naming the property.
     */
    public static int backgroundNice()
    {
        return nice(BACKGROUND_NICE_PROPERTY, DEFAULT_BACKGROUND_NICE);
    }

    /**
     * @return the compiler threads' nice value from {@value #JIT_NICE_PROPERTY}.
     * @throws IllegalArgumentException when it is not a whole number in 0..19, naming the property.
     */
    public static int jitNice()
    {
        return nice(JIT_NICE_PROPERTY, DEFAULT_JIT_NICE);
    }

    /**
     * Gives the calling thread the background threads' nice value. Threads it starts afterwards inherit it.
     * Never throws, so that a background thread cannot die of it: a bad property leaves the thread at
     * normal priority here, and the switch's start refuses it ({@link #backgroundNice()}).
     *
     * @return whether the value was set (false where unavailable, when the property is 0 or bad).
     */
    public static boolean lowerCurrentThread()
    {
        final int nice;
        try
        {
            nice = backgroundNice();
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
        return nice != 0 && setNice(0, nice);
    }

    /**
     * Gives the JVM's compiler threads the JIT's nice value.
     *
     * @return how many threads were changed; 0 when the property is 0, or here unavailable.
     */
    public static int lowerCompilerThreads()
    {
        final int nice = jitNice();
        if (nice == 0 || SETPRIORITY == null)
        {
            return 0;
        }
        final File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null)
        {
            return 0;
        }
        int changed = 0;
        for (final File task : tasks)
        {
            final String name = threadName(task.toPath());
            for (final String compiler : COMPILER_THREADS)
            {
                if (compiler.equals(name) && setNice(Integer.parseInt(task.getName()), nice))
                {
                    changed++;
                }
            }
        }
        return changed;
    }

    /**
     * @param property the JVM property.
     * @param fallback its value when unset.
     * @return the value, checked.
     */
    static int nice(final String property, final int fallback)
    {
        final String text = System.getProperty(property);
        if (text == null)
        {
            return fallback;
        }
        final int nice = wholeNumber(property, text, "a whole number in 0..19");
        if (nice < 0 || nice > 19)
        {
            throw new IllegalArgumentException(property + " must be in 0..19 (it only lowers threads; raising one needs privilege): " +
                property + "=" + text);
        }
        return nice;
    }

    /**
     * @param property a JVM property of this package's thread settings.
     * @param text     its value.
     * @param expected what it must be, for the message.
     * @return the value as a whole number (its range is the caller's to check).
     * @throws IllegalArgumentException when it is not one, naming the property and its value.
     */
    static int wholeNumber(final String property, final String text, final String expected)
    {
        try
        {
            return Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(property + " must be " + expected + ": " + property + "=" + text, ex);
        }
    }

    /**
     * @param task a {@code /proc/self/task/TID} directory.
     * @return its thread's name, or null when the thread has ended.
     */
    static String threadName(final Path task)
    {
        try
        {
            return Files.readString(task.resolve("comm")).trim();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * @param task a {@code /proc/self/task/TID} directory, or {@code /proc/thread-self}.
     * @return its thread's nice value, from {@code stat}.
     * @throws IOException when it cannot be read.
     */
    static int niceOf(final Path task) throws IOException
    {
        final String stat = Files.readString(task.resolve("stat"));
        // After "(name) " come state, ppid, ... : nice is the 17th field there (field 19 of stat(5)).
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }

    private static boolean setNice(final int tid, final int nice)
    {
        if (SETPRIORITY == null)
        {
            return false;
        }
        try
        {
            return (int)SETPRIORITY.invokeExact(PRIO_PROCESS, tid, nice) == 0;
        }
        catch (final Throwable ex)
        {
            return false;
        }
    }

    private static MethodHandle find()
    {
        try
        {
            final Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find("setpriority").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return null;
        }
    }
}
