package org.unicard.iso8583.message;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.unicard.iso8583.dialect.FieldSpec;
import org.unicard.iso8583.dialect.FieldType;
import org.unicard.iso8583.dialect.IsoDialect;

/**
 * Flyweight that decodes one ISO 8583:1987 message in place, without allocating.
 * <p>
 * Layout of a message (binary dialect; the ASCII dialect doubles MTI and bitmap into ASCII and hex):
 * <pre>
 *  +-----------+--------------------+---------------------+----------+-----+----------+
 *  | MTI (2 B) | primary bitmap (8) | [secondary bmp (8)] | field n1 | ... | field nk |
 *  +-----------+--------------------+---------------------+----------+-----+----------+
 *                                    present iff bit 1     ascending field numbers
 *  field = [length prefix (BCD, 1 or 2 B)] value
 * </pre>
 * {@link #wrap(DirectBuffer, int, int)} walks the bitmap once, checks every field the bitmap names
 * and records its start, value bytes and logical length in one preallocated array (the value offset
 * follows from the start and the dialect's prefix length). It never throws on bad input and never
 * reads a byte outside {@code [offset, offset + length)}. On the first fault it stops and records
 * the {@link DecodeError}, the field and the offset; every field decoded before the fault remains
 * available through {@link #hasField(int)} and the value accessors, so the MTI and field 11 of a
 * message that fails later can still be answered.
 * <p>
 * Values are read lazily from the buffer: the buffer must not change while the reader is in use.
 * Accessors given an absent field, a field of the wrong type or an index out of range return -1
 * rather than throwing. Not thread safe; reuse one instance per thread. The package description
 * says exactly which BCD pad nibbles and separators are accepted.
 */
public final class IsoMessageReader
{
    private static final byte[] NIBBLE_CHARS =
    {
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', '=', 'E', 'F'
    };
    private static final int SEPARATOR_NIBBLE = 0xD;
    private static final int F_NIBBLE = 0xF;
    private static final int MAX_LONG_DIGITS = 18;
    private static final int BITMAP_BYTES = 8;

    private static final byte NONE = -1;
    private static final byte NUMERIC = (byte)FieldType.NUMERIC.ordinal();
    private static final byte ALPHA = (byte)FieldType.ALPHA.ordinal();
    private static final byte BINARY = (byte)FieldType.BINARY.ordinal();
    private static final byte AMOUNT = (byte)FieldType.AMOUNT.ordinal();

    private static final int FIXED_BIT = 1 << 8;
    private static final int PREFIX_SHIFT = 9;
    private static final int MAX_LENGTH_SHIFT = 16;
    private static final int LOCATION_MASK = 0xFFFF;
    private static final int MAX_FIELD_LENGTH = 9_999;

    private static final int[] BINARY_LAYOUT = layoutOf(IsoDialect.BINARY);
    private static final int[] ASCII_LAYOUT = layoutOf(IsoDialect.ASCII);

    private final IsoDialect dialect;
    private final boolean binary;

    /**
     * The dialect's field table in one int per field number: type in bits 0-7 ({@code NONE} for a
     * field the dialect lacks), fixed length in bit 8, prefix bytes in bits 9-11, maximum length in
     * bits 16-31. Shared by every reader of the two built-in dialects and never written after it
     * is built, so the table a wrap reads stays in the cache however many readers there are (a
     * ring keeps one reader per slot).
     */
    private final int[] layout;

    /**
     * Where each decoded field lies, one long per field number: the absolute offset of its
     * encoding (prefix included) in the high 32 bits, its value's bytes in bits 16-31 and its
     * logical length in bits 0-15. One array, so that a message's fields share a few cache lines.
     */
    private final long[] locations = new long[IsoDialect.FIELD_SLOTS];

    private DirectBuffer buffer;
    private int messageOffset;
    private int messageLength;
    private DecodeError error = DecodeError.NONE;
    private int errorField = -1;
    private int errorOffset = -1;
    private int mti = -1;
    private long primaryBitmap;
    private long secondaryBitmap;
    private int decodedBelow;

