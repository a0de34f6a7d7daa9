package org.unicard.security;

/**
 * The DES implementation the switch used before issue 17 (one lookup per input byte for IP and FP,
 * subkeys as 128 six-bit ints read through a direction test in every round), kept unchanged in the
 * benchmarks only as the baseline {@link CryptoBenchmark} measures the current {@link Des} against.
 * <p>
 * A block is a {@code long} whose most significant bit is DES bit 1 (the first bit of the first
 * byte on the wire). The S-boxes are folded with the P permutation into one table per S-box, and
 * the initial and final permutations are table lookups per input byte, so a block costs 16 rounds
 * of 8 lookups each plus 16 lookups for the permutations. All tables are built once when the
 * class loads and never change afterwards, so they may be read by any thread. Nothing here
 * allocates after class initialisation, except {@link #schedule(byte[], int)}.
 */
final class BaselineDes
{
    /** Ints per key schedule: 16 rounds of 8 six-bit subkey chunks. */
    static final int SCHEDULE_LENGTH = 16 * 8;

    private static final byte[] IP =
    {
        58, 50, 42, 34, 26, 18, 10, 2,
        60, 52, 44, 36, 28, 20, 12, 4,
        62, 54, 46, 38, 30, 22, 14, 6,
        64, 56, 48, 40, 32, 24, 16, 8,
        57, 49, 41, 33, 25, 17, 9, 1,
        59, 51, 43, 35, 27, 19, 11, 3,
        61, 53, 45, 37, 29, 21, 13, 5,
        63, 55, 47, 39, 31, 23, 15, 7,
    };

    private static final byte[] P =
    {
        16, 7, 20, 21, 29, 12, 28, 17,
        1, 15, 23, 26, 5, 18, 31, 10,
        2, 8, 24, 14, 32, 27, 3, 9,
        19, 13, 30, 6, 22, 11, 4, 25,
    };

    private static final byte[] PC1 =
    {
        57, 49, 41, 33, 25, 17, 9,
        1, 58, 50, 42, 34, 26, 18,
        10, 2, 59, 51, 43, 35, 27,
        19, 11, 3, 60, 52, 44, 36,
        63, 55, 47, 39, 31, 23, 15,
        7, 62, 54, 46, 38, 30, 22,
        14, 6, 61, 53, 45, 37, 29,
        21, 13, 5, 28, 20, 12, 4,
    };

    private static final byte[] PC2 =
    {
        14, 17, 11, 24, 1, 5,
        3, 28, 15, 6, 21, 10,
        23, 19, 12, 4, 26, 8,
        16, 7, 27, 20, 13, 2,
        41, 52, 31, 37, 47, 55,
        30, 40, 51, 45, 33, 48,
        44, 49, 39, 56, 34, 53,
        46, 42, 50, 36, 29, 32,
    };

    private static final byte[] ROTATIONS = { 1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1 };

    private static final byte[][] S_BOXES =
    {
        {
            14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
            0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
            4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
            15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
        },
        {
            15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
            3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
            0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
            13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
        },
        {
            10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
            13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
            13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
            1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
        },
        {
            7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
            13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
            10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
            3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
        },
        {
            2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
            14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
            4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
            11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
        },
        {
            12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
            10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
            9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
            4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
        },
        {
            4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
            13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
            1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
            6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
        },
        {
            13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
            1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
            7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
            2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
        },
    };

    /** S-box j followed by P, indexed by {@code j * 64 + sixBitInput}. */
    private static final int[] SP = new int[8 * 64];

    /** Initial permutation as the OR of one lookup per input byte, indexed by {@code byteIndex * 256 + value}. */
    private static final long[] IP_TABLE = new long[8 * 256];

    /** Final permutation (the inverse of IP), laid out as {@link #IP_TABLE}. */
    private static final long[] FP_TABLE = new long[8 * 256];

