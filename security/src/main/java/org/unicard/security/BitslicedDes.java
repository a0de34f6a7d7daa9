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
 * ({@link #transpose}). The 16 rounds cost the same however many lanes are in use, about 1.4 µs here,
 * so bitslicing pays only from about 24 lanes on ({@code docs/performance.md}, "MACs bitsliced
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
     * bit {@code 63 - j}. Six passes, each swapping the off-diagonal blocks of blocks half the size of
     * the last. Each pass is a loop of its own with its width fixed, so that C2 unrolls the narrow
     * ones and vectorises the wide ones: 125 ns here, against 355 for one loop over all six.
     */
    static void transpose(final long[] m)
    {
        swapBlocks(m, 32, 0x0000_0000_FFFF_FFFFL);
        swapBlocks(m, 16, 0x0000_FFFF_0000_FFFFL);
        swapBlocks(m, 8, 0x00FF_00FF_00FF_00FFL);
        for (int base = 0; base < 64; base += 8)
        {
            swap(m, base, 4, 0x0F0F_0F0F_0F0F_0F0FL);
            swap(m, base + 1, 4, 0x0F0F_0F0F_0F0F_0F0FL);
            swap(m, base + 2, 4, 0x0F0F_0F0F_0F0F_0F0FL);
            swap(m, base + 3, 4, 0x0F0F_0F0F_0F0F_0F0FL);
        }
        for (int base = 0; base < 64; base += 4)
        {
            swap(m, base, 2, 0x3333_3333_3333_3333L);
            swap(m, base + 1, 2, 0x3333_3333_3333_3333L);
        }
        for (int base = 0; base < 64; base += 2)
        {
            swap(m, base, 1, 0x5555_5555_5555_5555L);
        }
    }

    private static void swapBlocks(final long[] m, final int width, final long mask)
    {
        for (int base = 0; base < 64; base += 2 * width)
        {
            for (int k = base; k < base + width; k++)
            {
                swap(m, k, width, mask);
            }
        }
    }

    /**
     * Swaps the bits {@code mask} selects in row {@code k + width} with those it selects, shifted left by
     * {@code width}, in row {@code k}.
     */
    private static void swap(final long[] m, final int k, final int width, final long mask)
    {
        final long t = (m[k] ^ (m[k + width] >>> width)) & mask;
        m[k] ^= t;
        m[k + width] ^= t << width;
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
            s1(r, k, a, l);
            s2(r, k, a, l);
            s3(r, k, a, l);
            s4(r, k, a, l);
            s5(r, k, a, l);
            s6(r, k, a, l);
            s7(r, k, a, l);
            s8(r, k, a, l);
            s1(l, k, b, r);
            s2(l, k, b, r);
            s3(l, k, b, r);
            s4(l, k, b, r);
            s5(l, k, b, r);
            s6(l, k, b, r);
            s7(l, k, b, r);
            s8(l, k, b, r);
        }
        for (int i = 0; i < 32; i++)
        {
            final long t = l[i];
            l[i] = r[i];
            r[i] = t;
        }
    }

    /** S-box 1: 100 operations (inputs split in the order x3 x5 x4 x2 x0 x1). */
    private static void s1(final long[] in, final long[] k, final int key, final long[] out)
    {
        final long x0 = in[31] ^ k[key + 0];
        final long x1 = in[0] ^ k[key + 1];
        final long x2 = in[1] ^ k[key + 2];
        final long x3 = in[2] ^ k[key + 3];
        final long x4 = in[3] ^ k[key + 4];
        final long x5 = in[4] ^ k[key + 5];
        final long t0 = ~(x3 & x5);
        final long t1 = x5 ^ (t0 & x4);
        final long t2 = x3 & x5;
        final long t3 = t2 ^ (x3 & x4);
        final long t4 = t1 ^ (t3 & x2);
        final long t5 = ~(x3 ^ x5);
        final long t6 = -1L ^ (t5 & x4);
        final long t7 = t6 & ~x2;
        final long t8 = t4 ^ (t7 & x0);
        final long t9 = ~x3;
        final long t10 = -1L ^ (t9 & x2);
        final long t11 = -1L ^ (x3 & x4);
        final long t12 = ~x3 | x5;
        final long t13 = t12 ^ (x5 & x4);
        final long t14 = t11 ^ (t13 & ~x2);
        final long t15 = t10 ^ (t14 & x0);
        final long t16 = t8 ^ (t15 & ~x1);
        final long t17 = x3 ^ (x5 & x4);
        final long t18 = x3 | ~x5;
        final long t19 = t18 & ~x4;
        final long t20 = t17 ^ (t19 & x2);
        final long t21 = t18 ^ (t9 & x4);
        final long t22 = ~x3 & x5;
        final long t23 = t22 ^ (t0 & x4);
        final long t24 = t21 ^ (t23 & ~x2);
        final long t25 = t20 ^ (t24 & x0);
        final long t26 = t12 ^ (x3 & x4);
        final long t27 = t26 ^ (x5 & ~x2);
        final long t28 = t22 ^ (t0 & ~x4);
        final long t29 = x3 & ~x5;
        final long t30 = ~x5;
        final long t31 = t29 ^ (t30 & ~x4);
        final long t32 = t28 ^ (t31 & x2);
        final long t33 = t27 ^ (t32 & x0);
        final long t34 = t25 ^ (t33 & ~x1);
        final long t35 = t3 ^ (-1L & ~x2);
        final long t36 = t30 ^ (t12 & ~x4);
        final long t37 = t36 ^ (t19 & x2);
        final long t38 = t35 ^ (t37 & x0);
        final long t39 = x5 & x4;
        final long t40 = t6 ^ (t39 & x2);
        final long t41 = t12 & x4;
        final long t42 = t41 ^ (t31 & ~x2);
        final long t43 = t40 ^ (t42 & ~x0);
        final long t44 = t38 ^ (t43 & ~x1);
        final long t45 = t17 ^ (x4 & x2);
        final long t46 = t30 ^ (t22 & x4);
        final long t47 = t12 & ~x4;
        final long t48 = t46 ^ (t47 & ~x2);
        final long t49 = t45 ^ (t48 & x0);
        final long t50 = x5 & ~x4;
        final long t51 = t21 ^ (t50 & x2);
        final long t52 = t5 & x4;
        final long t53 = t52 ^ (t13 & x2);
        final long t54 = t51 ^ (t53 & x0);
        final long t55 = t49 ^ (t54 & x1);
        out[8] ^= t16;
        out[16] ^= t34;
        out[22] ^= t44;
        out[30] ^= t55;
    }

    /** S-box 2: 85 operations (inputs split in the order x2 x4 x3 x0 x5 x1). */
    private static void s2(final long[] in, final long[] k, final int key, final long[] out)
    {
        final long x0 = in[3] ^ k[key + 6];
        final long x1 = in[4] ^ k[key + 7];
        final long x2 = in[5] ^ k[key + 8];
        final long x3 = in[6] ^ k[key + 9];
        final long x4 = in[7] ^ k[key + 10];
        final long x5 = in[8] ^ k[key + 11];
        final long t0 = x4 ^ (-1L & ~x3);
        final long t1 = ~x2;
        final long t2 = t0 ^ (t1 & x0);
        final long t3 = ~x2 | x4;
        final long t4 = x2 ^ (t3 & x0);
        final long t5 = t2 ^ (t4 & x5);
        final long t6 = ~x4;
        final long t7 = -1L ^ (t6 & x3);
        final long t8 = t7 ^ (t6 & x0);
        final long t9 = x4 & ~x3;
        final long t10 = (t1 & ~x0) | (t9 & x0);
        final long t11 = t8 ^ (t10 & ~x5);
        final long t12 = t5 ^ (t11 & ~x1);
        final long t13 = t0 ^ (-1L & x0);
        final long t14 = ~x2 & x4;
        final long t15 = t1 ^ (t14 & x3);
        final long t16 = t13 ^ (t15 & x5);
        final long t17 = t14 ^ (x4 & ~x3);
        final long t18 = x3 ^ (t17 & x0);
        final long t19 = t1 ^ (t18 & ~x5);
        final long t20 = t16 ^ (t19 & x1);
        final long t21 = t1 ^ (t6 & ~x3);
        final long t22 = x2 | x4;
        final long t23 = t3 ^ (t22 & x3);
        final long t24 = t21 ^ (t23 & ~x0);
        final long t25 = x4 ^ (x2 & x3);
        final long t26 = x4 ^ (t25 & ~x0);
        final long t27 = t24 ^ (t26 & x5);
        final long t28 = t22 ^ (t1 & x3);
        final long t29 = (-1L & ~x0) | (t28 & x0);
        final long t30 = ~(x2 | x4);
        final long t31 = (t21 & ~x0) | (t30 & x0);
        final long t32 = t29 ^ (t31 & x5);
        final long t33 = t27 ^ (t32 & x1);
        final long t34 = t1 ^ (t6 & x3);
        final long t35 = t34 ^ (t22 & x0);
        final long t36 = t3 ^ (t7 & x0);
        final long t37 = t35 ^ (t36 & x5);
        final long t38 = t17 ^ (t6 & x0);
        final long t39 = t3 ^ (-1L & x3);
        final long t40 = -1L ^ (t39 & x0);
        final long t41 = (t38 & ~x5) | (t40 & x5);
        final long t42 = t37 ^ (t41 & ~x1);
        out[12] ^= t12;
        out[27] ^= t20;
        out[1] ^= t33;
        out[17] ^= t42;
    }

    /** S-box 3: 86 operations (inputs split in the order x3 x5 x4 x1 x2 x0). */
    private static void s3(final long[] in, final long[] k, final int key, final long[] out)
    {
        final long x0 = in[7] ^ k[key + 12];
        final long x1 = in[8] ^ k[key + 13];
        final long x2 = in[9] ^ k[key + 14];
        final long x3 = in[10] ^ k[key + 15];
        final long x4 = in[11] ^ k[key + 16];
        final long x5 = in[12] ^ k[key + 17];
        final long t0 = x3 ^ x5;
        final long t1 = t0 ^ (-1L & ~x4);
        final long t2 = ~x5;
        final long t3 = -1L ^ (t2 & x4);
        final long t4 = -1L ^ (t3 & ~x1);
        final long t5 = t1 ^ (t4 & x2);
        final long t6 = x3 | ~x5;
        final long t7 = ~x3;
        final long t8 = x3 & ~x5;
        final long t9 = t7 ^ (t8 & x4);
        final long t10 = t6 ^ (t9 & ~x1);
        final long t11 = ~x3 & x5;
        final long t12 = t11 & x4;
        final long t13 = t12 ^ (t7 & ~x1);
        final long t14 = t10 ^ (t13 & x2);
        final long t15 = t5 ^ (t14 & ~x0);
        final long t16 = t6 ^ (x3 & x4);
        final long t17 = ~(x3 & x5);
        final long t18 = t16 ^ (t17 & x1);
        final long t19 = -1L ^ (t17 & x4);
        final long t20 = t18 ^ (t19 & x2);
        final long t21 = x3 & x5;
        final long t22 = t21 & x4;
        final long t23 = x3 ^ (t2 & ~x4);
        final long t24 = t22 ^ (t23 & x1);
        final long t25 = -1L ^ (t24 & ~x2);
        final long t26 = t20 ^ (t25 & ~x0);
        final long t27 = t7 & x4;
        final long t28 = t6 ^ (t8 & x4);
        final long t29 = t27 ^ (t28 & x1);
        final long t30 = t0 ^ (x3 & x4);
        final long t31 = t30 ^ (t2 & x1);
        final long t32 = t29 ^ (t31 & x2);
        final long t33 = x5 ^ (t6 & x4);
        final long t34 = t9 ^ (t33 & ~x1);
        final long t35 = t21 ^ (t6 & x4);
        final long t36 = t35 ^ (t8 & x1);
        final long t37 = t34 ^ (t36 & ~x2);
        final long t38 = t32 ^ (t37 & ~x0);
        final long t39 = t30 ^ (-1L & x1);
        final long t40 = t39 ^ (x4 & x2);
        final long t41 = t6 ^ (t7 & x4);
        final long t42 = t2 & ~x4;
        final long t43 = t41 ^ (t42 & x1);
        final long t44 = t6 ^ (-1L & x4);
        final long t45 = t11 ^ (t44 & ~x1);
        final long t46 = t43 ^ (t45 & x2);
        final long t47 = t40 ^ (t46 & x0);
        out[23] ^= t15;
        out[15] ^= t26;
        out[29] ^= t38;
        out[5] ^= t47;
    }

    /** S-box 4: 70 operations (inputs split in the order x2 x4 x0 x1 x3 x5). */
    private static void s4(final long[] in, final long[] k, final int key, final long[] out)
    {
        final long x0 = in[11] ^ k[key + 18];
        final long x1 = in[12] ^ k[key + 19];
        final long x2 = in[13] ^ k[key + 20];
        final long x3 = in[14] ^ k[key + 21];
        final long x4 = in[15] ^ k[key + 22];
        final long x5 = in[16] ^ k[key + 23];
        final long t0 = x2 & x4;
        final long t1 = x2 | ~x4;
        final long t2 = t0 ^ (t1 & x0);
        final long t3 = ~x2;
        final long t4 = t2 ^ (t3 & ~x1);
        final long t5 = ~(x2 ^ x4);
        final long t6 = x2 ^ (t5 & x0);
        final long t7 = x4 ^ (t6 & x1);
        final long t8 = t4 ^ (t7 & x3);
        final long t9 = ~x2 & x4;
        final long t10 = t5 ^ (t9 & ~x0);
        final long t11 = t6 ^ (t10 & x1);
        final long t12 = (t3 & ~x0) | (t0 & x0);
        final long t13 = x2 ^ x4;
        final long t14 = t12 ^ (t13 & ~x1);
        final long t15 = t11 ^ (t14 & ~x3);
        final long t16 = t8 ^ (t15 & ~x5);
        final long t17 = t3 ^ (t5 & x0);
        final long t18 = t17 ^ (t10 & x1);
        final long t19 = t18 ^ (t14 & ~x3);
        final long t20 = t8 ^ (t19 & x5);
        final long t21 = t5 ^ (t9 & x0);
        final long t22 = -1L ^ (t1 & x0);
        final long t23 = t21 ^ (t22 & x1);
        final long t24 = t9 ^ (t1 & x0);
        final long t25 = t24 ^ (t6 & x1);
        final long t26 = t23 ^ (t25 & x3);
        final long t27 = x2 & ~x4;
        final long t28 = -1L ^ (t27 & x0);
        final long t29 = t1 ^ (t28 & ~x1);
        final long t30 = x4 ^ (t1 & ~x0);
        final long t31 = t30 ^ (t13 & x1);
        final long t32 = t29 ^ (t31 & ~x3);
        final long t33 = t26 ^ (t32 & x5);
        final long t34 = t9 ^ (t28 & ~x1);
        final long t35 = t34 ^ (t31 & ~x3);
        final long t36 = t26 ^ (t35 & ~x5);
        out[25] ^= t16;
        out[19] ^= t20;
        out[9] ^= t33;
        out[0] ^= t36;
    }

    /** S-box 5: 96 operations (inputs split in the order x1 x4 x2 x0 x3 x5). */
    private static void s5(final long[] in, final long[] k, final int key, final long[] out)
    {
        final long x0 = in[15] ^ k[key + 24];
        final long x1 = in[16] ^ k[key + 25];
        final long x2 = in[17] ^ k[key + 26];
        final long x3 = in[18] ^ k[key + 27];
        final long x4 = in[19] ^ k[key + 28];
        final long x5 = in[20] ^ k[key + 29];
        final long t0 = x1 ^ x4;
        final long t1 = x4 ^ (-1L & x2);
        final long t2 = t0 ^ (t1 & x0);
        final long t3 = ~x1;
        final long t4 = x4 ^ (t3 & x2);
        final long t5 = x1 & ~x4;
        final long t6 = t5 ^ (t0 & x2);
        final long t7 = t4 ^ (t6 & ~x0);
        final long t8 = t2 ^ (t7 & x3);
        final long t9 = x1 | x4;
        final long t10 = t0 ^ (t9 & x2);
        final long t11 = ~(x1 ^ x4);
        final long t12 = t11 & ~x2;
        final long t13 = t10 ^ (t12 & x0);
        final long t14 = ~x4;
        final long t15 = t3 ^ (t14 & x2);
        final long t16 = ~x1 | x4;
        final long t17 = t15 ^ (t16 & x0);
        final long t18 = t13 ^ (t17 & ~x3);
        final long t19 = t8 ^ (t18 & x5);
        final long t20 = -1L ^ (x1 & x2);
        final long t21 = t1 ^ (t20 & x0);
        final long t22 = x4 ^ (t0 & x2);
        final long t23 = t3 ^ (t22 & x0);
        final long t24 = t21 ^ (t23 & x3);
        final long t25 = t11 & x2;
        final long t26 = t0 ^ (x1 & x2);
        final long t27 = t25 ^ (t26 & x0);
        final long t28 = -1L ^ (t27 & ~x3);
        final long t29 = t24 ^ (t28 & x5);
        final long t30 = t9 & ~x2;
        final long t31 = t15 ^ (t30 & x0);
        final long t32 = (t9 & ~x0) | (-1L & x0);
        final long t33 = t31 ^ (t32 & x3);
        final long t34 = -1L ^ (t9 & ~x2);
        final long t35 = t34 & ~x0;
        final long t36 = x1 & x4;
        final long t37 = t36 ^ (t11 & x2);
        final long t38 = t16 ^ (t37 & ~x0);
        final long t39 = t35 ^ (t38 & ~x3);
        final long t40 = t33 ^ (t39 & ~x5);
        final long t41 = t0 ^ (t36 & x2);
        final long t42 = t41 ^ (-1L & x0);
        final long t43 = t3 ^ (x1 & x2);
        final long t44 = ~x1 & x4;
        final long t45 = t44 ^ (t3 & ~x2);
        final long t46 = t43 ^ (t45 & ~x0);
        final long t47 = t42 ^ (t46 & x3);
        final long t48 = (x4 & ~x0) | (t34 & x0);
        final long t49 = t14 & x2;
        final long t50 = t5 ^ (t49 & ~x0);
        final long t51 = t48 ^ (t50 & ~x3);
        final long t52 = t47 ^ (t51 & ~x5);
        out[7] ^= t19;
        out[13] ^= t29;
        out[24] ^= t40;
        out[2] ^= t52;
    }

    /** S-box 6: 89 operations (inputs split in the order x0 x5 x3 x2 x4 x1). */
    private static void s6(final long[] in, final long[] k, final int key, final long[] out)
    {
        final long x0 = in[19] ^ k[key + 30];
        final long x1 = in[20] ^ k[key + 31];
        final long x2 = in[21] ^ k[key + 32];
        final long x3 = in[22] ^ k[key + 33];
        final long x4 = in[23] ^ k[key + 34];
        final long x5 = in[24] ^ k[key + 35];
        final long t0 = x0 ^ x5;
        final long t1 = t0 ^ (-1L & x3);
        final long t2 = x0 & x5;
        final long t3 = -1L ^ (t2 & x3);
        final long t4 = x0 | x5;
        final long t5 = ~x5;
        final long t6 = t4 ^ (t5 & x3);
        final long t7 = t3 ^ (t6 & ~x2);
        final long t8 = t1 ^ (t7 & ~x4);
        final long t9 = ~x0 & x5;
        final long t10 = -1L ^ (t9 & x3);
        final long t11 = -1L ^ (t10 & x2);
        final long t12 = t2 & x3;
        final long t13 = t12 ^ (t2 & x2);
        final long t14 = t11 ^ (t13 & ~x4);
        final long t15 = t8 ^ (t14 & x1);
        final long t16 = t0 ^ (t3 & x2);
        final long t17 = ~x0;
        final long t18 = t17 & ~x3;
        final long t19 = t10 ^ (t18 & x2);
        final long t20 = t16 ^ (t19 & x4);
        final long t21 = -1L & ~x3;
        final long t22 = x0 ^ (t2 & ~x3);
        final long t23 = t21 ^ (t22 & x2);
        final long t24 = t0 & x3;
        final long t25 = x0 & ~x5;
        final long t26 = t24 ^ (t25 & x2);
        final long t27 = t23 ^ (t26 & x4);
        final long t28 = t20 ^ (t27 & ~x1);
        final long t29 = t1 ^ (t25 & ~x2);
        final long t30 = x0 ^ (t9 & x3);
        final long t31 = ~x0 | x5;
        final long t32 = t30 ^ (t31 & x2);
        final long t33 = t29 ^ (t32 & x4);
        final long t34 = x0 ^ (t17 & x2);
        final long t35 = t0 ^ (t31 & x3);
        final long t36 = t35 ^ (t25 & x2);
        final long t37 = (t34 & ~x4) | (t36 & x4);
        final long t38 = t33 ^ (t37 & x1);
        final long t39 = (-1L & ~x3) | (t4 & x3);
        final long t40 = t25 ^ (t39 & x2);
        final long t41 = t31 ^ (t4 & x3);
        final long t42 = t41 ^ (t17 & x2);
        final long t43 = (t40 & ~x4) | (t42 & x4);
        final long t44 = t9 ^ (t5 & ~x3);
        final long t45 = t10 ^ (t44 & ~x2);
        final long t46 = t9 & x3;
        final long t47 = t45 ^ (t46 & x4);
        final long t48 = t43 ^ (t47 & x1);
        out[3] ^= t15;
        out[28] ^= t28;
        out[10] ^= t38;
        out[18] ^= t48;
    }

    /** S-box 7: 89 operations (inputs split in the order x0 x5 x2 x1 x3 x4). */
    private static void s7(final long[] in, final long[] k, final int key, final long[] out)
    {
        final long x0 = in[23] ^ k[key + 36];
        final long x1 = in[24] ^ k[key + 37];
        final long x2 = in[25] ^ k[key + 38];
        final long x3 = in[26] ^ k[key + 39];
        final long x4 = in[27] ^ k[key + 40];
        final long x5 = in[28] ^ k[key + 41];
        final long t0 = x0 | x5;
        final long t1 = ~(x0 & x5);
        final long t2 = t0 ^ (t1 & x2);
        final long t3 = t2 ^ (-1L & x1);
        final long t4 = ~x0;
        final long t5 = ~(x0 | x5);
        final long t6 = t4 ^ (t5 & x2);
        final long t7 = x0 ^ (t6 & x1);
        final long t8 = t3 ^ (t7 & ~x3);
        final long t9 = ~x0 | x5;
        final long t10 = x0 & x2;
        final long t11 = t9 ^ (t10 & ~x1);
        final long t12 = x0 & x5;
        final long t13 = t12 ^ (t5 & x2);
        final long t14 = t13 ^ (x0 & x1);
        final long t15 = t11 ^ (t14 & x3);
        final long t16 = t8 ^ (t15 & x4);
        final long t17 = t12 ^ (x0 & x2);
        final long t18 = t0 ^ (t9 & x2);
        final long t19 = t17 ^ (t18 & x1);
        final long t20 = t1 ^ (x0 & x2);
        final long t21 = t4 ^ (t20 & x1);
        final long t22 = t19 ^ (t21 & ~x3);
        final long t23 = x0 ^ x5;
        final long t24 = t23 & x2;
        final long t25 = ~x0 & x5;
        final long t26 = t24 ^ (t25 & x1);
        final long t27 = -1L ^ (t26 & x3);
        final long t28 = t22 ^ (t27 & x4);
        final long t29 = (t23 & ~x2) | (t9 & x2);
        final long t30 = t29 ^ (-1L & ~x1);
        final long t31 = t1 ^ (t25 & ~x2);
        final long t32 = x5 ^ (t31 & x1);
        final long t33 = t30 ^ (t32 & x3);
        final long t34 = x0 & ~x5;
        final long t35 = t34 & x2;
        final long t36 = t5 ^ (t35 & ~x1);
        final long t37 = ~(x0 ^ x5);
        final long t38 = t31 ^ (t37 & x1);
        final long t39 = t36 ^ (t38 & x3);
        final long t40 = t33 ^ (t39 & ~x4);
        final long t41 = t37 ^ (-1L & x2);
        final long t42 = t1 & ~x2;
        final long t43 = t41 ^ (t42 & x1);
        final long t44 = -1L ^ (t12 & x1);
        final long t45 = t43 ^ (t44 & x3);
        final long t46 = t42 ^ (x5 & x1);
        final long t47 = t44 ^ (t46 & x3);
        final long t48 = t45 ^ (t47 & ~x4);
        out[31] ^= t16;
        out[11] ^= t28;
        out[21] ^= t40;
        out[6] ^= t48;
    }

    /** S-box 8: 88 operations (inputs split in the order x3 x4 x2 x1 x0 x5). */
    private static void s8(final long[] in, final long[] k, final int key, final long[] out)
    {
        final long x0 = in[27] ^ k[key + 42];
        final long x1 = in[28] ^ k[key + 43];
        final long x2 = in[29] ^ k[key + 44];
        final long x3 = in[30] ^ k[key + 45];
        final long x4 = in[31] ^ k[key + 46];
        final long x5 = in[0] ^ k[key + 47];
        final long t0 = ~x4;
        final long t1 = x3 ^ (t0 & x2);
        final long t2 = x3 | x4;
        final long t3 = t1 ^ (t2 & ~x1);
        final long t4 = ~(x3 & x4);
        final long t5 = t4 ^ (x4 & x2);
        final long t6 = x3 & x2;
        final long t7 = t5 ^ (t6 & ~x1);
        final long t8 = t3 ^ (t7 & ~x0);
        final long t9 = t2 ^ (-1L & x2);
        final long t10 = t9 ^ (t4 & x1);
        final long t11 = x3 & ~x4;
        final long t12 = t11 ^ (t0 & x2);
        final long t13 = t2 ^ (t12 & ~x1);
        final long t14 = t10 ^ (t13 & x0);
        final long t15 = (t8 & ~x5) | (t14 & x5);
        final long t16 = t1 ^ (-1L & x1);
        final long t17 = t11 ^ (t9 & ~x1);
        final long t18 = t16 ^ (t17 & ~x0);
        final long t19 = x3 ^ x4;
        final long t20 = t19 & ~x2;
        final long t21 = t20 ^ (t6 & x1);
        final long t22 = -1L ^ (t21 & x0);
        final long t23 = t18 ^ (t22 & ~x5);
        final long t24 = t4 ^ (t0 & ~x2);
        final long t25 = t24 ^ (-1L & x1);
        final long t26 = ~x3 | x4;
        final long t27 = x4 & ~x2;
        final long t28 = t26 ^ (t27 & ~x1);
        final long t29 = t25 ^ (t28 & x0);
        final long t30 = ~(x3 ^ x4);
        final long t31 = t30 & ~x2;
        final long t32 = t2 ^ (t31 & x1);
        final long t33 = x3 & x4;
        final long t34 = t33 ^ (x4 & x2);
        final long t35 = t2 ^ (t34 & x1);
        final long t36 = t32 ^ (t35 & ~x0);
        final long t37 = t29 ^ (t36 & x5);
        final long t38 = t19 ^ (-1L & x2);
        final long t39 = t38 ^ (t4 & ~x1);
        final long t40 = t39 ^ (t13 & x0);
        final long t41 = t19 ^ (t2 & x2);
        final long t42 = x4 ^ (-1L & x2);
        final long t43 = t41 ^ (t42 & x1);
        final long t44 = t4 ^ (t19 & x2);
        final long t45 = t44 ^ (t20 & x1);
        final long t46 = t43 ^ (t45 & x0);
        final long t47 = t40 ^ (t46 & x5);
        out[4] ^= t15;
        out[26] ^= t23;
        out[14] ^= t37;
        out[20] ^= t47;
    }

    // end of circuits
}
