package org.unicard.security;

import java.util.Arrays;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The DES block cost of ours, the old DES ({@link BaselineDes}), the JCE and the bitsliced DES
 * ({@link RetailMacBatch}, 64 MACs at once and 32 at once), measured so that a busy shared machine
 * does not decide the comparison: they run in turn, many short times each (500 or 512 retail MACs of
 * 256 bytes, 34 DES operations each: about 1.5 ms), and each gets the fastest of its short times, the
 * one least disturbed by other processes. The bitsliced rows are {@link RetailMacBatch#compute()} on a
 * full batch and on half of one, as the ring's stages call it. Each round prints ns per DES operation and
 * the ratios; the median over rounds is printed last.
 * <p>
 * Run: {@code java @bin/jvm.options -cp benchmarks/target/unicard-benchmarks.jar
 * org.unicard.security.DesComparison [rounds]} (default 5).
 */
public final class DesComparison
{
    private static final int MACS = 500;
    private static final int REPETITIONS = 1_000;
    private static final int DES_PER_MAC = 34;
    /** Calls of the bitsliced batch, 64 MACs each, in one short time (512 MACs, about as many as {@link #MACS}). */
    private static final int SLICED_BATCHES = 8;

    private static long sink;

    private DesComparison()
    {
    }

    /**
     * @param args optional number of rounds.
     * @throws Exception when the JCE cannot be set up.
     */
    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final byte[] key = Hex.parseKey("3D3D3D3D3D3D3D3D4F4F4F4F4F4F4F4F");
        final TdesKey ours = TdesKey.of(key);
        final int[] baselineK1 = BaselineDes.schedule(key, 0);
        final int[] baselineK2 = BaselineDes.schedule(key, 8);
        final byte[] data = new byte[256];
        new SplittableRandom(17).nextBytes(data);
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        final Cipher cbc = Cipher.getInstance("DES/CBC/NoPadding");
        cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(key, 0, 8), "DES"), new IvParameterSpec(new byte[8]));
        final Cipher decryptK2 = Cipher.getInstance("DES/ECB/NoPadding");
        decryptK2.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(key, 8, 16), "DES"));
        final Cipher encryptK1 = Cipher.getInstance("DES/ECB/NoPadding");
        encryptK1.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(key, 0, 8), "DES"));
        final RetailMacBatch batch = new RetailMacBatch();
        final byte[] chained = new byte[256];
        final byte[] last = new byte[8];
        final byte[] mac = new byte[8];

        cbc.doFinal(data, 0, 256, chained, 0);
        decryptK2.doFinal(chained, 248, 8, last, 0);
        encryptK1.doFinal(last, 0, 8, mac, 0);
        if (RetailMac.compute(ours, buffer, 0, 256) != BaselineDes.retailMac(baselineK1, baselineK2, data, 256) ||
            RetailMac.compute(ours, buffer, 0, 256) != TdesKey.getLong(mac, 0))
        {
            throw new IllegalStateException("ours, the baseline and the JCE give different MACs");
        }
        if (sliced(batch, ours, buffer, RetailMacBatch.LANES) != RetailMac.compute(ours, buffer, 0, 256))
        {
            throw new IllegalStateException("the bitsliced MAC differs from ours");
        }

        final double[] oursNs = new double[rounds];
        final double[] baselineNs = new double[rounds];
        final double[] jceNs = new double[rounds];
        final double[] sliced64Ns = new double[rounds];
        final double[] sliced32Ns = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            long bestOurs = Long.MAX_VALUE;
            long bestBaseline = Long.MAX_VALUE;
            long bestJce = Long.MAX_VALUE;
            long bestSliced64 = Long.MAX_VALUE;
            long bestSliced32 = Long.MAX_VALUE;
            for (int repetition = 0; repetition < REPETITIONS; repetition++)
            {
                final long t0 = System.nanoTime();
                for (int i = 0; i < MACS; i++)
                {
                    sink += RetailMac.compute(ours, buffer, 0, 256);
                }
                final long t1 = System.nanoTime();
                for (int i = 0; i < MACS; i++)
                {
                    sink += BaselineDes.retailMac(baselineK1, baselineK2, data, 256);
                }
                final long t2 = System.nanoTime();
                for (int i = 0; i < MACS; i++)
                {
                    cbc.doFinal(data, 0, 256, chained, 0);
                    decryptK2.doFinal(chained, 248, 8, last, 0);
                    encryptK1.doFinal(last, 0, 8, mac, 0);
                    sink += mac[0];
                }
                final long t3 = System.nanoTime();
                for (int i = 0; i < SLICED_BATCHES; i++)
                {
                    sink += sliced(batch, ours, buffer, RetailMacBatch.LANES);
                }
                final long t4 = System.nanoTime();
                for (int i = 0; i < SLICED_BATCHES * 2; i++)
                {
                    sink += sliced(batch, ours, buffer, 32);
                }
                final long t5 = System.nanoTime();
                bestOurs = Math.min(bestOurs, t1 - t0);
                bestBaseline = Math.min(bestBaseline, t2 - t1);
                bestJce = Math.min(bestJce, t3 - t2);
                bestSliced64 = Math.min(bestSliced64, t4 - t3);
                bestSliced32 = Math.min(bestSliced32, t5 - t4);
                data[0]++;
            }
            oursNs[round] = bestOurs / (double)(MACS * DES_PER_MAC);
            baselineNs[round] = bestBaseline / (double)(MACS * DES_PER_MAC);
            jceNs[round] = bestJce / (double)(MACS * DES_PER_MAC);
            sliced64Ns[round] = bestSliced64 / (double)(SLICED_BATCHES * RetailMacBatch.LANES * DES_PER_MAC);
            sliced32Ns[round] = bestSliced32 / (double)(SLICED_BATCHES * 2 * 32 * DES_PER_MAC);
            System.out.printf(
                "round %d: ns per chained DES block: ours %.1f, baseline %.1f, JCE %.1f, bitsliced 64 lanes %.1f, 32 lanes %.1f;" +
                " baseline/ours %.2f, JCE/ours %.2f, ours/bitsliced-64 %.2f, ours/bitsliced-32 %.2f%n",
                round + 1, oursNs[round], baselineNs[round], jceNs[round], sliced64Ns[round], sliced32Ns[round],
                baselineNs[round] / oursNs[round], jceNs[round] / oursNs[round],
                oursNs[round] / sliced64Ns[round], oursNs[round] / sliced32Ns[round]);
        }
        Arrays.sort(oursNs);
        Arrays.sort(baselineNs);
        Arrays.sort(jceNs);
        Arrays.sort(sliced64Ns);
        Arrays.sort(sliced32Ns);
        System.out.printf(
            "median: ours %.1f, baseline %.1f, JCE %.1f, bitsliced 64 lanes %.1f, 32 lanes %.1f ns per DES block (sink %d)%n",
            oursNs[rounds / 2], baselineNs[rounds / 2], jceNs[rounds / 2], sliced64Ns[rounds / 2], sliced32Ns[rounds / 2], sink & 1);
    }

    /** Fills the batch with {@code lanes} copies of the 256-byte message, computes them (bitsliced from 28), and gives the last MAC. */
    private static long sliced(final RetailMacBatch batch, final TdesKey key, final UnsafeBuffer message, final int lanes)
    {
        batch.clear();
        for (int lane = 0; lane < lanes; lane++)
        {
            batch.add(key, message, 0, 256);
        }
        batch.compute();
        return batch.mac(lanes - 1);
    }
}
