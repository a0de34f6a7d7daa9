package org.unicard.benchmarks.load;

import java.util.Arrays;

import org.agrona.DirectBuffer;

/**
 * One connection's requests, built, MAC-signed and framed before the run ({@code loadtest --prepared}),
 * kept back to back in one array in the order they will be sent. During the run the generator only
 * copies the next frame into its connection's write buffer: the request's choice, its encoding and its
 * 10–12 DES blocks of MAC are paid before the measured window, so that the two cores of a small machine
 * measure the switch and not the generator. When the run outlasts them, the connection builds the rest
 * live, as without {@code --prepared}; {@link PipelinedTerminalsToSwitch#preparation()} says how many.
 * <p>
 * Written by the thread that prepares, then read by the generator's event loop only (the loop starts
 * after the preparation: a happens-before edge through the loop's task queue).
 */
final class PreparedRequests
{
    private byte[] bytes;
    /** End offset of each frame in {@link #bytes}; frame {@code i} starts at {@code ends[i - 1]} (0 for the first). */
    private final int[] ends;
    /** The morning mix's sale token of each frame (a ration purchase), else -1. */
    private final long[] sales;
    private int count;
    private int taken;

    /**
     * @param capacity          the most frames it holds.
     * @param typicalFrameBytes what a frame usually takes, to size the array once (it grows if needed).
     */
    PreparedRequests(final int capacity, final int typicalFrameBytes)
    {
        ends = new int[capacity];
        sales = new long[capacity];
        bytes = new byte[(int)Math.min(Integer.MAX_VALUE - 8, (long)capacity * typicalFrameBytes)];
    }

    /**
     * @return whether another frame may be added.
     */
    boolean hasRoom()
    {
        return count < ends.length;
    }

    /**
     * Appends a frame, or with {@code length} 0 an empty place for a request to be built when it is sent.
     *
     * @param frame  holds the frame at offset 0.
     * @param length its length, length prefix included; 0 for a place to fill in when sending.
     * @param sale   the morning mix's sale token when it is a ration purchase, else -1.
     */
    void add(final DirectBuffer frame, final int length, final long sale)
    {
        final int start = end(count - 1);
        if (start + length > bytes.length)
        {
            final long grown = Math.max((long)start + length, bytes.length + (bytes.length >> 1));
            if (grown > Integer.MAX_VALUE - 8)
            {
                throw new IllegalStateException("prepared requests exceed 2 GB on one connection: frames=" + count);
            }
            bytes = Arrays.copyOf(bytes, (int)grown);
        }
        frame.getBytes(0, bytes, start, length);
        sales[count] = sale;
        ends[count++] = start + length;
    }

    /**
     * @return whether a prepared frame is left to send.
     */
    boolean hasNext()
    {
        return taken < count;
    }

    /**
     * @return the array the frames are in.
     */
    byte[] bytes()
    {
        return bytes;
    }

    /**
     * @return where the next frame starts in {@link #bytes()}.
     */
    int nextOffset()
    {
        return end(taken - 1);
    }

    /**
     * @return the next frame's sale token (see {@link #add}).
     */
    long nextSale()
    {
        return sales[taken];
    }

    /**
     * @return the next frame's length; 0 for a request to build now.
     */
    int nextLength()
    {
        return ends[taken] - end(taken - 1);
    }

    /** The next frame was sent. */
    void advance()
    {
        taken++;
    }

    /**
     * @return frames prepared.
     */
    int count()
    {
        return count;
    }

    /**
     * @return frames sent from here.
     */
    int taken()
    {
        return taken;
    }

    private int end(final int frame)
    {
        return frame < 0 ? 0 : ends[frame];
    }
}
