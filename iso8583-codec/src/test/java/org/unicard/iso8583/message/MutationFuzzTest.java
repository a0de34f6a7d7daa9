package org.unicard.iso8583.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.unicard.iso8583.dialect.IsoDialect;

/**
 * Mutated frames (bit flips, truncations, random length prefixes, random bytes, inserted and deleted
 * bytes) must decode without an exception and without reading outside the frame: each frame is
 * wrapped in an {@link UnsafeBuffer} of exactly its bytes, whose bounds checks would throw on any
 * outside read. Every accessor is then exercised on every field, and a frame that decodes cleanly
 * must re-encode to the same bytes by echoing all its fields.
 */
class MutationFuzzTest
{
    private static final int FRAMES_PER_DIALECT = 60_000;
    private static final int BASE_MESSAGES = 300;
    private static final long SEED = 0x5EED_F022L;

    @Test
    void shouldSurviveMutatedBinaryFrames()
    {
        fuzz(IsoDialect.BINARY, SEED);
    }

    @Test
    void shouldSurviveMutatedAsciiFrames()
    {
        fuzz(IsoDialect.ASCII, SEED + 1);
    }

    private static void fuzz(final IsoDialect dialect, final long seed)
    {
        final Random random = new Random(seed);
        final byte[][] bases = baseMessages(dialect, random);
        final IsoMessageReader reader = new IsoMessageReader(dialect);
        final IsoMessageReader baseReader = new IsoMessageReader(dialect);
        final IsoMessageWriter writer = new IsoMessageWriter(dialect);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[8192]);
        int valid = 0;
        for (int i = 0; i < FRAMES_PER_DIALECT; i++)
        {
            final byte[] base = bases[random.nextInt(bases.length)];
            baseReader.wrap(new UnsafeBuffer(base), 0, base.length);
            final int kind = random.nextInt(7);
            final byte[] frame = mutate(kind, base, baseReader, random);
            try
            {
                reader.wrap(new UnsafeBuffer(frame), 0, frame.length);
                exercise(reader, dst);
                if (reader.isValid())
                {
                    valid++;
                    assertEchoesIdentically(reader, writer, frame, dst);
                }
                else
                {
                    assertTrue(reader.errorOffset() >= 0 && reader.errorOffset() <= frame.length,
                        "offset=" + reader.errorOffset());
                }
            }
            catch (final RuntimeException | AssertionError ex)
            {
                throw new AssertionError(
                    "seed=" + seed + " frame=" + i + " kind=" + kind + " bytes=" + java.util.HexFormat.of().formatHex(frame),
                    ex);
            }
        }
        assertTrue(valid > 0 && valid < FRAMES_PER_DIALECT, "valid=" + valid);
    }

    private static byte[][] baseMessages(final IsoDialect dialect, final Random random)
    {
        final IsoMessageWriter writer = new IsoMessageWriter(dialect);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256 * 1024]);
        final byte[][] bases = new byte[BASE_MESSAGES][];
        for (int i = 0; i < BASE_MESSAGES; i++)
        {
            byte[] bytes;
            do
            {
                RandomMessage.generate(dialect, random).writeTo(writer, random);
                bytes = Arrays.copyOf(out.byteArray(), writer.encode(out, 0));
            }
            while (bytes.length > 4096);
            bases[i] = bytes;
        }

        return bases;
    }

    private static byte[] mutate(final int kind, final byte[] base, final IsoMessageReader baseReader, final Random random)
    {
        final byte[] frame = base.clone();
        switch (kind)
        {
            case 0 ->
            {
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--)
                {
                    final int bit = random.nextInt(frame.length * 8);
                    frame[bit >> 3] ^= (byte)(1 << (bit & 7));
                }
                return frame;
            }
            case 1 ->
            {
                return Arrays.copyOf(frame, random.nextInt(frame.length));
            }
            case 2 ->
            {
                for (int tries = 0; tries < 20; tries++)
                {
                    final int n = 2 + random.nextInt(IsoDialect.MAX_FIELD - 1);
                    if (baseReader.hasField(n) && baseReader.valueOffset(n) > baseReader.fieldStart(n))
                    {
                        for (int p = baseReader.fieldStart(n); p < baseReader.valueOffset(n); p++)
                        {
                            frame[p] = (byte)random.nextInt(256);
                        }
                        return frame;
                    }
                }
                frame[random.nextInt(frame.length)] = (byte)random.nextInt(256);
                return frame;
            }
            case 3 ->
            {
                final byte[] noise = new byte[random.nextInt(300)];
                random.nextBytes(noise);
                return noise;
            }
            case 4 ->
            {
                for (int writes = 1 + random.nextInt(4); writes > 0; writes--)
                {
                    frame[random.nextInt(frame.length)] = (byte)random.nextInt(256);
                }
                return frame;
            }
            case 5 ->
            {
                final int at = random.nextInt(frame.length);
                final byte[] longer = new byte[frame.length + 1];
                System.arraycopy(frame, 0, longer, 0, at);
                longer[at] = (byte)random.nextInt(256);
                System.arraycopy(frame, at, longer, at + 1, frame.length - at);
                if (random.nextBoolean())
                {
                    return longer;
                }
                final byte[] shorter = new byte[frame.length - 1];
                System.arraycopy(frame, 0, shorter, 0, at);
                System.arraycopy(frame, at + 1, shorter, at, frame.length - at - 1);
                return shorter;
            }
            default ->
            {
                final int bitmapEnd = Math.min(frame.length, baseReader.dialect().isBinary() ? 18 : 36);
                for (int p = baseReader.dialect().isBinary() ? 2 : 4; p < bitmapEnd; p++)
                {
                    if (random.nextInt(4) == 0)
                    {
                        frame[p] = (byte)random.nextInt(256);
                    }
                }
                return frame;
            }
        }
    }

    private static void exercise(final IsoMessageReader reader, final UnsafeBuffer dst)
    {
        reader.error();
        reader.errorField();
        reader.mti();
        reader.hasSecondaryBitmap();
        for (int n = -1; n <= IsoDialect.FIELD_SLOTS; n++)
        {
            final boolean present = reader.hasField(n);
            reader.bitmapNames(n);
            reader.fieldStart(n);
            reader.valueOffset(n);
            reader.valueBytes(n);
            final int length = reader.valueLength(n);
            reader.numeric(n);
            reader.digits(n, 0, Math.max(1, Math.min(18, length)));
            reader.digits(n, -1, 3);
            reader.charAt(n, -1);
            reader.charAt(n, length);
            for (int i = 0; i < length && i < 64; i++)
            {
                reader.charAt(n, i);
            }
            reader.copyChars(n, dst, 0);
            reader.copyBinary(n, dst, 0);
            if (!present)
            {
                assertEquals(-1, reader.fieldStart(n));
                assertEquals(-1, reader.valueLength(n));
            }
        }
    }

    private static void assertEchoesIdentically(
        final IsoMessageReader reader, final IsoMessageWriter writer, final byte[] frame, final UnsafeBuffer dst)
    {
        boolean anySecondaryField = false;
        writer.reset(reader.mti());
        for (int n = 2; n <= IsoDialect.MAX_FIELD; n++)
        {
            if (reader.bitmapNames(n))
            {
                assertTrue(reader.hasField(n), "field=" + n);
                writer.putFieldFrom(reader, n);
                anySecondaryField |= n > 64;
            }
        }
        if (reader.hasSecondaryBitmap() && !anySecondaryField)
        {
            assertFalse(writer.has(65));
            return;
        }
        final int length = writer.encode(dst, 0);
        if (!reader.dialect().isBinary())
        {
            // Hex digits of the ASCII bitmap may arrive in lower case; the writer emits upper case.
            final byte[] upper = frame.clone();
            final int bitmapEnd = reader.hasSecondaryBitmap() ? 36 : 20;
            for (int p = 4; p < bitmapEnd; p++)
            {
                upper[p] = (byte)Character.toUpperCase(upper[p]);
            }
            assertArrayEquals(upper, Arrays.copyOf(dst.byteArray(), length));
            return;
        }
        assertArrayEquals(frame, Arrays.copyOf(dst.byteArray(), length));
    }
}