    static
    {
        for (int j = 0; j < 8; j++)
        {
            for (int v = 0; v < 64; v++)
            {
                final int row = ((v >>> 4) & 0b10) | (v & 1);
                final int column = (v >>> 1) & 0xF;
                final int sOut = S_BOXES[j][row * 16 + column] << (28 - 4 * j);
                int pOut = 0;
                for (int i = 0; i < 32; i++)
                {
                    if (bit32(sOut, P[i]) != 0)
                    {
                        pOut |= 1 << (31 - i);
                    }
                }
                SP[j * 64 + v] = pOut;
            }
        }

        final byte[] fp = new byte[64];
        for (int i = 0; i < 64; i++)
        {
            fp[IP[i] - 1] = (byte)(i + 1);
        }
        fillPermutationTable(IP, IP_TABLE);
        fillPermutationTable(fp, FP_TABLE);
    }

    private BaselineDes()
    {
    }

    /**
     * Expands a single-length DES key into its 16 round subkeys.
     *
     * @param key    array holding the 8 key bytes (parity bits are ignored).
     * @param offset index of the first key byte.
     * @return {@link #SCHEDULE_LENGTH} ints: for round r, six-bit subkey chunks for S-boxes 1..8
     *         at {@code r * 8 .. r * 8 + 7}.
     */
    static int[] schedule(final byte[] key, final int offset)
    {
        long k = 0;
        for (int i = 0; i < 8; i++)
        {
            k = (k << 8) | (key[offset + i] & 0xFF);
        }

        int c = 0;
        int d = 0;
        for (int i = 0; i < 28; i++)
        {
            c = (c << 1) | (int)bit64(k, PC1[i]);
            d = (d << 1) | (int)bit64(k, PC1[28 + i]);
        }

        final int[] schedule = new int[SCHEDULE_LENGTH];
        for (int round = 0; round < 16; round++)
        {
            final int shift = ROTATIONS[round];
            c = ((c << shift) | (c >>> (28 - shift))) & 0x0FFF_FFFF;
            d = ((d << shift) | (d >>> (28 - shift))) & 0x0FFF_FFFF;
            final long cd = ((long)c << 28) | d;
            for (int j = 0; j < 8; j++)
            {
                int chunk = 0;
                for (int b = 0; b < 6; b++)
                {
                    final int position = PC2[j * 6 + b];
                    chunk = (chunk << 1) | (int)((cd >>> (56 - position)) & 1);
                }
                schedule[round * 8 + j] = chunk;
            }
        }
        return schedule;
    }

    /**
     * @param block a 64-bit block.
     * @return the block after the initial permutation.
     */
    static long initialPermutation(final long block)
    {
        return permute(IP_TABLE, block);
    }

    /**
     * @param block a 64-bit block.
     * @return the block after the final permutation (the inverse of the initial permutation).
     */
    static long finalPermutation(final long block)
    {
        return permute(FP_TABLE, block);
    }

    /**
     * Runs the 16 Feistel rounds on a block that has been through the initial permutation.
     * <p>
     * The result is the pre-output block {@code R16 | L16}, which is what the final permutation
     * expects; because IP is the inverse of FP, it is also exactly what the next DES operation of
     * a TDES chain expects after its own initial permutation, so chained operations may skip the
     * permutations in between.
     *
     * @param block    permuted input {@code L0 | R0}.
     * @param schedule subkeys from {@link #schedule(byte[], int)}.
     * @param decrypt  whether to apply the subkeys in reverse order.
     * @return the pre-output block {@code R16 | L16}.
     */
    static long rounds(final long block, final int[] schedule, final boolean decrypt)
    {
        int left = (int)(block >>> 32);
        int right = (int)block;
        for (int round = 0; round < 16; round++)
        {
            final int base = (decrypt ? 15 - round : round) * 8;
            final int next = left ^ feistel(right, schedule, base);
            left = right;
            right = next;
        }
        return ((long)right << 32) | (left & 0xFFFF_FFFFL);
    }

