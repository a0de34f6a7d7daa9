package org.unicard.metrics;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The switch's one way to count: one thread writes, any thread reads values in the order they
 * were written, and what the writer wrote before a bump is visible with it.
 */
class SingleWriterCounterTest
{
    private static final int INCREMENTS = 2_000_000;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldStartAtZeroAndCountWhatItsWriterAddsAndSets()
    {
        final SingleWriterCounter counter = new SingleWriterCounter();
        assertEquals(0, counter.get());

        counter.increment();
        counter.increment();
        counter.add(40);
        assertEquals(42, counter.get());

        counter.set(7);
        assertEquals(7, counter.get());
        assertEquals("7", counter.toString());
    }

    @Test
    void shouldShowAReaderOnAnotherThreadEveryValueInOrderAndTheLastOne() throws Exception
    {
        final SingleWriterCounter counter = new SingleWriterCounter();
        final long[] published = new long[INCREMENTS + 1];
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread reader = new Thread(() ->
        {
            started.countDown();
            long previous = 0;
            while (previous < INCREMENTS)
            {
                final long seen = counter.get();
                if (seen < previous)
                {
                    failure.compareAndSet(null, "went back from " + previous + " to " + seen);
                    return;
                }
                // The writer stored published[n] before it bumped the counter to n: an acquire load
                // of n must make that plain store visible.
                if (seen > 0 && published[(int)seen] != seen)
                {
                    failure.compareAndSet(null, "saw count " + seen + " before the data written ahead of it: " + published[(int)seen]);
                    return;
                }
                previous = seen;
            }
        }, "counter-reader");
        reader.start();
        started.await();

        for (int n = 1; n <= INCREMENTS; n++)
        {
            published[n] = n;
            counter.increment();
        }
        reader.join(30_000);

        assertNull(failure.get());
        assertFalse(reader.isAlive(), "the reader saw the last value");
        assertEquals(INCREMENTS, counter.get());
    }

    @Test
    void shouldAllocateNothingWhenCounting()
    {
        final SingleWriterCounter counter = new SingleWriterCounter();
        final SingleWriterCounterArray counts = new SingleWriterCounterArray(16);
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 20; round++)
        {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++)
            {
                counter.increment();
                counter.add(2);
                counts.increment(i & 15);
            }
            fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
        }

        assertEquals(0, fewest);
        assertEquals(20 * 10_000 * 3, counter.get());
        assertEquals(20 * 10_000 / 16, counts.get(3));
    }

    @Test
    void shouldKeepTheCountsOfAnArrayApart() throws Exception
    {
        final SingleWriterCounterArray counts = new SingleWriterCounterArray(3);
        final Thread writer = new Thread(() ->
        {
            for (int i = 0; i < 1_000; i++)
            {
                counts.increment(0);
                counts.increment(2);
                counts.increment(2);
            }
        });
        writer.start();
        writer.join();

        assertEquals(3, counts.length());
        assertEquals(1_000, counts.get(0));
        assertEquals(0, counts.get(1));
        assertEquals(2_000, counts.get(2));
    }

    @Test
    void shouldCountEveryErrorReportedByManyThreadsAtOnce() throws Exception
    {
        final DistinctErrors errors = new DistinctErrors(10);
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < 50_000; i++)
                {
                    errors.first("kind");
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }

        assertEquals(200_000, errors.count(), "several writers serialised by the lock lose no count");
    }
}
