package org.unicard.iso8583.framing;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Splits a TCP byte stream into length-prefixed frames without allocating.
 * <p>
 * Feed each chunk read from the socket to {@link #onBytes(DirectBuffer, int, int, FrameHandler)}.
 * A frame that lies whole inside the chunk is handed to the {@link FrameHandler} directly over the
 * chunk's buffer; a frame that straddles chunks is accumulated in a buffer of
 * {@link Framing#LENGTH_PREFIX_BYTES} + {@link Framing#MAX_FRAME_BYTES} bytes (allocated on the first
 * such frame, then reused) and handed over from there once complete. Bytes of an incomplete frame are kept for the next call.
 * <p>
 * A length of 0 or above {@link Framing#MAX_FRAME_BYTES} is reported as soon as its two prefix
 * bytes have arrived. The splitter then stays failed: every further call returns the same error
 * and ignores its input until {@link #reset()}. Frames completed earlier in the same chunk have
 * already been delivered.
 * <p>
 * Not thread safe: one splitter per connection, used by that connection's event loop.
 */
public final class FrameSplitter
{
    private static final int PARTIAL_CAPACITY = Framing.LENGTH_PREFIX_BYTES + Framing.MAX_FRAME_BYTES;

    /** Allocated on the first frame split across chunks, then kept: an idle connection holds none. */
    private final UnsafeBuffer partial = new UnsafeBuffer(new byte[0]);
    private int partialBytes;
    private int partialFrameLength;
    private FramingError error;

    /**
     * Create a splitter. Its partial-frame buffer (4 KiB) is allocated once, on the first frame that
     * arrives split across chunks, so that thousands of idle connections cost little memory.
     */
    public FrameSplitter()
    {
    }

    /**
     * Consume a chunk of the stream, delivering every frame it completes.
     *
     * @param src     buffer holding the chunk.
     * @param offset  of the chunk in {@code src}.
     * @param length  of the chunk.
     * @param handler called once per complete frame, in stream order.
     * @return null when the stream is still well framed, else the error (the caller then closes the
     * connection).
     */
    public FramingError onBytes(
        final DirectBuffer src, final int offset, final int length, final FrameHandler handler)
    {
        if (null != error)
        {
            return error;
        }

        final int end = offset + length;
        int position = offset;
        while (position < end)
        {
            if (partialBytes > 0)
            {
                position = continuePartial(src, position, end, handler);
            }
            else
            {
                final int remaining = end - position;
                if (remaining < Framing.LENGTH_PREFIX_BYTES)
                {
                    ensurePartialBuffer();
                    partial.putBytes(0, src, position, remaining);
                    partialBytes = remaining;
                    position = end;
                }
                else
                {
                    final int frameLength = Framing.readLength(src, position);
                    if (!checkLength(frameLength))
                    {
                        return error;
                    }

                    final int frameBytes = Framing.LENGTH_PREFIX_BYTES + frameLength;
                    if (remaining >= frameBytes)
                    {
                        handler.onFrame(src, position + Framing.LENGTH_PREFIX_BYTES, frameLength);
                        position += frameBytes;
                    }
                    else
                    {
                        ensurePartialBuffer();
                        partial.putBytes(0, src, position, remaining);
                        partialBytes = remaining;
                        partialFrameLength = frameLength;
                        position = end;
                    }
                }
            }

            if (null != error)
            {
                return error;
            }
        }

        return null;
    }

    /**
     * Forget any partial frame and clear a previous error, e.g. when the buffer is reused for a new
     * connection.
     */
    public void reset()
    {
        partialBytes = 0;
        partialFrameLength = 0;
        error = null;
    }

    /**
     * Bytes of an incomplete frame (prefix included) held for the next call.
     *
     * @return bytes held, 0 when the stream is at a frame boundary.
     */
    public int bufferedBytes()
    {
        return partialBytes;
    }

    private void ensurePartialBuffer()
    {
        if (partial.capacity() < PARTIAL_CAPACITY)
        {
            partial.wrap(new byte[PARTIAL_CAPACITY]);
        }
    }

    private int continuePartial(
        final DirectBuffer src, final int position, final int end, final FrameHandler handler)
    {
        int cursor = position;
        if (partialBytes < Framing.LENGTH_PREFIX_BYTES)
        {
            partial.putByte(partialBytes, src.getByte(cursor));
            partialBytes++;
            cursor++;
            if (partialBytes < Framing.LENGTH_PREFIX_BYTES)
            {
                return cursor;
            }

            partialFrameLength = Framing.readLength(partial, 0);
            if (!checkLength(partialFrameLength))
            {
                return end;
            }
        }

        final int frameBytes = Framing.LENGTH_PREFIX_BYTES + partialFrameLength;
        final int take = Math.min(frameBytes - partialBytes, end - cursor);
        partial.putBytes(partialBytes, src, cursor, take);
        partialBytes += take;
        cursor += take;
        if (partialBytes == frameBytes)
        {
            partialBytes = 0;
            handler.onFrame(partial, Framing.LENGTH_PREFIX_BYTES, partialFrameLength);
        }

        return cursor;
    }

    private boolean checkLength(final int frameLength)
    {
        if (0 == frameLength)
        {
            error = FramingError.ZERO_LENGTH;
        }
        else if (frameLength > Framing.MAX_FRAME_BYTES)
        {
            error = FramingError.TOO_LONG;
        }

        if (null != error)
        {
            partialBytes = 0;
            return false;
        }

        return true;
    }
}