    private static int feistel(final int right, final int[] schedule, final int base)
    {
        // Chunk j of the expansion E is DES bits 4j..4j+5 of R (bit 0 meaning bit 32), which a
        // left rotation by 4j-1 brings to the top six bits.
        return SP[((Integer.rotateRight(right, 1) >>> 26) ^ schedule[base]) & 0x3F] |
            SP[64 + (((Integer.rotateLeft(right, 3) >>> 26) ^ schedule[base + 1]) & 0x3F)] |
            SP[128 + (((Integer.rotateLeft(right, 7) >>> 26) ^ schedule[base + 2]) & 0x3F)] |
            SP[192 + (((Integer.rotateLeft(right, 11) >>> 26) ^ schedule[base + 3]) & 0x3F)] |
            SP[256 + (((Integer.rotateLeft(right, 15) >>> 26) ^ schedule[base + 4]) & 0x3F)] |
            SP[320 + (((Integer.rotateLeft(right, 19) >>> 26) ^ schedule[base + 5]) & 0x3F)] |
            SP[384 + (((Integer.rotateLeft(right, 23) >>> 26) ^ schedule[base + 6]) & 0x3F)] |
            SP[448 + (((Integer.rotateLeft(right, 27) >>> 26) ^ schedule[base + 7]) & 0x3F)];
    }

    private static long permute(final long[] table, final long block)
    {
        return table[(int)(block >>> 56) & 0xFF] |
            table[256 + ((int)(block >>> 48) & 0xFF)] |
            table[512 + ((int)(block >>> 40) & 0xFF)] |
            table[768 + ((int)(block >>> 32) & 0xFF)] |
            table[1024 + ((int)(block >>> 24) & 0xFF)] |
            table[1280 + ((int)(block >>> 16) & 0xFF)] |
            table[1536 + ((int)(block >>> 8) & 0xFF)] |
            table[1792 + ((int)block & 0xFF)];
    }

    private static void fillPermutationTable(final byte[] permutation, final long[] table)
    {
        for (int byteIndex = 0; byteIndex < 8; byteIndex++)
        {
            for (int value = 0; value < 256; value++)
            {
                final long input = (long)value << (56 - 8 * byteIndex);
                long output = 0;
                for (int i = 0; i < 64; i++)
                {
                    output |= bit64(input, permutation[i]) << (63 - i);
                }
                table[byteIndex * 256 + value] = output;
            }
        }
    }

    private static long bit64(final long value, final int position)
    {
        return (value >>> (64 - position)) & 1;
    }

    private static int bit32(final int value, final int position)
    {
        return (value >>> (32 - position)) & 1;
    }

    /**
     * The retail MAC (ISO 9797-1 algorithm 3, padding method 1) of whole 8-byte blocks, as the old
     * {@code RetailMac} computed it through the old {@code TdesKey}.
     *
     * @param k1     schedule of K1.
     * @param k2     schedule of K2.
     * @param data   the data.
     * @param length bytes to MAC from index 0, at least 1.
     * @return the MAC.
     */
    static long retailMac(final int[] k1, final int[] k2, final byte[] data, final int length)
    {
        long chain = 0;
        final int fullBlocksEnd = length & ~7;
        int index = 0;
        for (; index < fullBlocksEnd; index += 8)
        {
            chain = finalPermutation(rounds(initialPermutation(chain ^ TdesKey.getLong(data, index)), k1, false));
        }
        if ((length & 7) != 0)
        {
            long last = 0;
            for (int i = 0; i < (length & 7); i++)
            {
                last |= (long)(data[index + i] & 0xFF) << (56 - 8 * i);
            }
            chain = finalPermutation(rounds(initialPermutation(chain ^ last), k1, false));
        }
        long x = initialPermutation(chain);
        x = rounds(x, k2, true);
        x = rounds(x, k1, false);
        return finalPermutation(x);
    }
}
