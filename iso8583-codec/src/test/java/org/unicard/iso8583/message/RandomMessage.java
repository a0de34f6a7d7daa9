package org.unicard.iso8583.message;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.unicard.iso8583.dialect.FieldSpec;
import org.unicard.iso8583.dialect.FieldType;
import org.unicard.iso8583.dialect.IsoDialect;

/**
 * A random valid message over the fields a dialect defines: what the test puts in (for jPOS and for
 * our writer) and what both sides must read back (jPOS's padding applied).
 */
final class RandomMessage
{
    final IsoDialect dialect;
    final String mti;
    final Object[] input = new Object[IsoDialect.FIELD_SLOTS];
    final Object[] expected = new Object[IsoDialect.FIELD_SLOTS];

    private RandomMessage(final IsoDialect dialect, final String mti)
    {
        this.dialect = dialect;
        this.mti = mti;
    }

    static RandomMessage generate(final IsoDialect dialect, final Random random)
    {
        final RandomMessage message = new RandomMessage(dialect, digits(random, 4, false));
        final double density = 0.03 + random.nextDouble() * 0.5;
        final boolean everything = random.nextInt(100) == 0;
        final boolean secondary = everything || random.nextInt(3) == 0;
        for (int n = 2; n <= IsoDialect.MAX_FIELD; n++)
        {
            if (n > 64 && !secondary)
            {
                break;
            }
            if (everything || random.nextDouble() < density)
            {
                message.addRandom(n, random);
            }
        }
        if (message.count() == 0)
        {
            message.addRandom(11, random);
        }

        return message;
    }

    int count()
    {
        int count = 0;
        for (int n = 2; n < IsoDialect.FIELD_SLOTS; n++)
        {
            count += null != input[n] ? 1 : 0;
        }

        return count;
    }

    ISOMsg toJpos()
    {
        try
        {
            final ISOMsg msg = new ISOMsg();
            msg.setMTI(mti);
            for (int n = 2; n < IsoDialect.FIELD_SLOTS; n++)
            {
                if (input[n] instanceof String s)
                {
                    msg.set(n, s);
                }
                else if (input[n] instanceof byte[] b)
                {
                    msg.set(n, b);
                }
            }
            return msg;
        }
        catch (final ISOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Put every field into the writer in a random order, using the various put methods.
     */
    void writeTo(final IsoMessageWriter writer, final Random random)
    {
        writer.reset(Integer.parseInt(mti));
        final List<Integer> order = new ArrayList<>();
        for (int n = 2; n < IsoDialect.FIELD_SLOTS; n++)
        {
            if (null != input[n])
            {
                order.add(n);
            }
        }
        Collections.shuffle(order, random);
        for (final int n : order)
        {
            put(writer, n, random);
        }
    }

    /**
     * Write the message in the writer's direct mode: every field in ascending order straight into
     * {@code dst}, using the various put methods.
     *
     * @return the bytes written.
     */
    int writeDirectTo(final IsoMessageWriter writer, final UnsafeBuffer dst, final int offset, final Random random)
    {
        writer.wrap(dst, offset, Integer.parseInt(mti));
        for (int n = 2; n < IsoDialect.FIELD_SLOTS; n++)
        {
            if (null != input[n])
            {
                put(writer, n, random);
            }
        }

        return writer.finish();
    }

    private void put(final IsoMessageWriter writer, final int n, final Random random)
    {
        final FieldSpec spec = dialect.field(n);
        final Object value = input[n];
        switch (spec.type())
        {
            case NUMERIC ->
            {
                final String s = (String)value;
                final boolean asLong = s.length() <= 18 && s.indexOf('=') < 0 &&
                    (spec.isFixed() || s.charAt(0) != '0' || s.length() == 1);
                if (asLong && random.nextBoolean())
                {
                    writer.putNumeric(n, Long.parseLong(s));
                }
                else
                {
                    final UnsafeBuffer src = paddedCopy(s.getBytes(ISO_8859_1), random);
                    writer.putDigits(n, src, 3, s.length());
                }
            }
            case AMOUNT ->
            {
                final String s = (String)value;
                writer.putAmount(n, s.charAt(0), Long.parseLong(s.substring(1)));
            }
            case ALPHA ->
            {
                final String s = (String)value;
                if (random.nextBoolean())
                {
                    writer.putChars(n, s);
                }
                else
                {
                    writer.putChars(n, paddedCopy(s.getBytes(ISO_8859_1), random), 3, s.length());
                }
            }
            case BINARY ->
            {
                final byte[] b = (byte[])value;
                writer.putBinary(n, paddedCopy(b, random), 3, b.length);
            }
            default -> throw new IllegalStateException("field=" + n);
        }
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder(dialect.name()).append(" mti=").append(mti);
        for (int n = 2; n < IsoDialect.FIELD_SLOTS; n++)
        {
            if (input[n] instanceof byte[] b)
            {
                sb.append(' ').append(n).append("=0x").append(org.jpos.iso.ISOUtil.hexString(b));
            }
            else if (null != input[n])
            {
                sb.append(' ').append(n).append("='").append(input[n]).append('\'');
            }
        }

        return sb.toString();
    }

    private void addRandom(final int n, final Random random)
    {
        final FieldSpec spec = dialect.field(n);
        final int max = spec.maxLength();
        final int length = spec.isFixed() ? 1 + random.nextInt(max) : randomLength(random, max);
        switch (spec.type())
        {
            case NUMERIC ->
            {
                final String s = digits(random, length, n == 35 && length > 2);
                input[n] = s;
                expected[n] = spec.isFixed() ? "0".repeat(max - s.length()) + s : s;
            }
            case AMOUNT ->
            {
                final String digits = digits(random, Math.min(length, max - 1), false);
                final char sign = random.nextBoolean() ? 'C' : 'D';
                input[n] = sign + digits;
                expected[n] = sign + "0".repeat(max - 1 - digits.length()) + digits;
            }
            case ALPHA ->
            {
                final StringBuilder sb = new StringBuilder(length);
                for (int i = 0; i < length; i++)
                {
                    sb.append((char)(0x20 + random.nextInt(0x5F)));
                }
                final String s = sb.toString();
                input[n] = s;
                expected[n] = spec.isFixed() ? s + " ".repeat(max - length) : s;
            }
            case BINARY ->
            {
                final byte[] b = new byte[spec.isFixed() ? max : length];
                random.nextBytes(b);
                input[n] = b;
                expected[n] = b;
            }
            default -> throw new IllegalStateException("field=" + n + " type=" + spec.type());
        }
    }

    private static int randomLength(final Random random, final int max)
    {
        if (random.nextInt(10) == 0)
        {
            return 1 + random.nextInt(max);
        }

        return 1 + random.nextInt(Math.min(max, 30));
    }

    static String digits(final Random random, final int length, final boolean separator)
    {
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)('0' + random.nextInt(10));
        }
        if (separator)
        {
            chars[1 + random.nextInt(length - 2)] = '=';
        }

        return new String(chars);
    }

    private static UnsafeBuffer paddedCopy(final byte[] bytes, final Random random)
    {
        final byte[] padded = new byte[bytes.length + 6];
        random.nextBytes(padded);
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        return new UnsafeBuffer(padded);
    }

    static boolean isBinary(final IsoDialect dialect, final int n)
    {
        return dialect.field(n).type() == FieldType.BINARY;
    }
}
