package org.unicard.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that CSV rows are rendered into: digits, ASCII and UTF-8 text, and RFC 4180
 * quoting, without a {@code String} per value.
 */
final class ByteSink
{
    private byte[] bytes;
    private int length;

    ByteSink(final int initialCapacity)
    {
        bytes = new byte[initialCapacity];
    }

    int length()
    {
        return length;
    }

    void clear()
    {
        length = 0;
    }

    void writeTo(final OutputStream output) throws IOException
    {
        output.write(bytes, 0, length);
    }

    ByteSink put(final char asciiCharacter)
    {
        ensure(1);
        bytes[length++] = (byte)asciiCharacter;
        return this;
    }

    ByteSink comma()
    {
        return put(',');
    }

    ByteSink endLine()
    {
        return put('\n');
    }

    ByteSink put(final byte[] text)
    {
        ensure(text.length);
        System.arraycopy(text, 0, bytes, length, text.length);
        length += text.length;
        return this;
    }

    /**
     * @param value a non-negative number.
     * @return this sink, with the number in decimal, no padding.
     */
    ByteSink number(final long value)
    {
        return digits(value, Math.max(1, digitCount(value)));
    }

    /**
     * @param value a non-negative number with at most {@code width} digits.
     * @param width how many digits to write, zero-padded on the left.
     * @return this sink.
     */
    ByteSink digits(final long value, final int width)
    {
        ensure(width);
        long rest = value;
        for (int i = length + width - 1; i >= length; i--)
        {
            bytes[i] = (byte)('0' + rest % 10);
            rest /= 10;
        }
        length += width;
        return this;
    }

    /**
     * @param text a CSV value.
     * @return this sink, with the value in UTF-8, in double quotes (inner quotes doubled) when it
     * holds a comma, quote or line end.
     */
    ByteSink csv(final String text)
    {
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++)
        {
            final char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote)
        {
            return put(text.getBytes(StandardCharsets.UTF_8));
        }
        return put('"').put(text.replace("\"", "\"\"").getBytes(StandardCharsets.UTF_8)).put('"');
    }

    private static int digitCount(final long value)
    {
        int count = 0;
        long rest = value;
        while (rest > 0)
        {
            count++;
            rest /= 10;
        }
        return count;
    }

    private void ensure(final int more)
    {
        if (length + more > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
