package org.unicard.iso8583.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.unicard.iso8583.dialect.IsoDialect;

/**
 * {@link IsoMessageWriter#putFieldsFrom(IsoMessageReader, long)}: echoing a set of a request's
 * fields in direct mode (runs of adjacent fields copied as one block) gives the same bytes and the
 * same field locations as putting each field on its own in staged mode.
 */
class FieldEchoTest
{
    private static final int MESSAGES = 3_000;

    @Test
    void shouldEchoLikeOneFieldAtATimeInBinary()
    {
        echoRandomSelections(IsoDialect.BINARY, 0xEC40L);
    }

    @Test
    void shouldEchoLikeOneFieldAtATimeInAscii()
    {
        echoRandomSelections(IsoDialect.ASCII, 0xEC41L);
    }

    @Test
    void shouldSkipFieldsTheRequestDoesNotHaveAndFieldsBetweenTheSelectedOnes()
    {
        final IsoMessageWriter request = new IsoMessageWriter(IsoDialect.BINARY);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[256]);
        final int length = request.wrap(in, 0, 200).putNumeric(3, 9100).putNumeric(4, 1500).putNumeric(11, 7)
            .putNumeric(14, 2812).putChars(41, "PSD00001").finish();
        final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY).wrap(in, 0, length);

        final IsoMessageWriter writer = new IsoMessageWriter(IsoDialect.BINARY);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        final int written = writer.wrap(out, 0, 210)
            .putFieldsFrom(reader, IsoMessageWriter.fieldMask(2, 3, 4, 11, 41)).finish();

        assertTrue(writer.has(3) && writer.has(4) && writer.has(11) && writer.has(41));
        assertFalse(writer.has(2) || writer.has(14));
        assertEquals(2 + 8 + 3 + 6 + 3 + 8, written);
        assertEquals(2 + 8 + 3 + 6, writer.encodedFieldStart(11));
        assertEquals(2 + 8 + 3 + 6 + 3, writer.encodedFieldStart(41));
    }

    @Test
    void shouldRejectEchoBehindAFieldAlreadyWritten()
    {
        final IsoMessageWriter request = new IsoMessageWriter(IsoDialect.BINARY);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[64]);
        final int length = request.wrap(in, 0, 200).putNumeric(3, 9100).putNumeric(11, 7).finish();
        final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY).wrap(in, 0, length);
        final IsoMessageWriter writer = new IsoMessageWriter(IsoDialect.BINARY).wrap(new UnsafeBuffer(new byte[64]), 0, 210);
        writer.putNumeric(4, 1);

        assertThrows(IllegalArgumentException.class, () -> writer.putFieldsFrom(reader, IsoMessageWriter.fieldMask(3, 11)));
        assertThrows(IllegalArgumentException.class, () -> IsoMessageWriter.fieldMask(65));
    }

    private static void echoRandomSelections(final IsoDialect dialect, final long seed)
    {
        final Random random = new Random(seed);
        final IsoMessageWriter source = new IsoMessageWriter(dialect);
        final IsoMessageReader reader = new IsoMessageReader(dialect);
        final IsoMessageWriter staged = new IsoMessageWriter(dialect);
        final IsoMessageWriter direct = new IsoMessageWriter(dialect);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[64 * 1024]);
        final UnsafeBuffer stagedOut = new UnsafeBuffer(new byte[64 * 1024]);
        final UnsafeBuffer directOut = new UnsafeBuffer(new byte[64 * 1024]);
        for (int i = 0; i < MESSAGES; i++)
        {
            final RandomMessage message = RandomMessage.generate(dialect, random);
            message.writeTo(source, random);
            final int length = source.encode(in, 0);
            reader.wrap(in, 0, length);
            assertTrue(reader.isValid(), message.toString());

            final long mask = random.nextLong() & Long.MAX_VALUE;
            staged.reset(210);
            direct.wrap(directOut, 3, 210);
            for (int n = 2; n <= 64; n++)
            {
                if (reader.hasField(n) && (mask << (n - 1)) < 0)
                {
                    staged.putFieldFrom(reader, n);
                }
            }
            direct.putFieldsFrom(reader, mask);
            final int stagedLength = staged.encode(stagedOut, 3);
            final int directLength = direct.finish();

            assertArrayEquals(
                Arrays.copyOfRange(stagedOut.byteArray(), 3, 3 + stagedLength),
                Arrays.copyOfRange(directOut.byteArray(), 3, 3 + directLength), message.toString());
            for (int n = 0; n <= 64; n++)
            {
                assertEquals(staged.encodedFieldStart(n), direct.encodedFieldStart(n), "field=" + n + " " + message);
            }
        }
    }
}
