package org.unicard.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection holds an outbound ring only while it has requests in flight: the ring goes back to
 * the event loop's pool once the last response is flushed, and the next request reuses it.
 */
class ConnectionRingPoolTest
{
    @Test
    void shouldGiveTheRingBackOnceNothingIsInFlightAndReuseIt()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final OutboundRingPool pool = new OutboundRingPool(64);
        final Connection first = new Connection(1, new ListenerSettings(ListenerKind.TERMINAL, 0, true, false), channel, 64, pool);
        final UnsafeBuffer response = new UnsafeBuffer(new byte[] {0, 3, 'a', 'b', 'c'});

        assertTrue(first.beforePublish());
        assertTrue(first.beforePublish());
        assertEquals(1, pool.allocated());
        assertTrue(first.offerResponse(response, 5));
        first.scheduleFlush();
        channel.runPendingTasks();
        assertEquals(0, pool.free(), "one request still in flight: the ring stays");

        assertTrue(first.offerResponse(response, 5));
        first.scheduleFlush();
        channel.runPendingTasks();
        assertEquals(1, pool.free(), "nothing in flight: the ring is back in the pool");

        final Connection second = new Connection(2, new ListenerSettings(ListenerKind.TERMINAL, 0, true, false), channel, 64, pool);
        assertTrue(second.beforePublish());
        assertEquals(1, pool.allocated(), "the next request reuses the pooled ring");
        assertEquals(0, pool.free());
        assertTrue(first.beforePublish());
        assertEquals(2, pool.allocated(), "a second connection in flight at once needs its own ring");

        int bytes = 0;
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound())
        {
            bytes += out.readableBytes();
            out.release();
        }
        assertEquals(10, bytes, "both responses were written");
        channel.finishAndReleaseAll();
    }
}
