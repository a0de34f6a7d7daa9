package org.unicard.security;

import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.jpos.security.EncryptedPIN;
import org.jpos.security.SMAdapter;
import org.jpos.security.SMException;
import org.jpos.security.SecureDESKey;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PinBlockTest
{
    /** EFTlab, "Complete list of PIN blocks", ISO format 0 example: PIN 1234, PAN 43219876543210987. */
    private static final long EFTLAB_PAN = 43219876543210987L;
    private static final long EFTLAB_CLEAR_BLOCK = 0x0412AC89ABCDEF67L;

    private static final long PAN = 4000123456789012L;
    private static final byte[] PIN_KEY_CLEAR = Hex.parseKey("89ABCDEF0123456789ABCDEF01234567");
    private static final TdesKey PIN_KEY = TdesKey.of(PIN_KEY_CLEAR);

    private static volatile long sink;


    /** The clear block for a PIN field given as 16 hex digits, with {@link #PAN}'s PAN field. */
    private static long clearBlock(final String pinFieldHex)
    {
        // PAN field: 0000 and the 12 digits before the check digit of 4000123456789012.
        return Long.parseUnsignedLong(pinFieldHex, 16) ^ 0x0000012345678901L;
    }

    @Test
    void shouldEncodeEftlabExample()
    {
        assertEquals(EFTLAB_CLEAR_BLOCK, PinBlock.encodeFormat0(1234, 4, EFTLAB_PAN, 17));
    }

    @Test
    void shouldDecodeEftlabExample()
    {
        assertEquals((4L << 32) | 1234, PinBlock.decodeFormat0(EFTLAB_CLEAR_BLOCK, EFTLAB_PAN, 17));
    }

    @Test
    void shouldWriteEncodedBlockToArray()
    {
        final byte[] out = new byte[10];
        PinBlock.encodeFormat0(1234, 4, EFTLAB_PAN, 17, out, 2);

        assertArrayEquals(Hex.decode("00000412AC89ABCDEF67"), out);
    }

    @Test
    void shouldKeepLeadingZerosInLength()
    {
        final long decoded = PinBlock.decodeFormat0(clearBlock("040012FFFFFFFFFF"), PAN, 16);

        assertEquals(4, PinBlock.pinLength(decoded));
        assertEquals(12, PinBlock.pin(decoded));
    }

    @Test
    void shouldDecodeNineDigitPin()
    {
        assertEquals((9L << 32) | 987654321, PinBlock.decodeFormat0(clearBlock("09987654321FFFFF"), PAN, 16));
    }

    @Test
    void shouldZeroPadShortPans()
    {
        // PAN 1234567 has the digits 123456 before its check digit: PAN field 0000000000123456.
        assertEquals(0x041234FFFFEDCBA9L, PinBlock.encodeFormat0(1234, 4, 1234567L, 7));
    }

    @Test
    void shouldReportFormatNibbleNotZero()
    {
        assertEquals(PinBlock.MALFORMED_FORMAT, PinBlock.decodeFormat0(clearBlock("141234FFFFFFFFFF"), PAN, 16));
    }

    @Test
    void shouldReportLengthBelowFour()
    {
        assertEquals(PinBlock.MALFORMED_LENGTH, PinBlock.decodeFormat0(clearBlock("03123FFFFFFFFFFF"), PAN, 16));
    }

    @Test
    void shouldReportLengthAboveTwelve()
    {
        assertEquals(PinBlock.MALFORMED_LENGTH, PinBlock.decodeFormat0(clearBlock("0D1234567890123F"), PAN, 16));
    }

    @Test
    void shouldReportNonDecimalDigit()
    {
        assertEquals(PinBlock.MALFORMED_DIGIT, PinBlock.decodeFormat0(clearBlock("0412A4FFFFFFFFFF"), PAN, 16));
    }

    @Test
    void shouldReportNonDecimalLastDigit()
    {
        assertEquals(PinBlock.MALFORMED_DIGIT, PinBlock.decodeFormat0(clearBlock("04123FFFFFFFFFFF"), PAN, 16));
    }

    @Test
    void shouldReportPaddingNotF()
    {
        assertEquals(PinBlock.MALFORMED_PADDING, PinBlock.decodeFormat0(clearBlock("041234FFFFFFFFFE"), PAN, 16));
    }

    @Test
    void shouldReportDigitWherePaddingBelongs()
    {
        assertEquals(PinBlock.MALFORMED_PADDING, PinBlock.decodeFormat0(clearBlock("0412345FFFFFFFFF"), PAN, 16));
    }

    @Test
    void shouldReportBlockDecodedWithWrongPan()
    {
        // PAN + 10 changes the last digit before the check digit, which lies under the padding.
        final long block = PinBlock.encodeFormat0(1234, 4, PAN, 16);

        assertEquals(PinBlock.MALFORMED_PADDING, PinBlock.decodeFormat0(block, PAN + 10, 16));
    }

    @Test
    void shouldReportTenDigitPinAsUnsupported()
    {
        assertEquals(PinBlock.UNSUPPORTED_LENGTH, PinBlock.decodeFormat0(clearBlock("0A1234567890FFFF"), PAN, 16));
    }

    @Test
    void shouldReportTwelveDigitPinAsUnsupported()
    {
        assertEquals(PinBlock.UNSUPPORTED_LENGTH, PinBlock.decodeFormat0(clearBlock("0C123456789012FF"), PAN, 16));
    }

    @Test
    void shouldRoundTripRandomPinsAndPans()
    {
        final SplittableRandom random = new SplittableRandom(52L);
        for (int i = 0; i < 10_000; i++)
        {
            final int panDigits = random.nextInt(1, 19);
            final long pan = random.nextLong(PinVerificationValue.POWERS_OF_TEN[panDigits]);
            final int pinLength = random.nextInt(4, 10);
            final int pin = random.nextInt((int)PinVerificationValue.POWERS_OF_TEN[pinLength]);

            final long block = PinBlock.encodeFormat0(pin, pinLength, pan, panDigits);

            assertEquals(((long)pinLength << 32) | pin, PinBlock.decodeFormat0(block, pan, panDigits), "case " + i);
        }
    }

    @Test
    void shouldDecryptAndDecodeAndZeroScratch()
    {
        final byte[] encrypted = new byte[8];
        PinBlock.encryptFormat0(PIN_KEY, 4321, 4, PAN, 16, encrypted, 0);
        final byte[] scratch = new byte[8];

        assertEquals((4L << 32) | 4321, PinBlock.decryptAndDecode(PIN_KEY, encrypted, 0, PAN, 16, scratch));
        assertArrayEquals(new byte[8], scratch);
    }

    @Test
    void shouldDecryptAndDecodeFromBuffer()
    {
        final byte[] message = new byte[20];
        PinBlock.encryptFormat0(PIN_KEY, 4321, 4, PAN, 16, message, 7);

        assertEquals((4L << 32) | 4321, PinBlock.decryptAndDecode(PIN_KEY, new UnsafeBuffer(message), 7, PAN, 16));
    }

    @Test
    void shouldReportBlockUnderWrongKeyAsMalformed()
    {
        final byte[] encrypted = new byte[8];
        PinBlock.encryptFormat0(PIN_KEY, 4321, 4, PAN, 16, encrypted, 0);
        final TdesKey otherKey = TdesKey.of(Hex.parseKey("0123456789ABCDEFFEDCBA9876543210"));

        // Under the wrong key the clear block is random; it passes as format 0 with a sane length,
        // digits and padding with a probability far below 2^-20.
        assertTrue(PinBlock.decryptAndDecode(otherKey, encrypted, 0, PAN, 16, new byte[8]) < 0);
    }

    @Test
    void shouldBeReadByJposImportPin() throws SMException
    {
        final SplittableRandom random = new SplittableRandom(8583L);
        for (int i = 0; i < 200; i++)
        {
            final byte[] keyClear = KeyCipher.generateKey(random);
            final SecureDESKey jposKey = JposModule.secureKey(SMAdapter.TYPE_TPK, keyClear);
            final long pan = random.nextLong(1_000_000_000_000L, 10_000_000_000_000_000L);
            final int pinLength = random.nextInt(4, 10);
            final int pin = random.nextInt((int)PinVerificationValue.POWERS_OF_TEN[pinLength]);
            final byte[] encrypted = new byte[8];
            PinBlock.encryptFormat0(TdesKey.of(keyClear), pin, pinLength, pan, digitCount(pan), encrypted, 0);

            final EncryptedPIN underTpk = new EncryptedPIN(encrypted, SMAdapter.FORMAT01, Long.toString(pan));
            final String jposPin = JposModule.get().decryptPIN(JposModule.get().importPIN(underTpk, jposKey));

            assertEquals(digits(pin, pinLength), jposPin, "case " + i);
        }
    }

    @Test
    void shouldDecodeJposExportPin() throws SMException
    {
        final SplittableRandom random = new SplittableRandom(9564L);
        for (int i = 0; i < 200; i++)
        {
            final byte[] keyClear = KeyCipher.generateKey(random);
            final SecureDESKey jposKey = JposModule.secureKey(SMAdapter.TYPE_ZPK, keyClear);
            final long pan = random.nextLong(1_000_000_000_000L, 10_000_000_000_000_000L);
            final int pinLength = random.nextInt(4, 10);
            final int pin = random.nextInt((int)PinVerificationValue.POWERS_OF_TEN[pinLength]);

            final EncryptedPIN underLmk = JposModule.get().encryptPIN(digits(pin, pinLength), Long.toString(pan));
            final byte[] encrypted = JposModule.get().exportPIN(underLmk, jposKey, SMAdapter.FORMAT01).getPINBlock();

            assertEquals(
                ((long)pinLength << 32) | pin,
                PinBlock.decryptAndDecode(TdesKey.of(keyClear), encrypted, 0, pan, digitCount(pan), new byte[8]),
                "case " + i);
        }
    }

    @Test
    void shouldRejectEncodingShortPinWithoutShowingIt()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> PinBlock.encodeFormat0(987, 3, PAN, 16));

        assertEquals("pinLength=3 outside 4..12", ex.getMessage());
    }

    @Test
    void shouldRejectEncodingPinLongerThanItsLengthWithoutShowingIt()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> PinBlock.encodeFormat0(98765, 4, PAN, 16));

        assertEquals("pin does not fit in pinLength=4", ex.getMessage());
    }

    @Test
    void shouldNotAllocateWhenDecoding()
    {
        final byte[] encrypted = new byte[8];
        PinBlock.encryptFormat0(PIN_KEY, 4321, 4, PAN, 16, encrypted, 0);
        final UnsafeBuffer buffer = new UnsafeBuffer(encrypted);
        final byte[] scratch = new byte[8];

        final long allocated = AllocationMeter.bytesAllocatedBy(AllocationMeter.WARM_UP_RUNS, () ->
        {
            for (int i = 0; i < 1_000; i++)
            {
                sink += PinBlock.decryptAndDecode(PIN_KEY, encrypted, 0, PAN, 16, scratch) +
                    PinBlock.decryptAndDecode(PIN_KEY, buffer, 0, PAN, 16) +
                    PinBlock.decodeFormat0(scratch, 0, PAN + i, 16);
            }
        });

        assertEquals(0L, allocated);
    }

    private static int digitCount(final long value)
    {
        return Long.toString(value).length();
    }

    private static String digits(final int value, final int length)
    {
        final String text = Integer.toString(value);
        return "0".repeat(length - text.length()) + text;
    }
}
