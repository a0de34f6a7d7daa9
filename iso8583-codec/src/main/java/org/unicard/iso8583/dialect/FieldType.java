package org.unicard.iso8583.dialect;

/**
 * What a field's value is made of; the dialect decides how each kind is put on the wire.
 */
public enum FieldType
{
    /**
     * Decimal digits: BCD in the binary dialect, ASCII digits in the ASCII dialect. Variable-length
     * numeric fields (track 2 among them) may also hold the separator {@code '='} (BCD nibble D).
     */
    NUMERIC,

    /**
     * Characters, one byte each (ISO-8859-1), in both dialects.
     */
    ALPHA,

    /**
     * Raw bytes in the binary dialect, two upper-case hex characters per byte in the ASCII dialect.
     */
    BINARY,

    /**
     * jPOS {@code IF*_AMOUNT}: a sign character {@code 'C'} (credit) or {@code 'D'} (debit) as one
     * ASCII byte, then digits (BCD or ASCII). The field's length counts the sign and the digits.
     */
    AMOUNT,

    /**
     * The primary bitmap with its optional secondary bitmap (field 1 only).
     */
    BITMAP
}
