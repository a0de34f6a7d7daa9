package org.unicard.security;

import java.util.SplittableRandom;

import org.jpos.security.EncryptedPIN;
import org.jpos.security.SMAdapter;
import org.jpos.security.SMException;
import org.jpos.security.SecureDESKey;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PinVerificationValueTest
{
    private static final byte[] PVK_CLEAR = Hex.parseKey("0123456789ABCDEFFEDCBA9876543210");
    private static final TdesKey PVK = TdesKey.of(PVK_CLEAR);

    private static volatile boolean sink;

    @Test
    void shouldMatchJposPublishedVector()
    {
        // jPOS 3.0.1, JCESecurityModuleTest.testCalculatePVVImpl1: PVK = 4 x "12345678" (double
        // length), PIN 1234, account number 1234567890123, PVKI 0 -> PVV 1226.
        final TdesKey pvk = TdesKey.of(Hex.parseKey("12345678123456781234567812345678"));

        assertEquals(1226, PinVerificationValue.compute(pvk, 1234567890123L, 13, 0, 1234, 4));
    }

    @Test
    void shouldVerifyJposPublishedVector()
    {
        final TdesKey pvk = TdesKey.of(Hex.parseKey("12345678123456781234567812345678"));

        assertTrue(PinVerificationValue.verify(pvk, 1234567890123L, 13, 0, 1234, 4, 1226));
    }

    @Test
    void shouldRejectWrongPinForJposPublishedVector()
    {
        final TdesKey pvk = TdesKey.of(Hex.parseKey("12345678123456781234567812345678"));

        assertFalse(PinVerificationValue.verify(pvk, 1234567890123L, 13, 0, 1235, 4, 1226));
    }

    @Test
    void shouldUseOnlyTheFourLeftmostPinDigits()
    {
        assertEquals(
            PinVerificationValue.compute(PVK, 4000123456789012L, 16, 1, 1234, 4),
            PinVerificationValue.compute(PVK, 4000123456789012L, 16, 1, 123_456_789, 9));
    }

    @Test
    void shouldKeepLeadingZerosOfPin()
    {
        assertEquals(
            referencePvv(PVK_CLEAR, "4000123456789012", 1, "0042"),
            PinVerificationValue.compute(PVK, 4000123456789012L, 16, 1, 42, 4));
    }

    @Test
    void shouldTakeDecimalDigitsFirstThenLettersMinusTen()
    {
        assertEquals(1230, PinVerificationValue.decimalize(0xA1B2C3DEFFFFFFFFL));
    }

    @Test
    void shouldDecimalizeAllLetterCryptogram()
    {
        assertEquals(123, PinVerificationValue.decimalize(0xABCDEFABCDEFABCDL));
    }

    @Test
    void shouldMatchJceReferenceOnRandomCards()
    {
        final SplittableRandom random = new SplittableRandom(2026L);
        final byte[] pvkClear = new byte[16];
        for (int i = 0; i < 2_000; i++)
        {
            random.nextBytes(pvkClear);
            final long pan = random.nextLong(1_000_000_000_000_000L, 10_000_000_000_000_000L);
            final int pinLength = random.nextInt(4, 10);
            final int pin = random.nextInt((int)PinVerificationValue.POWERS_OF_TEN[pinLength]);
            final int pvki = random.nextInt(10);

            assertEquals(
                referencePvv(pvkClear, Long.toString(pan), pvki, digits(pin, pinLength)),
                PinVerificationValue.compute(TdesKey.of(pvkClear), pan, 17, pvki, pin, pinLength),
                "case " + i);
        }
    }

    @Test
    void shouldMatchJposCalculatePvvOnRandomCards() throws SMException
    {
        final SplittableRandom random = new SplittableRandom(1959L);
        for (int i = 0; i < 200; i++)
        {
            final byte[] pvkClear = KeyCipher.generateKey(random);
            final SecureDESKey jposPvk = JposModule.secureKey(SMAdapter.TYPE_PVK, pvkClear);
            final long pan = random.nextLong(1_000_000_000_000_000L, 10_000_000_000_000_000L) / 10;
            final int pinLength = random.nextInt(4, 10);
            final int pin = random.nextInt((int)PinVerificationValue.POWERS_OF_TEN[pinLength]);
            final int pvki = random.nextInt(10);

            final EncryptedPIN pinUnderJposLmk = JposModule.get().encryptPIN(digits(pin, pinLength), Long.toString(pan));
            final String jposPvv = JposModule.get().calculatePVV(pinUnderJposLmk, jposPvk, null, pvki);

            assertEquals(
                Integer.parseInt(jposPvv),
                PinVerificationValue.compute(TdesKey.of(pvkClear), pan, 16, pvki, pin, pinLength),
                "case " + i);
        }
    }

    @Test
    void shouldRejectShortPinNamingOnlyTheLength()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> PinVerificationValue.compute(PVK, 4000123456789012L, 16, 1, 123, 3));

        assertEquals("pinLength=3 outside 4..12", ex.getMessage());
    }

    @Test
    void shouldRejectPinLongerThanItsLengthWithoutShowingIt()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> PinVerificationValue.compute(PVK, 4000123456789012L, 16, 1, 98765, 4));

        assertEquals("pin does not fit in pinLength=4", ex.getMessage());
    }

    @Test
    void shouldRejectPvkiAboveNine()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> PinVerificationValue.compute(PVK, 4000123456789012L, 16, 10, 1234, 4));

        assertEquals("pvki=10 outside 0..9", ex.getMessage());
    }

    @Test
    void shouldRejectPanLongerThanItsDigitCount()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> PinVerificationValue.compute(PVK, 4000123456789012L, 15, 1, 1234, 4));

        assertEquals("pan does not fit in panDigits=15", ex.getMessage());
    }

    @Test
    void shouldRejectTwentyDigitPan()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> PinVerificationValue.compute(PVK, 4000123456789012L, 20, 1, 1234, 4));

        assertEquals("panDigits=20 outside 1..19", ex.getMessage());
    }

    @Test
    void shouldNotAllocateInVerify()
    {
        final long allocated = AllocationMeter.bytesAllocatedBy(AllocationMeter.WARM_UP_RUNS, () ->
        {
            for (int i = 0; i < 1_000; i++)
            {
                sink = PinVerificationValue.verify(PVK, 4000123456789012L + i, 16, 1, 1000 + i, 4, 1234);
            }
        });

        assertEquals(0L, allocated);
    }

    /**
     * The Visa PVV exactly as the algorithm is usually written out, over strings and JCE TDES: an
     * implementation independent of the one under test.
     */
    private static int referencePvv(final byte[] pvk, final String pan, final int pvki, final String pin)
    {
        final String withoutCheckDigit = "000000000000" + pan.substring(0, pan.length() - 1);
        final String tsp = withoutCheckDigit.substring(withoutCheckDigit.length() - 11) + pvki + pin.substring(0, 4);
        final String cryptogram = Hex.encode(JceOracle.tdesEncrypt(pvk, Long.parseUnsignedLong(tsp, 16)));
        final StringBuilder digits = new StringBuilder();
        for (final char c : cryptogram.toCharArray())
        {
            if (c <= '9')
            {
                digits.append(c);
            }
        }
        for (final char c : cryptogram.toCharArray())
        {
            if (c >= 'A')
            {
                digits.append((char)(c - 'A' + '0'));
            }
        }
        return Integer.parseInt(digits.substring(0, 4));
    }

    private static String digits(final int value, final int length)
    {
        final String text = Integer.toString(value);
        return "0".repeat(length - text.length()) + text;
    }
}
