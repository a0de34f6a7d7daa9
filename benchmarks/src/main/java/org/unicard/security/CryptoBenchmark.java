package org.unicard.security;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.agrona.concurrent.UnsafeBuffer;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.packager.GenericPackager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The card-security work of one message, ours ({@link TdesKey} with precomputed DES schedules,
 * {@link PinBlock}, {@link PinVerificationValue}, {@link RetailMac}) against the same computation
 * built on the JDK's JCE ciphers, in the same run:
 * <ul>
 * <li><b>PIN verify</b>: decrypt the format-0 PIN block of field 52 under the terminal PIN key,
 * decode it, compute the Visa PVV under the PVK and compare it with the card's. JCE:
 * {@code DESede/ECB/NoPadding} for both TDES operations; the decoding and decimalisation are the
 * same code.</li>
 * <li><b>MAC verify</b>: the X9.19 retail MAC (ISO 9797-1 algorithm 3) over the bytes of a
 * 0200 purchase before field 64, compared with the received MAC. JCE: {@code DES/CBC/NoPadding}
 * (zero IV, initialised once; {@code doFinal} resets it) over the zero-padded data, then
 * {@code DES/ECB/NoPadding} decrypt under K2 and encrypt under K1, and a constant-time compare.</li>
 * <li><b>MAC generate</b>: the same MAC over the bytes of the 0210 approval before field 64.</li>
 * <li><b>DES block</b>: the retail MAC of 256 bytes (32 chained CBC blocks and the two blocks of the
 * output transformation, so 34 DES operations, each waiting for the one before), reported per DES
 * operation; and one TDES encryption of independent blocks, reported per DES operation (3 per
 * TDES), where the processor may overlap consecutive blocks.</li>
 * </ul>
 * Each of these also runs on {@link BaselineDes}, the DES the switch used before issue 17, so the
 * same run compares the current code, the old code and the JCE.
 * Every JCE {@code Cipher} is created and initialised once in {@code @Setup} and every output array
 * is preallocated, which is the best the JCE allows. The messages are packed by jPOS's
 * {@code GenericPackager} with {@code packager/iso87binary.xml}; {@code @Setup} checks that both
 * sides give the same PIN verdict and the same MACs.
 * <p>
 * Fork 1 (with the exports Agrona 2.x needs on JDK 25), warm-up 3 × 1 s, measurement 5 × 1 s,
 * average time in nanoseconds per message; run it with {@code -prof gc} for bytes per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CryptoBenchmark
{
    private static final HexFormat HEX = HexFormat.of();
    private static final String PVK_HEX = "4CA2161637D0133E5E151AEA45DA2A13";
    private static final String TPK_HEX = "1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A";
    private static final String TAK_HEX = "3D3D3D3D3D3D3D3D4F4F4F4F4F4F4F4F";
    private static final String PAN = "5078030000000015";
    private static final int PIN = 1234;
    private static final int PVKI = 1;
    private static final String BALANCES = "9102818C000000010000" + "9202999C000000000006" + "9302818C000000000000" +
        "9402818C000000018500";

    private final long pan = Long.parseLong(PAN);
    private final int panDigits = PAN.length();
    private final byte[] scratch = new byte[8];
    private final byte[] jceClear = new byte[8];
    private final byte[] jceTsp = new byte[8];
    private final byte[] jceCryptogram = new byte[8];
    private final byte[] jceLast = new byte[8];
    private final byte[] jceMac = new byte[8];

    private TdesKey pvk;
    private TdesKey tpk;
    private TdesKey tak;
    private int cardPvv;
    private byte[] pinBlock;

    private UnsafeBuffer request;
    private int requestMacOffset;
    private UnsafeBuffer response;
    private int responseMacOffset;
    private final byte[] generated = new byte[8];
    private byte[] requestBytes;
    private byte[] responseBytes;
    private byte[] padded;
    private byte[] chained;

    private int[] baselineK1;
    private int[] baselineK2;
    private int[] baselinePvk1;
    private int[] baselinePvk2;
    private final byte[] block256 = new byte[256];
    private final UnsafeBuffer buffer256 = new UnsafeBuffer(block256);
    private final byte[] chained256 = new byte[256];
    private long independent = 0x0123456789ABCDEFL;
    private Cipher tpkDecrypt;
    private Cipher pvkEncrypt;
    private Cipher cbcK1;
    private Cipher decryptK2;
    private Cipher encryptK1;

    /**
     * Keys, a PIN block for the right PIN, a signed 0200 and an 0210, and the JCE ciphers; checks
     * that ours and the JCE agree.
     *
     * @throws Exception when jPOS or the JCE cannot be set up.
     */
    @Setup
    public void setUp() throws Exception
    {
        pvk = TdesKey.of(HEX.parseHex(PVK_HEX));
        tpk = TdesKey.of(HEX.parseHex(TPK_HEX));
        tak = TdesKey.of(HEX.parseHex(TAK_HEX));
        cardPvv = PinVerificationValue.compute(pvk, pan, panDigits, PVKI, PIN, 4);
        pinBlock = new byte[8];
        PinBlock.encryptFormat0(tpk, PIN, 4, pan, panDigits, pinBlock, 0);

        final GenericPackager packager = new GenericPackager("jar:packager/iso87binary.xml");
        final ISOMsg purchase = new ISOMsg("0200");
        purchase.setPackager(packager);
        purchase.set(2, PAN);
        purchase.set(3, "009400");
        purchase.set(4, "000000001500");
        purchase.set(7, "1123070000");
        purchase.set(11, "000041");
        purchase.set(12, "090000");
        purchase.set(13, "1123");
        purchase.set(22, "021");
        purchase.set(41, "G0000001");
        purchase.set(42, "MG0000000000001");
        purchase.set(49, "818");
        purchase.set(52, pinBlock);
        purchase.set(64, new byte[8]);
        requestBytes = sign(purchase.pack());
        request = new UnsafeBuffer(requestBytes);
        requestMacOffset = requestBytes.length - 8;

        final ISOMsg approval = new ISOMsg("0210");
        approval.setPackager(packager);
        for (final int field : new int[] {2, 3, 4, 7, 11, 12, 13, 41, 42, 49})
        {
            approval.set(field, purchase.getString(field));
        }
        approval.set(37, "633100000041");
        approval.set(38, "000041");
        approval.set(39, "00");
        approval.set(54, BALANCES);
        approval.set(64, new byte[8]);
        responseBytes = approval.pack();
        response = new UnsafeBuffer(responseBytes);
        responseMacOffset = responseBytes.length - 8;

        final byte[] tpkBytes = HEX.parseHex(TPK_HEX);
        final byte[] pvkBytes = HEX.parseHex(PVK_HEX);
        final byte[] takBytes = HEX.parseHex(TAK_HEX);
        tpkDecrypt = Cipher.getInstance("DESede/ECB/NoPadding");
        tpkDecrypt.init(Cipher.DECRYPT_MODE, new SecretKeySpec(tripleLength(tpkBytes), "DESede"));
        pvkEncrypt = Cipher.getInstance("DESede/ECB/NoPadding");
        pvkEncrypt.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(tripleLength(pvkBytes), "DESede"));
        cbcK1 = Cipher.getInstance("DES/CBC/NoPadding");
        cbcK1.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(takBytes, 0, 8), "DES"), new IvParameterSpec(new byte[8]));
        decryptK2 = Cipher.getInstance("DES/ECB/NoPadding");
        decryptK2.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(takBytes, 8, 16), "DES"));
        encryptK1 = Cipher.getInstance("DES/ECB/NoPadding");
        encryptK1.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(takBytes, 0, 8), "DES"));
        final int longest = Math.max(requestBytes.length, responseBytes.length);
        padded = new byte[(longest + 7) & ~7];
        chained = new byte[padded.length];

        baselineK1 = BaselineDes.schedule(takBytes, 0);
        baselineK2 = BaselineDes.schedule(takBytes, 8);
        baselinePvk1 = BaselineDes.schedule(pvkBytes, 0);
        baselinePvk2 = BaselineDes.schedule(pvkBytes, 8);
        new java.util.SplittableRandom(17L).nextBytes(block256);
        if (oursMac256() != baselineMac256() || oursMac256() != TdesKey.getLong(jceMac256(), 0))
        {
            throw new IllegalStateException("256-byte MACs differ between ours, the baseline and the JCE");
        }
        if (!baselineMacVerify() || TdesKey.getLong(oursMacGenerate(), 0) != baselineMacGenerate())
        {
            throw new IllegalStateException("the baseline DES disagrees with ours");
        }
        if (pvk.encrypt(independent) != baselineTdes(independent))
        {
            throw new IllegalStateException("the baseline TDES disagrees with ours");
        }
        if (!oursPinVerify() || !jcePinVerify())
        {
            throw new IllegalStateException("the right PIN is not verified: ours=" + oursPinVerify() + " jce=" + jcePinVerify());
        }
        if (!oursMacVerify() || !jceMacVerify())
        {
            throw new IllegalStateException("the MAC is not verified: ours=" + oursMacVerify() + " jce=" + jceMacVerify());
        }
        final byte[] ours = oursMacGenerate().clone();
        final byte[] jce = jceMacGenerate().clone();
        if (!Arrays.equals(ours, jce))
        {
            throw new IllegalStateException("MACs differ: ours=" + HEX.formatHex(ours) + " jce=" + HEX.formatHex(jce));
        }
    }

    /**
     * @return whether field 52 holds the card's PIN (ours).
     */
    @Benchmark
    public boolean oursPinVerify()
    {
        final long decoded = PinBlock.decryptAndDecode(tpk, pinBlock, 0, pan, panDigits, scratch);
        if (decoded < 0)
        {
            return false;
        }
        return PinVerificationValue.compute(pvk, pan, panDigits, PVKI, PinBlock.pin(decoded), PinBlock.pinLength(decoded)) == cardPvv;
    }

    /**
     * @return whether field 52 holds the card's PIN (JCE {@code DESede/ECB/NoPadding}).
     * @throws Exception never, with the ciphers of {@code @Setup}.
     */
    @Benchmark
    public boolean jcePinVerify() throws Exception
    {
        tpkDecrypt.doFinal(pinBlock, 0, 8, jceClear, 0);
        final long decoded = PinBlock.decodeFormat0(jceClear, 0, pan, panDigits);
        Arrays.fill(jceClear, (byte)0);
        if (decoded < 0)
        {
            return false;
        }
        final int pin = PinBlock.pin(decoded);
        final int pinLength = PinBlock.pinLength(decoded);
        final long accountDigits = (pan / 10) % 100_000_000_000L;
        final long leftmostPinDigits = pin / PinVerificationValue.POWERS_OF_TEN[pinLength - 4];
        TdesKey.putLong(jceTsp, 0, PinVerificationValue.toBcd(accountDigits * 100_000L + PVKI * 10_000L + leftmostPinDigits, 16));
        pvkEncrypt.doFinal(jceTsp, 0, 8, jceCryptogram, 0);
        return PinVerificationValue.decimalize(TdesKey.getLong(jceCryptogram, 0)) == cardPvv;
    }

    /**
     * @return whether the 0200's field 64 is right (ours).
     */
    @Benchmark
    public boolean oursMacVerify()
    {
        return RetailMac.verify(tak, request, 0, requestMacOffset, request, requestMacOffset);
    }

    /**
     * @return whether the 0200's field 64 is right (JCE).
     * @throws Exception never, with the ciphers of {@code @Setup}.
     */
    @Benchmark
    public boolean jceMacVerify() throws Exception
    {
        jceMac(requestBytes, requestMacOffset);
        int difference = 0;
        for (int i = 0; i < 8; i++)
        {
            difference |= (jceMac[i] ^ requestBytes[requestMacOffset + i]) & 0xFF;
        }
        return 0 == difference;
    }

    /**
     * @return the 0210's MAC (ours).
     */
    @Benchmark
    public byte[] oursMacGenerate()
    {
        RetailMac.compute(tak, response, 0, responseMacOffset, generated, 0);
        return generated;
    }

    /**
     * @return the 0210's MAC (JCE).
     * @throws Exception never, with the ciphers of {@code @Setup}.
     */
    @Benchmark
    public byte[] jceMacGenerate() throws Exception
    {
        jceMac(responseBytes, responseMacOffset);
        return jceMac;
    }

    /**
     * @return whether the 0200's field 64 is right (the DES before issue 17).
     */
    @Benchmark
    public boolean baselineMacVerify()
    {
        return BaselineDes.retailMac(baselineK1, baselineK2, requestBytes, requestMacOffset) == TdesKey.getLong(requestBytes, requestMacOffset);
    }

    /**
     * @return the 0210's MAC (the DES before issue 17).
     */
    @Benchmark
    public long baselineMacGenerate()
    {
        return BaselineDes.retailMac(baselineK1, baselineK2, responseBytes, responseMacOffset);
    }

    /**
     * @return the retail MAC of 256 bytes (ours), timed per DES operation (34: CBC chain + output).
     */
    @Benchmark
    @OperationsPerInvocation(34)
    public long oursMac256()
    {
        return RetailMac.compute(tak, buffer256, 0, 256);
    }

    /**
     * @return the retail MAC of 256 bytes (the DES before issue 17), per DES operation.
     */
    @Benchmark
    @OperationsPerInvocation(34)
    public long baselineMac256()
    {
        return BaselineDes.retailMac(baselineK1, baselineK2, block256, 256);
    }

    /**
     * @return the retail MAC of 256 bytes (JCE DES/CBC then two DES/ECB), per DES operation.
     * @throws Exception never, with the ciphers of {@code @Setup}.
     */
    @Benchmark
    @OperationsPerInvocation(34)
    public byte[] jceMac256() throws Exception
    {
        cbcK1.doFinal(block256, 0, 256, chained256, 0);
        decryptK2.doFinal(chained256, 248, 8, jceLast, 0);
        encryptK1.doFinal(jceLast, 0, 8, jceMac, 0);
        return jceMac;
    }

    /**
     * @return one TDES encryption (ours), per DES operation (3); the next input does not wait for it.
     */
    @Benchmark
    @OperationsPerInvocation(3)
    public long oursTdesIndependent()
    {
        independent += 0x9E3779B97F4A7C15L;
        return pvk.encrypt(independent);
    }

    /**
     * @return one TDES encryption (the DES before issue 17), per DES operation (3).
     */
    @Benchmark
    @OperationsPerInvocation(3)
    public long baselineTdesIndependent()
    {
        independent += 0x9E3779B97F4A7C15L;
        return baselineTdes(independent);
    }

    /**
     * @return one TDES encryption (JCE {@code DESede/ECB/NoPadding}), per DES operation (3).
     * @throws Exception never, with the ciphers of {@code @Setup}.
     */
    @Benchmark
    @OperationsPerInvocation(3)
    public byte[] jceTdesIndependent() throws Exception
    {
        independent += 0x9E3779B97F4A7C15L;
        TdesKey.putLong(jceTsp, 0, independent);
        pvkEncrypt.doFinal(jceTsp, 0, 8, jceCryptogram, 0);
        return jceCryptogram;
    }

    private long baselineTdes(final long block)
    {
        long x = BaselineDes.initialPermutation(block);
        x = BaselineDes.rounds(x, baselinePvk1, false);
        x = BaselineDes.rounds(x, baselinePvk2, true);
        x = BaselineDes.rounds(x, baselinePvk1, false);
        return BaselineDes.finalPermutation(x);
    }

    private void jceMac(final byte[] data, final int length) throws Exception
    {
        final int paddedLength = (length + 7) & ~7;
        System.arraycopy(data, 0, padded, 0, length);
        Arrays.fill(padded, length, paddedLength, (byte)0);
        cbcK1.doFinal(padded, 0, paddedLength, chained, 0);
        decryptK2.doFinal(chained, paddedLength - 8, 8, jceLast, 0);
        encryptK1.doFinal(jceLast, 0, 8, jceMac, 0);
    }

    private byte[] sign(final byte[] packed)
    {
        RetailMac.compute(tak, new UnsafeBuffer(packed), 0, packed.length - 8, packed, packed.length - 8);
        return packed;
    }

    private static byte[] tripleLength(final byte[] doubleLength)
    {
        final byte[] key = Arrays.copyOf(doubleLength, 24);
        System.arraycopy(doubleLength, 0, key, 16, 8);
        return key;
    }
}
