package org.unicard.iso8583.fuzz;

import java.util.Arrays;
import java.util.HexFormat;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.iso8583.dialect.FieldSpec;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.message.DecodeError;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.iso8583.message.IsoMessageWriter;

/**
 * The properties every fuzz target checks on one message body, for one dialect:
 * <ul>
 *     <li>{@link IsoMessageReader#wrap} and every accessor return without an exception, and read
 *     nothing outside the message: the body is wrapped in an {@link UnsafeBuffer} of exactly its
 *     bytes, whose bounds checks throw on any outside read;</li>
 *     <li>every decoded field lies inside the message;</li>
 *     <li>a rejected message reports an error kind, a field and an offset within the message that
 *     agree with each other and with what was decoded before the fault;</li>
 *     <li>an accepted message echoed field by field ({@link IsoMessageWriter#putFieldFrom}) gives back
 *     the same bytes, except for the two normalisations the writer makes by design (upper-case hex
 *     in the ASCII bitmap, no secondary bitmap when no field above 64 is present);</li>
 *     <li>an accepted message re-encoded from its decoded values through the typed put methods reads
 *     back to the same MTI, the same fields and the same values (the bytes may differ by design: a
 *     trailing BCD pad nibble F is read, the writer pads with 0).</li>
 * </ul>
 * A violation throws {@link AssertionError} naming the property, the field and the message in hex.
 * Instances hold preallocated readers, a writer and scratch buffers; not thread safe.
 */
public final class ReaderProperties
{
    private static final int SCRATCH_BYTES = 64 * 1024;

