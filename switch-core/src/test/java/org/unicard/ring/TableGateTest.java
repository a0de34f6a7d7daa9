package org.unicard.ring;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableGateTest
{
    @Test
    void shouldWaitForAReaderInsideAnEventBeforeClosing() throws Exception
    {
        final TableGate gate = new TableGate(2);
        final TableGate.Reader reader = gate.reader(1);
        reader.enter();
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread writer = new Thread(() ->
        {
            gate.close();
            closed.countDown();
        });
        writer.start();
        assertFalse(closed.await(200, TimeUnit.MILLISECONDS), "closed while a reader is inside");
        reader.exit();
        assertTrue(closed.await(5, TimeUnit.SECONDS), "closed once the reader left");
        writer.join();
        assertTrue(gate.isClosed());
        gate.open();
        assertFalse(gate.isClosed());
    }

    @Test
    void shouldHoldReadersOutWhileClosed() throws Exception
    {
        final TableGate gate = new TableGate(1);
        gate.close();
        final CountDownLatch entered = new CountDownLatch(1);
        final Thread reader = new Thread(() ->
        {
            gate.reader(0).enter();
            entered.countDown();
            gate.reader(0).exit();
        });
        reader.start();
        assertFalse(entered.await(200, TimeUnit.MILLISECONDS), "a reader entered a closed gate");
        gate.open();
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        reader.join();
    }

    @Test
    void shouldNeverLetAReaderSeeAHalfWrittenChange() throws Exception
    {
        final TableGate gate = new TableGate(2);
        final long[] table = new long[2];
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong torn = new AtomicLong();
        final AtomicLong reads = new AtomicLong();
        final Thread[] readers = new Thread[2];
        for (int r = 0; r < 2; r++)
        {
            final TableGate.Reader reader = gate.reader(r);
            readers[r] = new Thread(() ->
            {
                while (running.get())
                {
                    reader.enter();
                    final long first = table[0];
                    Thread.onSpinWait();
                    final long second = table[1];
                    reader.exit();
                    if (first != second)
                    {
                        torn.incrementAndGet();
                    }
                    reads.incrementAndGet();
                }
            });
            readers[r].start();
        }
        // The readers must be reading while the writer writes: on a quiet machine 2,000 changes can be over
        // before a reader thread has started, and then nothing is tested.
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (reads.get() == 0 && System.nanoTime() < deadlineNs)
        {
            Thread.onSpinWait();
        }
        final long readsBefore = reads.get();
        for (long change = 1; (change <= 2_000 || reads.get() - readsBefore < 10_000) && System.nanoTime() < deadlineNs; change++)
        {
            gate.close();
            table[0] = change;
            Thread.onSpinWait();
            table[1] = change;
            gate.open();
        }
        running.set(false);
        for (final Thread reader : readers)
        {
            reader.join();
        }
        assertEquals(0, torn.get(), "reads that saw one column changed and not the other, of " + reads.get());
        assertTrue(reads.get() - readsBefore >= 10_000, "reads while the writer wrote: " + (reads.get() - readsBefore));
    }

    @Test
    void shouldRefuseAReaderCountOutOfRange()
    {
        assertEquals("readerCount=0 range=[1,8]", assertThrows(IllegalArgumentException.class, () -> new TableGate(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TableGate(9));
    }
}
