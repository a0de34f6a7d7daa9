package org.unicard.iso8583.framing;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Constants and helpers for the frame layout shared by every Unicard link.
 * <pre>
 *   0                   1
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 *  +-------------------------------+----------------------------------+
 *  |  body length (u16, big end.)  |  [TPDU, 5 bytes]  ISO 8583 body   |
 *  +-------------------------------+----------------------------------+
 * </pre>
 * The length counts the bytes that follow it, TPDU included when the link uses one.
 */
public final class Framing
{
    /**
     * Bytes of the length prefix in front of every frame.
     */
    public static final int LENGTH_PREFIX_BYTES = 2;

    /**
     * Bytes of the optional TPDU header at the start of a frame body.
     */
    public static final int TPDU_BYTES = 5;

    /**
     * Largest frame body accepted; a longer one closes the connection.
     */
    public static final int MAX_FRAME_BYTES = 4096;

    private static final int U16_MASK = 0xFFFF;

    private Framing()
    {
    }

    /**
     * Read a frame length prefix.
     *
     * @param buffer holding the prefix.
     * @param offset of the first of the two prefix bytes.
     * @return the unsigned big-endian length, 0 to 65535.
     */
    public static int readLength(final DirectBuffer buffer, final int offset)
    {
        return ((buffer.getByte(offset) & 0xFF) << 8) | (buffer.getByte(offset + 1) & 0xFF);
    }

    /**
     * Write a frame length prefix.
     *
     * @param buffer to write into.
     * @param offset of the first of the two prefix bytes.
     * @param length of the body that follows, 0 to 65535.
     * @throws IllegalArgumentException when the length does not fit in an unsigned 16-bit value.
     */
    public static void writeLength(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if ((length & ~U16_MASK) != 0)
        {
            throw new IllegalArgumentException("length=" + length + " max=" + U16_MASK);
        }
        buffer.putByte(offset, (byte)(length >>> 8));
        buffer.putByte(offset + 1, (byte)length);
    }
}
