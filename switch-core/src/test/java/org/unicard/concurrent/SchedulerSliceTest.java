package org.unicard.concurrent;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

public class SchedulerSliceTest
{
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    @AfterEach
    void clearProperty()
    {
        System.clearProperty(SchedulerSlice.PROPERTY);
    }

    @Test
    void shouldGiveTheThreadsOfAShorteningFactoryTheSliceAndLeaveTheOthersAlone() throws Exception
    {
        assumeCustomSlices();
        final long callerBefore = SchedulerSlice.sliceNanosOf(THREAD_SELF);
        final int shortenedBefore = SchedulerSlice.threadsShortened();
        final AtomicLong slice = new AtomicLong();
        final AtomicReference<String> name = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = SchedulerSlice.shortening(task -> new Thread(task, "request-path")).newThread(() ->
        {
            try
            {
                slice.set(SchedulerSlice.sliceNanosOf(THREAD_SELF));
                name.set(Thread.currentThread().getName());
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        thread.start();
        thread.join();
        assertNull(failure.get());
        assertEquals("request-path", name.get(), "the factory's own thread runs the task");
        assertEquals(SchedulerSlice.DEFAULT_MICROS * 1_000L, slice.get(), "se.slice of the shortened thread, ns");
        assertEquals(shortenedBefore + 1, SchedulerSlice.threadsShortened());
        assertEquals(callerBefore, SchedulerSlice.sliceNanosOf(THREAD_SELF), "the calling thread keeps its slice");
    }

    @Test
    void shouldKeepTheThreadsNiceValueWhenSettingItsSlice() throws Exception
    {
        assumeCustomSlices();
        System.setProperty(SchedulerSlice.PROPERTY, "100");
        final AtomicLong slice = new AtomicLong();
        final AtomicLong nice = new AtomicLong(-1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                assertTrue(ThreadPriorities.lowerCurrentThread());
                assertTrue(SchedulerSlice.shortenCurrentThread());
                slice.set(SchedulerSlice.sliceNanosOf(THREAD_SELF));
                nice.set(ThreadPriorities.niceOf(THREAD_SELF));
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        thread.start();
        thread.join();
        assertNull(failure.get());
        assertEquals(100_000L, slice.get(), "the kernel's shortest slice");
        assertEquals(ThreadPriorities.DEFAULT_BACKGROUND_NICE, nice.get(), "sched_setattr must write the nice value back unchanged");
    }

    @Test
    void shouldLeaveTheKernelsSliceWhenThePropertyIsZero() throws Exception
    {
        assumeCustomSlices();
        System.setProperty(SchedulerSlice.PROPERTY, "0");
        final AtomicLong before = new AtomicLong();
        final AtomicLong after = new AtomicLong();
        final Thread thread = new Thread(() ->
        {
            try
            {
                before.set(SchedulerSlice.sliceNanosOf(THREAD_SELF));
                assertFalse(SchedulerSlice.shortenCurrentThread());
                after.set(SchedulerSlice.sliceNanosOf(THREAD_SELF));
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        thread.start();
        thread.join();
        assertTrue(before.get() > SchedulerSlice.DEFAULT_MICROS * 1_000L, "kernel default " + before.get());
        assertEquals(before.get(), after.get());
    }

    @Test
    void shouldRejectASliceTheKernelWouldNotTakeNamingTheProperty()
    {
        for (final String bad : new String[] {"50", "100001", "-100", "short"})
        {
            System.setProperty(SchedulerSlice.PROPERTY, bad);
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, SchedulerSlice::micros);
            assertTrue(refused.getMessage().contains("unicard.threads.loop-slice-us=" + bad), refused.getMessage());
            // An event loop is never killed by a bad value: it keeps the kernel's slice (the start refuses the value).
            assertFalse(SchedulerSlice.shortenCurrentThread());
        }
        System.setProperty(SchedulerSlice.PROPERTY, " 100000 ");
        assertEquals(100_000, SchedulerSlice.micros());
        System.clearProperty(SchedulerSlice.PROPERTY);
        assertEquals(SchedulerSlice.DEFAULT_MICROS, SchedulerSlice.micros());
    }

    /** Custom slices need Linux 6.12 or later (6.6 to 6.11 show a slice in the sched file but take no custom one). */
    public static void assumeCustomSlices() throws Exception
    {
        assumeTrue(customSlices(), "Linux 6.12 or later on x86-64 or AArch64: " + System.getProperty("os.version"));
        assertTrue(SchedulerSlice.sliceNanosOf(THREAD_SELF) > 0, "Linux 6.12 shows each thread's slice in its sched file");
    }

    /**
     * @return whether this machine takes a thread's own slice: Linux 6.12 or later, where the call is found.
     */
    public static boolean customSlices()
    {
        if (!SchedulerSlice.available())
        {
            return false;
        }
        final String[] version = System.getProperty("os.version").split("[.-]");
        final int major = Integer.parseInt(version[0]);
        final int minor = Integer.parseInt(version[1]);
        return major > 6 || major == 6 && minor >= 12;
    }
}
