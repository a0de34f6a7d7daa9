package org.unicard.security;

/**
 * DES on 64 blocks at once, bitsliced, for {@link RetailMacBatch}: word {@code i} of a half holds bit
 * {@code i} of all 64 blocks, lane {@code n}'s bit at position {@code 63 - n}; each lane may have its
 * own key.
 * <p>
 * The permutations cost nothing here: IP, E and P only choose which word is read or written. A
 * round is the eight S-boxes as Boolean circuits over words of 64 lanes (written by the tests'
 * {@code SboxCircuits}, which says how they are found), plus the XORs with the subkeys. Moving blocks
 * and keys between one {@code long} a block and one word a bit is a 64 × 64 bit transpose
 * ({@link #transpose}). The 16 rounds cost the same however many lanes are in use, about 1.5 µs here,
 * so bitslicing pays only from about 30 lanes on ({@code docs/performance.md}, "MACs bitsliced
 * across a batch").
 * <p>
 * Stateless; nothing here allocates except {@link #subkeyRow}.
 */
final class BitslicedDes
{
    /** Blocks computed at once, one a bit of a {@code long}. */
    static final int LANES = 64;

    /** Subkey words: 16 rounds of 48 bits, each bit one word of 64 lanes. */
    static final int KEY_WORDS = 16 * 48;

    /** Longs that hold one key's 768 subkey bits in a row (see {@link #subkeyRow}). */
    static final int KEY_ROW_LONGS = KEY_WORDS / 64;

    private BitslicedDes()
    {
    }

    /**
     * One key's subkeys as a row of bits: bit {@code 48 r + 6 j + k} (most significant first) is the
     * subkey bit that round {@code r} XORs into input {@code k} of S-box {@code j}.
     *
     * @param schedule an encryption schedule from {@link Des#schedule(byte[], int)}.
     * @return {@link #KEY_ROW_LONGS} longs.
     */
    static long[] subkeyRow(final int[] schedule)
    {
        final long[] row = new long[KEY_ROW_LONGS];
        for (int round = 0; round < 16; round++)
        {
            for (int box = 0; box < 8; box++)
            {
                // Des keeps S-boxes 1, 3, 5, 7 in word 2r rotated left by 4, and 2, 4, 6, 8 in word 2r + 1,
                // one six-bit chunk in the low bits of each byte, the first S-box's in the high byte.
                final int word = 0 == (box & 1) ?
                    Integer.rotateRight(schedule[2 * round], 4) : schedule[2 * round + 1];
                final int chunk = (word >>> (24 - 8 * (box >>> 1))) & 0x3F;
                for (int k = 0; k < 6; k++)
                {
                    if (((chunk >>> (5 - k)) & 1) != 0)
                    {
                        final int bit = 48 * round + 6 * box + k;
                        row[bit >>> 6] |= 1L << (63 - (bit & 63));
                    }
                }
            }
        }
        return row;
    }

    /**
     * Transposes a 64 × 64 bit matrix in place: row {@code i} is {@code m[i]}, column {@code j} its
     * bit {@code 63 - j}. Six passes, each swapping blocks half the size of the last.
     */
    static void transpose(final long[] m)
    {
        long mask = 0x0000_0000_FFFF_FFFFL;
        for (int width = 32; width != 0; width >>>= 1, mask ^= mask << width)
        {
            for (int k = 0; k < 64; k = (k + width + 1) & ~width)
            {
                final long t = (m[k] ^ (m[k + width] >>> width)) & mask;
                m[k] ^= t;
                m[k + width] ^= t << width;
            }
        }
    }

