package org.unicard.iso8583.message;

/**
 * Why an {@link IsoMessageReader} could not decode a message. The reader reports the first fault
 * it meets, with the field ({@link IsoMessageReader#errorField()}) and the offset relative to the
 * start of the message ({@link IsoMessageReader#errorOffset()}) described with each kind.
 */
public enum DecodeError
{
    /**
     * The message decoded completely.
     */
    NONE,

    /**
     * The message ends inside the MTI, the bitmap, a length prefix or a value. The offset is where
     * the element that does not fit begins.
     */
    TRUNCATED,

    /**
     * The MTI holds a nibble above 9 (binary) or a character other than a digit (ASCII). Field 0;
     * the offset is the byte at fault.
     */
    BAD_MTI,

    /**
     * The ASCII bitmap holds a character other than a hex digit. Field 1; the offset is the
     * character at fault.
     */
    BAD_BITMAP,

    /**
     * A length prefix holds a nibble above 9 (binary) or a character other than a digit (ASCII).
     * The offset is the byte at fault.
     */
    BAD_LENGTH_PREFIX,

    /**
     * A length prefix is above the field's maximum. The offset is the start of the prefix.
     */
    LENGTH_ABOVE_MAXIMUM,

    /**
     * A BCD numeric or amount value holds a nibble that is not a digit (nibble D, read as {@code
     * '='}, is accepted in variable-length numeric fields such as track 2), or a pad nibble that
     * jPOS would not produce. The offset is the byte at fault.
     */
    BAD_BCD,

    /**
     * An ASCII numeric or amount value holds a character other than a digit ({@code '='} is
     * accepted in variable-length numeric fields). The offset is the character at fault.
     */
    BAD_DIGIT,

    /**
     * An amount's sign is neither {@code 'C'} nor {@code 'D'}. The offset is the sign byte.
     */
    BAD_AMOUNT_SIGN,

    /**
     * A binary value in the ASCII dialect holds a character other than a hex digit. The offset is
     * the character at fault.
     */
    BAD_HEX,

    /**
     * The bitmap names a field the dialect does not define. The offset is where that field would
     * begin.
     */
    FIELD_NOT_IN_DIALECT,

    /**
     * Bytes remain after the last field the bitmap names. Field -1; the offset is the first extra
     * byte. Every field is decoded and readable.
     */
    TRAILING_BYTES
}
