package org.unicard.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link ResponseEncoder#putDecimal}: the zero-padded digits field 54's balance blocks are made of, at
 * every width the encoder uses and beyond, written exactly where asked and nowhere else.
 */
class ResponseEncoderDecimalTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);

    @Test
    void shouldWriteTheLowestDigitsZeroPaddedAtEveryWidth()
    {
        final SplittableRandom random = new SplittableRandom(17);
        final long[] edges = {0, 1, 9, 10, 99, 100, 101, 999_999_999_999L, 1_000_000_000_000L, 123_456_789_012_345_678L, Long.MAX_VALUE};
        for (int width = 1; width <= 18; width++)
        {
            for (final long value : edges)
            {
                assertWritten(value, width);
            }
            for (int i = 0; i < 2_000; i++)
            {
                final long value = random.nextLong(Long.MAX_VALUE);
                assertWritten(value, width);
                assertWritten(value % 1_000, width);
            }
        }
    }

    private void assertWritten(final long value, final int width)
    {
        buffer.setMemory(0, buffer.capacity(), (byte)'#');
        ResponseEncoder.putDecimal(buffer, 5, value, width);

        final String expected = String.format("%019d", value).substring(19 - width);
        final String written = new String(buffer.byteArray(), StandardCharsets.US_ASCII);
        assertEquals("#####" + expected + "#".repeat(buffer.capacity() - 5 - width), written, "value=" + value + " width=" + width);
    }
}