    // circuits: written by SboxCircuits, do not edit by hand
    /**
     * The 16 rounds over 64 lanes, in the initial permutation's order: {@code l} and {@code r} hold the
     * halves' 32 bits each, {@code k} the subkeys ({@link #KEY_WORDS} words, round by round). On return
     * {@code l} holds R16 and {@code r} L16, the pre-output block in the order the next CBC step reads.
     */
    static void rounds(final long[] l, final long[] r, final long[] k)
    {
        for (int round = 0; round < 16; round += 2)
        {
            final int a = round * 48;
            final int b = a + 48;
            s1(
                r[31] ^ k[a + 0], r[0] ^ k[a + 1], r[1] ^ k[a + 2],
                r[2] ^ k[a + 3], r[3] ^ k[a + 4], r[4] ^ k[a + 5],
                l, 8, 16, 22, 30);
            s2(
                r[3] ^ k[a + 6], r[4] ^ k[a + 7], r[5] ^ k[a + 8],
                r[6] ^ k[a + 9], r[7] ^ k[a + 10], r[8] ^ k[a + 11],
                l, 12, 27, 1, 17);
            s3(
                r[7] ^ k[a + 12], r[8] ^ k[a + 13], r[9] ^ k[a + 14],
                r[10] ^ k[a + 15], r[11] ^ k[a + 16], r[12] ^ k[a + 17],
                l, 23, 15, 29, 5);
            s4(
                r[11] ^ k[a + 18], r[12] ^ k[a + 19], r[13] ^ k[a + 20],
                r[14] ^ k[a + 21], r[15] ^ k[a + 22], r[16] ^ k[a + 23],
                l, 25, 19, 9, 0);
            s5(
                r[15] ^ k[a + 24], r[16] ^ k[a + 25], r[17] ^ k[a + 26],
                r[18] ^ k[a + 27], r[19] ^ k[a + 28], r[20] ^ k[a + 29],
                l, 7, 13, 24, 2);
            s6(
                r[19] ^ k[a + 30], r[20] ^ k[a + 31], r[21] ^ k[a + 32],
                r[22] ^ k[a + 33], r[23] ^ k[a + 34], r[24] ^ k[a + 35],
                l, 3, 28, 10, 18);
            s7(
                r[23] ^ k[a + 36], r[24] ^ k[a + 37], r[25] ^ k[a + 38],
                r[26] ^ k[a + 39], r[27] ^ k[a + 40], r[28] ^ k[a + 41],
                l, 31, 11, 21, 6);
            s8(
                r[27] ^ k[a + 42], r[28] ^ k[a + 43], r[29] ^ k[a + 44],
                r[30] ^ k[a + 45], r[31] ^ k[a + 46], r[0] ^ k[a + 47],
                l, 4, 26, 14, 20);
            s1(
                l[31] ^ k[b + 0], l[0] ^ k[b + 1], l[1] ^ k[b + 2],
                l[2] ^ k[b + 3], l[3] ^ k[b + 4], l[4] ^ k[b + 5],
                r, 8, 16, 22, 30);
            s2(
                l[3] ^ k[b + 6], l[4] ^ k[b + 7], l[5] ^ k[b + 8],
                l[6] ^ k[b + 9], l[7] ^ k[b + 10], l[8] ^ k[b + 11],
                r, 12, 27, 1, 17);
            s3(
                l[7] ^ k[b + 12], l[8] ^ k[b + 13], l[9] ^ k[b + 14],
                l[10] ^ k[b + 15], l[11] ^ k[b + 16], l[12] ^ k[b + 17],
                r, 23, 15, 29, 5);
            s4(
                l[11] ^ k[b + 18], l[12] ^ k[b + 19], l[13] ^ k[b + 20],
                l[14] ^ k[b + 21], l[15] ^ k[b + 22], l[16] ^ k[b + 23],
                r, 25, 19, 9, 0);
            s5(
                l[15] ^ k[b + 24], l[16] ^ k[b + 25], l[17] ^ k[b + 26],
                l[18] ^ k[b + 27], l[19] ^ k[b + 28], l[20] ^ k[b + 29],
                r, 7, 13, 24, 2);
            s6(
                l[19] ^ k[b + 30], l[20] ^ k[b + 31], l[21] ^ k[b + 32],
                l[22] ^ k[b + 33], l[23] ^ k[b + 34], l[24] ^ k[b + 35],
                r, 3, 28, 10, 18);
            s7(
                l[23] ^ k[b + 36], l[24] ^ k[b + 37], l[25] ^ k[b + 38],
                l[26] ^ k[b + 39], l[27] ^ k[b + 40], l[28] ^ k[b + 41],
                r, 31, 11, 21, 6);
            s8(
                l[27] ^ k[b + 42], l[28] ^ k[b + 43], l[29] ^ k[b + 44],
                l[30] ^ k[b + 45], l[31] ^ k[b + 46], l[0] ^ k[b + 47],
                r, 4, 26, 14, 20);
        }
        for (int i = 0; i < 32; i++)
        {
            final long t = l[i];
            l[i] = r[i];
            r[i] = t;
        }
    }

