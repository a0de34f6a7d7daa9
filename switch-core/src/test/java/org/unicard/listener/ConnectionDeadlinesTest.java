package org.unicard.listener;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.RingBuffer;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.unicard.ring.RequestEvent;
import org.unicard.time.BusinessClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listener's two connection deadlines on a clock the test moves (Netty's {@code EmbeddedChannel}
 * with its time frozen): an incomplete frame held for {@code listener.partial-frame-timeout-ms}, and a
 * channel left unwritable for {@code listener.write-stall-timeout-ms}, close the connection exactly at
 * their limit and not a nanosecond of business before; nothing sleeps.
 */
class ConnectionDeadlinesTest
{
    private static final long PARTIAL_FRAME_TIMEOUT_MS = 30_000;
    private static final long WRITE_STALL_TIMEOUT_MS = 20_000;

    private final RingBuffer<RequestEvent> ring = RingBuffer.createMultiProducer(RequestEvent.FACTORY, 64);
    private final ListenerServer server = new ListenerServer(1, "127.0.0.1", ring,
        BusinessClock.startingAt(Instant.parse("2026-11-23T07:00:00Z")), 64, 100, PARTIAL_FRAME_TIMEOUT_MS, WRITE_STALL_TIMEOUT_MS,
        null, null);
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close()
    {
        channel.finishAndReleaseAll();
        server.close();
    }

    private void receive()
    {
        channel.freezeTime();
        channel.pipeline().addLast(new FrameReceiver(server, new ListenerSettings(ListenerKind.TERMINAL, 0, true, false), ring,
            BusinessClock.startingAt(Instant.parse("2026-11-23T07:00:00Z"))));
        channel.pipeline().fireChannelActive();
    }

    private void advance(final long ms)
    {
        channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void shouldCloseAConnectionHoldingAnIncompleteFrameAtTheLimitAndNotBefore()
    {
        receive();
        // A length of 100 bytes, then only 10 of them.
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));

        advance(PARTIAL_FRAME_TIMEOUT_MS - 1);
        assertTrue(channel.isOpen(), "one millisecond before the limit");
        assertEquals(0, server.partialFrameTimeouts());

        advance(1);
        assertFalse(channel.isOpen(), "at the limit");
        assertEquals(1, server.partialFrameTimeouts());
    }

    @Test
    void shouldRestartThePartialFrameDeadlineWhenAFrameCompletes()
    {
        receive();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 4, 1, 2}));
        advance(PARTIAL_FRAME_TIMEOUT_MS - 1);
        // The frame completes (it is published to the ring; nothing reads it here) and a new one starts.
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 4, 0, 9, 1}));

        advance(PARTIAL_FRAME_TIMEOUT_MS - 1);
        assertTrue(channel.isOpen(), "the new incomplete frame has its own deadline");
        advance(1);
        assertFalse(channel.isOpen());
        assertEquals(1, server.partialFrameTimeouts());
    }

    @Test
    void shouldCloseAConnectionWhosePeerReadsNothingAtTheWriteStallLimit()
    {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        receive();
        channel.write(Unpooled.wrappedBuffer(new byte[32]));
        assertFalse(channel.isWritable(), "32 unflushed bytes are above the 16-byte high-water mark");

        advance(WRITE_STALL_TIMEOUT_MS - 1);
        assertTrue(channel.isOpen(), "one millisecond before the limit");
        assertEquals(0, server.writeStalls());

        advance(1);
        assertFalse(channel.isOpen(), "at the limit");
        assertEquals(1, server.writeStalls());
    }
}
