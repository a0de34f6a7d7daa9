package org.unicard.iso8583.message;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;
import org.unicard.iso8583.dialect.FieldSpec;
import org.unicard.iso8583.dialect.FieldType;
import org.unicard.iso8583.dialect.IsoDialect;

/**
 * Random messages over every field each dialect defines, both ways: jPOS packs and we decode, we
 * encode and the bytes equal jPOS's pack (and jPOS unpacks them). Seeds are fixed; a failure names
 * the seed and the message.
 */
class JposInteroperabilityTest
{
    private static final int MESSAGES = 10_000;
    private static final long SEED = 0x1508_3_87L;

    @Test
    void shouldDecodeEveryFieldJposPacksInBinary()
    {
        decodeWhatJposPacks(IsoDialect.BINARY, SEED);
    }

    @Test
    void shouldDecodeEveryFieldJposPacksInAscii()
    {
        decodeWhatJposPacks(IsoDialect.ASCII, SEED + 1);
    }

    @Test
    void shouldEncodeByteForByteAsJposPacksInBinary() throws Exception
    {
        encodeAsJposPacks(IsoDialect.BINARY, SEED + 2);
    }

    @Test
    void shouldEncodeByteForByteAsJposPacksInAscii() throws Exception
    {
        encodeAsJposPacks(IsoDialect.ASCII, SEED + 3);
    }

    private static void decodeWhatJposPacks(final IsoDialect dialect, final long seed)
    {
        final IsoMessageReader reader = new IsoMessageReader(dialect);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
        for (int i = 0; i < MESSAGES; i++)
        {
            final long messageSeed = seed * 1_000_003L + i;
            final RandomMessage message = RandomMessage.generate(dialect, new Random(messageSeed));
            try
            {
                final byte[] packed = JposSupport.pack(dialect, message.toJpos());
                final byte[] framed = new byte[packed.length + 7];
                System.arraycopy(packed, 0, framed, 7, packed.length);
                reader.wrap(new UnsafeBuffer(framed), 7, packed.length);
                assertEquals(DecodeError.NONE, reader.error());
                assertEquals(Integer.parseInt(message.mti), reader.mti());
                assertEquals(message.count() > 0 && hasSecondary(message), reader.hasSecondaryBitmap());
                for (int n = 2; n <= IsoDialect.MAX_FIELD; n++)
                {
                    if (null == message.expected[n])
                    {
                        assertFalse(reader.bitmapNames(n), "field=" + n);
                        assertFalse(reader.hasField(n), "field=" + n);
                        continue;
                    }
                    assertTrue(reader.hasField(n), "field=" + n);
                    assertRead(reader, n, message.expected[n], scratch);
                }
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError("seed=" + messageSeed + " message=" + message, ex);
            }
        }
    }

    private static void encodeAsJposPacks(final IsoDialect dialect, final long seed) throws Exception
    {
        final IsoMessageWriter writer = new IsoMessageWriter(dialect);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256 * 1024]);
        final UnsafeBuffer direct = new UnsafeBuffer(new byte[256 * 1024]);
        for (int i = 0; i < MESSAGES; i++)
        {
            final long messageSeed = seed * 1_000_003L + i;
            final Random random = new Random(messageSeed);
            final RandomMessage message = RandomMessage.generate(dialect, random);
            try
            {
                final byte[] expected = JposSupport.pack(dialect, message.toJpos());
                message.writeTo(writer, random);
                assertEquals(expected.length, writer.encodedLength());
                final int length = writer.encode(out, 5);
                final byte[] ours = Arrays.copyOfRange(out.byteArray(), 5, 5 + length);
                assertArrayEquals(expected, ours);
                final int macStart = writer.encodedFieldStart(hasSecondary(message) ? 128 : 64);

                final int directLength = message.writeDirectTo(writer, direct, 7, random);
                assertArrayEquals(expected, Arrays.copyOfRange(direct.byteArray(), 7, 7 + directLength), "direct mode");
                assertEquals(macStart < 0 ? -1 : macStart + 2, writer.encodedFieldStart(hasSecondary(message) ? 128 : 64),
                    "direct mode field start");

                final ISOMsg unpacked = JposSupport.unpack(dialect, ours);
                assertEquals(message.mti, unpacked.getMTI());
                for (int n = 2; n <= IsoDialect.MAX_FIELD; n++)
                {
                    final Object value = message.expected[n];
                    if (null == value)
                    {
                        assertFalse(unpacked.hasField(n), "field=" + n);
                    }
                    else if (value instanceof byte[] b)
                    {
                        assertArrayEquals(b, unpacked.getBytes(n), "field=" + n);
                    }
                    else
                    {
                        assertEquals(value, unpacked.getString(n), "field=" + n);
                    }
                }
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError("seed=" + messageSeed + " message=" + message, ex);
            }
        }
    }

    private static boolean hasSecondary(final RandomMessage message)
    {
        for (int n = 65; n <= IsoDialect.MAX_FIELD; n++)
        {
            if (null != message.input[n])
            {
                return true;
            }
        }

        return false;
    }

    private static void assertRead(
        final IsoMessageReader reader, final int n, final Object expected, final UnsafeBuffer scratch)
    {
        final FieldSpec spec = reader.dialect().field(n);
        if (expected instanceof byte[] bytes)
        {
            assertEquals(bytes.length, reader.valueLength(n), "field=" + n);
            assertEquals(bytes.length, reader.copyBinary(n, scratch, 0), "field=" + n);
            assertArrayEquals(bytes, Arrays.copyOf(scratch.byteArray(), bytes.length), "field=" + n);
            return;
        }

        final String value = (String)expected;
        assertEquals(value.length(), reader.valueLength(n), "field=" + n);
        assertEquals(value.length(), reader.copyChars(n, scratch, 0), "field=" + n);
        assertEquals(value, new String(scratch.byteArray(), 0, value.length(), ISO_8859_1), "field=" + n);
        assertEquals(value.charAt(value.length() - 1), reader.charAt(n, value.length() - 1), "field=" + n);
        if (spec.type() == FieldType.NUMERIC)
        {
            final boolean plain = value.length() <= 18 && value.indexOf('=') < 0;
            assertEquals(plain ? Long.parseLong(value) : -1L, reader.numeric(n), "field=" + n);
        }
        if (spec.type() == FieldType.AMOUNT)
        {
            assertEquals(Long.parseLong(value.substring(1)), reader.digits(n, 1, value.length() - 1), "field=" + n);
        }
    }
}