    /** S-box 1: 112 operations (inputs split in the order x1 x4 x5 x2 x0 x3). */
    static void s1(
        final long x0, final long x1, final long x2, final long x3, final long x4, final long x5,
        final long[] out, final int o0, final int o1, final int o2, final int o3)
    {
        final long t0 = ~(x1 ^ x4);
        final long t1 = t0 ^ (-1L & x5);
        final long t2 = ~x1;
        final long t3 = t1 ^ (t2 & x2);
        final long t4 = ~x4;
        final long t5 = x1 & x4;
        final long t6 = t4 ^ (t5 & x5);
        final long t7 = x1 ^ x4;
        final long t8 = t7 ^ (t5 & x5);
        final long t9 = t6 ^ (t8 & x2);
        final long t10 = t3 ^ (t9 & x0);
        final long t11 = x4 & x5;
        final long t12 = t11 ^ (t1 & x2);
        final long t13 = ~x1 | x4;
        final long t14 = t13 ^ (t2 & x5);
        final long t15 = t0 ^ (t2 & x5);
        final long t16 = t14 ^ (t15 & x2);
        final long t17 = t12 ^ (t16 & x0);
        final long t18 = t10 ^ (t17 & x3);
        final long t19 = t2 ^ (t0 & x5);
        final long t20 = t4 ^ (t7 & x5);
        final long t21 = t19 ^ (t20 & x2);
        final long t22 = x1 | x4;
        final long t23 = t22 ^ (t2 & x5);
        final long t24 = t13 ^ (t22 & x5);
        final long t25 = t23 ^ (t24 & x2);
        final long t26 = t21 ^ (t25 & x0);
        final long t27 = t4 & x5;
        final long t28 = t23 ^ (t27 & x2);
        final long t29 = x4 ^ (t5 & x5);
        final long t30 = t2 ^ (t7 & x5);
        final long t31 = t29 ^ (t30 & x2);
        final long t32 = t28 ^ (t31 & x0);
        final long t33 = t26 ^ (t32 & x3);
        final long t34 = x1 | ~x4;
        final long t35 = t34 ^ (t2 & x5);
        final long t36 = t35 ^ (t23 & x2);
        final long t37 = t0 ^ (t22 & x5);
        final long t38 = x1 & ~x4;
        final long t39 = t38 & ~x5;
        final long t40 = t37 ^ (t39 & x2);
        final long t41 = t36 ^ (t40 & x0);
        final long t42 = t2 & ~x5;
        final long t43 = t37 ^ (t42 & x2);
        final long t44 = t39 ^ (t30 & x2);
        final long t45 = t43 ^ (t44 & x0);
        final long t46 = t41 ^ (t45 & x3);
        final long t47 = t38 ^ (t7 & x5);
        final long t48 = x4 ^ (t38 & x5);
        final long t49 = t47 ^ (t48 & x2);
        final long t50 = ~x1 & x4;
        final long t51 = t50 ^ (t34 & x5);
        final long t52 = t0 ^ (t5 & x5);
        final long t53 = t51 ^ (t52 & x2);
        final long t54 = t49 ^ (t53 & x0);
        final long t55 = ~(x1 & x4);
        final long t56 = t55 ^ (x1 & x5);
        final long t57 = t34 ^ (-1L & x5);
        final long t58 = t0 & ~x5;
        final long t59 = t57 ^ (t58 & x2);
        final long t60 = t56 ^ (t59 & x0);
        final long t61 = t54 ^ (t60 & x3);
        out[o0] ^= t18;
        out[o1] ^= t33;
        out[o2] ^= t46;
        out[o3] ^= t61;
    }

