package org.unicard.security;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The retail MAC of field 64/128: ISO/IEC 9797-1 MAC algorithm 3 with a double-length key, the
 * same function as ANSI X9.19, with padding method 1 and an 8-byte result.
 * <pre>
 *   D1 .. Dq = the data, right-padded with zero bytes to a multiple of 8; nothing is added when it
 *              is already a multiple of 8, and empty data becomes one zero block
 *   H1 = E(K1, D1);  Hi = E(K1, Hi-1 XOR Di)          single DES CBC with K1, zero IV
 *   MAC = E(K1, D(K2, Hq))                             output transformation 3
 * </pre>
 * This padding convention is the interoperable one: it is what jPOS's ISO 9797-1 algorithm 3
 * routine ({@code JCESecurityModule.calculateMACISO9797Alg3}, used for its EMV MACs) and Bouncy
 * Castle's {@code ISO9797Alg3Mac} without a padding object do, and what HSM "X9.19 MAC" commands
 * commonly do. Note that jPOS's
 * {@code generateCBC_MAC} defaults to ISO 9797-1 padding method 2 ({@code 0x80} then zeros), which
 * gives a different MAC; peers must agree on method 1. The one corner where implementations differ
 * is empty data, which ISO/IEC 9797-1 pads to a zero block (as Bouncy Castle does); ISO 8583
 * messages are never empty.
 * <p>
 * Promises: computing and verifying allocate nothing and take no locks; {@link #verify} compares
 * all 8 bytes in constant time (XOR-accumulate, no early exit).
 */
public final class RetailMac
{
    /** Length of the MAC in bytes. */
    public static final int LENGTH = 8;

    private RetailMac()
    {
    }

    /**
     * @param key    the MAC key ({@code K1 | K2}).
     * @param data   buffer holding the data.
     * @param offset index of the first byte to MAC.
     * @param length how many bytes to MAC, 0 or more.
     * @return the MAC, first byte most significant.
     */
    public static long compute(final TdesKey key, final DirectBuffer data, final int offset, final int length)
    {
        checkLength(length);
        final int fullBlocksEnd = offset + (length & ~7);
        long chain = 0;
        int index = offset;
        while (index < fullBlocksEnd)
        {
            chain = key.cbcStepK1(chain, TdesKey.getLong(data, index));
            index += 8;
        }
        final int remainder = length & 7;
        if (remainder != 0 || 0 == length)
        {
            chain = key.cbcStepK1(chain, lastBlock(data, index, remainder));
        }
        return key.retailMacOutput(chain);
    }

    /**
     * @param data      buffer holding the data.
     * @param index     index of the last, partial block's first byte.
     * @param remainder its length, 0 to 7.
     * @return the block right-padded with zero bytes (padding method 1), first byte most significant.
     */
    static long lastBlock(final DirectBuffer data, final int index, final int remainder)
    {
        long last = 0;
        for (int i = 0; i < remainder; i++)
        {
            last |= (long)(data.getByte(index + i) & 0xFF) << (56 - 8 * i);
        }
        return last;
    }

    /**
     * @param key    the MAC key ({@code K1 | K2}).
     * @param data   array holding the data.
     * @param offset index of the first byte to MAC.
     * @param length how many bytes to MAC, 0 or more.
     * @return the MAC, first byte most significant.
     */
    public static long compute(final TdesKey key, final byte[] data, final int offset, final int length)
    {
        checkLength(length);
        final int fullBlocksEnd = offset + (length & ~7);
        long chain = 0;
        int index = offset;
        while (index < fullBlocksEnd)
        {
            chain = key.cbcStepK1(chain, TdesKey.getLong(data, index));
            index += 8;
        }
        final int remainder = length & 7;
        if (remainder != 0 || 0 == length)
        {
            long last = 0;
            for (int i = 0; i < remainder; i++)
            {
                last |= (long)(data[index + i] & 0xFF) << (56 - 8 * i);
            }
            chain = key.cbcStepK1(chain, last);
        }
        return key.retailMacOutput(chain);
    }

    /**
     * @param key       the MAC key ({@code K1 | K2}).
     * @param data      buffer holding the data.
     * @param offset    index of the first byte to MAC.
     * @param length    how many bytes to MAC.
     * @param out       destination of the 8 MAC bytes.
     * @param outOffset index of the first MAC byte.
     */
    public static void compute(
        final TdesKey key, final DirectBuffer data, final int offset, final int length, final byte[] out, final int outOffset)
    {
        TdesKey.putLong(out, outOffset, compute(key, data, offset, length));
    }

    /**
     * @param key       the MAC key ({@code K1 | K2}).
     * @param data      buffer holding the data.
     * @param offset    index of the first byte to MAC.
     * @param length    how many bytes to MAC.
     * @param out       destination of the 8 MAC bytes.
     * @param outOffset index of the first MAC byte.
     */
    public static void compute(
        final TdesKey key,
        final DirectBuffer data,
        final int offset,
        final int length,
        final MutableDirectBuffer out,
        final int outOffset)
    {
        TdesKey.putLong(out, outOffset, compute(key, data, offset, length));
    }

    /**
     * @param key       the MAC key ({@code K1 | K2}).
     * @param data      buffer holding the data.
     * @param offset    index of the first byte to MAC.
     * @param length    how many bytes to MAC.
     * @param mac       buffer holding the received MAC.
     * @param macOffset index of its first byte.
     * @return whether the received MAC is right, compared in constant time.
     */
    public static boolean verify(
        final TdesKey key,
        final DirectBuffer data,
        final int offset,
        final int length,
        final DirectBuffer mac,
        final int macOffset)
    {
        return matches(compute(key, data, offset, length), mac, macOffset);
    }

    /**
     * @param expected  the MAC computed, first byte most significant.
     * @param mac       buffer holding the received MAC.
     * @param macOffset index of its first byte.
     * @return whether the two are equal, compared in constant time (XOR-accumulate, no early exit).
     */
    static boolean matches(final long expected, final DirectBuffer mac, final int macOffset)
    {
        int difference = 0;
        for (int i = 0; i < LENGTH; i++)
        {
            difference |= ((int)(expected >>> (56 - 8 * i)) ^ mac.getByte(macOffset + i)) & 0xFF;
        }
        return 0 == difference;
    }

    /**
     * @param key       the MAC key ({@code K1 | K2}).
     * @param data      array holding the data.
     * @param offset    index of the first byte to MAC.
     * @param length    how many bytes to MAC.
     * @param mac       array holding the received MAC.
     * @param macOffset index of its first byte.
     * @return whether the received MAC is right, compared in constant time.
     */
    public static boolean verify(
        final TdesKey key, final byte[] data, final int offset, final int length, final byte[] mac, final int macOffset)
    {
        final long expected = compute(key, data, offset, length);
        int difference = 0;
        for (int i = 0; i < LENGTH; i++)
        {
            difference |= ((int)(expected >>> (56 - 8 * i)) ^ mac[macOffset + i]) & 0xFF;
        }
        return 0 == difference;
    }

    private static void checkLength(final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length=" + length + " is negative");
        }
    }
}
