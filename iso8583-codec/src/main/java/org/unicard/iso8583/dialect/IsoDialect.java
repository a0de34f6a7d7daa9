package org.unicard.iso8583.dialect;

import static org.unicard.iso8583.dialect.FieldType.ALPHA;
import static org.unicard.iso8583.dialect.FieldType.AMOUNT;
import static org.unicard.iso8583.dialect.FieldType.BITMAP;
import static org.unicard.iso8583.dialect.FieldType.NUMERIC;
import static org.unicard.iso8583.dialect.LengthPrefix.FIXED;
import static org.unicard.iso8583.dialect.LengthPrefix.LL;
import static org.unicard.iso8583.dialect.LengthPrefix.LLL;

import java.util.Objects;

/**
 * An ISO 8583:1987 dialect: one {@link FieldSpec} per field number plus the wire encoding.
 * <p>
 * {@link #BINARY} is byte for byte jPOS 3.0.1's {@code GenericPackager} with
 * {@code packager/iso87binary.xml} ({@code ISO87BPackager}): MTI as 2 BCD bytes, an 8-byte binary
 * bitmap (16 with the secondary bitmap), numeric values BCD (fixed-length ones left-padded with a 0
 * nibble when their digit count is odd, variable-length ones right-padded with a 0 nibble), LL and
 * LLL prefixes BCD in 1 and 2 bytes, alpha values ASCII, binary values raw, amounts as an ASCII sign
 * byte then BCD digits.
 * <p>
 * {@link #ASCII} is jPOS's {@code packager/iso87ascii.xml}: MTI as 4 ASCII digits, the bitmap as 16
 * (or 32) hex characters, numeric values and prefixes as ASCII digits, binary values as two hex
 * characters per byte.
 * <p>
 * The two share the ISO 8583:1987 table below except field 55, which iso87binary defines as LLL
 * binary and iso87ascii as LLL characters. Every field 0 to 128 is defined in both; field 65 is
 * the 1-byte binary field jPOS defines there, not a tertiary bitmap.
 * <p>
 * Instances are immutable and thread safe. The table's invariants are checked when a dialect is
 * built, so a bad row fails class initialisation.
 */
public final class IsoDialect
{
    /**
     * Highest field number of ISO 8583:1987 with a secondary bitmap.
     */
    public static final int MAX_FIELD = 128;

    /**
     * Number of field slots, 0 (MTI) to {@link #MAX_FIELD}.
     */
    public static final int FIELD_SLOTS = MAX_FIELD + 1;

