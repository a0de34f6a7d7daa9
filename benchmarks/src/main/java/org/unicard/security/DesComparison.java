package org.unicard.security;

import java.util.Arrays;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The DES block cost of ours, the old DES ({@link BaselineDes}) and the JCE, measured so that a busy
 * shared machine does not decide the comparison: the three run in turn, many short times each
 * (500 retail MACs of 256 bytes, 34 chained DES operations each: about 1.5 ms), and each gets the fastest of its
 * short times, the one least disturbed by other processes. Each round prints ns per DES operation and
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

        final double[] oursNs = new double[rounds];
        final double[] baselineNs = new double[rounds];
        final double[] jceNs = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            long bestOurs = Long.MAX_VALUE;
            long bestBaseline = Long.MAX_VALUE;
            long bestJce = Long.MAX_VALUE;
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
                bestOurs = Math.min(bestOurs, t1 - t0);
                bestBaseline = Math.min(bestBaseline, t2 - t1);
                bestJce = Math.min(bestJce, t3 - t2);
                data[0]++;
            }
            oursNs[round] = bestOurs / (double)(MACS * DES_PER_MAC);
            baselineNs[round] = bestBaseline / (double)(MACS * DES_PER_MAC);
            jceNs[round] = bestJce / (double)(MACS * DES_PER_MAC);
            System.out.printf("round %d: ns per chained DES block: ours %.1f, baseline %.1f, JCE %.1f; baseline/ours %.2f, JCE/ours %.2f%n",
                round + 1, oursNs[round], baselineNs[round], jceNs[round], baselineNs[round] / oursNs[round], jceNs[round] / oursNs[round]);
        }
        Arrays.sort(oursNs);
        Arrays.sort(baselineNs);
        Arrays.sort(jceNs);
        System.out.printf("median: ours %.1f, baseline %.1f, JCE %.1f ns per DES block (sink %d)%n",
            oursNs[rounds / 2], baselineNs[rounds / 2], jceNs[rounds / 2], sink & 1);
    }
}
