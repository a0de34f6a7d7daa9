package org.unicard.security;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.SplittableRandom;
import javax.crypto.spec.SecretKeySpec;

import org.agrona.concurrent.UnsafeBuffer;
import org.jpos.security.SMAdapter;
import org.jpos.security.SecureDESKey;
import org.jpos.security.jceadapter.JCESecurityModule;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetailMacTest
{
    /** ISO/IEC 9797-1:2011 Annex B.4 keys: K = 0123456789ABCDEF, K' = FEDCBA9876543210. */
    private static final byte[] ISO_KEY_CLEAR = Hex.parseKey("0123456789ABCDEFFEDCBA9876543210");
    private static final TdesKey ISO_KEY = TdesKey.of(ISO_KEY_CLEAR);

    private static volatile boolean sink;


    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldMatchIso9797AnnexBForAlignedData()
    {
        // ISO/IEC 9797-1:2011 B.4, MAC algorithm 3, padding method 1, 24 bytes (no padding added);
        // the vector as quoted by the RustCrypto retail-mac crate's documentation.
        final UnsafeBuffer data = ascii("Now is the time for all ");

        assertEquals(0xA1C72E74EA3FA9B6L, RetailMac.compute(ISO_KEY, data, 0, data.capacity()));
    }

    @Test
    void shouldMatchIso9797AnnexBForZeroPaddedData()
    {
        // ISO/IEC 9797-1:2011 B.4, the 22-byte message "Now is the time for it", zero-padded to 24.
        final UnsafeBuffer data = ascii("Now is the time for it");

        assertEquals(0x2E2B1428CC78254FL, RetailMac.compute(ISO_KEY, data, 0, data.capacity()));
    }

    @Test
    void shouldWriteMacBytesInOrder()
    {
        final UnsafeBuffer data = ascii("Now is the time for all ");
        final byte[] out = new byte[10];
        RetailMac.compute(ISO_KEY, data, 0, data.capacity(), out, 1);

        assertArrayEquals(Hex.decode("00A1C72E74EA3FA9B600"), out);
    }

    @Test
    void shouldMacOnlyTheGivenRange()
    {
        final UnsafeBuffer framed = ascii("xxNow is the time for ityy");

        assertEquals(0x2E2B1428CC78254FL, RetailMac.compute(ISO_KEY, framed, 2, 22));
    }

    @Test
    void shouldAgreeBetweenBufferAndArrayForms()
    {
        final byte[] data = "0200 and some more ISO 8583 bytes".getBytes(StandardCharsets.US_ASCII);

        assertEquals(
            RetailMac.compute(ISO_KEY, new UnsafeBuffer(data), 3, 27), RetailMac.compute(ISO_KEY, data, 3, 27));
    }

    @Test
    void shouldPadEmptyDataToOneZeroBlock()
    {
        // ISO/IEC 9797-1 padding method 1 pads the empty string to one block of zeros.
        final byte[] k1 = Hex.decode("0123456789ABCDEF");
        final byte[] k2 = Hex.decode("FEDCBA9876543210");
        final long expected = JceOracle.desEncrypt(k1, JceOracle.desDecrypt(k2, JceOracle.desEncrypt(k1, 0L)));

        assertEquals(expected, RetailMac.compute(ISO_KEY, new byte[0], 0, 0));
    }

    @Test
    void shouldMatchJposGenerateCbcMacOnRandomKeysAndLengths() throws Exception
    {
        // jPOS's generateCBC_MAC, configured with Bouncy Castle's ISO9797ALG3MAC (algorithm 3,
        // padding method 1), on keys jPOS holds under its own LMK.
        final SplittableRandom random = new SplittableRandom(9797L);
        for (int i = 0; i < 300; i++)
        {
            final byte[] keyClear = KeyCipher.generateKey(random);
            final SecureDESKey jposKey = JposModule.secureKey(SMAdapter.TYPE_TAK, keyClear);
            final byte[] data = new byte[random.nextInt(0, 300)];
            random.nextBytes(data);

            final byte[] jposMac = JposModule.get().generateCBC_MAC(data, jposKey);

            assertEquals(Hex.encode(jposMac), Hex.encode(RetailMac.compute(TdesKey.of(keyClear), data, 0, data.length)),
                "case " + i + " length=" + data.length);
        }
    }

    @Test
    void shouldMatchJposOwnIso9797Algorithm3Routine() throws Exception
    {
        // jPOS's private calculateMACISO9797Alg3 (zero padding only when not aligned), which it
        // uses for EMV MACs; it differs from ISO only for empty data, so lengths start at 1.
        final Method jposRetailMac =
            JCESecurityModule.class.getDeclaredMethod("calculateMACISO9797Alg3", Key.class, byte[].class);
        jposRetailMac.setAccessible(true);
        final SplittableRandom random = new SplittableRandom(919L);
        for (int i = 0; i < 300; i++)
        {
            final byte[] keyClear = KeyCipher.generateKey(random);
            final byte[] data = new byte[random.nextInt(1, 300)];
            random.nextBytes(data);

            final byte[] jposMac =
                (byte[])jposRetailMac.invoke(JposModule.get(), new SecretKeySpec(keyClear, "DESede"), data);

            assertEquals(Hex.encode(jposMac), Hex.encode(RetailMac.compute(TdesKey.of(keyClear), data, 0, data.length)),
                "case " + i + " length=" + data.length);
        }
    }

    @Test
    void shouldVerifyRightMac()
    {
        final UnsafeBuffer data = ascii("Now is the time for all ");
        final UnsafeBuffer mac = new UnsafeBuffer(Hex.decode("A1C72E74EA3FA9B6"));

        assertTrue(RetailMac.verify(ISO_KEY, data, 0, data.capacity(), mac, 0));
    }

    @Test
    void shouldVerifyMacAtOffset()
    {
        final UnsafeBuffer data = ascii("Now is the time for all ");
        final UnsafeBuffer mac = new UnsafeBuffer(Hex.decode("0000A1C72E74EA3FA9B6"));

        assertTrue(RetailMac.verify(ISO_KEY, data, 0, data.capacity(), mac, 2));
    }

    @Test
    void shouldRejectMacWithAnySingleBitFlipped()
    {
        final UnsafeBuffer data = ascii("Now is the time for all ");
        final byte[] right = Hex.decode("A1C72E74EA3FA9B6");
        for (int bit = 0; bit < 64; bit++)
        {
            final byte[] flipped = right.clone();
            flipped[bit / 8] ^= (byte)(0x80 >>> (bit % 8));

            assertFalse(RetailMac.verify(ISO_KEY, data, 0, data.capacity(), new UnsafeBuffer(flipped), 0), "bit " + bit);
        }
    }

    @Test
    void shouldRejectDataWithAnySingleBitFlipped()
    {
        final byte[] data = "Now is the time for it".getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer mac = new UnsafeBuffer(Hex.decode("2E2B1428CC78254F"));
        for (int bit = 0; bit < data.length * 8; bit++)
        {
            final byte[] flipped = data.clone();
            flipped[bit / 8] ^= (byte)(0x80 >>> (bit % 8));

            assertFalse(RetailMac.verify(ISO_KEY, new UnsafeBuffer(flipped), 0, data.length, mac, 0), "bit " + bit);
        }
    }

    @Test
    void shouldRejectMacUnderOtherKey()
    {
        final UnsafeBuffer data = ascii("Now is the time for all ");
        final UnsafeBuffer mac = new UnsafeBuffer(Hex.decode("A1C72E74EA3FA9B6"));
        final TdesKey swapped = TdesKey.of(Hex.parseKey("FEDCBA98765432100123456789ABCDEF"));

        assertFalse(RetailMac.verify(swapped, data, 0, data.capacity(), mac, 0));
    }

    @Test
    void shouldVerifyWithArrays()
    {
        final byte[] data = "Now is the time for it".getBytes(StandardCharsets.US_ASCII);

        assertTrue(RetailMac.verify(ISO_KEY, data, 0, data.length, Hex.decode("2E2B1428CC78254F"), 0));
        assertFalse(RetailMac.verify(ISO_KEY, data, 0, data.length, Hex.decode("2E2B1428CC78254E"), 0));
    }

    @Test
    void shouldRejectNegativeLength()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> RetailMac.compute(ISO_KEY, new byte[8], 0, -1));

        assertEquals("length=-1 is negative", ex.getMessage());
    }

    @Test
    void shouldNotAllocateWhenComputingOrVerifying()
    {
        final UnsafeBuffer data = new UnsafeBuffer(new byte[203]);
        final UnsafeBuffer mac = new UnsafeBuffer(new byte[8]);
        final byte[] out = new byte[8];

        final long allocated = AllocationMeter.bytesAllocatedBy(AllocationMeter.WARM_UP_RUNS, () ->
        {
            for (int i = 0; i < 1_000; i++)
            {
                RetailMac.compute(ISO_KEY, data, 0, 203 - (i & 15), out, 0);
                sink = RetailMac.verify(ISO_KEY, data, 0, 203 - (i & 15), mac, 0);
            }
        });

        assertEquals(0L, allocated);
    }
}
