package org.unicard.iso8583.dialect;

/**
 * How a field's length is carried: not at all (fixed length) or as a 2- or 3-digit prefix, BCD in
 * the binary dialect (1 or 2 bytes) and ASCII digits in the ASCII dialect (2 or 3 bytes). A prefix
 * counts logical units: digits, characters or bytes.
 */
public enum LengthPrefix
{
    /**
     * No prefix: the value always has the field's maximum length.
     */
    FIXED(0),

    /**
     * Two-digit length prefix, lengths 0 to 99.
     */
    LL(2),

    /**
     * Three-digit length prefix, lengths 0 to 999.
     */
    LLL(3);

    private final int digits;

    LengthPrefix(final int digits)
    {
        this.digits = digits;
    }

    /**
     * Digits of the prefix.
     *
     * @return 0, 2 or 3.
     */
    public int digits()
    {
        return digits;
    }

    /**
     * Largest length the prefix can express.
     *
     * @return 99 for LL, 999 for LLL, {@link Integer#MAX_VALUE} for FIXED.
     */
    public int maxExpressible()
    {
        return switch (this)
        {
            case FIXED -> Integer.MAX_VALUE;
            case LL -> 99;
            case LLL -> 999;
        };
    }
}
