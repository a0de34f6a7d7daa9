package org.unicard.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reply thread wakes an event loop once per batch, however many of its connections the batch
 * answered: every connection queued before the wake-up is flushed by that one task.
 */
class LoopFlusherTest
{
    @Test
    void shouldFlushEveryQueuedConnectionOfABatchWithOneWakeUp()
    {
        final EmbeddedChannel[] channels = {new EmbeddedChannel(), new EmbeddedChannel(), new EmbeddedChannel()};
        final LoopFlusher flusher = new LoopFlusher(channels[0].eventLoop());
        final Connection[] connections = new Connection[channels.length];
        final UnsafeBuffer response = new UnsafeBuffer(new byte[] {0, 3, 'a', 'b', 'c'});
        for (int i = 0; i < channels.length; i++)
        {
            connections[i] = new Connection(i + 1, new ListenerSettings(ListenerKind.TERMINAL, 0, true, false), channels[i], 64,
                new OutboundRingPool(64), flusher);
            assertTrue(connections[i].beforePublish());
            assertTrue(connections[i].offerResponse(response, 5));
        }
        // What ReplyEventHandler does at the end of a batch: queue all, then wake each.
        for (final Connection connection : connections)
        {
            connection.queueFlush();
            connection.queueFlush();
        }
        for (final Connection connection : connections)
        {
            connection.wakeFlusher();
        }
        for (final EmbeddedChannel channel : channels)
        {
            channel.runPendingTasks();
        }
        assertEquals(1, flusher.wakeUps(), "one drain task for the whole batch");
        for (final EmbeddedChannel channel : channels)
        {
            final ByteBuf out = channel.readOutbound();
            assertEquals(5, out.readableBytes(), "each connection's response was written once");
            out.release();
            assertNull(channel.readOutbound());
        }

        // The next batch touches one connection: one more wake-up, and nothing is written twice.
        assertTrue(connections[1].beforePublish());
        assertTrue(connections[1].offerResponse(response, 5));
        connections[1].queueFlush();
        connections[1].wakeFlusher();
        connections[0].wakeFlusher();
        channels[0].runPendingTasks();
        assertEquals(2, flusher.wakeUps());
        final ByteBuf second = channels[1].readOutbound();
        assertEquals(5, second.readableBytes());
        second.release();
        for (final EmbeddedChannel channel : channels)
        {
            channel.finishAndReleaseAll();
        }
    }
}