    /** S-box 2: 98 operations (inputs split in the order x1 x5 x2 x0 x3 x4). */
    static void s2(
        final long x0, final long x1, final long x2, final long x3, final long x4, final long x5,
        final long[] out, final int o0, final int o1, final int o2, final int o3)
    {
        final long t0 = x1 | ~x5;
        final long t1 = ~x1 | x5;
        final long t2 = t0 ^ (t1 & x2);
        final long t3 = ~(x1 & x5);
        final long t4 = x1 & ~x5;
        final long t5 = t3 ^ (t4 & x2);
        final long t6 = t2 ^ (t5 & x0);
        final long t7 = t6 ^ (x1 & x3);
        final long t8 = ~x1 & x5;
        final long t9 = t8 ^ (x5 & x2);
        final long t10 = -1L ^ (t9 & x0);
        final long t11 = ~x1;
        final long t12 = ~(x1 | x5);
        final long t13 = t11 ^ (t12 & x0);
        final long t14 = t10 ^ (t13 & x3);
        final long t15 = t7 ^ (t14 & x4);
        final long t16 = ~(x1 ^ x5);
        final long t17 = x1 ^ x5;
        final long t18 = t16 ^ (t17 & x2);
        final long t19 = t18 ^ (-1L & x0);
        final long t20 = t19 ^ (t1 & x3);
        final long t21 = t4 & x2;
        final long t22 = -1L ^ (t21 & x0);
        final long t23 = x5 & ~x2;
        final long t24 = t23 ^ (t4 & x0);
        final long t25 = t22 ^ (t24 & x3);
        final long t26 = t20 ^ (t25 & x4);
        final long t27 = x1 & x5;
        final long t28 = t11 ^ (t27 & x2);
        final long t29 = t1 ^ (t11 & x2);
        final long t30 = t28 ^ (t29 & x0);
        final long t31 = ~x5;
        final long t32 = t3 ^ (t31 & x2);
        final long t33 = t4 ^ (t16 & x2);
        final long t34 = t32 ^ (t33 & x0);
        final long t35 = t30 ^ (t34 & x3);
        final long t36 = t3 ^ (-1L & x2);
        final long t37 = t17 ^ (t1 & x2);
        final long t38 = t36 ^ (t37 & x0);
        final long t39 = t27 ^ (-1L & x2);
        final long t40 = t39 ^ (t36 & x0);
        final long t41 = t38 ^ (t40 & x3);
        final long t42 = t35 ^ (t41 & x4);
        final long t43 = t16 ^ (t0 & x2);
        final long t44 = t32 ^ (t43 & x0);
        final long t45 = -1L ^ (t27 & x0);
        final long t46 = t44 ^ (t45 & x3);
        final long t47 = t1 & x2;
        final long t48 = x1 | x5;
        final long t49 = t48 ^ (t0 & x2);
        final long t50 = t47 ^ (t49 & x0);
        final long t51 = t48 ^ (x5 & x0);
        final long t52 = t50 ^ (t51 & x3);
        final long t53 = t46 ^ (t52 & x4);
        out[o0] ^= t15;
        out[o1] ^= t26;
        out[o2] ^= t42;
        out[o3] ^= t53;
    }

    /** S-box 3: 103 operations (inputs split in the order x0 x5 x1 x4 x2 x3). */
    static void s3(
        final long x0, final long x1, final long x2, final long x3, final long x4, final long x5,
        final long[] out, final int o0, final int o1, final int o2, final int o3)
    {
        final long t0 = ~(x0 & x5);
        final long t1 = ~x0;
        final long t2 = t0 ^ (t1 & x1);
        final long t3 = t2 ^ (-1L & x4);
        final long t4 = t1 ^ (x0 & x1);
        final long t5 = ~x5;
        final long t6 = t0 ^ (t5 & x1);
        final long t7 = t4 ^ (t6 & x4);
        final long t8 = t3 ^ (t7 & x2);
        final long t9 = x0 | x5;
        final long t10 = t9 ^ (t1 & x1);
        final long t11 = ~(x0 | x5);
        final long t12 = t11 & ~x1;
        final long t13 = t10 ^ (t12 & x4);
        final long t14 = t1 & ~x1;
        final long t15 = ~x0 & x5;
        final long t16 = t14 ^ (t15 & x4);
        final long t17 = t13 ^ (t16 & x2);
        final long t18 = t8 ^ (t17 & x3);
        final long t19 = x0 ^ x5;
        final long t20 = t19 ^ (t9 & x1);
        final long t21 = t11 & x1;
        final long t22 = t20 ^ (t21 & x4);
        final long t23 = -1L ^ (t11 & x1);
        final long t24 = t23 & ~x4;
        final long t25 = t22 ^ (t24 & x2);
        final long t26 = ~(x0 ^ x5);
        final long t27 = x5 ^ (t26 & x1);
        final long t28 = x0 | ~x5;
        final long t29 = t27 ^ (t28 & x4);
        final long t30 = t1 & x1;
        final long t31 = x0 & x5;
        final long t32 = t30 ^ (t31 & x4);
        final long t33 = t29 ^ (t32 & x2);
        final long t34 = t25 ^ (t33 & x3);
        final long t35 = t11 ^ (t0 & x1);
        final long t36 = t35 ^ (t23 & x4);
        final long t37 = x5 ^ (t5 & x1);
        final long t38 = t37 ^ (t11 & x4);
        final long t39 = t36 ^ (t38 & x2);
        final long t40 = ~x0 | x5;
        final long t41 = t11 ^ (t40 & x1);
        final long t42 = t9 ^ (t0 & x1);
        final long t43 = t41 ^ (t42 & x4);
        final long t44 = t28 ^ (t11 & x1);
        final long t45 = t44 ^ (t28 & x4);
        final long t46 = t43 ^ (t45 & x2);
        final long t47 = t39 ^ (t46 & x3);
        final long t48 = t9 ^ (t40 & x1);
        final long t49 = x0 & ~x5;
        final long t50 = x0 ^ (t49 & x1);
        final long t51 = t48 ^ (t50 & x4);
        final long t52 = t50 ^ (t4 & x4);
        final long t53 = t51 ^ (t52 & x2);
        final long t54 = t0 ^ (t1 & x4);
        final long t55 = t31 & x1;
        final long t56 = t54 ^ (t55 & x2);
        final long t57 = t53 ^ (t56 & x3);
        out[o0] ^= t18;
        out[o1] ^= t34;
        out[o2] ^= t47;
        out[o3] ^= t57;
    }

