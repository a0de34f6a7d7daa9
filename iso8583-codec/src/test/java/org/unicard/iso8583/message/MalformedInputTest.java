package org.unicard.iso8583.message;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.unicard.iso8583.dialect.FieldSpec;
import org.unicard.iso8583.dialect.FieldType;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.dialect.LengthPrefix;

/**
 * One test per kind of malformed input: the exact error, field and offset, and what stays readable.
 * <p>
 * The binary base message is 0200 with fields 2 (16 digits), 3, 4, 11, 22, 35 (23 digits), 41, 49
 * and 54; its layout (offsets from the message start):
 * <pre>
 *   0 MTI  2 bitmap  10 f2 prefix  11 f2  19 f3  22 f4  28 f11  31 f22  33 f35 prefix  34 f35
 *   46 f41  54 f49  57 f54 prefix  59 f54 (20 chars)  79 end
 * </pre>
 */
class MalformedInputTest
{
    private static final int F2 = 10;
    private static final int F4 = 22;
    private static final int F22 = 31;
    private static final int F35 = 33;
    private static final int F41 = 46;
    private static final int F54 = 57;
    private static final int END = 79;

    private final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY);
    private final IsoMessageReader asciiReader = new IsoMessageReader(IsoDialect.ASCII);

    @Test
    void shouldDecodeTheBaseMessageWithTheDocumentedLayout()
    {
        final byte[] message = base();
        read(message);

        assertEquals(DecodeError.NONE, reader.error());
        assertEquals(END, message.length);
        assertEquals(F2, reader.fieldStart(2));
        assertEquals(F4, reader.fieldStart(4));
        assertEquals(F22, reader.fieldStart(22));
        assertEquals(F35, reader.fieldStart(35));
        assertEquals(F41, reader.fieldStart(41));
        assertEquals(F54, reader.fieldStart(54));
    }

    @Test
    void shouldReportTruncatedMti()
    {
        read(Arrays.copyOf(base(), 1));

        assertError(DecodeError.TRUNCATED, 0, 0);
        assertEquals(-1, reader.mti());
        assertFalse(reader.hasField(0));
    }

    @Test
    void shouldReportBadMtiNibble()
    {
        final byte[] message = base();
        message[1] = 0x0A;
        read(message);

        assertError(DecodeError.BAD_MTI, 0, 1);
        assertEquals(-1, reader.mti());
    }

    @Test
    void shouldReportTruncatedPrimaryBitmapButKeepMti()
    {
        read(Arrays.copyOf(base(), 7));

        assertError(DecodeError.TRUNCATED, 1, 2);
        assertEquals(200, reader.mti());
        assertTrue(reader.hasField(0));
        assertFalse(reader.hasField(1));
    }

    @Test
    void shouldReportTruncatedSecondaryBitmap()
    {
        final byte[] message = Arrays.copyOf(base(), 13);
        message[2] |= (byte)0x80;
        read(message);

        assertError(DecodeError.TRUNCATED, 1, 10);
    }

    @Test
    void shouldReportTruncatedLengthPrefixAfterStan()
    {
        read(Arrays.copyOf(base(), F54 + 1));

        assertError(DecodeError.TRUNCATED, 54, F54);
        assertStanReadable();
    }

    @Test
    void shouldReportTruncatedValueAfterStan()
    {
        read(Arrays.copyOf(base(), F41 + 5));

        assertError(DecodeError.TRUNCATED, 41, F41);
        assertStanReadable();
        assertTrue(reader.hasField(35));
        assertTrue(reader.bitmapNames(41));
        assertFalse(reader.hasField(41));
        assertFalse(reader.hasField(49));
    }

    @Test
    void shouldReportBadLengthPrefixNibble()
    {
        final byte[] message = base();
        message[F2] = 0x1A;
        read(message);

        assertError(DecodeError.BAD_LENGTH_PREFIX, 2, F2);
        assertEquals(200, reader.mti());
        assertFalse(reader.hasField(11));
    }

    @Test
    void shouldReportLengthAboveMaximumOfLlField()
    {
        final byte[] message = base();
        message[F2] = 0x20;
        read(message);

        assertError(DecodeError.LENGTH_ABOVE_MAXIMUM, 2, F2);
    }

    @Test
    void shouldReportLengthAboveMaximumOfLllFieldAfterStan()
    {
        final byte[] message = base();
        message[F54] = 0x01;
        message[F54 + 1] = 0x21;
        read(message);

        assertError(DecodeError.LENGTH_ABOVE_MAXIMUM, 54, F54);
        assertStanReadable();
    }

    @Test
    void shouldReportBadBcdInFixedNumeric()
    {
        final byte[] message = base();
        message[F4 + 3] = (byte)0xC0;
        read(message);

        assertError(DecodeError.BAD_BCD, 4, F4 + 3);
        assertFalse(reader.hasField(11));
        assertTrue(reader.hasField(3));
    }

    @Test
    void shouldReportSeparatorNibbleInFixedNumeric()
    {
        final byte[] message = base();
        message[F4 + 5] = (byte)0x0D;
        read(message);

        assertError(DecodeError.BAD_BCD, 4, F4 + 5);
    }

    @Test
    void shouldReportBadBcdInTrack2AfterStan()
    {
        final byte[] message = base();
        message[F35 + 3] = (byte)0x1B;
        read(message);

        assertError(DecodeError.BAD_BCD, 35, F35 + 3);
        assertStanReadable();
    }

    @Test
    void shouldReportNonZeroLeadingPadNibble()
    {
        final byte[] message = base();
        message[F22] = 0x10;
        read(message);

        assertError(DecodeError.BAD_BCD, 22, F22);
    }

    @Test
    void shouldAcceptTrailingPadNibbleF()
    {
        final byte[] message = base();
        message[F35 + 12] = (byte)(message[F35 + 12] | 0x0F);
        read(message);

        assertEquals(DecodeError.NONE, reader.error());
        assertEquals('0', reader.charAt(35, 22));
        assertEquals(-1, reader.charAt(35, 23));
    }

    @Test
    void shouldReportOtherTrailingPadNibble()
    {
        final byte[] message = base();
        message[F35 + 12] = (byte)(message[F35 + 12] | 0x05);
        read(message);

        assertError(DecodeError.BAD_BCD, 35, F35 + 12);
    }

    @Test
    void shouldReportFieldNotInDialect()
    {
        final FieldSpec[] rows = new FieldSpec[IsoDialect.FIELD_SLOTS - 1];
        for (int n = 0, i = 0; n <= IsoDialect.MAX_FIELD; n++)
        {
            if (n != 54)
            {
                rows[i++] = IsoDialect.BINARY.field(n);
            }
        }
        final IsoMessageReader narrow = new IsoMessageReader(IsoDialect.define("no54", true, rows));
        final byte[] message = base();
        narrow.wrap(new UnsafeBuffer(message), 0, message.length);

        assertEquals(DecodeError.FIELD_NOT_IN_DIALECT, narrow.error());
        assertEquals(54, narrow.errorField());
        assertEquals(F54, narrow.errorOffset());
        assertEquals(123L, narrow.numeric(11));
    }

    @Test
    void shouldRefuseADialectWhoseFieldIsLongerThanTheReaderCanLocate()
    {
        final FieldSpec[] rows = new FieldSpec[IsoDialect.FIELD_SLOTS];
        for (int n = 0; n <= IsoDialect.MAX_FIELD; n++)
        {
            rows[n] = 48 == n ?
                new FieldSpec(48, FieldType.ALPHA, LengthPrefix.FIXED, 10_000, "a fixed field of 10,000 characters") :
                IsoDialect.BINARY.field(n);
        }
        final IsoDialect wide = IsoDialect.define("wide48", true, rows);

        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new IsoMessageReader(wide));
        assertEquals("dialect wide48 field 48: maximum length 10000 is above 9999", refused.getMessage());
    }

    @Test
    void shouldReportTrailingBytesButKeepEveryField()
    {
        final byte[] message = Arrays.copyOf(base(), END + 2);
        read(message);

        assertError(DecodeError.TRAILING_BYTES, -1, END);
        assertFalse(reader.isValid());
        assertTrue(reader.hasField(54));
        assertEquals(20, reader.valueLength(54));
    }

    @Test
    void shouldReportBadAmountSign()
    {
        final IsoMessageWriter writer = new IsoMessageWriter(IsoDialect.BINARY)
            .reset(200).putNumeric(11, 77).putAmount(28, 'C', 150);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);
        final int length = writer.encode(out, 0);
        final int signOffset = writer.encodedValueOffset(28);
        out.putByte(signOffset, (byte)'X');
        reader.wrap(out, 0, length);

        assertError(DecodeError.BAD_AMOUNT_SIGN, 28, signOffset);
        assertEquals(77L, reader.numeric(11));
    }

    @Test
    void shouldReportBadAsciiMti()
    {
        final byte[] message = asciiBase();
        message[2] = 'x';
        readAscii(message);

        assertEquals(DecodeError.BAD_MTI, asciiReader.error());
        assertEquals(0, asciiReader.errorField());
        assertEquals(2, asciiReader.errorOffset());
    }

    @Test
    void shouldReportBadAsciiBitmapCharacter()
    {
        final byte[] message = asciiBase();
        message[9] = 'G';
        readAscii(message);

        assertEquals(DecodeError.BAD_BITMAP, asciiReader.error());
        assertEquals(1, asciiReader.errorField());
        assertEquals(9, asciiReader.errorOffset());
        assertEquals(200, asciiReader.mti());
    }

    @Test
    void shouldReportNonDigitInAsciiNumericAfterStan()
    {
        final byte[] message = asciiBase();
        final int f22 = asciiFieldStart(message, 22);
        message[f22 + 1] = 'x';
        readAscii(message);

        assertEquals(DecodeError.BAD_DIGIT, asciiReader.error());
        assertEquals(22, asciiReader.errorField());
        assertEquals(f22 + 1, asciiReader.errorOffset());
        assertEquals(123L, asciiReader.numeric(11));
    }

    @Test
    void shouldReportBadAsciiLengthPrefix()
    {
        final byte[] message = asciiBase();
        final int f2 = asciiFieldStart(message, 2);
        message[f2 + 1] = ' ';
        readAscii(message);

        assertEquals(DecodeError.BAD_LENGTH_PREFIX, asciiReader.error());
        assertEquals(2, asciiReader.errorField());
        assertEquals(f2 + 1, asciiReader.errorOffset());
    }

    @Test
    void shouldReportNonHexInAsciiBinaryField()
    {
        final byte[] message = asciiBase();
        final int f52 = asciiFieldStart(message, 52);
        message[f52 + 15] = 'Z';
        readAscii(message);

        assertEquals(DecodeError.BAD_HEX, asciiReader.error());
        assertEquals(52, asciiReader.errorField());
        assertEquals(f52 + 15, asciiReader.errorOffset());
    }

    @Test
    void shouldNeverReadOutsideTheWrappedRange()
    {
        final byte[] message = base();
        final UnsafeBuffer exact = new UnsafeBuffer(message, 0, F54 + 1);
        reader.wrap(exact, 0, exact.capacity());

        assertError(DecodeError.TRUNCATED, 54, F54);
    }

    private void assertStanReadable()
    {
        assertEquals(200, reader.mti());
        assertTrue(reader.hasField(11));
        assertEquals(123L, reader.numeric(11));
    }

    private void assertError(final DecodeError error, final int field, final int offset)
    {
        assertEquals(error, reader.error());
        assertEquals(field, reader.errorField());
        assertEquals(offset, reader.errorOffset());
        assertFalse(reader.isValid());
    }

    private void read(final byte[] message)
    {
        final byte[] framed = new byte[message.length + 3];
        System.arraycopy(message, 0, framed, 3, message.length);
        reader.wrap(new UnsafeBuffer(framed, 3, message.length), 0, message.length);
    }

    private void readAscii(final byte[] message)
    {
        asciiReader.wrap(new UnsafeBuffer(message), 0, message.length);
    }

    private int asciiFieldStart(final byte[] message, final int n)
    {
        return new IsoMessageReader(IsoDialect.ASCII).wrap(new UnsafeBuffer(message), 0, message.length).fieldStart(n);
    }

    private static byte[] base()
    {
        return encode(new IsoMessageWriter(IsoDialect.BINARY).reset(200));
    }

    private static byte[] asciiBase()
    {
        final IsoMessageWriter writer = new IsoMessageWriter(IsoDialect.ASCII);
        writer.reset(200).putBinary(52, new UnsafeBuffer(new byte[]{ 1, 2, 3, 4, 5, 6, 7, 8 }), 0, 8);
        return encode(writer);
    }

    private static byte[] encode(final IsoMessageWriter writer)
    {
        writer.putDigits(2, ascii("6281000012345678"), 0, 16)
            .putNumeric(3, 9100)
            .putNumeric(4, 1500)
            .putNumeric(11, 123)
            .putNumeric(22, 51)
            .putDigits(35, ascii("6281000012345678=281210"), 0, 23)
            .putChars(41, "PSD00001")
            .putChars(49, "818")
            .putChars(54, "9102818C000000015000");
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        return Arrays.copyOf(out.byteArray(), writer.encode(out, 0));
    }

    private static UnsafeBuffer ascii(final String s)
    {
        return new UnsafeBuffer(s.getBytes(US_ASCII));
    }
}
