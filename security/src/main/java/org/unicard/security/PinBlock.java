package org.unicard.security;

import java.util.Arrays;

import org.agrona.DirectBuffer;

/**
 * ISO 9564-1 format 0 PIN blocks (ANSI X9.8), the contents of field 52.
 * <pre>
 *   PIN field  0 | N | P P P P (P ...) | F ... F      one nibble each: format 0, PIN length N (4..12),
 *                                                    N PIN digits, 'F' up to 16 nibbles
 *   PAN field  0 0 0 0 | A1 ... A12                  the 12 rightmost PAN digits excluding the check
 *                                                    digit (left-padded with zeros for short PANs)
 *   clear PIN block = PIN field XOR PAN field; field 52 carries it TDES-ECB encrypted.
 * </pre>
 * A decoded PIN is returned packed in a {@code long} as {@code (pinLength << 32) | pin}, where
 * {@code pin} is the digits read as a decimal number (so leading zeros live in the length); see
 * {@link #pinLength(long)} and {@link #pin(long)}. Because {@code pin} is an {@code int} throughout
 * the switch, PINs of 10 to 12 digits, which ISO 9564-1 allows but our cards never carry, are
 * reported as {@link #UNSUPPORTED_LENGTH} rather than decoded.
 * <p>
 * Promises: decoding allocates nothing, takes no locks and examines all 14 PIN-field nibbles
 * whatever their content, so its timing does not depend on where a block is malformed; a malformed
 * block yields one of the negative codes below, never an exception. The clear block is never
 * logged or kept: {@link #decryptAndDecode(TdesKey, byte[], int, long, int, byte[])} zeroes its
 * scratch before returning.
 */
public final class PinBlock
{
    /** Length of a PIN block in bytes. */
    public static final int LENGTH = 8;

    /** The format nibble is not 0. */
    public static final long MALFORMED_FORMAT = -1;

    /** The PIN length nibble is outside 4..12. */
    public static final long MALFORMED_LENGTH = -2;

    /** A PIN digit nibble is not 0..9. */
    public static final long MALFORMED_DIGIT = -3;

    /** A nibble after the PIN is not F. */
    public static final long MALFORMED_PADDING = -4;

    /** A well-formed block whose PIN has 10 to 12 digits, more than an {@code int} PIN can hold. */
    public static final long UNSUPPORTED_LENGTH = -5;

    /** Longest PIN this class decodes: every 9-digit number fits in an {@code int}. */
    public static final int MAX_DECODED_PIN_LENGTH = 9;

    private PinBlock()
    {
    }

    /**
     * @param pin       the PIN's digits as a number.
     * @param pinLength how many digits the PIN has, 4..12.
     * @param pan       the PAN's digits as a number.
     * @param panDigits how many digits the PAN has, 1..19.
     * @return the clear format 0 PIN block.
     * @throws IllegalArgumentException for arguments out of range; the message never shows the PIN.
     */
    public static long encodeFormat0(final int pin, final int pinLength, final long pan, final int panDigits)
    {
        PinVerificationValue.checkPin(pin, pinLength);
        PinVerificationValue.checkPan(pan, panDigits);
        final int padNibbles = 14 - pinLength;
        final long pinField = ((long)pinLength << 56) |
            (PinVerificationValue.toBcd(pin, pinLength) << (4 * padNibbles)) |
            ((1L << (4 * padNibbles)) - 1);
        return pinField ^ panField(pan);
    }

    /**
     * Writes a clear format 0 PIN block, as a terminal does before encrypting it.
     *
     * @param pin       the PIN's digits as a number.
     * @param pinLength how many digits the PIN has, 4..12.
     * @param pan       the PAN's digits as a number.
     * @param panDigits how many digits the PAN has, 1..19.
     * @param out       destination.
     * @param outOffset where the 8 bytes go.
     */
    public static void encodeFormat0(
        final int pin, final int pinLength, final long pan, final int panDigits, final byte[] out, final int outOffset)
    {
        TdesKey.putLong(out, outOffset, encodeFormat0(pin, pinLength, pan, panDigits));
    }

    /**
     * Writes a format 0 PIN block encrypted under a PIN key, as field 52 carries it.
     *
     * @param pinKey    the terminal PIN key or zone PIN key.
     * @param pin       the PIN's digits as a number.
     * @param pinLength how many digits the PIN has, 4..12.
     * @param pan       the PAN's digits as a number.
     * @param panDigits how many digits the PAN has, 1..19.
     * @param out       destination.
     * @param outOffset where the 8 bytes go.
     */
    public static void encryptFormat0(
        final TdesKey pinKey,
        final int pin,
        final int pinLength,
        final long pan,
        final int panDigits,
        final byte[] out,
        final int outOffset)
    {
        TdesKey.putLong(out, outOffset, pinKey.encrypt(encodeFormat0(pin, pinLength, pan, panDigits)));
    }