    /**
     * The field table, one row per field 0 to 128 as jPOS's {@code ISO87BPackager} lists them. Longer
     * than 100 lines on purpose: it is data, not logic, and its length is the standard's (the method
     * length checker counts it as one block).
     */
    private static final FieldSpec[] ISO87 =
    {
        row(0, NUMERIC, FIXED, 4, "Message type indicator"),
        row(1, BITMAP, FIXED, 16, "Bitmap, primary and secondary"),
        row(2, NUMERIC, LL, 19, "Primary account number"),
        row(3, NUMERIC, FIXED, 6, "Processing code"),
        row(4, NUMERIC, FIXED, 12, "Amount, transaction"),
        row(5, NUMERIC, FIXED, 12, "Amount, settlement"),
        row(6, NUMERIC, FIXED, 12, "Amount, cardholder billing"),
        row(7, NUMERIC, FIXED, 10, "Transmission date and time, MMDDhhmmss"),
        row(8, NUMERIC, FIXED, 8, "Amount, cardholder billing fee"),
        row(9, NUMERIC, FIXED, 8, "Conversion rate, settlement"),
        row(10, NUMERIC, FIXED, 8, "Conversion rate, cardholder billing"),
        row(11, NUMERIC, FIXED, 6, "Systems trace audit number (STAN)"),
        row(12, NUMERIC, FIXED, 6, "Local transaction time, hhmmss"),
        row(13, NUMERIC, FIXED, 4, "Local transaction date, MMDD"),
        row(14, NUMERIC, FIXED, 4, "Expiration date, YYMM"),
        row(15, NUMERIC, FIXED, 4, "Settlement date, MMDD"),
        row(16, NUMERIC, FIXED, 4, "Conversion date, MMDD"),
        row(17, NUMERIC, FIXED, 4, "Capture date, MMDD"),
        row(18, NUMERIC, FIXED, 4, "Merchant type"),
        row(19, NUMERIC, FIXED, 3, "Acquiring institution country code"),
        row(20, NUMERIC, FIXED, 3, "PAN extended country code"),
        row(21, NUMERIC, FIXED, 3, "Forwarding institution country code"),
        row(22, NUMERIC, FIXED, 3, "Point of service entry mode"),
        row(23, NUMERIC, FIXED, 3, "Card sequence number"),
        row(24, NUMERIC, FIXED, 3, "Network international identifier"),
        row(25, NUMERIC, FIXED, 2, "Point of service condition code"),
        row(26, NUMERIC, FIXED, 2, "Point of service PIN capture code"),
        row(27, NUMERIC, FIXED, 1, "Authorization identification response length"),
        row(28, AMOUNT, FIXED, 9, "Amount, transaction fee"),
        row(29, AMOUNT, FIXED, 9, "Amount, settlement fee"),
        row(30, AMOUNT, FIXED, 9, "Amount, transaction processing fee"),
        row(31, AMOUNT, FIXED, 9, "Amount, settlement processing fee"),
        row(32, NUMERIC, LL, 11, "Acquiring institution identification code"),
        row(33, NUMERIC, LL, 11, "Forwarding institution identification code"),
        row(34, ALPHA, LL, 28, "Primary account number, extended"),
        row(35, NUMERIC, LL, 37, "Track 2 data"),
        row(36, ALPHA, LLL, 104, "Track 3 data"),
        row(37, ALPHA, FIXED, 12, "Retrieval reference number (RRN)"),
        row(38, ALPHA, FIXED, 6, "Authorization identification response"),
        row(39, ALPHA, FIXED, 2, "Response code"),
        row(40, ALPHA, FIXED, 3, "Service restriction code"),
        row(41, ALPHA, FIXED, 8, "Card acceptor terminal identification"),
        row(42, ALPHA, FIXED, 15, "Card acceptor identification code"),
        row(43, ALPHA, FIXED, 40, "Card acceptor name and location"),
        row(44, ALPHA, LL, 25, "Additional response data"),
        row(45, ALPHA, LL, 76, "Track 1 data"),
        row(46, ALPHA, LLL, 999, "Additional data, ISO"),
        row(47, ALPHA, LLL, 999, "Additional data, national"),
        row(48, ALPHA, LLL, 999, "Additional data, private"),
        row(49, ALPHA, FIXED, 3, "Currency code, transaction"),
        row(50, ALPHA, FIXED, 3, "Currency code, settlement"),
        row(51, ALPHA, FIXED, 3, "Currency code, cardholder billing"),
        row(52, FieldType.BINARY, FIXED, 8, "Personal identification number (PIN) block"),
        row(53, NUMERIC, FIXED, 16, "Security related control information"),
        row(54, ALPHA, LLL, 120, "Additional amounts"),
        row(55, FieldType.BINARY, LLL, 999, "Reserved ISO (ICC data)"),
        row(56, ALPHA, LLL, 999, "Reserved ISO"),
        row(57, ALPHA, LLL, 999, "Reserved national"),
        row(58, ALPHA, LLL, 999, "Reserved national"),
        row(59, ALPHA, LLL, 999, "Reserved national"),
        row(60, ALPHA, LLL, 999, "Reserved private"),
        row(61, ALPHA, LLL, 999, "Reserved private"),
        row(62, ALPHA, LLL, 999, "Reserved private"),
        row(63, ALPHA, LLL, 999, "Reserved private"),
        row(64, FieldType.BINARY, FIXED, 8, "Message authentication code (MAC)"),
        row(65, FieldType.BINARY, FIXED, 1, "Extended bitmap indicator"),
        row(66, NUMERIC, FIXED, 1, "Settlement code"),
        row(67, NUMERIC, FIXED, 2, "Extended payment code"),
        row(68, NUMERIC, FIXED, 3, "Receiving institution country code"),
        row(69, NUMERIC, FIXED, 3, "Settlement institution country code"),
        row(70, NUMERIC, FIXED, 3, "Network management information code"),
        row(71, NUMERIC, FIXED, 4, "Message number"),
        row(72, NUMERIC, FIXED, 4, "Message number, last"),
        row(73, NUMERIC, FIXED, 6, "Action date, YYMMDD"),
        row(74, NUMERIC, FIXED, 10, "Number of credits"),
        row(75, NUMERIC, FIXED, 10, "Number of credit reversals"),
        row(76, NUMERIC, FIXED, 10, "Number of debits"),
        row(77, NUMERIC, FIXED, 10, "Number of debit reversals"),
        row(78, NUMERIC, FIXED, 10, "Number of transfers"),
        row(79, NUMERIC, FIXED, 10, "Number of transfer reversals"),
        row(80, NUMERIC, FIXED, 10, "Number of inquiries"),
        row(81, NUMERIC, FIXED, 10, "Number of authorizations"),
        row(82, NUMERIC, FIXED, 12, "Credits, processing fee amount"),
        row(83, NUMERIC, FIXED, 12, "Credits, transaction fee amount"),
        row(84, NUMERIC, FIXED, 12, "Debits, processing fee amount"),
        row(85, NUMERIC, FIXED, 12, "Debits, transaction fee amount"),
        row(86, NUMERIC, FIXED, 16, "Credits, amount"),
        row(87, NUMERIC, FIXED, 16, "Credits, reversal amount"),
        row(88, NUMERIC, FIXED, 16, "Debits, amount"),
        row(89, NUMERIC, FIXED, 16, "Debits, reversal amount"),
        row(90, NUMERIC, FIXED, 42, "Original data elements"),
        row(91, ALPHA, FIXED, 1, "File update code"),
        row(92, ALPHA, FIXED, 2, "File security code"),
        row(93, ALPHA, FIXED, 6, "Response indicator"),
        row(94, ALPHA, FIXED, 7, "Service indicator"),
        row(95, ALPHA, FIXED, 42, "Replacement amounts"),
        row(96, FieldType.BINARY, FIXED, 16, "Message security code"),
        row(97, AMOUNT, FIXED, 17, "Amount, net settlement"),
        row(98, ALPHA, FIXED, 25, "Payee"),
        row(99, NUMERIC, LL, 11, "Settlement institution identification code"),
        row(100, NUMERIC, LL, 11, "Receiving institution identification code"),
        row(101, ALPHA, LL, 17, "File name"),
        row(102, ALPHA, LL, 28, "Account identification 1"),
        row(103, ALPHA, LL, 28, "Account identification 2"),
        row(104, ALPHA, LLL, 100, "Transaction description"),
        row(105, ALPHA, LLL, 999, "Reserved ISO"),
        row(106, ALPHA, LLL, 999, "Reserved ISO"),
        row(107, ALPHA, LLL, 999, "Reserved ISO"),
        row(108, ALPHA, LLL, 999, "Reserved ISO"),
        row(109, ALPHA, LLL, 999, "Reserved ISO"),
        row(110, ALPHA, LLL, 999, "Reserved ISO"),
        row(111, ALPHA, LLL, 999, "Reserved ISO"),
        row(112, ALPHA, LLL, 999, "Reserved national"),
        row(113, ALPHA, LLL, 999, "Reserved national"),
        row(114, ALPHA, LLL, 999, "Reserved national"),
        row(115, ALPHA, LLL, 999, "Reserved national"),
        row(116, ALPHA, LLL, 999, "Reserved national"),
        row(117, ALPHA, LLL, 999, "Reserved national"),
        row(118, ALPHA, LLL, 999, "Reserved national"),
        row(119, ALPHA, LLL, 999, "Reserved national"),
        row(120, ALPHA, LLL, 999, "Reserved private"),
        row(121, ALPHA, LLL, 999, "Reserved private"),
        row(122, ALPHA, LLL, 999, "Reserved private"),
        row(123, ALPHA, LLL, 999, "Reserved private"),
        row(124, ALPHA, LLL, 999, "Reserved private"),
        row(125, ALPHA, LLL, 999, "Reserved private"),
        row(126, ALPHA, LLL, 999, "Reserved private"),
        row(127, ALPHA, LLL, 999, "Reserved private"),
        row(128, FieldType.BINARY, FIXED, 8, "Message authentication code (MAC), secondary"),
    };

