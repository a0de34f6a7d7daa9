package org.unicard.iso8583.message;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.iso8583.dialect.FieldSpec;
import org.unicard.iso8583.dialect.FieldType;
import org.unicard.iso8583.dialect.IsoDialect;

/**
 * Zero-allocation encoder of ISO 8583:1987 messages, byte for byte as jPOS packs them.
 * <p>
 * Two ways to use it:
 * <ul>
 * <li><b>Staged</b>: {@link #reset(int)}, put fields in any order (putting a field twice replaces
 * it), then {@link #encode(MutableDirectBuffer, int)} writes the MTI, the bitmap (with the secondary
 * bitmap iff any field 65 to 128 is present) and the fields in ascending order. Each put encodes
 * the field at once into a preallocated staging slot sized for the field's maximum, so encode is a
 * sequence of copies: every field is written twice.</li>
 * <li><b>Direct</b>, for the hot path: {@link #wrap(MutableDirectBuffer, int, int)} writes the MTI
 * into the destination, each put encodes its field straight after the previous one (fields must
 * come in ascending order), and {@link #finish()} writes the bitmap: every field is written once.
 * The first field above 64 moves the fields already written along by the secondary bitmap's size,
 * once.</li>
 * </ul>
 * After encode or finish, {@link #encodedFieldStart(int)} and {@link #encodedValueOffset(int)}
 * locate each field in the output, so a MAC over the bytes before field 64 or 128 can be computed
 * and written into that field's value in place.
 * <p>
 * Padding follows jPOS: fixed numerics are left-padded with zeros (a 0 nibble in front for an odd
 * digit count in BCD), variable numerics carry their digits as given (a 0 nibble behind for an odd
 * count), fixed alpha values are right-padded with spaces, amounts are zero-padded after the sign.
 * <p>
 * Misuse is a programmer error and throws {@link IllegalArgumentException} with key=value context
 * ({@code field=4 length=13 max=12}); the message is left unchanged by a put that throws. Not thread
 * safe; reuse one instance per thread.
 */
public final class IsoMessageWriter
{
    private static final byte[] HEX_DIGITS =
    {
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'
    };
    private static final int MAX_LONG_DIGITS = 19;
    private static final int SEPARATOR_NIBBLE = 0xD;

