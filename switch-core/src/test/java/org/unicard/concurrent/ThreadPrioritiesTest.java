package org.unicard.concurrent;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadPrioritiesTest
{
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    @AfterEach
    void clearProperties()
    {
        System.clearProperty(ThreadPriorities.BACKGROUND_NICE_PROPERTY);
        System.clearProperty(ThreadPriorities.JIT_NICE_PROPERTY);
    }

    @Test
    void shouldLowerTheCallingThreadAloneAndTheThreadsItStarts() throws Exception
    {
        assumeTrue(ThreadPriorities.available(), "Linux only");
        final int callerBefore = ThreadPriorities.niceOf(THREAD_SELF);
        final AtomicInteger lowered = new AtomicInteger(-1);
        final AtomicInteger child = new AtomicInteger(-1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                assertTrue(ThreadPriorities.lowerCurrentThread());
                lowered.set(ThreadPriorities.niceOf(THREAD_SELF));
                final Thread started = new Thread(() ->
                {
                    try
                    {
                        child.set(ThreadPriorities.niceOf(THREAD_SELF));
                    }
                    catch (final Exception ex)
                    {
                        failure.set(ex);
                    }
                });
                started.start();
                started.join();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        thread.start();
        thread.join();
        assertEquals(null, failure.get());
        assertEquals(ThreadPriorities.DEFAULT_BACKGROUND_NICE, lowered.get(), "the thread that lowered itself");
        assertEquals(ThreadPriorities.DEFAULT_BACKGROUND_NICE, child.get(), "a thread it started inherits the value");
        assertEquals(callerBefore, ThreadPriorities.niceOf(THREAD_SELF), "the other threads keep theirs");
    }

    @Test
    void shouldLeaveTheThreadAloneWhenThePropertyIsZero() throws Exception
    {
        assumeTrue(ThreadPriorities.available(), "Linux only");
        System.setProperty(ThreadPriorities.BACKGROUND_NICE_PROPERTY, "0");
        final AtomicInteger nice = new AtomicInteger(-1);
        final AtomicInteger before = new AtomicInteger(-1);
        final Thread thread = new Thread(() ->
        {
            try
            {
                before.set(ThreadPriorities.niceOf(THREAD_SELF));
                assertEquals(false, ThreadPriorities.lowerCurrentThread());
                nice.set(ThreadPriorities.niceOf(THREAD_SELF));
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        thread.start();
        thread.join();
        assertEquals(before.get(), nice.get());
    }

    @Test
    void shouldLowerEveryCompilerThreadOfTheJvm() throws Exception
    {
        assumeTrue(ThreadPriorities.available(), "Linux only");
        final int changed = ThreadPriorities.lowerCompilerThreads();
        int compilers = 0;
        for (final File task : new File("/proc/self/task").listFiles())
        {
            final String name = ThreadPriorities.threadName(task.toPath());
            if (name != null && name.matches("C[12] CompilerThre"))
            {
                compilers++;
                assertEquals(ThreadPriorities.DEFAULT_JIT_NICE, ThreadPriorities.niceOf(task.toPath()), name + " " + task.getName());
            }
        }
        assertTrue(compilers >= 1, "this JVM has compiler threads");
        assertTrue(changed >= 1 && changed <= compilers, "changed=" + changed + " compilers=" + compilers);
    }

    @Test
    void shouldRejectANiceValueOutsideZeroToNineteenNamingTheProperty()
    {
        System.setProperty(ThreadPriorities.BACKGROUND_NICE_PROPERTY, "-5");
        final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, ThreadPriorities::backgroundNice);
        assertTrue(negative.getMessage().contains("unicard.threads.background-nice=-5"), negative.getMessage());
        System.setProperty(ThreadPriorities.JIT_NICE_PROPERTY, "20");
        assertTrue(assertThrows(IllegalArgumentException.class, ThreadPriorities::jitNice).getMessage()
            .contains("unicard.threads.jit-nice=20"));
        System.setProperty(ThreadPriorities.JIT_NICE_PROPERTY, "low");
        assertTrue(assertThrows(IllegalArgumentException.class, ThreadPriorities::jitNice).getMessage()
            .contains("unicard.threads.jit-nice=low"));
        System.setProperty(ThreadPriorities.JIT_NICE_PROPERTY, "7");
        assertEquals(7, ThreadPriorities.jitNice());
        // A background thread is never killed by a bad value: it stays at normal priority (the start refuses the value).
        assertEquals(false, ThreadPriorities.lowerCurrentThread());
    }
}
