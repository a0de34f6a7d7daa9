package org.unicard.iso8583.message;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

import org.agrona.concurrent.UnsafeBuffer;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;
import org.unicard.iso8583.dialect.IsoDialect;

/**
 * Fixed messages of the switch's own traffic, written out byte by byte, checked against our reader,
 * our writer and jPOS in both directions.
 */
class KnownAnswerTest
{
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    /**
     * 0200 purchase of 15.00 EGP of ration credit (3 = 009100) with PIN block and MAC.
     */
    private static final String PURCHASE_0200 =
        "0200" +
        "723C040000C09001" +                      // bitmap: 2 3 4 7 11 12 13 14 22 41 42 49 52 64
        "16" + "6281000012345678" +               // 2 PAN, LL BCD
        "009100" +                                // 3 processing code
        "000000001500" +                          // 4 amount, 1500 piasters
        "1123093015" +                            // 7 transmission date-time
        "000123" +                                // 11 STAN
        "093015" +                                // 12 local time
        "1123" +                                  // 13 local date
        "2812" +                                  // 14 expiry
        "0051" +                                  // 22 POS entry mode 051, left-padded nibble
        "5053443030303031" +                      // 41 "PSD00001"
        "47524F434552303030303030303432" +        // 42 "GROCER000000042"
        "383138" +                                // 49 "818"
        "1122334455667788" +                      // 52 PIN block
        "A1B2C3D4E5F60718";                       // 64 MAC

    /**
     * 0210 approval echoing the purchase, with RRN, authorization id and the balance in field 54.
     */
    private static final String APPROVAL_0210 =
        "0210" +
        "722000000EC08400" +                      // bitmap: 2 3 4 7 11 37 38 39 41 42 49 54
        "16" + "6281000012345678" +
        "009100" +
        "000000001500" +
        "1123093015" +
        "000123" +
        "303030303030303030303432" +              // 37 "000000000042"
        "413142324333" +                          // 38 "A1B2C3"
        "3030" +                                  // 39 "00"
        "5053443030303031" +
        "47524F434552303030303030303432" +
        "383138" +
        "0020" + "3931303238313843303030303030303135303030"; // 54 LLL "9102818C000000015000"

    /**
     * 0400 reversal of the purchase, field 90 (42 digits) in the secondary bitmap.
     */
    private static final String REVERSAL_0400 =
        "0400" +
        "F220000000C08000" + "0000004000000000" + // bitmap: 1 2 3 4 7 11 41 42 49 | 90
        "16" + "6281000012345678" +
        "009100" +
        "000000001500" +
        "1123093115" +
        "000124" +
        "5053443030303031" +
        "47524F434552303030303030303432" +
        "383138" +
        "020000012311230930150000000000000000000000"; // 90: 0200 000123 1123093015 0..0 0..0

    /**
     * 0800 echo test: field 70 = 301 forces the secondary bitmap.
     */
    private static final String ECHO_0800 =
        "0800" +
        "8220000000000000" + "0400000000000000" + // bitmap: 1 7 11 | 70
        "1123093015" +
        "000125" +
        "0301";                                   // 70, left-padded nibble

    /**
     * 0200 bread purchase with track 2 of odd length: '=' is nibble D, the pad nibble goes behind.
     */
    private static final String TRACK2_0200 =
        "0200" +
        "3020000020808000" +                      // bitmap: 3 4 11 35 41 49
        "009200" +
        "000000000005" +
        "000126" +
        "23" + "6281000012345678D2812100" +       // 35: 23 digits, right-padded nibble 0
        "424B523030303031" +                      // 41 "BKR00001"
        "393939";                                 // 49 "999"

