package org.unicard.security;

import org.agrona.DirectBuffer;

/**
 * The retail MACs ({@link RetailMac}) of up to {@link #LANES} messages computed together: what a
 * ring stage uses when a batch of requests is waiting. From {@link #BITSLICED_FROM} messages on, the
 * CBC chains under K1 run bitsliced, one message a lane ({@link BitslicedDes}: the 16 rounds cost the
 * same for 1 lane or 64, less than half a table DES block's cost per lane when all 64 are in use);
 * each message's output transformation ({@code E(K1, D(K2, H))}, two DES operations) runs on its own
 * with the table DES, or bitsliced too from {@link #OUTPUT_BITSLICED_FROM} messages on. With fewer
 * messages each MAC is computed alone, exactly as {@link RetailMac} does. Every way gives the same
 * MACs.
 * <p>
 * Use: {@link #clear()}, {@link #add} each message, {@link #compute()}, then read {@link #mac(int)}
 * or {@link #verify(int, DirectBuffer, int)} by the lane {@code add} returned. The messages' bytes
 * must not change between {@code add} and {@code compute}.
 * <p>
 * Promises: nothing allocates after construction, no locks; {@link #verify} compares all 8 bytes in
 * constant time. One instance per thread.
 */
public final class RetailMacBatch
{
    /** The most messages one batch holds. */
    public static final int LANES = BitslicedDes.LANES;

    /**
     * Messages from which the batch runs bitsliced: below it, 64 lanes of rounds cost more than the
     * messages' table DES (measured by {@code DesComparison}, "MACs bitsliced across a batch" in
     * {@code docs/performance.md}).
     */
    public static final int BITSLICED_FROM = 24;

    /**
     * Messages from which the output transformation runs bitsliced too: two passes of rounds for the
     * batch against two table DES operations a message (measured, see {@code docs/performance.md}).
     */
    public static final int OUTPUT_BITSLICED_FROM = 36;

    private static final long ALL_LANES = -1L;

    /** Batches {@link #warmUp()} computes: enough for C2 to compile the rounds and the S-boxes (≈ 80 ms here). */
    private static final int WARM_UP_ROUNDS = 2_000;
    /** The key of ISO/IEC 9797-1's MAC algorithm 3 example (a published test key, never a terminal's). */
    private static final byte[] WARM_UP_KEY = {
        0x01, 0x23, 0x45, 0x67, (byte)0x89, (byte)0xAB, (byte)0xCD, (byte)0xEF,
        (byte)0xFE, (byte)0xDC, (byte)0xBA, (byte)0x98, 0x76, 0x54, 0x32, 0x10,
    };

    private final TdesKey[] keys = new TdesKey[LANES];
    private final DirectBuffer[] data = new DirectBuffer[LANES];
    private final int[] offsets = new int[LANES];
    private final int[] lengths = new int[LANES];
    private final long[] macs = new long[LANES];
    private int size;

    private final long[] subkeys = new long[BitslicedDes.KEY_WORDS];
    private final long[] subkeysK2 = new long[BitslicedDes.KEY_WORDS];
    private final long[] left = new long[32];
    private final long[] right = new long[32];
    private final long[] keptLeft = new long[32];
    private final long[] keptRight = new long[32];
    private final long[] words = new long[LANES];