    /** S-box 4: 100 operations (inputs split in the order x2 x4 x0 x1 x3 x5). */
    static void s4(
        final long x0, final long x1, final long x2, final long x3, final long x4, final long x5,
        final long[] out, final int o0, final int o1, final int o2, final int o3)
    {
        final long t0 = ~x2 & x4;
        final long t1 = t0 ^ (-1L & x0);
        final long t2 = x2 | x4;
        final long t3 = t2 ^ (t0 & x0);
        final long t4 = t1 ^ (t3 & x1);
        final long t5 = ~x2 | x4;
        final long t6 = -1L ^ (t5 & x0);
        final long t7 = ~(x2 ^ x4);
        final long t8 = x4 ^ (t7 & x0);
        final long t9 = t6 ^ (t8 & x1);
        final long t10 = t4 ^ (t9 & x3);
        final long t11 = t7 ^ (t0 & x0);
        final long t12 = x2 | ~x4;
        final long t13 = t12 ^ (t0 & x0);
        final long t14 = t11 ^ (t13 & x1);
        final long t15 = ~x4;
        final long t16 = t15 ^ (t5 & x0);
        final long t17 = x2 ^ x4;
        final long t18 = t16 ^ (t17 & x1);
        final long t19 = t14 ^ (t18 & x3);
        final long t20 = t10 ^ (t19 & x5);
        final long t21 = t5 ^ (t12 & x0);
        final long t22 = ~x2;
        final long t23 = t21 ^ (t22 & x1);
        final long t24 = x2 ^ (t7 & x0);
        final long t25 = x4 ^ (t24 & x1);
        final long t26 = t23 ^ (t25 & x3);
        final long t27 = t17 ^ (t0 & x0);
        final long t28 = t27 ^ (t13 & x1);
        final long t29 = t28 ^ (t18 & x3);
        final long t30 = t26 ^ (t29 & x5);
        final long t31 = -1L ^ (t12 & x0);
        final long t32 = t11 ^ (t31 & x1);
        final long t33 = t0 ^ (t12 & x0);
        final long t34 = t33 ^ (t24 & x1);
        final long t35 = t32 ^ (t34 & x3);
        final long t36 = t15 ^ (t7 & x0);
        final long t37 = x2 & ~x4;
        final long t38 = t7 ^ (t37 & x0);
        final long t39 = t36 ^ (t38 & x1);
        final long t40 = ~(x2 & x4);
        final long t41 = t40 ^ (t12 & x0);
        final long t42 = t41 ^ (t17 & x1);
        final long t43 = t39 ^ (t42 & x3);
        final long t44 = t35 ^ (t43 & x5);
        final long t45 = t22 ^ (t5 & x0);
        final long t46 = t17 ^ (t7 & x0);
        final long t47 = t45 ^ (t46 & x1);
        final long t48 = t15 ^ (t8 & x1);
        final long t49 = t47 ^ (t48 & x3);
        final long t50 = t8 ^ (t38 & x1);
        final long t51 = t50 ^ (t42 & x3);
        final long t52 = t49 ^ (t51 & x5);
        out[o0] ^= t20;
        out[o1] ^= t30;
        out[o2] ^= t44;
        out[o3] ^= t52;
    }

