package org.unicard.ring;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default wait strategy: two chained stages see every event in order, whether the producer
 * publishes in bursts or one event at a time with pauses (the stages sleep in between); idle
 * stages use no CPU; a halt wakes a sleeping stage.
 */
class BackoffWaitStrategyTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldDeliverEveryEventInOrderAndSleepWhenIdle() throws Exception
    {
        final AtomicLong firstSum = new AtomicLong();
        final AtomicLong secondSeen = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        final long[] threadIds = new long[2];
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final Disruptor<long[]> disruptor = new Disruptor<>(() -> new long[1], 64, runnable ->
        {
            final Thread thread = new Thread(runnable, "backoff-test");
            threads.add(thread);
            return thread;
        }, ProducerType.MULTI, new BackoffWaitStrategy());
        disruptor.handleEventsWith((event, sequence, endOfBatch) ->
        {
            threadIds[0] = Thread.currentThread().threadId();
            firstSum.addAndGet(event[0]);
        }).then((event, sequence, endOfBatch) ->
        {
            threadIds[1] = Thread.currentThread().threadId();
            if (event[0] != secondSeen.get() + 1)
            {
                outOfOrder.incrementAndGet();
            }
            secondSeen.set(event[0]);
        });
        final RingBuffer<long[]> ring = disruptor.start();
        long value = 0;
        for (int i = 0; i < 10_000; i++)
        {
            final long next = ++value;
            ring.publishEvent((event, sequence) -> event[0] = next);
        }
        for (int i = 0; i < 50; i++)
        {
            Thread.sleep(2);
            final long next = ++value;
            ring.publishEvent((event, sequence) -> event[0] = next);
        }
        final long last = value;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (secondSeen.get() != last && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(last, secondSeen.get(), "the second stage saw the last event");
        assertEquals(last * (last + 1) / 2, firstSum.get(), "the first stage saw every event once");
        assertEquals(0, outOfOrder.get());

        Thread.sleep(50);
        final long cpuBefore = THREADS.getThreadCpuTime(threadIds[0]) + THREADS.getThreadCpuTime(threadIds[1]);
        Thread.sleep(300);
        final long idleCpuNs = THREADS.getThreadCpuTime(threadIds[0]) + THREADS.getThreadCpuTime(threadIds[1]) - cpuBefore;
        // A spinning or yielding stage would use close to 300 ms of CPU each; a sleeping one next to none.
        assertTrue(idleCpuNs < 30_000_000L, "CPU used by two idle stages in 300 ms: " + idleCpuNs + " ns");

        disruptor.halt();
        for (final Thread thread : threads)
        {
            thread.join(2_000);
            assertFalse(thread.isAlive(), "halt wakes a sleeping stage, which then ends");
        }
    }

    @Test
    void shouldAllocateNothingWhenAStageSleepsAndIsWoken() throws Exception
    {
        final AtomicLong seen = new AtomicLong();
        final long[] threadId = new long[1];
        final Disruptor<long[]> disruptor = new Disruptor<>(() -> new long[1], 64, runnable -> new Thread(runnable, "backoff-sleeper"),
            ProducerType.MULTI, new BackoffWaitStrategy());
        disruptor.handleEventsWith((event, sequence, endOfBatch) ->
        {
            threadId[0] = Thread.currentThread().threadId();
            seen.set(event[0]);
        });
        final RingBuffer<long[]> ring = disruptor.start();
        try
        {
            publishOneAtATime(ring, seen, 1, 500);
            final long before = THREADS.getThreadAllocatedBytes(threadId[0]);
            publishOneAtATime(ring, seen, 501, 2_500);
            final long allocated = THREADS.getThreadAllocatedBytes(threadId[0]) - before;
            // Every event finds the stage asleep (it is published 300 µs after the stage went idle): 2,000
            // sleeps and wake-ups. A Condition's await allocated a 32-byte node for each (64,000 bytes); what
            // may remain is the JIT's once-only work, less than a byte per sleep.
            assertTrue(allocated < 2_000, "bytes allocated by the stage over 2,000 sleeps: " + allocated);
        }
        finally
        {
            disruptor.halt();
        }
    }

    private static void publishOneAtATime(final RingBuffer<long[]> ring, final AtomicLong seen, final long from, final long to)
        throws InterruptedException
    {
        for (long value = from; value <= to; value++)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(300_000);
            final long next = value;
            ring.publishEvent((event, sequence) -> event[0] = next);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (seen.get() != next)
            {
                assertTrue(System.nanoTime() < deadline, "event " + next + " not seen");
                Thread.onSpinWait();
            }
        }
    }
}