    /**
     * Create a reader for one dialect.
     *
     * @param dialect of the messages this reader will wrap.
     */
    public IsoMessageReader(final IsoDialect dialect)
    {
        this.dialect = dialect;
        this.binary = dialect.isBinary();
        this.layout = dialect == IsoDialect.BINARY ? BINARY_LAYOUT : dialect == IsoDialect.ASCII ? ASCII_LAYOUT : layoutOf(dialect);
    }

    private static int[] layoutOf(final IsoDialect dialect)
    {
        final int[] layout = new int[IsoDialect.FIELD_SLOTS];
        for (int n = 0; n < IsoDialect.FIELD_SLOTS; n++)
        {
            final FieldSpec spec = dialect.field(n);
            if (null == spec)
            {
                layout[n] = NONE & 0xFF;
                continue;
            }
            if (spec.maxLength() > MAX_FIELD_LENGTH)
            {
                throw new IllegalArgumentException(
                    "dialect " + dialect + " field " + n + ": maximum length " + spec.maxLength() + " is above " + MAX_FIELD_LENGTH);
            }
            layout[n] = (spec.type().ordinal() & 0xFF) | (spec.isFixed() ? FIXED_BIT : 0) |
                (dialect.prefixBytes(n) << PREFIX_SHIFT) | (spec.maxLength() << MAX_LENGTH_SHIFT);
        }
        return layout;
    }

    private byte type(final int n)
    {
        return typeOf(layout[n]);
    }

    private boolean fixed(final int n)
    {
        return 0 != (layout[n] & FIXED_BIT);
    }

    private int prefixBytes(final int n)
    {
        return prefixBytesOf(layout[n]);
    }

    private int maxLength(final int n)
    {
        return maxLengthOf(layout[n]);
    }

    private static byte typeOf(final int spec)
    {
        return (byte)spec;
    }

    private static int prefixBytesOf(final int spec)
    {
        return (spec >>> PREFIX_SHIFT) & 0x7;
    }

    private static int maxLengthOf(final int spec)
    {
        return spec >>> MAX_LENGTH_SHIFT;
    }

    private int start(final int n)
    {
        return (int)(locations[n] >>> 32);
    }

    private int valueOffsetOf(final int n)
    {
        return start(n) + prefixBytes(n);
    }

    private int bytesOf(final int n)
    {
        return (int)(locations[n] >>> 16) & LOCATION_MASK;
    }

    private int lengthOf(final int n)
    {
        return (int)locations[n] & LOCATION_MASK;
    }

    /**
     * Decode the message in {@code [offset, offset + length)} of the buffer.
     *
     * @param buffer holding the message.
     * @param offset of the first byte of the MTI.
     * @param length of the message in bytes (for a framed message with a TPDU: the frame body
     *               without the TPDU).
     * @return this reader, {@link #isValid()} telling whether the message decoded completely.
     */
    public IsoMessageReader wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        messageOffset = offset;
        messageLength = length;
        error = DecodeError.NONE;
        errorField = -1;
        errorOffset = -1;
        mti = -1;
        primaryBitmap = 0;
        secondaryBitmap = 0;
        decodedBelow = 0;

        final int end = offset + length;
        int position = readMti(offset, end);
        if (position < 0)
        {
            return this;
        }

        position = readBitmap(position, end);
        if (position < 0)
        {
            return this;
        }

        long bits = primaryBitmap & Long.MAX_VALUE;
        while (0 != bits)
        {
            final int leadingZeros = Long.numberOfLeadingZeros(bits);
            bits &= ~(Long.MIN_VALUE >>> leadingZeros);
            position = readField(leadingZeros + 1, position, end);
            if (position < 0)
            {
                return this;
            }
        }

        bits = secondaryBitmap;
        while (0 != bits)
        {
            final int leadingZeros = Long.numberOfLeadingZeros(bits);
            bits &= ~(Long.MIN_VALUE >>> leadingZeros);
            position = readField(leadingZeros + 65, position, end);
            if (position < 0)
            {
                return this;
            }
        }