    /** S-box 5: 114 operations (inputs split in the order x3 x5 x2 x0 x1 x4). */
    static void s5(
        final long x0, final long x1, final long x2, final long x3, final long x4, final long x5,
        final long[] out, final int o0, final int o1, final int o2, final int o3)
    {
        final long t0 = ~x3 & x5;
        final long t1 = x3 | x5;
        final long t2 = t0 ^ (t1 & x2);
        final long t3 = x3 & x5;
        final long t4 = ~x5;
        final long t5 = t3 ^ (t4 & x2);
        final long t6 = t2 ^ (t5 & x0);
        final long t7 = ~x3 | x5;
        final long t8 = t7 ^ (x5 & x2);
        final long t9 = x3 & ~x5;
        final long t10 = x3 ^ x5;
        final long t11 = t9 ^ (t10 & x2);
        final long t12 = t8 ^ (t11 & x0);
        final long t13 = t6 ^ (t12 & x1);
        final long t14 = ~(x3 ^ x5);
        final long t15 = t14 ^ (t9 & x2);
        final long t16 = t4 ^ (t10 & x2);
        final long t17 = t15 ^ (t16 & x0);
        final long t18 = x3 ^ (x5 & x2);
        final long t19 = t18 ^ (t1 & x0);
        final long t20 = t17 ^ (t19 & x1);
        final long t21 = t13 ^ (t20 & x4);
        final long t22 = x3 | ~x5;
        final long t23 = t10 ^ (t22 & x2);
        final long t24 = t23 ^ (-1L & x0);
        final long t25 = x3 ^ (t0 & x2);
        final long t26 = ~(x3 | x5);
        final long t27 = t0 ^ (t26 & x2);
        final long t28 = t25 ^ (t27 & x0);
        final long t29 = t24 ^ (t28 & x1);
        final long t30 = -1L ^ (t0 & x2);
        final long t31 = t1 ^ (x3 & x2);
        final long t32 = t30 ^ (t31 & x0);
        final long t33 = t29 ^ (t32 & x4);
        final long t34 = t7 ^ (t1 & x2);
        final long t35 = t14 ^ (t26 & x2);
        final long t36 = t34 ^ (t35 & x0);
        final long t37 = ~(x3 & x5);
        final long t38 = t37 ^ (t9 & x2);
        final long t39 = t10 ^ (t7 & x2);
        final long t40 = t38 ^ (t39 & x0);
        final long t41 = t36 ^ (t40 & x1);
        final long t42 = t14 ^ (t7 & x2);
        final long t43 = t42 ^ (t39 & x0);
        final long t44 = t14 ^ (t4 & x2);
        final long t45 = t37 ^ (x5 & x2);
        final long t46 = t44 ^ (t45 & x0);
        final long t47 = t43 ^ (t46 & x1);
        final long t48 = t41 ^ (t47 & x4);
        final long t49 = t22 & x2;
        final long t50 = t49 ^ (t23 & x0);
        final long t51 = t14 & ~x2;
        final long t52 = t1 ^ (t51 & x0);
        final long t53 = t50 ^ (t52 & x1);
        final long t54 = t10 ^ (t26 & x2);
        final long t55 = x3 ^ (t9 & x2);
        final long t56 = t54 ^ (t55 & x0);
        final long t57 = t22 ^ (-1L & x2);
        final long t58 = t57 ^ (t44 & x0);
        final long t59 = t56 ^ (t58 & x1);
        final long t60 = t53 ^ (t59 & x4);
        out[o0] ^= t21;
        out[o1] ^= t33;
        out[o2] ^= t48;
        out[o3] ^= t60;
    }

