package org.unicard.security;

/**
 * The DES block function (FIPS 46-3) in pure Java over {@code long} blocks, for {@link TdesKey}.
 * <p>
 * A block is a {@code long} whose most significant bit is DES bit 1 (the first bit of the first
 * byte on the wire). The speed comes from four choices, each checked against the JCE and the
 * published vectors by {@code DesTest}, {@code TdesKeyTest} and {@code RetailMacTest}:
 * <ul>
 * <li>Inside the rounds both halves are kept rotated left by one bit. With that, the eight
 * six-bit chunks of the expansion E are the low six bits of the four bytes of {@code R} (chunks
 * 2, 4, 6, 8) and of {@code R} rotated right by 4 (chunks 1, 3, 5, 7), so a round is two XORs with
 * the subkey, one rotation, eight shift-and-mask index computations and eight lookups.</li>
 * <li>Each S-box is folded with the P permutation (and the same one-bit rotation) into one table
 * of 64 ints; the eight tables are one {@code int[8 * 64]} read at constant offsets, so the JIT
 * proves every index in range and emits no bounds check.</li>
 * <li>The initial and final permutations are seven masked bit swaps each (the permutation seen as
 * a transposition of the 8 × 8 bit matrix), with no table.</li>
 * <li>A key schedule is computed once per key, as 32 ints laid out for the chunks above (two per
 * round), and once more in reverse round order for decryption, so the round loop is unrolled with
 * constant indices and no direction test.</li>
 * </ul>
 * Chained operations stay in the permuted domain: {@link #rounds(long, int[])} returns the
 * pre-output block, which is exactly what the next operation of a TDES chain or the next CBC step
 * (after XOR with the next block's {@link #initialPermutation(long)}, since IP is linear) expects,
 * so only the ends of a chain pay for the permutations.
 * <p>
 * All tables are built once when the class loads and never change afterwards, so they may be read
 * by any thread. Nothing here allocates after class initialisation, except {@link #schedule}.
 */
final class Des
{
    /** Ints per key schedule: 16 rounds of two words of four six-bit subkey chunks. */
    static final int SCHEDULE_LENGTH = 32;

    /**
     * The initial permutation as FIPS 46-3 tabulates it (output bit i is input bit {@code IP[i]}).
     * The cipher does not read it; {@code DesTest} checks the bit swaps of
     * {@link #initialPermutation(long)} against it. Never written.
     */
    static final byte[] IP =
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

    /**
     * The permutation P (output bit i of the round function is S-box output bit {@code P[i]}). Read
     * by {@link #SP}'s construction and by the benchmarks' bitsliced DES. Never written.
     */
    static final byte[] P =
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

    /**
     * The eight S-boxes as FIPS 46-3 tabulates them (row {@code b1 b6}, column {@code b2..b5}). Read
     * by {@link #SP}'s construction and by the benchmarks' bitsliced DES circuits. Never written.
     */
    static final byte[][] S_BOXES =
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

