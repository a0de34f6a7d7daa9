package org.unicard.iso8583.framing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FrameSplitterTest
{
    private final FrameSplitter splitter = new FrameSplitter();
    private final List<byte[]> frames = new ArrayList<>();
    private final List<DirectBuffer> buffers = new ArrayList<>();
    private final FrameHandler handler = (buffer, offset, length) ->
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        frames.add(copy);
        buffers.add(buffer);
    };

    @Test
    void shouldDeliverWholeFrameDirectlyOverTheChunk()
    {
        final UnsafeBuffer chunk = new UnsafeBuffer(frame(1, 2, 3));

        assertNull(splitter.onBytes(chunk, 0, chunk.capacity(), handler));
        assertEquals(1, frames.size());
        assertArrayEquals(new byte[]{ 1, 2, 3 }, frames.get(0));
        assertSame(chunk, buffers.get(0));
        assertEquals(0, splitter.bufferedBytes());
    }

    @Test
    void shouldDeliverSeveralFramesFromOneChunk()
    {
        final byte[] stream = concat(frame(1), frame(2, 3), frame(4, 5, 6));

        assertNull(splitter.onBytes(new UnsafeBuffer(stream), 0, stream.length, handler));
        assertEquals(3, frames.size());
        assertArrayEquals(new byte[]{ 4, 5, 6 }, frames.get(2));
    }

    @Test
    void shouldReassembleFramesFedByteByByte()
    {
        final byte[] stream = concat(frame(1, 2, 3, 4, 5), frame(9), frame(7, 7));
        final UnsafeBuffer buffer = new UnsafeBuffer(stream);
        for (int i = 0; i < stream.length; i++)
        {
            assertNull(splitter.onBytes(buffer, i, 1, handler));
        }

        assertEquals(3, frames.size());
        assertArrayEquals(new byte[]{ 1, 2, 3, 4, 5 }, frames.get(0));
        assertArrayEquals(new byte[]{ 9 }, frames.get(1));
        assertArrayEquals(new byte[]{ 7, 7 }, frames.get(2));
        assertEquals(0, splitter.bufferedBytes());
    }

    @Test
    void shouldKeepPartialFrameBetweenChunks()
    {
        final byte[] stream = concat(frame(1, 2, 3), frame(4, 5, 6, 7));
        final UnsafeBuffer buffer = new UnsafeBuffer(stream);

        assertNull(splitter.onBytes(buffer, 0, 7, handler));
        assertEquals(1, frames.size());
        assertEquals(2, splitter.bufferedBytes());
        assertNull(splitter.onBytes(buffer, 7, stream.length - 7, handler));
        assertEquals(2, frames.size());
        assertArrayEquals(new byte[]{ 4, 5, 6, 7 }, frames.get(1));
    }

    @Test
    void shouldSplitRandomChunkingOfManyFramesIdentically()
    {
        final Random random = new Random(42);
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++)
        {
            final byte[] body = new byte[1 + random.nextInt(random.nextInt(10) == 0 ? Framing.MAX_FRAME_BYTES : 300)];
            random.nextBytes(body);
            expected.add(body);
            stream.writeBytes(frame(body));
        }
        final byte[] bytes = stream.toByteArray();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        int position = 0;
        while (position < bytes.length)
        {
            final int chunk = Math.min(bytes.length - position, 1 + random.nextInt(2000));
            assertNull(splitter.onBytes(buffer, position, chunk, handler));
            position += chunk;
        }

        assertEquals(expected.size(), frames.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), frames.get(i), "frame=" + i);
        }
    }

    @Test
    void shouldAcceptMaximumFrameLength()
    {
        final byte[] stream = frame(new byte[Framing.MAX_FRAME_BYTES]);

        assertNull(splitter.onBytes(new UnsafeBuffer(stream), 0, stream.length, handler));
        assertEquals(Framing.MAX_FRAME_BYTES, frames.get(0).length);
    }

    @Test
    void shouldReportZeroLength()
    {
        final byte[] stream = concat(frame(1), new byte[]{ 0, 0, 5 });

        assertEquals(FramingError.ZERO_LENGTH, splitter.onBytes(new UnsafeBuffer(stream), 0, stream.length, handler));
        assertEquals(1, frames.size());
    }

    @Test
    void shouldReportLengthAboveMaximum()
    {
        final byte[] stream = { 0x10, 0x01, 1, 2, 3 };

        assertEquals(FramingError.TOO_LONG, splitter.onBytes(new UnsafeBuffer(stream), 0, stream.length, handler));
        assertEquals(0, frames.size());
    }

    @Test
    void shouldReportLengthAboveMaximumSplitAcrossChunks()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[]{ (byte)0xFF, (byte)0xFF });

        assertNull(splitter.onBytes(buffer, 0, 1, handler));
        assertEquals(FramingError.TOO_LONG, splitter.onBytes(buffer, 1, 1, handler));
    }

    @Test
    void shouldIgnoreInputAfterErrorUntilReset()
    {
        final UnsafeBuffer zero = new UnsafeBuffer(new byte[]{ 0, 0 });
        final UnsafeBuffer good = new UnsafeBuffer(frame(1));
        splitter.onBytes(zero, 0, 2, handler);

        assertEquals(FramingError.ZERO_LENGTH, splitter.onBytes(good, 0, good.capacity(), handler));
        assertEquals(0, frames.size());
        splitter.reset();
        assertNull(splitter.onBytes(good, 0, good.capacity(), handler));
        assertEquals(1, frames.size());
    }

    @Test
    void shouldWriteAndReadUnsignedBigEndianLength()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2]);
        Framing.writeLength(buffer, 0, 0xABCD);

        assertArrayEquals(new byte[]{ (byte)0xAB, (byte)0xCD }, buffer.byteArray());
        assertEquals(0xABCD, Framing.readLength(buffer, 0));
    }

    private static byte[] frame(final int... body)
    {
        final byte[] bytes = new byte[body.length];
        for (int i = 0; i < body.length; i++)
        {
            bytes[i] = (byte)body[i];
        }
        return frame(bytes);
    }

    private static byte[] frame(final byte[] body)
    {
        final byte[] framed = new byte[body.length + 2];
        Framing.writeLength(new UnsafeBuffer(framed), 0, body.length);
        System.arraycopy(body, 0, framed, 2, body.length);
        return framed;
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void shouldHoldNoPartialFrameBufferUntilAFrameIsSplit()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final FrameSplitter[] splitters = new FrameSplitter[1_000];
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < splitters.length; i++)
        {
            splitters[i] = new FrameSplitter();
        }
        final long perSplitter = (threads.getCurrentThreadAllocatedBytes() - before) / splitters.length;

        final List<byte[]> frames = new ArrayList<>();
        final UnsafeBuffer chunk = new UnsafeBuffer(new byte[] {0, 3, 1, 2});
        assertNull(splitters[0].onBytes(chunk, 0, 4, (buffer, offset, length) -> frames.add(new byte[length])));
        assertNull(splitters[0].onBytes(new UnsafeBuffer(new byte[] {3}), 0, 1,
            (buffer, offset, length) -> frames.add(copy(buffer, offset, length))));

        assertEquals(1, frames.size());
        assertArrayEquals(new byte[] {1, 2, 3}, frames.get(0));
        assertTrue(perSplitter < 256, "bytes per idle splitter: " + perSplitter);
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
