package org.unicard.iso8583.dialect;

import java.util.Objects;

/**
 * Immutable specification of one ISO 8583 field: its number, value type, length prefix, maximum
 * length and a human description. Specs hold no encoding: the same spec means BCD in
 * {@link IsoDialect#BINARY} and ASCII in {@link IsoDialect#ASCII}.
 * <p>
 * {@link #maxLength()} is in logical units: digits for {@link FieldType#NUMERIC}, the sign plus the
 * digits for {@link FieldType#AMOUNT} (as jPOS counts it), characters for {@link FieldType#ALPHA},
 * bytes for {@link FieldType#BINARY} and {@link FieldType#BITMAP}.
 */
public final class FieldSpec
{
    private final int number;
    private final FieldType type;
    private final LengthPrefix lengthPrefix;
    private final int maxLength;
    private final String description;

    /**
     * Create a spec. Consistency with the other fields of a table is checked by {@link IsoDialect}.
     *
     * @param number       field number, 0 (MTI) to 128.
     * @param type         value type.
     * @param lengthPrefix length prefix.
     * @param maxLength    maximum (for FIXED: exact) length in logical units, at least 1.
     * @param description  human name of the field.
     * @throws IllegalArgumentException when the number or length is out of range.
     */
    public FieldSpec(
        final int number,
        final FieldType type,
        final LengthPrefix lengthPrefix,
        final int maxLength,
        final String description)
    {
        if (number < 0 || number > IsoDialect.MAX_FIELD)
        {
            throw new IllegalArgumentException("field=" + number + " min=0 max=" + IsoDialect.MAX_FIELD);
        }
        if (maxLength < 1 || maxLength > lengthPrefix.maxExpressible())
        {
            throw new IllegalArgumentException(
                "field=" + number + " maxLength=" + maxLength + " prefix=" + lengthPrefix);
        }
        this.number = number;
        this.type = Objects.requireNonNull(type, "type");
        this.lengthPrefix = lengthPrefix;
        this.maxLength = maxLength;
        this.description = Objects.requireNonNull(description, "description");
    }

    /**
     * Field number.
     *
     * @return 0 (MTI) to 128.
     */
    public int number()
    {
        return number;
    }

    /**
     * Value type.
     *
     * @return the value type.
     */
    public FieldType type()
    {
        return type;
    }

    /**
     * Length prefix.
     *
     * @return the length prefix.
     */
    public LengthPrefix lengthPrefix()
    {
        return lengthPrefix;
    }

    /**
     * Maximum length in logical units (exact length for fixed fields).
     *
     * @return digits, sign plus digits, characters or bytes; see the class description.
     */
    public int maxLength()
    {
        return maxLength;
    }

    /**
     * Human description of the field.
     *
     * @return the description.
     */
    public String description()
    {
        return description;
    }

    /**
     * Whether the field has a fixed length.
     *
     * @return true when {@link #lengthPrefix()} is {@link LengthPrefix#FIXED}.
     */
    public boolean isFixed()
    {
        return LengthPrefix.FIXED == lengthPrefix;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "FieldSpec{number=" + number + ", type=" + type + ", lengthPrefix=" + lengthPrefix +
            ", maxLength=" + maxLength + ", description='" + description + "'}";
    }
}
