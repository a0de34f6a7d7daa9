package org.unicard.security;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DesTest
{
    private static final int RANDOM_CASES = 20_000;

    @Test
    void shouldPermuteEverySingleBitLikeTheFipsInitialPermutationTable()
    {
        for (int bit = 0; bit < 64; bit++)
        {
            final long block = 1L << (63 - bit);

            assertEquals(referenceInitialPermutation(block), Des.initialPermutation(block), "bit=" + (bit + 1));
        }
    }

    @Test
    void shouldPermuteRandomBlocksLikeTheFipsInitialPermutationTable()
    {
        final SplittableRandom random = new SplittableRandom(17L);
        for (int i = 0; i < RANDOM_CASES; i++)
        {
            final long block = random.nextLong();

            assertEquals(referenceInitialPermutation(block), Des.initialPermutation(block), "case " + i);
        }
    }

    @Test
    void shouldUndoInitialPermutationWithFinalPermutation()
    {
        final SplittableRandom random = new SplittableRandom(18L);
        for (int i = 0; i < RANDOM_CASES; i++)
        {
            final long block = random.nextLong();

            assertEquals(block, Des.finalPermutation(Des.initialPermutation(block)), "case " + i);
            assertEquals(block, Des.initialPermutation(Des.finalPermutation(block)), "case " + i);
        }
    }

    @Test
    void shouldEncryptAndDecryptLikeJceDesOnRandomKeysAndBlocks()
    {
        final SplittableRandom random = new SplittableRandom(19L);
        final byte[] key = new byte[8];
        for (int i = 0; i < 2_000; i++)
        {
            random.nextBytes(key);
            final int[] encrypt = Des.schedule(key, 0);
            final int[] decrypt = Des.reverse(encrypt);
            final long block = random.nextLong();

            assertEquals(JceOracle.desEncrypt(key, block), des(block, encrypt), "case " + i);
            assertEquals(JceOracle.desDecrypt(key, block), des(block, decrypt), "case " + i);
        }
    }

    @Test
    void shouldMatchFips81EcbSample()
    {
        // FIPS PUB 81, Appendix B, Table B1: ECB with key 0123456789ABCDEF, "Now is t" -> 3FA40E8A984D4815.
        final int[] schedule = Des.schedule(Hex.decode("0123456789ABCDEF"), 0);

        assertEquals(0x3FA40E8A984D4815L, des(0x4E6F772069732074L, schedule));
        assertEquals(0x4E6F772069732074L, des(0x3FA40E8A984D4815L, Des.reverse(schedule)));
    }

    @Test
    void shouldMatchSp80020PermutationOperationKnownAnswers()
    {
        // NIST SP 800-20, Table A.3 (permutation operation known answer test), plaintext 0.
        assertEquals(0x88D55E54F54C97B4L, des(0L, Des.schedule(Hex.decode("1046913489980131"), 0)));
        assertEquals(0x0C0CC00C83EA48FDL, des(0L, Des.schedule(Hex.decode("1007103489988020"), 0)));
    }

    @Test
    void shouldMatchSp80020SubstitutionTableKnownAnswer()
    {
        // NIST SP 800-20, Table A.4 (substitution table known answer test), first entry.
        assertEquals(0x690F5B0D9A26939BL, des(0x01A1D6D039776742L, Des.schedule(Hex.decode("7CA110454A1A6E57"), 0)));
    }

    private static long des(final long block, final int[] schedule)
    {
        return Des.finalPermutation(Des.rounds(Des.initialPermutation(block), schedule));
    }

    private static long referenceInitialPermutation(final long block)
    {
        long permuted = 0;
        for (int i = 0; i < 64; i++)
        {
            permuted |= ((block >>> (64 - Des.IP[i])) & 1) << (63 - i);
        }
        final int left = Integer.rotateLeft((int)(permuted >>> 32), 1);
        final int right = Integer.rotateLeft((int)permuted, 1);
        return ((long)left << 32) | (right & 0xFFFF_FFFFL);
    }
}