    /**
     * S-box j followed by P, its output rotated left by one bit, at {@code j * 64 + sixBitChunk}
     * (the chunk's first E bit most significant): {@code int[8][64]} flattened.
     */
    private static final int[] SP = new int[8 * 64];

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
                SP[j * 64 + v] = Integer.rotateLeft(pOut, 1);
            }
        }
    }

    private Des()
    {
    }

    /**
     * Expands a single-length DES key into its 16 round subkeys, for encryption.
     *
     * @param key    array holding the 8 key bytes (parity bits are ignored).
     * @param offset index of the first key byte.
     * @return {@link #SCHEDULE_LENGTH} ints: for round r, word {@code 2r} holds the six-bit subkey
     *         chunks for S-boxes 1, 3, 5, 7 and word {@code 2r + 1} those for S-boxes 2, 4, 6, 8,
     *         one chunk in the low six bits of each byte, most significant byte first.
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
                schedule[round * 2 + (j & 1)] |= chunk << (24 - 8 * (j >>> 1));
            }
            schedule[round * 2] = Integer.rotateLeft(schedule[round * 2], 4);
        }
        return schedule;
    }

    /**
     * @param schedule an encryption schedule from {@link #schedule(byte[], int)}.
     * @return a new schedule with the rounds in reverse order, for decryption.
     */
    static int[] reverse(final int[] schedule)
    {
        final int[] reversed = new int[SCHEDULE_LENGTH];
        for (int round = 0; round < 16; round++)
        {
            reversed[2 * round] = schedule[2 * (15 - round)];
            reversed[2 * round + 1] = schedule[2 * (15 - round) + 1];
        }
        return reversed;
    }

    /**
     * @param block a 64-bit block.
     * @return the block after the initial permutation, each 32-bit half rotated left by one bit
     *         (the form {@link #rounds(long, int[])} works on).
     */
    static long initialPermutation(final long block)
    {
        int left = (int)(block >>> 32);
        int right = (int)block;
        int swap = ((left >>> 4) ^ right) & 0x0F0F_0F0F;
        right ^= swap;
        left ^= swap << 4;
        swap = ((left >>> 16) ^ right) & 0x0000_FFFF;
        right ^= swap;
        left ^= swap << 16;
        swap = ((right >>> 2) ^ left) & 0x3333_3333;
        left ^= swap;
        right ^= swap << 2;
        swap = ((right >>> 8) ^ left) & 0x00FF_00FF;
        left ^= swap;
        right ^= swap << 8;
        right = Integer.rotateLeft(right, 1);
        swap = (left ^ right) & 0xAAAA_AAAA;
        left ^= swap;
        right ^= swap;
        left = Integer.rotateLeft(left, 1);
        return ((long)left << 32) | (right & 0xFFFF_FFFFL);
    }

    /**
     * @param block a pre-output block from {@link #rounds(long, int[])}.
     * @return the block after the final permutation (the exact inverse of
     *         {@link #initialPermutation(long)}).
     */
    static long finalPermutation(final long block)
    {
        int left = Integer.rotateRight((int)(block >>> 32), 1);
        int right = (int)block;
        int swap = (left ^ right) & 0xAAAA_AAAA;
        left ^= swap;
        right ^= swap;
        right = Integer.rotateRight(right, 1);
        swap = ((right >>> 8) ^ left) & 0x00FF_00FF;
        left ^= swap;
        right ^= swap << 8;
        swap = ((right >>> 2) ^ left) & 0x3333_3333;
        left ^= swap;
        right ^= swap << 2;
        swap = ((left >>> 16) ^ right) & 0x0000_FFFF;
        right ^= swap;
        left ^= swap << 16;
        swap = ((left >>> 4) ^ right) & 0x0F0F_0F0F;
        right ^= swap;
        left ^= swap << 4;
        return ((long)left << 32) | (right & 0xFFFF_FFFFL);
    }

    /**
     * Runs the 16 Feistel rounds on a block in the form {@link #initialPermutation(long)} gives.
     *
     * @param block    permuted input {@code L0 | R0}.
     * @param schedule {@link #schedule(byte[], int)} to encrypt, its {@link #reverse(int[])} to decrypt.
     * @return the pre-output block {@code R16 | L16}, in the same form.
     */
    static long rounds(final long block, final int[] schedule)
    {
        int left = (int)(block >>> 32);
        int right = (int)block;
        left = round(left, right, schedule[0], schedule[1]);
        right = round(right, left, schedule[2], schedule[3]);
        left = round(left, right, schedule[4], schedule[5]);
        right = round(right, left, schedule[6], schedule[7]);
        left = round(left, right, schedule[8], schedule[9]);
        right = round(right, left, schedule[10], schedule[11]);
        left = round(left, right, schedule[12], schedule[13]);
        right = round(right, left, schedule[14], schedule[15]);
        left = round(left, right, schedule[16], schedule[17]);
        right = round(right, left, schedule[18], schedule[19]);
        left = round(left, right, schedule[20], schedule[21]);
        right = round(right, left, schedule[22], schedule[23]);
        left = round(left, right, schedule[24], schedule[25]);
        right = round(right, left, schedule[26], schedule[27]);
        left = round(left, right, schedule[28], schedule[29]);
        right = round(right, left, schedule[30], schedule[31]);
        return ((long)right << 32) | (left & 0xFFFF_FFFFL);
    }

    /**
     * One Feistel round: {@code left XOR f(right, subkey)}. The half being updated is XORed first
     * with the lookup whose index is ready first (one mask, no shift), so that it does not add a
     * level to the XOR tree that waits for the last lookup.
     */
    private static int round(final int left, final int right, final int oddChunks, final int evenChunks)
    {
        final int odd = right ^ oddChunks;
        final int even = right ^ evenChunks;
        return ((left ^ SP[448 + (even & 0x3F)]) ^ (SP[Integer.rotateRight(odd, 28) & 0x3F] ^ SP[64 + ((even >>> 24) & 0x3F)])) ^
            ((SP[128 + ((odd >>> 20) & 0x3F)] ^ SP[192 + ((even >>> 16) & 0x3F)]) ^
            (SP[256 + ((odd >>> 12) & 0x3F)] ^ (SP[320 + ((even >>> 8) & 0x3F)] ^ SP[384 + ((odd >>> 4) & 0x3F)])));
    }

    private static long bit64(final long value, final int position)
    {
        return (value >>> (64 - position)) & 1;
    }

    private static int bit32(final int value, final int position)
    {
        return (value >>> (32 - position)) & 1;
    }
}