    /**
     * Rows where iso87ascii differs from iso87binary.
     */
    private static final FieldSpec[] ISO87_ASCII_OVERRIDES =
    {
        row(55, ALPHA, LLL, 999, "Reserved ISO (ICC data)"),
    };

    /**
     * jPOS {@code packager/iso87binary.xml}, the switch's default encoding (interface §2).
     */
    public static final IsoDialect BINARY = new IsoDialect("iso87binary", true, ISO87, new FieldSpec[0]);

    /**
     * jPOS {@code packager/iso87ascii.xml}, the ASCII variant a listener may be configured for.
     */
    public static final IsoDialect ASCII = new IsoDialect("iso87ascii", false, ISO87, ISO87_ASCII_OVERRIDES);

    private final String name;
    private final boolean binary;
    private final FieldSpec[] fields = new FieldSpec[FIELD_SLOTS];
    private final int[] prefixBytes = new int[FIELD_SLOTS];
    private final int[] maxEncodedBytes = new int[FIELD_SLOTS];

    private IsoDialect(final String name, final boolean binary, final FieldSpec[] rows, final FieldSpec[] overrides)
    {
        this.name = Objects.requireNonNull(name, "name");
        this.binary = binary;
        for (final FieldSpec spec : rows)
        {
            place(spec, false);
        }
        for (final FieldSpec spec : overrides)
        {
            place(spec, true);
        }
        checkInvariants();
        for (int n = 0; n < FIELD_SLOTS; n++)
        {
            final FieldSpec spec = fields[n];
            if (null != spec)
            {
                prefixBytes[n] = prefixBytes(binary, spec.lengthPrefix());
                maxEncodedBytes[n] = prefixBytes[n] + valueBytes(binary, spec.type(), spec.maxLength());
            }
        }
    }

