package org.unicard.listener;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection stops reading as soon as its channel becomes unwritable (the peer leaves responses
 * unread beyond the high-water mark), even with few requests in flight, and reads again once the
 * peer has caught up.
 */
class ConnectionBackPressureTest
{
    @Test
    void shouldPauseReadingWhileTheChannelIsUnwritable()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        final Connection connection = new Connection(1, new ListenerSettings(ListenerKind.TERMINAL, 0, true, false), channel, 64);
        assertTrue(connection.beforePublish(), "one request in flight, far below the limit");
        assertTrue(channel.config().isAutoRead());

        channel.write(Unpooled.wrappedBuffer(new byte[32]));
        assertFalse(channel.isWritable(), "32 unflushed bytes are above the 16-byte high-water mark");
        connection.writabilityChanged();
        assertFalse(channel.config().isAutoRead(), "reading pauses while the peer does not read");
        assertTrue(connection.readPaused());

        channel.flush();
        assertTrue(channel.isWritable());
        connection.writabilityChanged();
        assertTrue(channel.config().isAutoRead(), "reading resumes once the responses are gone");
        assertFalse(connection.readPaused());
        channel.finishAndReleaseAll();
    }
}