        decodedBelow = IsoDialect.FIELD_SLOTS;
        if (position != end)
        {
            fail(DecodeError.TRAILING_BYTES, -1, position);
        }

        return this;
    }

    /**
     * Whether the whole message decoded without fault.
     *
     * @return true when {@link #error()} is {@link DecodeError#NONE}.
     */
    public boolean isValid()
    {
        return DecodeError.NONE == error;
    }

    /**
     * The first fault found by the last wrap.
     *
     * @return the fault, {@link DecodeError#NONE} when there was none.
     */
    public DecodeError error()
    {
        return error;
    }

    /**
     * Field in which the fault was found.
     *
     * @return 0 for the MTI, 1 for the bitmap, 2 to 128 for a field, -1 when there is no fault or
     * it belongs to no field ({@link DecodeError#TRAILING_BYTES}).
     */
    public int errorField()
    {
        return errorField;
    }

    /**
     * Where the fault was found, relative to the start of the message; see {@link DecodeError}.
     *
     * @return the offset, -1 when there is no fault.
     */
    public int errorOffset()
    {
        return errorOffset;
    }

    /**
     * The message type indicator as a number, e.g. 200 for "0200".
     *
     * @return the MTI, -1 when it could not be read.
     */
    public int mti()
    {
        return mti;
    }

    /**
     * Whether a field is present and fully decoded. Field 0 is the MTI and field 1 the bitmap.
     *
     * @param n field number.
     * @return true when the value accessors can be used for the field.
     */
    public boolean hasField(final int n)
    {
        if (n < 0 || n >= decodedBelow)
        {
            return false;
        }

        return n <= 1 || bitmapNames(n);
    }

    /**
     * Whether the bitmap has the field's bit set, whether or not the field decoded. Bit 1 means a
     * secondary bitmap.
     *
     * @param n field number, 1 to 128.
     * @return true when the bit is set; false for numbers out of range or an unread bitmap.
     */
    public boolean bitmapNames(final int n)
    {
        if (n >= 1 && n <= 64)
        {
            return (primaryBitmap << (n - 1)) < 0;
        }
        if (n >= 65 && n <= IsoDialect.MAX_FIELD)
        {
            return (secondaryBitmap << (n - 65)) < 0;
        }

        return false;
    }

    /**
     * Whether the message carries a secondary bitmap (fields 65 to 128).
     *
     * @return true when bit 1 of the primary bitmap is set.
     */
    public boolean hasSecondaryBitmap()
    {
        return primaryBitmap < 0;
    }

    /**
     * Absolute buffer offset where a field's encoding begins, length prefix included. The bytes
     * from {@link #messageOffset()} up to the start of field 64 (or 128) are what the MAC covers.
     *
     * @param n field number.
     * @return the offset, -1 when the field is not decoded.
     */
    public int fieldStart(final int n)
    {
        return hasField(n) ? start(n) : -1;
    }

    /**
     * Absolute buffer offset of a field's value, after any length prefix.
     *
     * @param n field number.
     * @return the offset, -1 when the field is not decoded.
     */
    public int valueOffset(final int n)
    {
        return hasField(n) ? valueOffsetOf(n) : -1;
    }

    /**
     * Bytes the field's value takes in the buffer, prefix excluded.
     *
     * @param n field number.
     * @return bytes, -1 when the field is not decoded.
     */
    public int valueBytes(final int n)
    {
        return hasField(n) ? bytesOf(n) : -1;
    }

    /**
     * Logical length of a field's value: digits (numeric), sign plus digits (amount), characters
     * (alpha) or bytes (binary, bitmap).
     *
     * @param n field number.
     * @return the length, -1 when the field is not decoded.
     */
    public int valueLength(final int n)
    {
        return hasField(n) ? lengthOf(n) : -1;
    }

    /**
     * Value of a numeric field of at most 18 digits.
     *
     * @param n field number.
     * @return the value, -1 when the field is absent, not numeric, longer than 18 digits or holds a
     * separator.
     */
    public long numeric(final int n)
    {
        if (!hasField(n) || NUMERIC != type(n) || lengthOf(n) > MAX_LONG_DIGITS)
        {
            return -1;
        }
        if (!fixed(n))
        {
            return digits(n, 0, lengthOf(n));
        }

        // A fixed numeric was checked to hold only digits and a 0 pad nibble when it was wrapped.
        final int valueOffset = valueOffsetOf(n);
        long value = 0;
        if (binary)
        {
            for (int i = 0, bytes = bytesOf(n); i < bytes; i++)
            {
                final int b = buffer.getByte(valueOffset + i) & 0xFF;
                value = value * 100 + (b >>> 4) * 10 + (b & 0xF);
            }
        }
        else
        {
            for (int i = 0, length = lengthOf(n); i < length; i++)
            {
                value = value * 10 + (buffer.getByte(valueOffset + i) - '0');
            }
        }

        return value;
    }

    /**
     * Value of a run of digits within a numeric or amount field, e.g. a sub-element of field 90.
     * Indexes are logical character indexes as for {@link #charAt(int, int)}: for an amount, index
     * 0 is the sign.
     *
     * @param n     field number.
     * @param from  index of the first digit.
     * @param count digits to read, 1 to 18.
     * @return the value, -1 when out of range, absent, of another type, or a character in the run
     * is not a digit.
     */
    public long digits(final int n, final int from, final int count)
    {
        if (!hasField(n) || count < 1 || count > MAX_LONG_DIGITS || from < 0 || from > lengthOf(n) - count)
        {
            return -1;
        }
        final byte type = type(n);
        if (NUMERIC != type && AMOUNT != type)
        {
            return -1;
        }

        long value = 0;
        for (int i = from, last = from + count; i < last; i++)
        {
            final int c = charAt(n, i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }

        return value;
    }

    /**
     * Logical character of a numeric, amount or alpha value: a digit, {@code '='} for the track-2
     * separator (BCD nibble D), the characters jPOS produces for the other nibbles above 9, the
     * sign of an amount at index 0, or the byte of an alpha value (0 to 255).
     *
     * @param n     field number.
     * @param index of the character, 0 to {@code valueLength(n) - 1}.
     * @return the character, -1 when out of range, absent or binary.
     */
    public int charAt(final int n, final int index)
    {
        if (!hasField(n) || index < 0 || index >= lengthOf(n))
        {
            return -1;
        }

        final byte type = type(n);
        final int valueOffset = valueOffsetOf(n);
        if (ALPHA == type || !binary && (NUMERIC == type || AMOUNT == type))
        {
            return buffer.getByte(valueOffset + index) & 0xFF;
        }
        if (NUMERIC == type)
        {
            final int digits = lengthOf(n);
            final int lead = fixed(n) ? digits & 1 : 0;
            return NIBBLE_CHARS[nibble(valueOffset, index + lead)];
        }
        if (AMOUNT == type)
        {
            if (0 == index)
            {
                return buffer.getByte(valueOffset) & 0xFF;
            }
            final int lead = (lengthOf(n) - 1) & 1;
            return NIBBLE_CHARS[nibble(valueOffset + 1, index - 1 + lead)];
        }

        return -1;
    }

    /**
     * Copy a numeric, amount or alpha value as ASCII (ISO-8859-1) characters, one byte each.
     *
     * @param n         field number.
     * @param dst       to copy into.
     * @param dstOffset where the first character goes.
     * @return characters copied, -1 when the field is absent or binary.
     */
    public int copyChars(final int n, final MutableDirectBuffer dst, final int dstOffset)
    {
        if (!hasField(n))
        {
            return -1;
        }

        final byte type = type(n);
        final int length = lengthOf(n);
        if (ALPHA == type || !binary && (NUMERIC == type || AMOUNT == type))
        {
            dst.putBytes(dstOffset, buffer, valueOffsetOf(n), length);
            return length;
        }
        if (NUMERIC != type && AMOUNT != type)
        {
            return -1;
        }

        for (int i = 0; i < length; i++)
        {
            dst.putByte(dstOffset + i, (byte)charAt(n, i));
        }

        return length;
    }

    /**
     * Copy a binary value as raw bytes (hex-decoded in the ASCII dialect).
     *
     * @param n         field number.
     * @param dst       to copy into.
     * @param dstOffset where the first byte goes.
     * @return bytes copied, -1 when the field is absent or not binary.
     */
    public int copyBinary(final int n, final MutableDirectBuffer dst, final int dstOffset)
    {
        if (!hasField(n) || BINARY != type(n))
        {
            return -1;
        }

        final int length = lengthOf(n);
        final int valueOffset = valueOffsetOf(n);
        if (binary)
        {
            dst.putBytes(dstOffset, buffer, valueOffset, length);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                final int high = hexValue(buffer.getByte(valueOffset + (i << 1)));
                final int low = hexValue(buffer.getByte(valueOffset + (i << 1) + 1));
                dst.putByte(dstOffset + i, (byte)((high << 4) | low));
            }
        }

        return length;
    }

    /**
     * Buffer of the last wrap.
     *
     * @return the buffer, null before the first wrap.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Offset of the message in {@link #buffer()}.
     *
     * @return the offset of the MTI.
     */
    public int messageOffset()
    {
        return messageOffset;
    }

    /**
     * Length of the wrapped message.
     *
     * @return bytes.
     */
    public int messageLength()
    {
        return messageLength;
    }

    /**
     * Dialect this reader decodes.
     *
     * @return the dialect.
     */
    public IsoDialect dialect()
    {
        return dialect;
    }

    private int readMti(final int offset, final int end)
    {
        final int bytes = binary ? 2 : 4;
        if (end - offset < bytes)
        {
            return fail(DecodeError.TRUNCATED, 0, offset);
        }

        int value = 0;
        if (binary)
        {
            for (int i = 0; i < bytes; i++)
            {
                final int b = buffer.getByte(offset + i) & 0xFF;
                if ((b >>> 4) > 9 || (b & 0xF) > 9)
                {
                    return fail(DecodeError.BAD_MTI, 0, offset + i);
                }
                value = value * 100 + (b >>> 4) * 10 + (b & 0xF);
            }
        }
        else
        {
            for (int i = 0; i < bytes; i++)
            {
                final int c = buffer.getByte(offset + i);
                if (c < '0' || c > '9')
                {
                    return fail(DecodeError.BAD_MTI, 0, offset + i);
                }
                value = value * 10 + (c - '0');
            }
        }

        mti = value;
        record(0, offset, bytes, 4);
        decodedBelow = 1;

        return offset + bytes;
    }

    private int readBitmap(final int offset, final int end)
    {
        final int wordBytes = binary ? BITMAP_BYTES : BITMAP_BYTES * 2;
        if (end - offset < wordBytes)
        {
            return fail(DecodeError.TRUNCATED, 1, offset);
        }

        if (binary)
        {
            primaryBitmap = buffer.getLong(offset, ByteOrder.BIG_ENDIAN);
        }
        else if (!readHexWord(offset, true))
        {
            return -1;
        }

        int position = offset + wordBytes;
        if (primaryBitmap < 0)
        {
            if (end - position < wordBytes)
            {
                return fail(DecodeError.TRUNCATED, 1, position);
            }

            if (binary)
            {
                secondaryBitmap = buffer.getLong(position, ByteOrder.BIG_ENDIAN);
            }
            else if (!readHexWord(position, false))
            {
                return -1;
            }
            position += wordBytes;
        }

        final int bitmapBytes = primaryBitmap < 0 ? 2 * BITMAP_BYTES : BITMAP_BYTES;
        record(1, offset, position - offset, bitmapBytes);
        decodedBelow = 2;

        return position;
    }

    private boolean readHexWord(final int offset, final boolean primary)
    {
        long word = 0;
        for (int i = 0; i < 16; i++)
        {
            final int value = hexValue(buffer.getByte(offset + i));
            if (value < 0)
            {
                fail(DecodeError.BAD_BITMAP, 1, offset + i);
                return false;
            }
            word = (word << 4) | value;
        }

        if (primary)
        {
            primaryBitmap = word;
        }
        else
        {
            secondaryBitmap = word;
        }

        return true;
    }

    private int readField(final int n, final int start, final int end)
    {
        final int spec = layout[n];
        final byte type = typeOf(spec);
        if (NONE == type)
        {
            return fail(DecodeError.FIELD_NOT_IN_DIALECT, n, start);
        }

        final int prefix = prefixBytesOf(spec);
        final int length = 0 == prefix ? maxLengthOf(spec) : readLengthPrefix(n, start, end, prefix);
        if (length < 0)
        {
            return -1;
        }

        final int valueOffset = start + prefix;
        final int bytes = valueBytes(type, length);
        if (end - valueOffset < bytes)
        {
            return fail(DecodeError.TRUNCATED, n, valueOffset);
        }
        if (ALPHA != type && !(binary && BINARY == type) && !checkValue(n, type, valueOffset, length, bytes))
        {
            return -1;
        }

        record(n, start, bytes, length);
        decodedBelow = n + 1;

        return valueOffset + bytes;
    }

    private int readLengthPrefix(final int n, final int start, final int end, final int prefix)
    {
        if (end - start < prefix)
        {
            return fail(DecodeError.TRUNCATED, n, start);
        }

        int length = 0;
        for (int i = 0; i < prefix; i++)
        {
            final int b = buffer.getByte(start + i) & 0xFF;
            if (binary)
            {
                if ((b >>> 4) > 9 || (b & 0xF) > 9)
                {
                    return fail(DecodeError.BAD_LENGTH_PREFIX, n, start + i);
                }
                length = length * 100 + (b >>> 4) * 10 + (b & 0xF);
            }
            else
            {
                if (b < '0' || b > '9')
                {
                    return fail(DecodeError.BAD_LENGTH_PREFIX, n, start + i);
                }
                length = length * 10 + (b - '0');
            }
        }

        if (length > maxLength(n))
        {
            return fail(DecodeError.LENGTH_ABOVE_MAXIMUM, n, start);
        }

        return length;
    }

    private int valueBytes(final byte type, final int length)
    {
        if (NUMERIC == type)
        {
            return binary ? (length + 1) >> 1 : length;
        }
        if (AMOUNT == type)
        {
            return binary ? 1 + (length >> 1) : length;
        }
        if (BINARY == type)
        {
            return binary ? length : length << 1;
        }

        return length;
    }

    private boolean checkValue(final int n, final byte type, final int valueOffset, final int length, final int bytes)
    {
        int badOffset = -1;
        DecodeError error = binary ? DecodeError.BAD_BCD : DecodeError.BAD_DIGIT;
        if (NUMERIC == type)
        {
            badOffset = binary ?
                checkBcd(valueOffset, length, fixed(n), !fixed(n)) :
                checkAsciiDigits(valueOffset, length, !fixed(n));
        }
        else if (AMOUNT == type)
        {
            final int sign = buffer.getByte(valueOffset);
            if ('C' != sign && 'D' != sign)
            {
                badOffset = valueOffset;
                error = DecodeError.BAD_AMOUNT_SIGN;
            }
            else
            {
                badOffset = binary ?
                    checkBcd(valueOffset + 1, length - 1, true, false) :
                    checkAsciiDigits(valueOffset + 1, length - 1, false);
            }
        }
        else if (BINARY == type)
        {
            badOffset = checkHex(valueOffset, bytes);
            error = DecodeError.BAD_HEX;
        }

        if (badOffset >= 0)
        {
            fail(error, n, badOffset);
            return false;
        }

        return true;
    }

    private int checkBcd(final int offset, final int digits, final boolean leftPadded, final boolean separatorAllowed)
    {
        final int bytes = (digits + 1) >> 1;
        if (allNibblesDecimal(offset, bytes) && (0 == (digits & 1) || padNibbleIsZero(offset, bytes, leftPadded)))
        {
            return -1;
        }

        return locateBadBcd(offset, digits, leftPadded, separatorAllowed);
    }

    private boolean padNibbleIsZero(final int offset, final int bytes, final boolean leftPadded)
    {
        return leftPadded ?
            0 == (buffer.getByte(offset) & 0xF0) :
            0 == (buffer.getByte(offset + bytes - 1) & 0x0F);
    }

    /**
     * Whether every nibble of the bytes is 0 to 9: a nibble is above 9 when bit 3 is set together
     * with bit 2 or bit 1, tested for 16 nibbles at a time. A run shorter than 8 bytes is tested
     * with one 8-byte read when the message has 8 bytes from its start (the bytes past the run
     * masked off), so reads stay within the message.
     */
    private boolean allNibblesDecimal(final int offset, final int bytes)
    {
        int i = 0;
        for (; i + Long.BYTES <= bytes; i += Long.BYTES)
        {
            if (!nibblesDecimal(buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN)))
            {
                return false;
            }
        }
        final int rest = bytes - i;
        if (0 == rest)
        {
            return true;
        }
        if (messageOffset + messageLength - (offset + i) >= Long.BYTES)
        {
            final long x = buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN) & ((1L << (rest << 3)) - 1);
            return nibblesDecimal(x);
        }
        for (; i < bytes; i++)
        {
            final int x = buffer.getByte(offset + i);
            if (0 != ((x >>> 3) & ((x >>> 2) | (x >>> 1)) & 0x11))
            {
                return false;
            }
        }

        return true;
    }

    private static boolean nibblesDecimal(final long x)
    {
        return 0 == ((x >>> 3) & ((x >>> 2) | (x >>> 1)) & 0x1111_1111_1111_1111L);
    }

    private int locateBadBcd(
        final int offset, final int digits, final boolean leftPadded, final boolean separatorAllowed)
    {
        final int nibbles = (digits + 1) & ~1;
        final boolean padded = nibbles != digits;
        for (int k = 0; k < nibbles; k++)
        {
            final int value = nibble(offset, k);
            if (padded && leftPadded && 0 == k)
            {
                if (0 != value)
                {
                    return offset;
                }
            }
            else if (padded && !leftPadded && nibbles - 1 == k)
            {
                if (0 != value && F_NIBBLE != value)
                {
                    return offset + (k >> 1);
                }
            }
            else if (value > 9 && !(separatorAllowed && SEPARATOR_NIBBLE == value))
            {
                return offset + (k >> 1);
            }
        }

        return -1;
    }

    private int checkAsciiDigits(final int offset, final int count, final boolean separatorAllowed)
    {
        for (int i = 0; i < count; i++)
        {
            final int c = buffer.getByte(offset + i);
            if ((c < '0' || c > '9') && !(separatorAllowed && '=' == c))
            {
                return offset + i;
            }
        }

        return -1;
    }

    private int checkHex(final int offset, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (hexValue(buffer.getByte(offset + i)) < 0)
            {
                return offset + i;
            }
        }

        return -1;
    }

    private int nibble(final int offset, final int index)
    {
        final int b = buffer.getByte(offset + (index >> 1));
        return 0 == (index & 1) ? (b >>> 4) & 0xF : b & 0xF;
    }

    private void record(final int n, final int start, final int bytes, final int length)
    {
        locations[n] = ((long)start << 32) | ((long)bytes << 16) | length;
    }

    private int fail(final DecodeError error, final int field, final int absoluteOffset)
    {
        this.error = error;
        errorField = field;
        errorOffset = absoluteOffset - messageOffset;
        return -1;
    }

    static int hexValue(final int c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }

        return -1;
    }
}
