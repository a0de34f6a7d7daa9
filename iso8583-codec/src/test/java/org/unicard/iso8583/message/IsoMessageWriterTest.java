package org.unicard.iso8583.message;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.unicard.iso8583.dialect.IsoDialect;

/**
 * Writer behaviour beyond jPOS equivalence: misuse fails fast with key=value context, and the
 * bookkeeping the MAC computation relies on.
 */
class IsoMessageWriterTest
{
    private final IsoMessageWriter writer = new IsoMessageWriter(IsoDialect.BINARY).reset(200);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);

    @Test
    void shouldRejectNumericLongerThanField()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> writer.putNumeric(4, 1_000_000_000_000L));

        assertEquals("field=4 length=13 max=12", ex.getMessage());
        assertFalse(writer.has(4));
    }

    @Test
    void shouldRejectLetterInNumeric()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> writer.putDigits(11, ascii("12a456"), 0, 6));

        assertEquals("field=11 index=2 char=97 expected=digit", ex.getMessage());
    }

    @Test
    void shouldRejectSeparatorInFixedNumeric()
    {
        assertThrows(IllegalArgumentException.class, () -> writer.putDigits(4, ascii("12=4"), 0, 4));
    }

    @Test
    void shouldRejectNegativeNumeric()
    {
        assertThrows(IllegalArgumentException.class, () -> writer.putNumeric(11, -1));
    }

    @Test
    void shouldRejectCharsLongerThanField()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> writer.putChars(41, "TERMINAL9"));

        assertEquals("field=41 length=9 max=8", ex.getMessage());
    }

    @Test
    void shouldRejectFixedBinaryOfWrongLength()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> writer.putBinary(64, new UnsafeBuffer(new byte[7]), 0, 7));

        assertEquals("field=64 length=7 expected=8", ex.getMessage());
    }

    @Test
    void shouldRejectPutOfWrongType()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> writer.putChars(4, "12"));

        assertEquals("field=4 type=NUMERIC expected=ALPHA", ex.getMessage());
    }

    @Test
    void shouldRejectBadAmountSign()
    {
        assertThrows(IllegalArgumentException.class, () -> writer.putAmount(28, 'X', 1));
    }

    @Test
    void shouldRejectFieldOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> writer.putNumeric(129, 1));
        assertThrows(IllegalArgumentException.class, () -> writer.remove(1));
    }

    @Test
    void shouldRejectEchoFromAnotherDialect()
    {
        final IsoMessageReader asciiReader = new IsoMessageReader(IsoDialect.ASCII);

        assertThrows(IllegalArgumentException.class, () -> writer.putFieldFrom(asciiReader, 11));
    }

    @Test
    void shouldReplaceFieldPutTwice()
    {
        writer.putNumeric(11, 1).putNumeric(11, 2);
        final int length = writer.encode(out, 0);

        assertEquals("02000020000000000000000002", HexFormat.of().withUpperCase().formatHex(out.byteArray(), 0, length));
    }

    @Test
    void shouldDropSecondaryBitmapWhenLastSecondaryFieldRemoved()
    {
        writer.putNumeric(11, 7).putNumeric(70, 301).remove(70);
        final int length = writer.encode(out, 0);

        assertEquals(2 + 8 + 3, length);
        assertFalse(writer.has(70));
    }

    @Test
    void shouldEncodeMinimalDigitsForVariableNumeric()
    {
        writer.putNumeric(32, 12345);
        final int length = writer.encode(out, 0);

        assertEquals("0200000000010000000005123450", HexFormat.of().withUpperCase().formatHex(out.byteArray(), 0, length));
    }

    @Test
    void shouldLocateFieldsAfterEncodeAtTheGivenOffset()
    {
        writer.putNumeric(11, 7).putBinary(64, new UnsafeBuffer(new byte[8]), 0, 8);
        final int length = writer.encode(out, 100);

        assertEquals(100, writer.encodedFieldStart(0));
        assertEquals(102, writer.encodedFieldStart(1));
        assertEquals(110, writer.encodedFieldStart(11));
        assertEquals(113, writer.encodedFieldStart(64));
        assertEquals(113, writer.encodedValueOffset(64));
        assertEquals(121, 100 + length);
        assertEquals(-1, writer.encodedFieldStart(12));
    }

    @Test
    void shouldForgetFieldLocationsOnceTheMessageChanges()
    {
        writer.putNumeric(11, 7);
        writer.encode(out, 0);
        writer.putNumeric(12, 1);

        assertEquals(-1, writer.encodedFieldStart(11));
        assertTrue(writer.has(11));
    }

    @Test
    void shouldWriteDirectModeFieldsInPlaceAndTheBitmapOnFinish()
    {
        final int length = writer.wrap(out, 3, 200).putNumeric(11, 2).finish();

        assertEquals("02000020000000000000000002", HexFormat.of().withUpperCase().formatHex(out.byteArray(), 3, 3 + length));
        assertEquals(5, writer.encodedFieldStart(1));
        assertEquals(13, writer.encodedFieldStart(11));
    }

    @Test
    void shouldMoveWrittenFieldsWhenTheFirstSecondaryFieldComesInDirectMode()
    {
        writer.wrap(out, 0, 800).putNumeric(11, 7).putBinary(64, new UnsafeBuffer(new byte[8]), 0, 8).putNumeric(70, 301);
        final int length = writer.finish();

        assertEquals("0800" + "8020000000000001" + "0400000000000000" + "000007" + "0000000000000000" + "0301",
            HexFormat.of().withUpperCase().formatHex(out.byteArray(), 0, length));
        assertEquals(18, writer.encodedFieldStart(11));
        assertEquals(21, writer.encodedFieldStart(64));
        assertEquals(29, writer.encodedFieldStart(70));
    }

    @Test
    void shouldRejectDirectModeFieldOutOfOrderLeavingTheMessageUnchanged()
    {
        writer.wrap(out, 0, 200).putNumeric(11, 7);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> writer.putNumeric(4, 100));

        assertEquals("field=4 previous=11 expected=ascending order", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> writer.putNumeric(11, 8));
        assertEquals(2 + 8 + 3, writer.finish());
        assertFalse(writer.has(4));
    }

    @Test
    void shouldRejectMixingDirectAndStagedModes()
    {
        writer.wrap(out, 0, 200).putNumeric(11, 7);
        assertThrows(IllegalStateException.class, () -> writer.encode(out, 0));
        assertThrows(IllegalStateException.class, () -> writer.remove(11));

        writer.reset(200).putNumeric(11, 7);
        assertThrows(IllegalStateException.class, writer::finish);
    }

    private static UnsafeBuffer ascii(final String s)
    {
        return new UnsafeBuffer(s.getBytes(US_ASCII));
    }
}