    /**
     * Define a dialect from a table, for peers whose packager differs from jPOS's iso87 tables.
     * Fields 0 (4-digit numeric MTI) and 1 (16-byte bitmap) are required; any other field may be
     * missing, and a message whose bitmap names a missing field is rejected by the reader.
     *
     * @param name   of the dialect, for logs.
     * @param binary true for BCD/raw encoding as iso87binary, false for ASCII as iso87ascii.
     * @param rows   one spec per defined field, in any order, each number at most once.
     * @return the dialect.
     * @throws IllegalArgumentException or {@link IllegalStateException} when the table breaks an
     *                                  invariant.
     */
    public static IsoDialect define(final String name, final boolean binary, final FieldSpec[] rows)
    {
        return new IsoDialect(name, binary, rows, new FieldSpec[0]);
    }

    /**
     * Name of the dialect, e.g. {@code iso87binary}.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Whether numerics and prefixes are BCD and binary fields raw (else all ASCII).
     *
     * @return true for the binary encoding.
     */
    public boolean isBinary()
    {
        return binary;
    }

    /**
     * Spec of a field.
     *
     * @param number field number, 0 (MTI) to 128.
     * @return the spec, or null when the number is out of range or the dialect lacks the field.
     */
    public FieldSpec field(final int number)
    {
        if (number < 0 || number > MAX_FIELD)
        {
            return null;
        }

        return fields[number];
    }

    /**
     * Bytes of a field's length prefix on the wire.
     *
     * @param number of a field the dialect defines.
     * @return 0 for fixed fields, else 1 or 2 (binary) or 2 or 3 (ASCII).
     */
    public int prefixBytes(final int number)
    {
        return prefixBytes[number];
    }

    /**
     * Largest encoding of a field on the wire, prefix included.
     *
     * @param number of a field the dialect defines.
     * @return bytes.
     */
    public int maxEncodedBytes(final int number)
    {
        return maxEncodedBytes[number];
    }

    /**
     * Bytes a value of the given logical length takes on the wire, prefix excluded.
     *
     * @param number of a field the dialect defines.
     * @param length logical length: digits, sign plus digits, characters or bytes.
     * @return bytes.
     */
    public int valueBytes(final int number, final int length)
    {
        return valueBytes(binary, fields[number].type(), length);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return name;
    }

    private static int prefixBytes(final boolean binary, final LengthPrefix prefix)
    {
        return binary ? (prefix.digits() + 1) >> 1 : prefix.digits();
    }

    private static int valueBytes(final boolean binary, final FieldType type, final int length)
    {
        if (!binary)
        {
            return FieldType.BINARY == type ? length << 1 : length;
        }

        return switch (type)
        {
            case NUMERIC -> (length + 1) >> 1;
            case AMOUNT -> 1 + (length >> 1);
            case ALPHA, BINARY, BITMAP -> length;
        };
    }

    private void place(final FieldSpec spec, final boolean override)
    {
        final int n = spec.number();
        if (override == (null == fields[n]))
        {
            throw new IllegalStateException(
                "dialect=" + name + " field=" + n + (override ? " overrides a missing row" : " defined twice"));
        }
        fields[n] = spec;
    }

    private void checkInvariants()
    {
        final FieldSpec mti = fields[0];
        if (null == mti || NUMERIC != mti.type() || !mti.isFixed() || 4 != mti.maxLength())
        {
            throw new IllegalStateException("dialect=" + name + " field=0 must be fixed numeric of 4 digits");
        }
        final FieldSpec bitmap = fields[1];
        if (null == bitmap || BITMAP != bitmap.type() || !bitmap.isFixed() || 16 != bitmap.maxLength())
        {
            throw new IllegalStateException("dialect=" + name + " field=1 must be a fixed bitmap of 16 bytes");
        }
        for (int n = 2; n < FIELD_SLOTS; n++)
        {
            final FieldSpec spec = fields[n];
            if (null == spec)
            {
                continue;
            }
            if (BITMAP == spec.type())
            {
                throw new IllegalStateException("dialect=" + name + " field=" + n + " only field 1 is a bitmap");
            }
            if (AMOUNT == spec.type() && (!spec.isFixed() || spec.maxLength() < 2 || spec.maxLength() > 19))
            {
                throw new IllegalStateException(
                    "dialect=" + name + " field=" + n + " amount must be fixed with 1 to 18 digits");
            }
        }
    }

    private static FieldSpec row(
        final int number,
        final FieldType type,
        final LengthPrefix prefix,
        final int maxLength,
        final String description)
    {
        return new FieldSpec(number, type, prefix, maxLength, description);
    }
}