    /**
     * Runs the bitsliced paths until the JIT has compiled them, so that the first backlogs after a
     * start do not run them uncompiled: at a normal hour they run too seldom to be compiled in time,
     * and at 20,000/s without this p99 showed stalls of about a millisecond ({@code docs/performance.md}).
     * Call once, before traffic.
     *
     * @return lane 0's MAC in the last batch (the ISO 9797-1 vector's, {@code A1C72E74EA3FA9B6}), so
     *         that the work cannot be left out.
     */
    public static long warmUp()
    {
        final TdesKey key = TdesKey.of(WARM_UP_KEY.clone());
        final org.agrona.concurrent.UnsafeBuffer message = new org.agrona.concurrent.UnsafeBuffer(
            "Now is the time for all ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        final RetailMacBatch batch = new RetailMacBatch();
        for (int round = 0; round < WARM_UP_ROUNDS; round++)
        {
            batch.clear();
            final int count = 0 == (round & 1) ? LANES : BITSLICED_FROM;
            for (int lane = 0; lane < count; lane++)
            {
                // Lengths that differ, as a batch's do: some lanes sit out the last step.
                batch.add(key, message, 0, message.capacity() - (lane % 9));
            }
            batch.compute();
        }
        return batch.mac(0);
    }

    /** Empties the batch (it keeps no reference to earlier messages' keys or buffers). */
    public void clear()
    {
        for (int lane = 0; lane < size; lane++)
        {
            keys[lane] = null;
            data[lane] = null;
        }
        size = 0;
    }

    /**
     * @return messages added since {@link #clear()}.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return whether the batch holds {@link #LANES} messages.
     */
    public boolean isFull()
    {
        return LANES == size;
    }

    /**
     * @param key    the MAC key ({@code K1 | K2}).
     * @param buffer buffer holding the data.
     * @param offset index of the first byte to MAC.
     * @param length how many bytes to MAC, 0 or more.
     * @return the message's lane, for {@link #mac(int)} and {@link #verify}.
     * @throws IllegalStateException    when the batch is full.
     * @throws IllegalArgumentException when the length is negative.
     */
    public int add(final TdesKey key, final DirectBuffer buffer, final int offset, final int length)
    {
        if (LANES == size)
        {
            throw new IllegalStateException("the batch already holds " + LANES + " messages");
        }
        if (length < 0)
        {
            throw new IllegalArgumentException("length=" + length + " is negative");
        }
        keys[size] = java.util.Objects.requireNonNull(key, "key");
        data[size] = buffer;
        offsets[size] = offset;
        lengths[size] = length;
        return size++;
    }

    /**
     * Computes the MAC of every message added.
     *
     * @return how many were computed bitsliced: all of them, or 0 when there were fewer than
     *         {@link #BITSLICED_FROM} (each computed alone).
     */
    public int compute()
    {
        if (size < BITSLICED_FROM)
        {
            for (int lane = 0; lane < size; lane++)
            {
                macs[lane] = RetailMac.compute(keys[lane], data[lane], offsets[lane], lengths[lane]);
            }
            return 0;
        }
        computeBitsliced(size >= OUTPUT_BITSLICED_FROM);
        return size;
    }

    /**
     * @param lane a lane {@link #add} returned.
     * @return its message's MAC, first byte most significant, once {@link #compute()} has run.
     */
    public long mac(final int lane)
    {
        return macs[lane];
    }

    /**
     * @param lane      a lane {@link #add} returned.
     * @param mac       buffer holding the received MAC.
     * @param macOffset index of its first byte.
     * @return whether the received MAC is the lane's, compared in constant time.
     */
    public boolean verify(final int lane, final DirectBuffer mac, final int macOffset)
    {
        return RetailMac.matches(macs[lane], mac, macOffset);
    }

    /**
     * The bitsliced computation, whatever the batch's size (tests call it on small batches too).
     *
     * @param bitslicedOutput whether the output transformation runs bitsliced too (two more passes of
     *                        rounds, under K2 and K1) rather than with the table DES lane by lane.
     */
    void computeBitsliced(final boolean bitslicedOutput)
    {
        loadSubkeys(true, subkeys);
        java.util.Arrays.fill(left, 0);
        java.util.Arrays.fill(right, 0);
        int steps = 0;
        for (int lane = 0; lane < size; lane++)
        {
            steps = Math.max(steps, blocks(lengths[lane]));
        }
        for (int step = 0; step < steps; step++)
        {
            long active = 0;
            for (int lane = 0; lane < LANES; lane++)
            {
                if (lane < size && step < blocks(lengths[lane]))
                {
                    words[lane] = block(data[lane], offsets[lane], lengths[lane], step);
                    active |= 1L << (63 - lane);
                }
                else
                {
                    words[lane] = 0;
                }
            }
            chainStep(active);
        }
        if (bitslicedOutput)
        {
            // E(K1, D(K2, H)): H's initial permutation is the chain's pre-output, so both run on it as it is.
            loadSubkeys(false, subkeysK2);
            BitslicedDes.rounds(left, right, subkeysK2);
            BitslicedDes.rounds(left, right, subkeys);
        }
        for (int i = 0; i < 32; i++)
        {
            words[i] = left[i];
            words[32 + i] = right[i];
        }
        BitslicedDes.transpose(words);
        for (int lane = 0; lane < size; lane++)
        {
            // Back to the form Des keeps a block in: each half rotated left by one bit.
            final long preOutput = words[lane];
            final long chain = ((long)Integer.rotateLeft((int)(preOutput >>> 32), 1) << 32) |
                (Integer.rotateLeft((int)preOutput, 1) & 0xFFFF_FFFFL);
            macs[lane] = bitslicedOutput ? Des.finalPermutation(chain) : keys[lane].retailMacOutput(chain);
        }
    }

    /**
     * XORs the blocks in {@link #words} into the chains (through IP, by choosing words) and runs the
     * rounds; a lane with no block at this step (its message is shorter) keeps its chain.
     */
    private void chainStep(final long active)
    {
        BitslicedDes.transpose(words);
        for (int i = 0; i < 32; i++)
        {
            left[i] ^= words[Des.IP[i] - 1];
            right[i] ^= words[Des.IP[32 + i] - 1];
        }
        final long used = LANES == size ? ALL_LANES : ALL_LANES << (LANES - size);
        final boolean all = active == used;
        if (!all)
        {
            System.arraycopy(left, 0, keptLeft, 0, 32);
            System.arraycopy(right, 0, keptRight, 0, 32);
        }
        BitslicedDes.rounds(left, right, subkeys);
        if (!all)
        {
            for (int i = 0; i < 32; i++)
            {
                left[i] = (left[i] & active) | (keptLeft[i] & ~active);
                right[i] = (right[i] & active) | (keptRight[i] & ~active);
            }
        }
    }

    /**
     * Turns the lanes' subkey rows into subkey words, 64 rows of 64 bits at a time.
     *
     * @param k1   K1's encryption subkeys, else K2's decryption subkeys.
     * @param into {@link BitslicedDes#KEY_WORDS} words.
     */
    private void loadSubkeys(final boolean k1, final long[] into)
    {
        for (int part = 0; part < BitslicedDes.KEY_ROW_LONGS; part++)
        {
            for (int lane = 0; lane < LANES; lane++)
            {
                words[lane] = lane >= size ? 0 : k1 ? keys[lane].k1SubkeyRow(part) : keys[lane].k2DecryptSubkeyRow(part);
            }
            BitslicedDes.transpose(words);
            System.arraycopy(words, 0, into, part * 64, 64);
        }
    }

    /** Blocks a message of {@code length} bytes has after padding method 1 (empty data is one zero block). */
    private static int blocks(final int length)
    {
        return 0 == length ? 1 : (length + 7) >>> 3;
    }

    /** Block {@code index} of a message, zero-padded on the right. */
    private static long block(final DirectBuffer buffer, final int offset, final int length, final int index)
    {
        final int start = index << 3;
        if (start + 8 <= length)
        {
            return TdesKey.getLong(buffer, offset + start);
        }
        return RetailMac.lastBlock(buffer, offset + start, length - start);
    }
}