    /** S-box 6: 102 operations (inputs split in the order x1 x5 x4 x0 x2 x3). */
    static void s6(
        final long x0, final long x1, final long x2, final long x3, final long x4, final long x5,
        final long[] out, final int o0, final int o1, final int o2, final int o3)
    {
        final long t0 = ~x1;
        final long t1 = ~x5;
        final long t2 = t0 ^ (t1 & x4);
        final long t3 = x5 ^ (t1 & x4);
        final long t4 = t2 ^ (t3 & x0);
        final long t5 = x1 ^ x5;
        final long t6 = t5 ^ (x5 & x4);
        final long t7 = x1 | ~x5;
        final long t8 = t7 & ~x4;
        final long t9 = t6 ^ (t8 & x0);
        final long t10 = t4 ^ (t9 & x2);
        final long t11 = ~x1 & x5;
        final long t12 = t11 & ~x4;
        final long t13 = t3 ^ (t12 & x0);
        final long t14 = t7 ^ (t1 & x4);
        final long t15 = x1 & x5;
        final long t16 = t14 ^ (t15 & x0);
        final long t17 = t13 ^ (t16 & x2);
        final long t18 = t10 ^ (t17 & x3);
        final long t19 = ~(x1 ^ x5);
        final long t20 = t19 ^ (-1L & x4);
        final long t21 = t20 ^ (-1L & x0);
        final long t22 = -1L & ~x4;
        final long t23 = ~(x1 | x5);
        final long t24 = x1 | x5;
        final long t25 = t23 ^ (t24 & x4);
        final long t26 = t22 ^ (t25 & x0);
        final long t27 = t21 ^ (t26 & x2);
        final long t28 = t0 ^ (t15 & x4);
        final long t29 = t19 & x4;
        final long t30 = t28 ^ (t29 & x0);
        final long t31 = t15 ^ (-1L & x4);
        final long t32 = x4 ^ (t31 & x0);
        final long t33 = t30 ^ (t32 & x2);
        final long t34 = t27 ^ (t33 & x3);
        final long t35 = x5 ^ (t15 & x4);
        final long t36 = t5 ^ (-1L & x4);
        final long t37 = t35 ^ (t36 & x0);
        final long t38 = x1 ^ (t0 & x4);
        final long t39 = t19 ^ (t7 & x4);
        final long t40 = t38 ^ (t39 & x0);
        final long t41 = t37 ^ (t40 & x2);
        final long t42 = -1L ^ (t5 & x4);
        final long t43 = t24 & x4;
        final long t44 = t42 ^ (t43 & x0);
        final long t45 = t41 ^ (t44 & x3);
        final long t46 = x4 ^ (t7 & x0);
        final long t47 = t0 ^ (t31 & x0);
        final long t48 = t46 ^ (t47 & x2);
        final long t49 = x1 ^ (t11 & x4);
        final long t50 = t15 ^ (t7 & x4);
        final long t51 = t49 ^ (t50 & x0);
        final long t52 = t23 ^ (t1 & x4);
        final long t53 = t1 & ~x4;
        final long t54 = t52 ^ (t53 & x0);
        final long t55 = t51 ^ (t54 & x2);
        final long t56 = t48 ^ (t55 & x3);
        out[o0] ^= t18;
        out[o1] ^= t34;
        out[o2] ^= t45;
        out[o3] ^= t56;
    }

    /** S-box 7: 103 operations (inputs split in the order x0 x5 x1 x4 x2 x3). */
    static void s7(
        final long x0, final long x1, final long x2, final long x3, final long x4, final long x5,
        final long[] out, final int o0, final int o1, final int o2, final int o3)
    {
        final long t0 = ~x0 & x5;
        final long t1 = t0 ^ (x0 & x1);
        final long t2 = ~x0 | x5;
        final long t3 = t1 ^ (t2 & x4);
        final long t4 = ~(x0 & x5);
        final long t5 = ~(x0 | x5);
        final long t6 = t4 ^ (t5 & x1);
        final long t7 = x0 & ~x1;
        final long t8 = t6 ^ (t7 & x4);
        final long t9 = t3 ^ (t8 & x2);
        final long t10 = ~x0;
        final long t11 = x0 ^ (t10 & x1);
        final long t12 = x0 & x5;
        final long t13 = t12 ^ (x0 & x1);
        final long t14 = t11 ^ (t13 & x4);
        final long t15 = t5 & x1;
        final long t16 = t15 ^ (t5 & x4);
        final long t17 = t14 ^ (t16 & x2);
        final long t18 = t9 ^ (t17 & x3);
        final long t19 = ~(x0 ^ x5);
        final long t20 = t2 ^ (t19 & x1);
        final long t21 = t20 ^ (-1L & x4);
        final long t22 = x0 ^ (t4 & x1);
        final long t23 = t21 ^ (t22 & x2);
        final long t24 = t10 ^ (t4 & x1);
        final long t25 = t0 & x1;
        final long t26 = t24 ^ (t25 & x4);
        final long t27 = x0 & x1;
        final long t28 = x0 ^ x5;
        final long t29 = t27 ^ (t28 & x4);
        final long t30 = t26 ^ (t29 & x2);
        final long t31 = t23 ^ (t30 & x3);
        final long t32 = t12 ^ (-1L & x1);
        final long t33 = t32 ^ (t5 & x4);
        final long t34 = x0 & ~x5;
        final long t35 = t19 ^ (t34 & x1);
        final long t36 = t34 & ~x1;
        final long t37 = t35 ^ (t36 & x4);
        final long t38 = t33 ^ (t37 & x2);
        final long t39 = -1L ^ (x0 & x1);
        final long t40 = ~x5;
        final long t41 = t40 ^ (t19 & x1);
        final long t42 = t39 ^ (t41 & x4);
        final long t43 = t0 & ~x1;
        final long t44 = t43 ^ (t0 & x4);
        final long t45 = t42 ^ (t44 & x2);
        final long t46 = t38 ^ (t45 & x3);
        final long t47 = t28 ^ (-1L & x1);
        final long t48 = -1L ^ (t12 & x1);
        final long t49 = t47 ^ (t48 & x4);
        final long t50 = -1L ^ (t4 & x1);
        final long t51 = t49 ^ (t50 & x2);
        final long t52 = t12 ^ (t0 & x1);
        final long t53 = t4 ^ (x5 & x1);
        final long t54 = t52 ^ (t53 & x4);
        final long t55 = t4 & ~x4;
        final long t56 = t54 ^ (t55 & x2);
        final long t57 = t51 ^ (t56 & x3);
        out[o0] ^= t18;
        out[o1] ^= t31;
        out[o2] ^= t46;
        out[o3] ^= t57;
    }