    /**
     * @param clearBlock the clear PIN block.
     * @param pan        the PAN's digits as a number.
     * @param panDigits  how many digits the PAN has, 1..19.
     * @return {@code (pinLength << 32) | pin}, or one of the negative codes of this class.
     */
    public static long decodeFormat0(final long clearBlock, final long pan, final int panDigits)
    {
        PinVerificationValue.checkPan(pan, panDigits);
        final long pinField = clearBlock ^ panField(pan);
        final int format = (int)(pinField >>> 60);
        final int pinLength = (int)(pinField >>> 56) & 0xF;

        int badDigit = 0;
        int badPadding = 0;
        long pin = 0;
        for (int i = 0; i < 14; i++)
        {
            final int nibble = (int)(pinField >>> (52 - 4 * i)) & 0xF;
            final int isDigitPosition = (i - pinLength) >>> 31;
            badDigit |= isDigitPosition & ((9 - nibble) >>> 31);
            final int notF = nibble ^ 0xF;
            badPadding |= (isDigitPosition ^ 1) & ((notF | -notF) >>> 31);
            pin = isDigitPosition == 1 ? pin * 10 + nibble : pin;
        }

        if (format != 0)
        {
            return MALFORMED_FORMAT;
        }
        if (pinLength < PinVerificationValue.MIN_PIN_LENGTH || pinLength > PinVerificationValue.MAX_PIN_LENGTH)
        {
            return MALFORMED_LENGTH;
        }
        if (badDigit != 0)
        {
            return MALFORMED_DIGIT;
        }
        if (badPadding != 0)
        {
            return MALFORMED_PADDING;
        }
        if (pinLength > MAX_DECODED_PIN_LENGTH)
        {
            return UNSUPPORTED_LENGTH;
        }
        return ((long)pinLength << 32) | pin;
    }

    /**
     * @param clearBlock array holding the clear PIN block.
     * @param offset     index of its first byte.
     * @param pan        the PAN's digits as a number.
     * @param panDigits  how many digits the PAN has, 1..19.
     * @return {@code (pinLength << 32) | pin}, or one of the negative codes of this class.
     */
    public static long decodeFormat0(final byte[] clearBlock, final int offset, final long pan, final int panDigits)
    {
        return decodeFormat0(TdesKey.getLong(clearBlock, offset), pan, panDigits);
    }

    /**
     * Decrypts field 52 and decodes it.
     *
     * @param pinKey         the terminal PIN key or zone PIN key.
     * @param encryptedBlock array holding the encrypted PIN block.
     * @param offset         index of its first byte.
     * @param pan            the PAN's digits as a number.
     * @param panDigits      how many digits the PAN has, 1..19.
     * @param scratch8       8 bytes the clear block passes through; zeroed before this returns.
     * @return {@code (pinLength << 32) | pin}, or one of the negative codes of this class.
     */
    public static long decryptAndDecode(
        final TdesKey pinKey,
        final byte[] encryptedBlock,
        final int offset,
        final long pan,
        final int panDigits,
        final byte[] scratch8)
    {
        pinKey.decryptBlock(encryptedBlock, offset, scratch8, 0);
        try
        {
            return decodeFormat0(scratch8, 0, pan, panDigits);
        }
        finally
        {
            Arrays.fill(scratch8, 0, LENGTH, (byte)0);
        }
    }

    /**
     * Decrypts field 52 in place in a message buffer (the buffer is only read) and decodes it.
     *
     * @param pinKey         the terminal PIN key or zone PIN key.
     * @param encryptedBlock buffer holding the encrypted PIN block.
     * @param offset         index of its first byte.
     * @param pan            the PAN's digits as a number.
     * @param panDigits      how many digits the PAN has, 1..19.
     * @return {@code (pinLength << 32) | pin}, or one of the negative codes of this class.
     */
    public static long decryptAndDecode(
        final TdesKey pinKey, final DirectBuffer encryptedBlock, final int offset, final long pan, final int panDigits)
    {
        return decodeFormat0(pinKey.decrypt(TdesKey.getLong(encryptedBlock, offset)), pan, panDigits);
    }

    /**
     * @param decoded a non-negative result of a decode method.
     * @return the number of PIN digits.
     */
    public static int pinLength(final long decoded)
    {
        return (int)(decoded >>> 32);
    }

    /**
     * @param decoded a non-negative result of a decode method.
     * @return the PIN's digits as a number.
     */
    public static int pin(final long decoded)
    {
        return (int)decoded;
    }

    private static long panField(final long pan)
    {
        return PinVerificationValue.toBcd((pan / 10) % 1_000_000_000_000L, 12);
    }
}
