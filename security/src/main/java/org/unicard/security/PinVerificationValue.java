package org.unicard.security;

/**
 * The Visa PIN verification value (PVV): a four-digit value stored per card from which a PIN can
 * be checked without storing the PIN.
 * <pre>
 *   TSP = 11 rightmost PAN digits excluding the check digit | PVKI (1 digit) | 4 leftmost PIN digits
 *         (16 decimal digits, one per nibble: 8 bytes)
 *   C   = TDES-encrypt(PVK, TSP)
 *   PVV = first 4 of: the decimal digits of C's 16 hex digits, left to right, followed by its
 *         digits A..F minus 10, left to right
 * </pre>
 * Promises: {@link #compute} and {@link #verify} allocate nothing and take no locks (the TSP and
 * the cryptogram live in {@code long} locals, so no scratch buffer is needed) and may be called from
 * any thread with a shared {@link TdesKey}. Arguments outside their ranges are programmer errors and
 * throw {@link IllegalArgumentException} whose message names the argument and range, never a PIN.
 * <p>
 * PANs are passed as a {@code long} value plus their digit count (which is checked against the
 * value); digits missing on the left count as zeros.
 */
public final class PinVerificationValue
{
    /**
     * Shortest PAN accepted. PANs with fewer than 11 digits before the check digit are left-padded
     * with zeros, as ISO 9564-1 prescribes for the PAN field of a format 0 PIN block.
     */
    public static final int MIN_PAN_DIGITS = 1;

    /** Longest PAN (ISO/IEC 7812); a 19-digit PAN must also be below 2<sup>63</sup> to fit a {@code long}. */
    public static final int MAX_PAN_DIGITS = 19;

    /** Shortest PIN (ISO 9564-1). */
    public static final int MIN_PIN_LENGTH = 4;

    /** Longest PIN (ISO 9564-1). */
    public static final int MAX_PIN_LENGTH = 12;

    static final long[] POWERS_OF_TEN = new long[19];

    static
    {
        long power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++)
        {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private PinVerificationValue()
    {
    }

    /**
     * @param pvk       the PIN verification key.
     * @param pan       the PAN's digits as a number.
     * @param panDigits how many digits the PAN has ({@value #MIN_PAN_DIGITS}..{@value #MAX_PAN_DIGITS}).
     * @param pvki      the PIN verification key index, 0..9.
     * @param pin       the PIN's digits as a number.
     * @param pinLength how many digits the PIN has ({@value #MIN_PIN_LENGTH}..{@value #MAX_PIN_LENGTH}).
     * @return the PVV, 0..9999 (to be shown with leading zeros as four digits).
     */
    public static int compute(
        final TdesKey pvk, final long pan, final int panDigits, final int pvki, final int pin, final int pinLength)
    {
        checkPan(pan, panDigits);
        if (pvki < 0 || pvki > 9)
        {
            throw new IllegalArgumentException("pvki=" + pvki + " outside 0..9");
        }
        checkPin(pin, pinLength);

        final long accountDigits = (pan / 10) % 100_000_000_000L;
        final long leftmostPinDigits = pin / POWERS_OF_TEN[pinLength - 4];
        final long tsp = toBcd(accountDigits * 100_000L + pvki * 10_000L + leftmostPinDigits, 16);
        return decimalize(pvk.encrypt(tsp));
    }

    /**
     * @param pvk         the PIN verification key.
     * @param pan         the PAN's digits as a number.
     * @param panDigits   how many digits the PAN has.
     * @param pvki        the PIN verification key index, 0..9.
     * @param pin         the PIN's digits as a number.
     * @param pinLength   how many digits the PIN has.
     * @param expectedPvv the card's stored PVV, 0..9999.
     * @return whether the PIN yields the stored PVV.
     */
    public static boolean verify(
        final TdesKey pvk,
        final long pan,
        final int panDigits,
        final int pvki,
        final int pin,
        final int pinLength,
        final int expectedPvv)
    {
        return compute(pvk, pan, panDigits, pvki, pin, pinLength) == expectedPvv;
    }

    static int decimalize(final long cryptogram)
    {
        int pvv = 0;
        int found = 0;
        for (int i = 0; i < 16 && found < 4; i++)
        {
            final int nibble = (int)(cryptogram >>> (60 - 4 * i)) & 0xF;
            if (nibble < 10)
            {
                pvv = pvv * 10 + nibble;
                found++;
            }
        }
        for (int i = 0; i < 16 && found < 4; i++)
        {
            final int nibble = (int)(cryptogram >>> (60 - 4 * i)) & 0xF;
            if (nibble >= 10)
            {
                pvv = pvv * 10 + nibble - 10;
                found++;
            }
        }
        return pvv;
    }

    /**
     * @param value  a non-negative number with at most {@code digits} decimal digits.
     * @param digits how many nibbles to produce, at most 16.
     * @return the digits one per nibble, right-aligned.
     */
    static long toBcd(final long value, final int digits)
    {
        long remaining = value;
        long bcd = 0;
        for (int i = 0; i < digits; i++)
        {
            bcd |= (remaining % 10) << (4 * i);
            remaining /= 10;
        }
        return bcd;
    }

    static void checkPan(final long pan, final int panDigits)
    {
        if (panDigits < MIN_PAN_DIGITS || panDigits > MAX_PAN_DIGITS)
        {
            throw new IllegalArgumentException(
                "panDigits=" + panDigits + " outside " + MIN_PAN_DIGITS + ".." + MAX_PAN_DIGITS);
        }
        if (pan < 0 || (panDigits < 19 && pan >= POWERS_OF_TEN[panDigits]))
        {
            throw new IllegalArgumentException("pan does not fit in panDigits=" + panDigits);
        }
    }

    static void checkPin(final int pin, final int pinLength)
    {
        if (pinLength < MIN_PIN_LENGTH || pinLength > MAX_PIN_LENGTH)
        {
            throw new IllegalArgumentException(
                "pinLength=" + pinLength + " outside " + MIN_PIN_LENGTH + ".." + MAX_PIN_LENGTH);
        }
        if (pin < 0 || pin >= POWERS_OF_TEN[pinLength])
        {
            throw new IllegalArgumentException("pin does not fit in pinLength=" + pinLength);
        }
    }
}
