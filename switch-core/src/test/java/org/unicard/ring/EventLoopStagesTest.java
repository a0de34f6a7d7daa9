package org.unicard.ring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared layout's driver ({@code ring.threads = shared}): every slot published, from any thread,
 * passes every stage exactly once and in ring order; a slot published before the loop is set is not
 * lost; and on the loop itself a half-full ring is drained at once instead of after the loop's other work.
 */
class EventLoopStagesTest
{
    private static final int RING_SIZE = 1024;

    /** A stage that checks it sees every sequence once, in order, and counts them. */
    private static final class Counting implements EventHandler<RequestEvent>
    {
        long expected;
        long seen;
        long outOfOrder;

        @Override
        public void onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
        {
            if (sequence != expected)
            {
                outOfOrder++;
            }
            expected = sequence + 1;
            seen++;
        }
    }

    /** An event loop that runs its tasks only when the test says so. */
    private static final class ManualLoop implements java.util.concurrent.Executor
    {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(final Runnable task)
        {
            tasks.add(task);
        }

        int runAll()
        {
            int ran = 0;
            Runnable task;
            while ((task = tasks.poll()) != null)
            {
                task.run();
                ran++;
            }
            return ran;
        }
    }

    @Test
    void shouldPassEverySlotPublishedByManyThreadsThroughTheStagesOnceAndInOrder() throws Exception
    {
        final RingBuffer<RequestEvent> ring = RingBuffer.createMultiProducer(RequestEvent.FACTORY, RING_SIZE, new BackoffWaitStrategy());
        final Counting first = new Counting();
        final Counting second = new Counting();
        final EventLoopStages stages = new EventLoopStages(ring, new StageChain(new RingExceptionHandler(), first, second),
            new RingExceptionHandler());
        final ExecutorService loop = Executors.newSingleThreadExecutor();
        final int publishers = 4;
        final int each = 50_000;
        try
        {
            stages.runOn(loop);
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < publishers; p++)
            {
                threads.add(Thread.ofPlatform().name("publisher-" + p).start(() ->
                {
                    for (int i = 0; i < each; i++)
                    {
                        final long sequence = ring.next();
                        ring.publish(sequence);
                        stages.published();
                    }
                }));
            }
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ring.getMinimumGatingSequence() < ring.getCursor() && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
        }
        finally
        {
            loop.shutdown();
            assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertEquals((long)publishers * each, first.seen, "slots through stage 1");
        assertEquals((long)publishers * each, second.seen, "slots through stage 2");
        assertEquals(0, first.outOfOrder);
        assertEquals(0, second.outOfOrder);
        assertEquals(ring.getCursor(), ring.getMinimumGatingSequence(), "the ring is empty: every slot released");
    }

    @Test
    void shouldDrainWhatWasPublishedBeforeTheLoopWasSet()
    {
        final RingBuffer<RequestEvent> ring = RingBuffer.createMultiProducer(RequestEvent.FACTORY, RING_SIZE, new BackoffWaitStrategy());
        final Counting stage = new Counting();
        final EventLoopStages stages = new EventLoopStages(ring, new StageChain(new RingExceptionHandler(), stage), new RingExceptionHandler());
        for (int i = 0; i < 10; i++)
        {
            ring.publish(ring.next());
            stages.published();
        }
        assertEquals(0, stage.seen, "nothing runs the stages before the loop is set");
        final ManualLoop loop = new ManualLoop();
        stages.runOn(loop);
        assertEquals(1, loop.runAll(), "one drain task");
        assertEquals(10, stage.seen);
    }

    @Test
    void shouldCountTheTimeTheLoopSpendsInTheStages()
    {
        final RingBuffer<RequestEvent> ring = RingBuffer.createMultiProducer(RequestEvent.FACTORY, RING_SIZE, new BackoffWaitStrategy());
        final EventHandler<RequestEvent> slow = (event, sequence, endOfBatch) ->
        {
            final long until = System.nanoTime() + 2_000_000;
            while (System.nanoTime() - until < 0)
            {
                Thread.onSpinWait();
            }
        };
        final EventLoopStages stages = new EventLoopStages(ring, new StageChain(new RingExceptionHandler(), slow), new RingExceptionHandler());
        final ManualLoop loop = new ManualLoop();
        stages.runOn(loop);
        loop.runAll();
        assertEquals(0, stages.busyNs() / 1_000_000, "an empty drain takes no measurable time");
        ring.publish(ring.next());
        ring.publish(ring.next());
        stages.published();
        loop.runAll();
        assertTrue(stages.busyNs() >= 4_000_000, "two 2 ms stage runs: " + stages.busyNs() + " ns");
    }

    @Test
    void shouldQueueOneDrainForManyPublishesAndDrainAtOnceOnTheLoopWhenTheRingIsHalfFull()
    {
        final RingBuffer<RequestEvent> ring = RingBuffer.createMultiProducer(RequestEvent.FACTORY, RING_SIZE, new BackoffWaitStrategy());
        final Counting stage = new Counting();
        final EventLoopStages stages = new EventLoopStages(ring, new StageChain(new RingExceptionHandler(), stage), new RingExceptionHandler());
        final ManualLoop loop = new ManualLoop();
        stages.runOn(loop);
        loop.runAll(); // this thread is now the loop's

        for (int i = 0; i < 100; i++)
        {
            ring.publish(ring.next());
            stages.published();
        }
        assertEquals(0, stage.seen, "below half full, the drain waits for the loop's turn");
        assertEquals(1, loop.tasks.size(), "one drain task for 100 publishes");
        for (int i = 100; i < RING_SIZE / 2 + 1; i++)
        {
            ring.publish(ring.next());
            stages.published();
        }
        assertEquals(RING_SIZE / 2 + 1, stage.seen, "the publish that took the ring past half full drained it on the loop");
        assertEquals(RING_SIZE, ring.remainingCapacity());
        loop.runAll();
        assertEquals(RING_SIZE / 2 + 1, stage.seen, "the queued drain finds nothing more");
        assertEquals(0, stage.outOfOrder);
    }
}