    private final IsoDialect dialect;
    private final boolean binary;
    private final FieldType[] types = new FieldType[IsoDialect.FIELD_SLOTS];
    private final boolean[] fixed = new boolean[IsoDialect.FIELD_SLOTS];
    private final int[] maxLengths = new int[IsoDialect.FIELD_SLOTS];
    private final int[] prefixBytes = new int[IsoDialect.FIELD_SLOTS];
    private final int[] slotOffsets = new int[IsoDialect.FIELD_SLOTS];
    private final int[] encodedBytes = new int[IsoDialect.FIELD_SLOTS];
    private final int[] encodedFieldStarts = new int[IsoDialect.FIELD_SLOTS];
    private final UnsafeBuffer staging;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[MAX_LONG_DIGITS]);

    private int mti;
    private long primaryBitmap;
    private long secondaryBitmap;
    private boolean encoded;

    /** Where fields are written: the staging buffer, or the destination in direct mode. */
    private MutableDirectBuffer target;
    private boolean direct;
    private int directOffset;
    private int bitmapOffset;
    private int cursor;
    private int lastField;

    /**
     * Create a writer for one dialect, preallocating a staging slot per field.
     *
     * @param dialect of the messages to encode.
     */
    public IsoMessageWriter(final IsoDialect dialect)
    {
        this.dialect = dialect;
        this.binary = dialect.isBinary();
        int stagingBytes = 0;
        for (int n = 2; n < IsoDialect.FIELD_SLOTS; n++)
        {
            final FieldSpec spec = dialect.field(n);
            if (null != spec)
            {
                types[n] = spec.type();
                fixed[n] = spec.isFixed();
                maxLengths[n] = spec.maxLength();
                prefixBytes[n] = dialect.prefixBytes(n);
                slotOffsets[n] = stagingBytes;
                stagingBytes += dialect.maxEncodedBytes(n);
            }
        }
        staging = new UnsafeBuffer(new byte[stagingBytes]);
        target = staging;
    }

    /**
     * Start a new message, forgetting every field.
     *
     * @param mti message type indicator, e.g. 210 for "0210", 0 to 9999.
     * @return this writer.
     */
    public IsoMessageWriter reset(final int mti)
    {
        if (mti < 0 || mti > 9999)
        {
            throw new IllegalArgumentException("mti=" + mti + " min=0 max=9999");
        }
        this.mti = mti;
        primaryBitmap = 0;
        secondaryBitmap = 0;
        encoded = false;
        target = staging;
        direct = false;

        return this;
    }

    /**
     * Start a new message written directly into {@code dst}: the MTI now, each field as it is put
     * (in ascending field order), the bitmap on {@link #finish()}. Nothing is staged or copied.
     *
     * @param dst    to write into; it must have room for the whole message.
     * @param offset where the MTI goes.
     * @param mti    message type indicator, 0 to 9999.
     * @return this writer.
     */
    public IsoMessageWriter wrap(final MutableDirectBuffer dst, final int offset, final int mti)
    {
        reset(mti);
        target = dst;
        direct = true;
        directOffset = offset;
        bitmapOffset = writeMti(dst, offset);
        cursor = bitmapOffset + bitmapWordBytes();
        lastField = 1;
        encodedFieldStarts[0] = offset;
        encodedFieldStarts[1] = bitmapOffset;

        return this;
    }

    /**
     * End a message started by {@link #wrap(MutableDirectBuffer, int, int)}: write its bitmap.
     *
     * @return bytes of the whole message, MTI included.
     */
    public int finish()
    {
        if (!direct)
        {
            throw new IllegalStateException("finish needs wrap; a staged message is written by encode");
        }
        final boolean secondary = 0 != secondaryBitmap;
        final long primary = secondary ? primaryBitmap | Long.MIN_VALUE : primaryBitmap;
        final int afterPrimary = writeBitmapWord(target, bitmapOffset, primary);
        if (secondary)
        {
            writeBitmapWord(target, afterPrimary, secondaryBitmap);
        }
        encoded = true;

        return cursor - directOffset;
    }

    /**
     * The MTI set by the last reset.
     *
     * @return the MTI.
     */
    public int mti()
    {
        return mti;
    }

    /**
     * Put a numeric field from a non-negative value: fixed fields are left-padded with zeros to
     * their length, variable fields get the minimal number of digits.
     *
     * @param n     field number of a {@link FieldType#NUMERIC} field.
     * @param value to put, at least 0.
     * @return this writer.
     */
    public IsoMessageWriter putNumeric(final int n, final long value)
    {
        checkType(n, FieldType.NUMERIC);
        if (value < 0)
        {
            throw new IllegalArgumentException("field=" + n + " value=" + value + " min=0");
        }
        final int digits = digitCount(value);
        if (digits > maxLengths[n])
        {
            throw new IllegalArgumentException("field=" + n + " length=" + digits + " max=" + maxLengths[n]);
        }
        if (binary && fixed[n])
        {
            // Two digits per byte from the right; the value's leading zeros give the padding.
            final int start = fieldStart(n);
            final int bytes = (maxLengths[n] + 1) >> 1;
            long remaining = value;
            for (int i = bytes - 1; i >= 0; i--)
            {
                final int twoDigits = (int)(remaining % 100);
                remaining /= 100;
                target.putByte(start + i, (byte)(((twoDigits / 10) << 4) | (twoDigits % 10)));
            }
            markPresent(n, start, bytes);
        }
        else
        {
            formatDigits(value);
            writeDigits(n, scratch, MAX_LONG_DIGITS - digits, digits);
        }

        return this;
    }

    /**
     * Put a numeric field from ASCII digits; fixed fields are left-padded with zeros. Variable
     * fields (track 2 among them) may hold {@code '='}, written as BCD nibble D.
     *
     * @param n      field number of a {@link FieldType#NUMERIC} field.
     * @param src    holding the digits.
     * @param offset of the first digit.
     * @param length digits, at most the field's maximum.
     * @return this writer.
     */
    public IsoMessageWriter putDigits(final int n, final DirectBuffer src, final int offset, final int length)
    {
        checkType(n, FieldType.NUMERIC);
        checkLength(n, length);
        final boolean separatorAllowed = !fixed[n];
        for (int i = 0; i < length; i++)
        {
            final int c = src.getByte(offset + i);
            if ((c < '0' || c > '9') && !(separatorAllowed && '=' == c))
            {
                throw new IllegalArgumentException("field=" + n + " index=" + i + " char=" + c + " expected=digit");
            }
        }
        writeDigits(n, src, offset, length);

        return this;
    }

    /**
     * Put an alpha field from bytes; fixed fields are right-padded with spaces.
     *
     * @param n      field number of a {@link FieldType#ALPHA} field.
     * @param src    holding the characters, one byte each.
     * @param offset of the first character.
     * @param length characters, at most the field's maximum.
     * @return this writer.
     */
    public IsoMessageWriter putChars(final int n, final DirectBuffer src, final int offset, final int length)
    {
        checkType(n, FieldType.ALPHA);
        checkLength(n, length);
        final int start = fieldStart(n);
        final int position = writePrefix(start, n, length);
        target.putBytes(position, src, offset, length);
        finishChars(n, start, position, length);

        return this;
    }

    /**
     * Put an alpha field from characters of ISO-8859-1 (0 to 255); fixed fields are right-padded
     * with spaces.
     *
     * @param n     field number of a {@link FieldType#ALPHA} field.
     * @param value the characters, at most the field's maximum.
     * @return this writer.
     */
    public IsoMessageWriter putChars(final int n, final CharSequence value)
    {
        checkType(n, FieldType.ALPHA);
        final int length = value.length();
        checkLength(n, length);
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c > 0xFF)
            {
                throw new IllegalArgumentException("field=" + n + " index=" + i + " char=" + (int)c + " max=255");
            }
        }
        final int start = fieldStart(n);
        final int position = writePrefix(start, n, length);
        for (int i = 0; i < length; i++)
        {
            target.putByte(position + i, (byte)value.charAt(i));
        }
        finishChars(n, start, position, length);

        return this;
    }

    /**
     * Put a binary field from raw bytes (hex-encoded in the ASCII dialect). A fixed field needs
     * exactly its length, as jPOS requires.
     *
     * @param n      field number of a {@link FieldType#BINARY} field.
     * @param src    holding the bytes.
     * @param offset of the first byte.
     * @param length bytes.
     * @return this writer.
     */
    public IsoMessageWriter putBinary(final int n, final DirectBuffer src, final int offset, final int length)
    {
        checkType(n, FieldType.BINARY);
        checkLength(n, length);
        if (fixed[n] && length != maxLengths[n])
        {
            throw new IllegalArgumentException("field=" + n + " length=" + length + " expected=" + maxLengths[n]);
        }
        final int start = fieldStart(n);
        final int position = writePrefix(start, n, length);
        if (binary)
        {
            target.putBytes(position, src, offset, length);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                final int b = src.getByte(offset + i);
                target.putByte(position + (i << 1), HEX_DIGITS[(b >>> 4) & 0xF]);
                target.putByte(position + (i << 1) + 1, HEX_DIGITS[b & 0xF]);
            }
        }
        markPresent(n, start, position - start + dialect.valueBytes(n, length));

        return this;
    }

    /**
     * Put an amount field: the sign, then the amount left-padded with zeros to the field's digits.
     *
     * @param n      field number of a {@link FieldType#AMOUNT} field.
     * @param sign   {@code 'C'} (credit) or {@code 'D'} (debit).
     * @param amount at least 0, with at most the field's length minus one digits.
     * @return this writer.
     */
    public IsoMessageWriter putAmount(final int n, final char sign, final long amount)
    {
        checkType(n, FieldType.AMOUNT);
        if ('C' != sign && 'D' != sign)
        {
            throw new IllegalArgumentException("field=" + n + " sign=" + (int)sign + " expected=C|D");
        }
        if (amount < 0)
        {
            throw new IllegalArgumentException("field=" + n + " value=" + amount + " min=0");
        }
        final int digitsMax = maxLengths[n] - 1;
        final int digits = formatDigits(amount);
        if (digits > digitsMax)
        {
            throw new IllegalArgumentException("field=" + n + " length=" + digits + " max=" + digitsMax);
        }
        final int position = fieldStart(n);
        target.putByte(position, (byte)sign);
        final int end = packDigits(position + 1, digitsMax, scratch, MAX_LONG_DIGITS - digits, digits, true);
        markPresent(n, position, end - position);

        return this;
    }

    /**
     * Put a field exactly as it was encoded in a message read in the same dialect, e.g. to echo
     * fields of a request in its response, without decoding it.
     *
     * @param reader positioned on the source message.
     * @param n      field number, 2 to 128, decoded by the reader.
     * @return this writer.
     */
    public IsoMessageWriter putFieldFrom(final IsoMessageReader reader, final int n)
    {
        checkField(n);
        if (reader.dialect() != dialect)
        {
            throw new IllegalArgumentException(
                "field=" + n + " readerDialect=" + reader.dialect().name() + " writerDialect=" + dialect.name());
        }
        if (!reader.hasField(n))
        {
            throw new IllegalArgumentException("field=" + n + " present=false");
        }
        final int start = reader.fieldStart(n);
        final int bytes = reader.valueOffset(n) + reader.valueBytes(n) - start;
        final int position = fieldStart(n);
        target.putBytes(position, reader.buffer(), start, bytes);
        markPresent(n, position, bytes);

        return this;
    }

    /**
     * A bitmap word naming fields 2 to 64, for {@link #putFieldsFrom(IsoMessageReader, long)}.
     *
     * @param fields field numbers, 2 to 64.
     * @return the word: field n is bit {@code Long.MIN_VALUE >>> (n - 1)}.
     */
    public static long fieldMask(final int... fields)
    {
        long mask = 0;
        for (final int n : fields)
        {
            if (n < 2 || n > 64)
            {
                throw new IllegalArgumentException("field=" + n + " min=2 max=64");
            }
            mask |= Long.MIN_VALUE >>> (n - 1);
        }

        return mask;
    }

    /**
     * Put every field of {@code fields} that the source message has, each exactly as it was
     * encoded, in ascending order: the way a response echoes its request. In direct mode, fields
     * that lie next to each other in the source are copied as one block.
     *
     * @param reader positioned on a source message of the same dialect; only the fields it decoded count.
     * @param fields fields 2 to 64 as a bitmap word: field n is bit {@code Long.MIN_VALUE >>> (n - 1)}.
     * @return this writer.
     */
    public IsoMessageWriter putFieldsFrom(final IsoMessageReader reader, final long fields)
    {
        if (reader.dialect() != dialect)
        {
            throw new IllegalArgumentException(
                "readerDialect=" + reader.dialect().name() + " writerDialect=" + dialect.name());
        }
        long bits = fields & Long.MAX_VALUE;
        if (!direct)
        {
            while (0 != bits)
            {
                final int leadingZeros = Long.numberOfLeadingZeros(bits);
                bits &= ~(Long.MIN_VALUE >>> leadingZeros);
                if (reader.hasField(leadingZeros + 1))
                {
                    putFieldFrom(reader, leadingZeros + 1);
                }
            }
            return this;
        }

        final DirectBuffer source = reader.buffer();
        int runFirst = 0;
        int runStart = 0;
        int runEnd = 0;
        while (0 != bits)
        {
            final int leadingZeros = Long.numberOfLeadingZeros(bits);
            bits &= ~(Long.MIN_VALUE >>> leadingZeros);
            final int n = leadingZeros + 1;
            if (!reader.hasField(n))
            {
                continue;
            }
            final int start = reader.fieldStart(n);
            if (0 != runFirst && start != runEnd)
            {
                copyRun(reader, source, runFirst, n - 1, runStart, runEnd);
                runFirst = 0;
            }
            if (0 == runFirst)
            {
                if (n <= lastField)
                {
                    throw new IllegalArgumentException("field=" + n + " previous=" + lastField + " expected=ascending order");
                }
                runFirst = n;
                runStart = start;
            }
            runEnd = reader.valueOffset(n) + reader.valueBytes(n);
        }
        if (0 != runFirst)
        {
            copyRun(reader, source, runFirst, 64, runStart, runEnd);
        }

        return this;
    }

    /**
     * Copy the source bytes of the fields the reader has from {@code first} up to {@code last},
     * which lie back to back in {@code [start, end)}, and record each as present.
     */
    private void copyRun(
        final IsoMessageReader reader,
        final DirectBuffer source,
        final int first,
        final int last,
        final int start,
        final int end)
    {
        final int position = cursor;
        target.putBytes(position, source, start, end - start);
        for (int n = first; n <= last; n++)
        {
            if (reader.hasField(n))
            {
                final int fieldStart = reader.fieldStart(n);
                if (fieldStart >= end)
                {
                    break;
                }
                markPresent(n, position + fieldStart - start, reader.valueOffset(n) + reader.valueBytes(n) - fieldStart);
            }
        }
    }

    /**
     * Remove a field, if present.
     *
     * @param n field number, 2 to 128.
     * @return this writer.
     */
    public IsoMessageWriter remove(final int n)
    {
        checkField(n);
        if (direct)
        {
            throw new IllegalStateException("field=" + n + " remove is not possible in direct mode");
        }
        if (n <= 64)
        {
            primaryBitmap &= ~(Long.MIN_VALUE >>> (n - 1));
        }
        else
        {
            secondaryBitmap &= ~(Long.MIN_VALUE >>> (n - 65));
        }
        encoded = false;

        return this;
    }

    /**
     * Whether a field has been put since the last reset.
     *
     * @param n field number.
     * @return true when present; false for numbers out of range.
     */
    public boolean has(final int n)
    {
        if (n >= 2 && n <= 64)
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
     * Bytes {@link #encode(MutableDirectBuffer, int)} will write for the current fields.
     *
     * @return bytes.
     */
    public int encodedLength()
    {
        if (direct)
        {
            return cursor - directOffset;
        }
        int length = (binary ? 2 : 4) + bitmapBytes();
        long bits = primaryBitmap;
        while (0 != bits)
        {
            final int leadingZeros = Long.numberOfLeadingZeros(bits);
            bits &= ~(Long.MIN_VALUE >>> leadingZeros);
            length += encodedBytes[leadingZeros + 1];
        }
        bits = secondaryBitmap;
        while (0 != bits)
        {
            final int leadingZeros = Long.numberOfLeadingZeros(bits);
            bits &= ~(Long.MIN_VALUE >>> leadingZeros);
            length += encodedBytes[leadingZeros + 65];
        }

        return length;
    }

    /**
     * Write the message: MTI, bitmap, then the fields in ascending order.
     *
     * @param dst    to write into; it must have room for {@link #encodedLength()} bytes.
     * @param offset where the MTI goes.
     * @return bytes written.
     */
    public int encode(final MutableDirectBuffer dst, final int offset)
    {
        if (direct)
        {
            throw new IllegalStateException("encode needs reset; a message started by wrap is ended by finish");
        }
        encodedFieldStarts[0] = offset;
        int position = writeMti(dst, offset);
        encodedFieldStarts[1] = position;
        final boolean secondary = 0 != secondaryBitmap;
        final long primary = secondary ? primaryBitmap | Long.MIN_VALUE : primaryBitmap;
        position = writeBitmapWord(dst, position, primary);
        if (secondary)
        {
            position = writeBitmapWord(dst, position, secondaryBitmap);
        }

        long bits = primaryBitmap;
        while (0 != bits)
        {
            final int leadingZeros = Long.numberOfLeadingZeros(bits);
            bits &= ~(Long.MIN_VALUE >>> leadingZeros);
            position = copyField(leadingZeros + 1, dst, position);
        }
        bits = secondaryBitmap;
        while (0 != bits)
        {
            final int leadingZeros = Long.numberOfLeadingZeros(bits);
            bits &= ~(Long.MIN_VALUE >>> leadingZeros);
            position = copyField(leadingZeros + 65, dst, position);
        }
        encoded = true;

        return position - offset;
    }

    /**
     * Absolute offset in the last encode's output where a field begins, length prefix included.
     * The MAC of field 64 (or 128) covers the bytes from the message start up to this offset.
     *
     * @param n field number; 0 is the MTI, 1 the bitmap.
     * @return the offset, -1 when the field was not encoded or the message changed since.
     */
    public int encodedFieldStart(final int n)
    {
        if (!encoded || !(n == 0 || n == 1 || has(n)))
        {
            return -1;
        }

        return encodedFieldStarts[n];
    }

    /**
     * Absolute offset in the last encode's output of a field's value, after any length prefix.
     *
     * @param n field number, 2 to 128.
     * @return the offset, -1 when the field was not encoded or the message changed since.
     */
    public int encodedValueOffset(final int n)
    {
        if (!encoded || !has(n))
        {
            return -1;
        }

        return encodedFieldStarts[n] + prefixBytes[n];
    }

    /**
     * Dialect this writer encodes.
     *
     * @return the dialect.
     */
    public IsoDialect dialect()
    {
        return dialect;
    }

    private int writeMti(final MutableDirectBuffer dst, final int offset)
    {
        if (binary)
        {
            dst.putByte(offset, (byte)(((mti / 1000) << 4) | ((mti / 100) % 10)));
            dst.putByte(offset + 1, (byte)((((mti / 10) % 10) << 4) | (mti % 10)));
            return offset + 2;
        }

        dst.putByte(offset, (byte)('0' + mti / 1000));
        dst.putByte(offset + 1, (byte)('0' + (mti / 100) % 10));
        dst.putByte(offset + 2, (byte)('0' + (mti / 10) % 10));
        dst.putByte(offset + 3, (byte)('0' + mti % 10));
        return offset + 4;
    }

    private int bitmapWordBytes()
    {
        return binary ? 8 : 16;
    }

    /**
     * Where field {@code n}'s encoding begins: its staging slot, or in direct mode the end of the
     * message so far (after checking the order, and making room for the secondary bitmap the first
     * time a field above 64 comes).
     */
    private int fieldStart(final int n)
    {
        if (!direct)
        {
            return slotOffsets[n];
        }
        if (n <= lastField)
        {
            throw new IllegalArgumentException("field=" + n + " previous=" + lastField + " expected=ascending order");
        }
        if (n > 64 && 0 == secondaryBitmap)
        {
            openSecondaryBitmap();
        }

        return cursor;
    }

    private void openSecondaryBitmap()
    {
        final int shift = bitmapWordBytes();
        final int fieldsStart = bitmapOffset + shift;
        for (int i = cursor - 1; i >= fieldsStart; i--)
        {
            target.putByte(i + shift, target.getByte(i));
        }
        long bits = primaryBitmap;
        while (0 != bits)
        {
            final int leadingZeros = Long.numberOfLeadingZeros(bits);
            bits &= ~(Long.MIN_VALUE >>> leadingZeros);
            encodedFieldStarts[leadingZeros + 1] += shift;
        }
        cursor += shift;
    }

    private int bitmapBytes()
    {
        final int words = 0 != secondaryBitmap ? 2 : 1;
        return words * (binary ? 8 : 16);
    }

    private int writeBitmapWord(final MutableDirectBuffer dst, final int position, final long word)
    {
        if (binary)
        {
            dst.putLong(position, word, ByteOrder.BIG_ENDIAN);
            return position + 8;
        }

        for (int i = 0; i < 16; i++)
        {
            dst.putByte(position + i, HEX_DIGITS[(int)(word >>> (60 - (i << 2))) & 0xF]);
        }

        return position + 16;
    }

    private int copyField(final int n, final MutableDirectBuffer dst, final int position)
    {
        final int bytes = encodedBytes[n];
        encodedFieldStarts[n] = position;
        dst.putBytes(position, staging, slotOffsets[n], bytes);

        return position + bytes;
    }

    private void writeDigits(final int n, final DirectBuffer src, final int offset, final int length)
    {
        final int start = fieldStart(n);
        final int end;
        if (fixed[n])
        {
            end = packDigits(start, maxLengths[n], src, offset, length, true);
        }
        else
        {
            end = packDigits(writePrefix(start, n, length), length, src, offset, length, false);
        }
        markPresent(n, start, end - start);
    }

    /**
     * Write {@code digits} digits at {@code position}: zeros first, then the {@code length} source
     * characters. BCD puts the pad nibble of an odd count in front when left-padded, else behind.
     */
    private int packDigits(
        final int position,
        final int digits,
        final DirectBuffer src,
        final int offset,
        final int length,
        final boolean leftPadded)
    {
        final int zeros = digits - length;
        if (!binary)
        {
            for (int i = 0; i < zeros; i++)
            {
                target.putByte(position + i, (byte)'0');
            }
            target.putBytes(position + zeros, src, offset, length);
            return position + digits;
        }

        final int bytes = (digits + 1) >> 1;
        final int lead = leftPadded ? digits & 1 : 0;
        for (int i = 0; i < bytes; i++)
        {
            final int high = digitNibble(src, offset, (i << 1) - lead - zeros, length);
            final int low = digitNibble(src, offset, (i << 1) + 1 - lead - zeros, length);
            target.putByte(position + i, (byte)((high << 4) | low));
        }

        return position + bytes;
    }

    private static int digitNibble(final DirectBuffer src, final int offset, final int index, final int length)
    {
        if (index < 0 || index >= length)
        {
            return 0;
        }
        final int c = src.getByte(offset + index);

        return '=' == c ? SEPARATOR_NIBBLE : c - '0';
    }

    private void finishChars(final int n, final int start, final int position, final int length)
    {
        int end = position + length;
        if (fixed[n])
        {
            final int padded = position + maxLengths[n];
            while (end < padded)
            {
                target.putByte(end++, (byte)' ');
            }
        }
        markPresent(n, start, end - start);
    }

    private int writePrefix(final int position, final int n, final int length)
    {
        final int bytes = prefixBytes[n];
        if (0 == bytes)
        {
            return position;
        }

        if (binary)
        {
            if (2 == bytes)
            {
                target.putByte(position, (byte)(length / 100));
                target.putByte(position + 1, (byte)((((length / 10) % 10) << 4) | (length % 10)));
            }
            else
            {
                target.putByte(position, (byte)(((length / 10) << 4) | (length % 10)));
            }
        }
        else
        {
            int remaining = length;
            for (int i = bytes - 1; i >= 0; i--)
            {
                target.putByte(position + i, (byte)('0' + remaining % 10));
                remaining /= 10;
            }
        }

        return position + bytes;
    }

    private static int digitCount(final long value)
    {
        int digits = 1;
        for (long limit = 10; digits < MAX_LONG_DIGITS && value >= limit; limit *= 10)
        {
            digits++;
        }

        return digits;
    }

    private int formatDigits(final long value)
    {
        long remaining = value;
        int digits = 0;
        do
        {
            scratch.putByte(MAX_LONG_DIGITS - 1 - digits, (byte)('0' + (remaining % 10)));
            remaining /= 10;
            digits++;
        }
        while (0 != remaining);

        return digits;
    }

    private void markPresent(final int n, final int start, final int bytes)
    {
        encodedBytes[n] = bytes;
        if (direct)
        {
            encodedFieldStarts[n] = start;
            cursor = start + bytes;
            lastField = n;
        }
        if (n <= 64)
        {
            primaryBitmap |= Long.MIN_VALUE >>> (n - 1);
        }
        else
        {
            secondaryBitmap |= Long.MIN_VALUE >>> (n - 65);
        }
        encoded = false;
    }

    private void checkField(final int n)
    {
        if (n < 2 || n > IsoDialect.MAX_FIELD || null == types[n])
        {
            throw new IllegalArgumentException("field=" + n + " dialect=" + dialect.name() + " defined=false");
        }
    }

    private void checkType(final int n, final FieldType expected)
    {
        checkField(n);
        if (types[n] != expected)
        {
            throw new IllegalArgumentException("field=" + n + " type=" + types[n] + " expected=" + expected);
        }
    }

    private void checkLength(final int n, final int length)
    {
        if (length < 0 || length > maxLengths[n])
        {
            throw new IllegalArgumentException("field=" + n + " length=" + length + " max=" + maxLengths[n]);
        }
    }
}