    private final IsoDialect dialect;
    private final IsoMessageReader reader;
    private final IsoMessageReader readBack;
    private final IsoMessageWriter writer;
    private final UnsafeBuffer encoded = new UnsafeBuffer(new byte[SCRATCH_BYTES]);
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[SCRATCH_BYTES]);
    private final UnsafeBuffer otherValue = new UnsafeBuffer(new byte[SCRATCH_BYTES]);
    private byte[] message;
    private long accepted;
    private long rejected;

    /**
     * Properties for one dialect.
     *
     * @param dialect of the messages to check.
     */
    public ReaderProperties(final IsoDialect dialect)
    {
        this.dialect = dialect;
        this.reader = new IsoMessageReader(dialect);
        this.readBack = new IsoMessageReader(dialect);
        this.writer = new IsoMessageWriter(dialect);
    }

    /**
     * Check every property on one message body.
     *
     * @param body the message, MTI first, exactly its bytes.
     * @return true when the reader accepted the message.
     */
    public boolean check(final byte[] body)
    {
        message = body;
        final int length = body.length;
        reader.wrap(new UnsafeBuffer(body), 0, length);
        checkDecodedFieldsInside(length);
        exerciseAccessors();
        if (reader.isValid())
        {
            accepted++;
            checkEcho(body);
            checkTypedRoundTrip();
            return true;
        }

        rejected++;
        checkError(length);
        return false;
    }

    /**
     * Messages accepted so far.
     *
     * @return count.
     */
    public long accepted()
    {
        return accepted;
    }

    /**
     * Messages rejected so far.
     *
     * @return count.
     */
    public long rejected()
    {
        return rejected;
    }

    private void checkDecodedFieldsInside(final int length)
    {
        int previousEnd = 0;
        for (int n = 0; n <= IsoDialect.MAX_FIELD; n++)
        {
            if (!reader.hasField(n))
            {
                require(-1 == reader.fieldStart(n) && -1 == reader.valueLength(n) && -1 == reader.valueBytes(n),
                    "absent field " + n + " has a position");
                continue;
            }
            final int start = reader.fieldStart(n);
            final int valueOffset = reader.valueOffset(n);
            final int end = valueOffset + reader.valueBytes(n);
            require(start >= previousEnd && valueOffset >= start && end >= valueOffset && end <= length,
                "field " + n + " start=" + start + " value=" + valueOffset + " end=" + end + " previousEnd=" +
                previousEnd + " length=" + length);
            previousEnd = end;
        }
    }

    private void exerciseAccessors()
    {
        reader.mti();
        reader.hasSecondaryBitmap();
        for (int n = -1; n <= IsoDialect.FIELD_SLOTS; n++)
        {
            reader.bitmapNames(n);
            final int length = reader.valueLength(n);
            reader.numeric(n);
            reader.digits(n, 0, Math.max(1, Math.min(18, length)));
            reader.digits(n, length - 1, 1);
            reader.digits(n, -1, 3);
            reader.charAt(n, -1);
            reader.charAt(n, length);
            for (int i = 0; i < length; i++)
            {
                reader.charAt(n, i);
            }
            reader.copyChars(n, value, 0);
            reader.copyBinary(n, value, 0);
        }
    }

    private void checkError(final int length)
    {
        final DecodeError error = reader.error();
        final int field = reader.errorField();
        final int offset = reader.errorOffset();
        require(DecodeError.NONE != error, "invalid without an error kind");
        final boolean mayBeAtEnd = DecodeError.TRUNCATED == error || DecodeError.FIELD_NOT_IN_DIALECT == error;
        require(offset >= 0 && (offset < length || mayBeAtEnd && offset == length),
            error + " offset=" + offset + " outside the message of " + length + " bytes");

        switch (error)
        {
            case TRAILING_BYTES ->
            {
                require(-1 == field, "TRAILING_BYTES field=" + field);
                for (int n = 2; n <= IsoDialect.MAX_FIELD; n++)
                {
                    require(reader.bitmapNames(n) == reader.hasField(n), "TRAILING_BYTES but field " + n + " undecoded");
                }
                return;
            }
            case BAD_MTI -> require(0 == field && -1 == reader.mti(), "BAD_MTI field=" + field + " mti=" + reader.mti());
            case BAD_BITMAP -> require(1 == field, "BAD_BITMAP field=" + field);
            case TRUNCATED -> require(field >= 0 && field <= IsoDialect.MAX_FIELD, "TRUNCATED field=" + field);
            default -> require(field >= 2 && field <= IsoDialect.MAX_FIELD, error + " field=" + field);
        }

        if (field >= 1)
        {
            require(reader.mti() >= 0 && reader.mti() <= 9999, error + " after the MTI but mti=" + reader.mti());
        }
        if (field >= 2)
        {
            require(reader.bitmapNames(field) && !reader.hasField(field),
                error + " in field " + field + " the bitmap does not name, or that decoded");
            require((DecodeError.FIELD_NOT_IN_DIALECT == error) == (null == dialect.field(field)),
                error + " for field " + field + " defined=" + (null != dialect.field(field)));
            for (int n = 2; n < field; n++)
            {
                require(reader.bitmapNames(n) == reader.hasField(n), error + " in field " + field + " but earlier field " + n + " undecoded");
                if (reader.hasField(n))
                {
                    require(offset >= reader.valueOffset(n) + reader.valueBytes(n),
                        error + " offset=" + offset + " inside earlier field " + n);
                }
            }
        }
    }

    private void checkEcho(final byte[] body)
    {
        boolean anySecondaryField = false;
        writer.reset(reader.mti());
        for (int n = 2; n <= IsoDialect.MAX_FIELD; n++)
        {
            if (reader.bitmapNames(n))
            {
                require(reader.hasField(n), "valid but field " + n + " undecoded");
                writer.putFieldFrom(reader, n);
                anySecondaryField |= n > 64;
            }
        }
        final int length = writer.encode(encoded, 0);
        final byte[] expected = body.clone();
        final int wordBytes = dialect.isBinary() ? 8 : 16;
        final int bitmapStart = dialect.isBinary() ? 2 : 4;
        if (!dialect.isBinary())
        {
            // Hex digits of the ASCII bitmap may arrive in lower case; the writer emits upper case.
            final int bitmapEnd = bitmapStart + (reader.hasSecondaryBitmap() ? 2 : 1) * wordBytes;
            for (int p = bitmapStart; p < bitmapEnd; p++)
            {
                expected[p] = (byte)Character.toUpperCase(expected[p]);
            }
        }
        if (reader.hasSecondaryBitmap() && !anySecondaryField)
        {
            // The writer sends no secondary bitmap when no field above 64 is present.
            final byte[] withoutSecondary = new byte[expected.length - wordBytes];
            System.arraycopy(expected, 0, withoutSecondary, 0, bitmapStart);
            System.arraycopy(expected, bitmapStart + 2 * wordBytes, withoutSecondary, bitmapStart + wordBytes,
                expected.length - bitmapStart - 2 * wordBytes);
            System.arraycopy(encoded.byteArray(), bitmapStart, withoutSecondary, bitmapStart, wordBytes);
            requireSameBitmapWithoutSecondary();
            require(Arrays.equals(withoutSecondary, Arrays.copyOf(encoded.byteArray(), length)),
                "echo without secondary fields differs");
            return;
        }
        require(Arrays.equals(expected, Arrays.copyOf(encoded.byteArray(), length)), "echo differs");
    }

    private void requireSameBitmapWithoutSecondary()
    {
        readBack.wrap(encoded, 0, writer.encodedLength());
        for (int n = 2; n <= 64; n++)
        {
            require(readBack.bitmapNames(n) == reader.bitmapNames(n), "echoed bitmap differs at bit " + n);
        }
        require(!readBack.hasSecondaryBitmap(), "echo kept an empty secondary bitmap");
    }

    /**
     * Put every field of a valid message into a writer through the typed put methods, from the
     * decoded values; the writer may be of the other dialect (a transcoding).
     *
     * @param reader  wrapped on a valid message.
     * @param writer  to fill; reset to the reader's MTI first.
     * @param scratch room for the longest value.
     */
    public static void putDecodedFields(final IsoMessageReader reader, final IsoMessageWriter writer, final UnsafeBuffer scratch)
    {
        writer.reset(reader.mti());
        for (int n = 2; n <= IsoDialect.MAX_FIELD; n++)
        {
            if (!reader.hasField(n))
            {
                continue;
            }
            final FieldSpec spec = reader.dialect().field(n);
            final int length = reader.valueLength(n);
            switch (spec.type())
            {
                case NUMERIC -> writer.putDigits(n, scratch, 0, reader.copyChars(n, scratch, 0));
                case ALPHA -> writer.putChars(n, scratch, 0, reader.copyChars(n, scratch, 0));
                case AMOUNT ->
                {
                    final long amount = reader.digits(n, 1, length - 1);
                    if (amount < 0)
                    {
                        throw new AssertionError("amount field " + n + " unreadable");
                    }
                    writer.putAmount(n, (char)reader.charAt(n, 0), amount);
                }
                case BINARY -> writer.putBinary(n, scratch, 0, reader.copyBinary(n, scratch, 0));
                default -> throw new AssertionError("field " + n + " type " + spec.type());
            }
        }
    }

    private void checkTypedRoundTrip()
    {
        putDecodedFields(reader, writer, value);
        final int length = writer.encode(encoded, 0);
        readBack.wrap(new UnsafeBuffer(encoded.byteArray(), 0, length), 0, length);
        require(readBack.isValid(), "re-encoded message rejected: " + readBack.error() + " field=" +
            readBack.errorField() + " offset=" + readBack.errorOffset());
        require(readBack.mti() == reader.mti(), "mti " + reader.mti() + " read back as " + readBack.mti());
        for (int n = 2; n <= IsoDialect.MAX_FIELD; n++)
        {
            require(readBack.hasField(n) == reader.hasField(n), "field " + n + " presence differs");
            if (!reader.hasField(n))
            {
                continue;
            }
            require(readBack.valueLength(n) == reader.valueLength(n), "field " + n + " length differs");
            final int bytes;
            final int otherBytes;
            if (readBack.copyBinary(n, otherValue, 0) >= 0)
            {
                bytes = reader.copyBinary(n, value, 0);
                otherBytes = readBack.copyBinary(n, otherValue, 0);
            }
            else
            {
                bytes = reader.copyChars(n, value, 0);
                otherBytes = readBack.copyChars(n, otherValue, 0);
            }
            require(bytes == otherBytes && Arrays.equals(value.byteArray(), 0, bytes, otherValue.byteArray(), 0, bytes),
                "field " + n + " value differs");
        }
    }

    private void require(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(dialect.name() + ": " + what + "; message=" + HexFormat.of().formatHex(message));
        }
    }
}