    private final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY);
    private final IsoMessageWriter writer = new IsoMessageWriter(IsoDialect.BINARY);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);

    @Test
    void shouldDecodeKnownPurchase()
    {
        final byte[] bytes = HEX.parseHex(PURCHASE_0200);
        read(bytes);

        assertEquals(DecodeError.NONE, reader.error());
        assertEquals(200, reader.mti());
        assertEquals("6281000012345678", chars(2));
        assertEquals(9100L, reader.numeric(3));
        assertEquals(91L, reader.digits(3, 2, 2));
        assertEquals(1500L, reader.numeric(4));
        assertEquals(1123093015L, reader.numeric(7));
        assertEquals(123L, reader.numeric(11));
        assertEquals(93015L, reader.numeric(12));
        assertEquals(1123L, reader.numeric(13));
        assertEquals(2812L, reader.numeric(14));
        assertEquals(51L, reader.numeric(22));
        assertEquals("PSD00001", chars(41));
        assertEquals("GROCER000000042", chars(42));
        assertEquals("818", chars(49));
        assertEquals("1122334455667788", binary(52));
        assertEquals("A1B2C3D4E5F60718", binary(64));
        assertEquals(bytes.length - 8, reader.fieldStart(64));
        assertEquals(bytes.length - 8, reader.valueOffset(64));
        assertFalse(reader.hasSecondaryBitmap());
    }

    @Test
    void shouldEncodeKnownPurchase()
    {
        writer.reset(200)
            .putChars(41, "PSD00001")
            .putDigits(2, ascii("6281000012345678"), 0, 16)
            .putNumeric(3, 9100)
            .putNumeric(4, 1500)
            .putNumeric(7, 1123093015L)
            .putNumeric(11, 123)
            .putNumeric(12, 93015)
            .putNumeric(13, 1123)
            .putNumeric(14, 2812)
            .putNumeric(22, 51)
            .putChars(42, "GROCER000000042")
            .putChars(49, "818")
            .putBinary(52, new UnsafeBuffer(HEX.parseHex("1122334455667788")), 0, 8)
            .putBinary(64, new UnsafeBuffer(new byte[8]), 0, 8);
        final int length = writer.encode(out, 0);
        final int macOffset = writer.encodedValueOffset(64);
        out.putBytes(macOffset, HEX.parseHex("A1B2C3D4E5F60718"));

        assertEquals(PURCHASE_0200, encoded(length));
        assertEquals(length - 8, writer.encodedFieldStart(64));
        assertEquals(length - 8, macOffset);
    }

    @Test
    void shouldMatchJposForKnownPurchase() throws Exception
    {
        final ISOMsg msg = new ISOMsg("0200");
        msg.set(2, "6281000012345678");
        msg.set(3, "009100");
        msg.set(4, "000000001500");
        msg.set(7, "1123093015");
        msg.set(11, "000123");
        msg.set(12, "093015");
        msg.set(13, "1123");
        msg.set(14, "2812");
        msg.set(22, "051");
        msg.set(41, "PSD00001");
        msg.set(42, "GROCER000000042");
        msg.set(49, "818");
        msg.set(52, HEX.parseHex("1122334455667788"));
        msg.set(64, HEX.parseHex("A1B2C3D4E5F60718"));

        assertEquals(PURCHASE_0200, HEX.formatHex(JposSupport.pack(IsoDialect.BINARY, msg)));
        final ISOMsg unpacked = JposSupport.unpack(IsoDialect.BINARY, HEX.parseHex(PURCHASE_0200));
        assertEquals("051", unpacked.getString(22));
        assertEquals("GROCER000000042", unpacked.getString(42));
    }

    @Test
    void shouldDecodeKnownApprovalWithBalances()
    {
        read(HEX.parseHex(APPROVAL_0210));

        assertEquals(DecodeError.NONE, reader.error());
        assertEquals(210, reader.mti());
        assertEquals("000000000042", chars(37));
        assertEquals("A1B2C3", chars(38));
        assertEquals("00", chars(39));
        assertEquals("9102818C000000015000", chars(54));
        assertEquals(20, reader.valueLength(54));
        assertEquals(reader.fieldStart(54) + 2, reader.valueOffset(54));
    }

    @Test
    void shouldEncodeKnownApprovalByEchoingTheRequest()
    {
        read(HEX.parseHex(PURCHASE_0200));
        writer.reset(210);
        for (final int n : new int[]{ 2, 3, 4, 7, 11, 41, 42, 49 })
        {
            writer.putFieldFrom(reader, n);
        }
        writer.putChars(37, "000000000042").putChars(38, "A1B2C3").putChars(39, "00")
            .putChars(54, ascii("9102818C000000015000"), 0, 20);

        assertEquals(APPROVAL_0210, encoded(writer.encode(out, 0)));
    }

    @Test
    void shouldMatchJposForKnownApproval() throws Exception
    {
        final ISOMsg msg = new ISOMsg("0210");
        msg.set(2, "6281000012345678");
        msg.set(3, "009100");
        msg.set(4, "000000001500");
        msg.set(7, "1123093015");
        msg.set(11, "000123");
        msg.set(37, "000000000042");
        msg.set(38, "A1B2C3");
        msg.set(39, "00");
        msg.set(41, "PSD00001");
        msg.set(42, "GROCER000000042");
        msg.set(49, "818");
        msg.set(54, "9102818C000000015000");

        assertEquals(APPROVAL_0210, HEX.formatHex(JposSupport.pack(IsoDialect.BINARY, msg)));
        assertEquals("9102818C000000015000",
            JposSupport.unpack(IsoDialect.BINARY, HEX.parseHex(APPROVAL_0210)).getString(54));
    }

    @Test
    void shouldDecodeKnownReversalOriginalDataElements()
    {
        read(HEX.parseHex(REVERSAL_0400));

        assertEquals(DecodeError.NONE, reader.error());
        assertEquals(400, reader.mti());
        assertTrue(reader.hasSecondaryBitmap());
        assertEquals(42, reader.valueLength(90));
        assertEquals(-1L, reader.numeric(90));
        assertEquals(200L, reader.digits(90, 0, 4));
        assertEquals(123L, reader.digits(90, 4, 6));
        assertEquals(1123093015L, reader.digits(90, 10, 10));
        assertEquals(0L, reader.digits(90, 20, 11));
        assertEquals(0L, reader.digits(90, 31, 11));
        assertEquals(-1L, reader.digits(90, 32, 11));
    }

    @Test
    void shouldEncodeKnownReversal()
    {
        writer.reset(400)
            .putDigits(90, ascii("020000012311230930150000000000000000000000"), 0, 42)
            .putDigits(2, ascii("6281000012345678"), 0, 16)
            .putNumeric(3, 9100)
            .putNumeric(4, 1500)
            .putNumeric(7, 1123093115L)
            .putNumeric(11, 124)
            .putChars(41, "PSD00001")
            .putChars(42, "GROCER000000042")
            .putChars(49, "818");

        assertEquals(REVERSAL_0400, encoded(writer.encode(out, 0)));
    }

    @Test
    void shouldMatchJposForKnownReversal() throws Exception
    {
        final ISOMsg msg = new ISOMsg("0400");
        msg.set(2, "6281000012345678");
        msg.set(3, "009100");
        msg.set(4, "000000001500");
        msg.set(7, "1123093115");
        msg.set(11, "000124");
        msg.set(41, "PSD00001");
        msg.set(42, "GROCER000000042");
        msg.set(49, "818");
        msg.set(90, "020000012311230930150000000000000000000000");

        assertEquals(REVERSAL_0400, HEX.formatHex(JposSupport.pack(IsoDialect.BINARY, msg)));
        assertEquals("020000012311230930150000000000000000000000",
            JposSupport.unpack(IsoDialect.BINARY, HEX.parseHex(REVERSAL_0400)).getString(90));
    }

    @Test
    void shouldDecodeKnownEchoTest()
    {
        read(HEX.parseHex(ECHO_0800));

        assertEquals(DecodeError.NONE, reader.error());
        assertEquals(800, reader.mti());
        assertEquals(301L, reader.numeric(70));
        assertEquals(125L, reader.numeric(11));
        assertTrue(reader.bitmapNames(1));
    }

    @Test
    void shouldEncodeKnownEchoTest()
    {
        writer.reset(800).putNumeric(70, 301).putNumeric(11, 125).putNumeric(7, 1123093015L);

        assertEquals(ECHO_0800, encoded(writer.encode(out, 0)));
    }

    @Test
    void shouldMatchJposForKnownEchoTest() throws Exception
    {
        final ISOMsg msg = new ISOMsg("0800");
        msg.set(7, "1123093015");
        msg.set(11, "000125");
        msg.set(70, "301");

        assertEquals(ECHO_0800, HEX.formatHex(JposSupport.pack(IsoDialect.BINARY, msg)));
        assertEquals("301", JposSupport.unpack(IsoDialect.BINARY, HEX.parseHex(ECHO_0800)).getString(70));
    }

    @Test
    void shouldDecodeTrack2SeparatorAsEqualsSign()
    {
        read(HEX.parseHex(TRACK2_0200));

        assertEquals(DecodeError.NONE, reader.error());
        assertEquals(23, reader.valueLength(35));
        assertEquals("6281000012345678=281210", chars(35));
        assertEquals('=', reader.charAt(35, 16));
        assertEquals(-1L, reader.numeric(35));
        assertEquals(2812L, reader.digits(35, 17, 4));
    }

    @Test
    void shouldReadAVariableLengthNumericOfEveryLengthAsItsDigits()
    {
        final String digits = "6281000012345678907";
        for (int length = 1; length <= digits.length(); length++)
        {
            final String pan = digits.substring(0, length);
            final int encoded = writer.reset(200).putDigits(2, ascii(pan), 0, length).putNumeric(11, 7).encode(out, 0);
            read(Arrays.copyOf(out.byteArray(), encoded));

            assertEquals(DecodeError.NONE, reader.error(), "length=" + length);
            assertEquals(pan, chars(2), "length=" + length);
            assertEquals(length <= 18 ? Long.parseLong(pan) : -1L, reader.numeric(2), "length=" + length);
        }
    }

    @Test
    void shouldReadAVariableLengthNumericWithASeparatorAsNoNumber()
    {
        for (final String value : new String[]{"=", "1=", "12=4", "6281000012345678="})
        {
            final int encoded = writer.reset(200).putDigits(35, ascii(value), 0, value.length()).putNumeric(11, 7).encode(out, 0);
            read(Arrays.copyOf(out.byteArray(), encoded));

            assertEquals(DecodeError.NONE, reader.error(), value);
            assertEquals(value, chars(35), value);
            assertEquals(-1L, reader.numeric(35), value);
        }
    }

    @Test
    void shouldEncodeTrack2AsJposDoes() throws Exception
    {
        writer.reset(200).putNumeric(3, 9200).putNumeric(4, 5).putNumeric(11, 126)
            .putDigits(35, ascii("6281000012345678=281210"), 0, 23)
            .putChars(41, "BKR00001").putChars(49, "999");
        final ISOMsg msg = new ISOMsg("0200");
        msg.set(3, "009200");
        msg.set(4, "000000000005");
        msg.set(11, "000126");
        msg.set(35, "6281000012345678=281210");
        msg.set(41, "BKR00001");
        msg.set(49, "999");

        assertEquals(TRACK2_0200, encoded(writer.encode(out, 0)));
        assertEquals(TRACK2_0200, HEX.formatHex(JposSupport.pack(IsoDialect.BINARY, msg)));
        assertEquals("6281000012345678=281210",
            JposSupport.unpack(IsoDialect.BINARY, HEX.parseHex(TRACK2_0200)).getString(35));
    }

    @Test
    void shouldEncodeKnownPurchaseInAsciiAsJposDoes() throws Exception
    {
        final IsoMessageReader binaryReader = new IsoMessageReader(IsoDialect.BINARY);
        binaryReader.wrap(new UnsafeBuffer(HEX.parseHex(PURCHASE_0200)), 0, PURCHASE_0200.length() / 2);
        final ISOMsg jpos = JposSupport.unpack(IsoDialect.BINARY, HEX.parseHex(PURCHASE_0200));
        final String expected =
            "0200" + "723C040000C09001" + "166281000012345678" + "009100" + "000000001500" + "1123093015" +
            "000123" + "093015" + "1123" + "2812" + "051" + "PSD00001" + "GROCER000000042" + "818" +
            "1122334455667788" + "A1B2C3D4E5F60718";

        final IsoMessageWriter asciiWriter = new IsoMessageWriter(IsoDialect.ASCII).reset(200);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
        for (int n = 2; n <= 64; n++)
        {
            if (!binaryReader.hasField(n))
            {
                continue;
            }
            if (RandomMessage.isBinary(IsoDialect.BINARY, n))
            {
                asciiWriter.putBinary(n, scratch, 0, binaryReader.copyBinary(n, scratch, 0));
            }
            else if (n == 41 || n == 42 || n == 49)
            {
                asciiWriter.putChars(n, scratch, 0, binaryReader.copyChars(n, scratch, 0));
            }
            else
            {
                asciiWriter.putDigits(n, scratch, 0, binaryReader.copyChars(n, scratch, 0));
            }
        }

        assertEquals(expected, new String(Arrays.copyOf(out.byteArray(), asciiWriter.encode(out, 0)), US_ASCII));
        assertEquals(expected, new String(JposSupport.pack(IsoDialect.ASCII, jpos), US_ASCII));
    }

    private void read(final byte[] bytes)
    {
        reader.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private String chars(final int n)
    {
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[1024]);
        final int length = reader.copyChars(n, dst, 0);
        return new String(dst.byteArray(), 0, length, US_ASCII);
    }

    private String binary(final int n)
    {
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[1024]);
        final int length = reader.copyBinary(n, dst, 0);
        return HEX.formatHex(dst.byteArray(), 0, length);
    }

    private String encoded(final int length)
    {
        return HEX.formatHex(out.byteArray(), 0, length);
    }

    private static UnsafeBuffer ascii(final String s)
    {
        return new UnsafeBuffer(s.getBytes(US_ASCII));
    }
}