    /** S-box 8: 107 operations (inputs split in the order x2 x4 x3 x5 x0 x1). */
    static void s8(
        final long x0, final long x1, final long x2, final long x3, final long x4, final long x5,
        final long[] out, final int o0, final int o1, final int o2, final int o3)
    {
        final long t0 = ~(x2 ^ x4);
        final long t1 = t0 ^ (x2 & x3);
        final long t2 = -1L ^ (t0 & x3);
        final long t3 = t1 ^ (t2 & x5);
        final long t4 = ~(x2 & x4);
        final long t5 = x2 ^ x4;
        final long t6 = t4 ^ (t5 & x3);
        final long t7 = t0 ^ (t5 & x3);
        final long t8 = t6 ^ (t7 & x5);
        final long t9 = t3 ^ (t8 & x0);
        final long t10 = x4 ^ (t0 & x3);
        final long t11 = ~x4;
        final long t12 = ~x2;
        final long t13 = t11 ^ (t12 & x3);
        final long t14 = t10 ^ (t13 & x5);
        final long t15 = x2 & x3;
        final long t16 = x2 & ~x4;
        final long t17 = t16 ^ (t0 & x3);
        final long t18 = t15 ^ (t17 & x5);
        final long t19 = t14 ^ (t18 & x0);
        final long t20 = t9 ^ (t19 & x1);
        final long t21 = x2 | ~x4;
        final long t22 = t21 ^ (-1L & x3);
        final long t23 = t22 ^ (-1L & x5);
        final long t24 = t16 ^ (t12 & x3);
        final long t25 = ~x2 & x4;
        final long t26 = t25 ^ (t12 & x3);
        final long t27 = t24 ^ (t26 & x5);
        final long t28 = t23 ^ (t27 & x0);
        final long t29 = t0 ^ (t11 & x3);
        final long t30 = t5 ^ (t0 & x3);
        final long t31 = t30 ^ (t15 & x5);
        final long t32 = t29 ^ (t31 & x0);
        final long t33 = t28 ^ (t32 & x1);
        final long t34 = x2 | x4;
        final long t35 = t34 ^ (x4 & x3);
        final long t36 = t21 ^ (t11 & x3);
        final long t37 = x4 ^ (t11 & x3);
        final long t38 = t36 ^ (t37 & x5);
        final long t39 = t35 ^ (t38 & x0);
        final long t40 = t0 & ~x3;
        final long t41 = -1L ^ (t40 & x5);
        final long t42 = x2 & x4;
        final long t43 = t42 ^ (x4 & x3);
        final long t44 = t25 ^ (t43 & x5);
        final long t45 = t41 ^ (t44 & x0);
        final long t46 = t39 ^ (t45 & x1);
        final long t47 = ~x2 | x4;
        final long t48 = t25 ^ (t47 & x3);
        final long t49 = t29 ^ (t48 & x5);
        final long t50 = t34 ^ (t6 & x5);
        final long t51 = t49 ^ (t50 & x0);
        final long t52 = -1L ^ (x4 & x3);
        final long t53 = t52 ^ (t5 & x5);
        final long t54 = t16 ^ (t11 & x3);
        final long t55 = t54 ^ (t26 & x5);
        final long t56 = t53 ^ (t55 & x0);
        final long t57 = t51 ^ (t56 & x1);
        out[o0] ^= t20;
        out[o1] ^= t33;
        out[o2] ^= t46;
        out[o3] ^= t57;
    }

    // end of circuits
}
