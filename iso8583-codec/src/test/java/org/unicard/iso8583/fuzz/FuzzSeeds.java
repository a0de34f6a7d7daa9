package org.unicard.iso8583.fuzz;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.message.IsoMessageWriter;

/**
 * The seed corpus of the fuzz targets: valid 0100, 0200, 0210, 0400 and 0800 messages as a
 * terminal or the switch sends them (interface §3), in both dialects, and framed streams of them.
 * The committed seed files under {@code src/test/resources/org/unicard/iso8583/fuzz/} are exactly
 * what {@link #main(String[])} writes; {@code FuzzSeedsTest} checks that they still are.
 * <p>
 * Regenerate with {@code java ... org.unicard.iso8583.fuzz.FuzzSeeds iso8583-codec/src/test/resources}.
 */
public final class FuzzSeeds
{
    /**
     * Fuzzing time per target in the build ({@code bin/test}); {@code JAZZER_MAX_DURATION}
     * overrides it for a long run.
     */
    public static final String CI_DURATION = "10s";

    /**
     * Resource folder of the seeds, relative to a resources root.
     */
    public static final String RESOURCE_FOLDER = "org/unicard/iso8583/fuzz/";

    private static final byte[] TPDU = {0x60, 0x00, 0x01, 0x00, 0x00};
    private static final byte[] PIN_BLOCK = {0x2C, (byte)0x91, 0x4A, 0x07, (byte)0xE3, 0x55, 0x10, (byte)0xBF};
    private static final byte[] MAC = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte)0x88};

    private FuzzSeeds()
    {
    }

    /**
     * The valid messages of one dialect, by seed file name.
     *
     * @param dialect to encode in.
     * @return file name to message body.
     */
    public static Map<String, byte[]> messages(final IsoDialect dialect)
    {
        final IsoMessageWriter writer = new IsoMessageWriter(dialect);
        final Map<String, byte[]> messages = new LinkedHashMap<>();

        writer.reset(100);
        writer.putDigits(2, ascii("6280123400001234"), 0, 16);
        writer.putNumeric(3, 310000).putNumeric(7, 1123104233L).putNumeric(11, 42);
        writer.putChars(41, "BAKERY01").putChars(42, "MERCHANT0000001").putChars(49, "999");
        writer.putBinary(52, new UnsafeBuffer(PIN_BLOCK), 0, PIN_BLOCK.length);
        messages.put("0100-balance-inquiry", encode(writer));

        writer.reset(200);
        writer.putNumeric(3, 0).putNumeric(4, 1500).putNumeric(7, 1123104301L).putNumeric(11, 43);
        writer.putNumeric(12, 104301).putNumeric(13, 1123).putNumeric(14, 2812).putNumeric(22, 21);
        writer.putAmount(28, 'D', 25);
        writer.putDigits(35, ascii("6280123400001234=28121010000000001"), 0, 33);
        writer.putChars(41, "GROCER01").putChars(42, "MERCHANT0000002").putChars(49, "818");
        writer.putBinary(52, new UnsafeBuffer(PIN_BLOCK), 0, PIN_BLOCK.length);
        writer.putBinary(64, new UnsafeBuffer(MAC), 0, MAC.length);
        messages.put("0200-purchase-track2-mac", encode(writer));

        writer.reset(210);
        writer.putDigits(2, ascii("6280123400001234"), 0, 16);
        writer.putNumeric(3, 0).putNumeric(4, 1500).putNumeric(7, 1123104301L).putNumeric(11, 43);
        writer.putDigits(32, ascii("12345"), 0, 5);
        writer.putChars(37, "000000000043").putChars(38, "A1B2C3").putChars(39, "00");
        writer.putChars(41, "GROCER01").putChars(42, "MERCHANT0000002").putChars(49, "818");
        writer.putChars(54, "1001818C000000098500");
        messages.put("0210-approved-balances", encode(writer));

        writer.reset(400);
        writer.putDigits(2, ascii("6280123400001234"), 0, 16);
        writer.putNumeric(3, 0).putNumeric(4, 1500).putNumeric(7, 1123104400L).putNumeric(11, 44);
        writer.putChars(41, "GROCER01").putChars(42, "MERCHANT0000002").putChars(49, "818");
        writer.putDigits(90, ascii("020000004311231043010000001234500000000000"), 0, 42);
        messages.put("0400-reversal", encode(writer));

        writer.reset(800);
        writer.putNumeric(7, 1123104500L).putNumeric(11, 45).putChars(41, "BAKERY01").putNumeric(70, 301);
        writer.putBinary(128, new UnsafeBuffer(MAC), 0, MAC.length);
        messages.put("0800-echo-mac128", encode(writer));

        return messages;
    }

    /**
     * Inputs of {@link FrameSplitterFuzzer}: flags, chunk seed, then a stream of framed messages.
     *
     * @return file name to input.
     */
    public static Map<String, byte[]> splitterInputs()
    {
        final Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("binary-whole-stream", splitterInput(IsoDialect.BINARY, false, 7, 1, new byte[0]));
        inputs.put("binary-tpdu-1-byte-chunks", splitterInput(IsoDialect.BINARY, true, 0, 2, new byte[0]));
        inputs.put("ascii-tpdu-7-byte-chunks", splitterInput(IsoDialect.ASCII, true, 3, 3, new byte[]{0x00}));
        inputs.put("ascii-64-byte-chunks-partial-tail", splitterInput(IsoDialect.ASCII, false, 4, 4, new byte[]{0x00, 0x30, 0x30}));
        inputs.put("binary-zero-length", splitterInput(IsoDialect.BINARY, false, 2, 5, new byte[]{0x00, 0x00, 0x00, 0x01}));
        inputs.put("binary-too-long", splitterInput(IsoDialect.BINARY, false, 5, 6, new byte[]{0x10, 0x01}));

        return inputs;
    }

    /**
     * Write every seed file below a resources root.
     *
     * @param args the resources root, e.g. {@code iso8583-codec/src/test/resources}.
     * @throws IOException when a file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path root = Path.of(args[0]).resolve(RESOURCE_FOLDER);
        write(root.resolve("BinaryReaderFuzzerInputs/fuzz"), messages(IsoDialect.BINARY));
        write(root.resolve("AsciiReaderFuzzerInputs/fuzz"), messages(IsoDialect.ASCII));
        write(root.resolve("FrameSplitterFuzzerInputs/fuzz"), splitterInputs());
    }

    private static void write(final Path folder, final Map<String, byte[]> files)
    {
        try
        {
            Files.createDirectories(folder);
            for (final Map.Entry<String, byte[]> file : files.entrySet())
            {
                Files.write(folder.resolve(file.getKey()), file.getValue());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static byte[] splitterInput(
        final IsoDialect dialect, final boolean tpdu, final int largestChunk, final int chunkSeed, final byte[] tail)
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[16 * 1024]);
        int position = 0;
        out.putByte(position++, (byte)((largestChunk << 2) | (dialect.isBinary() ? 0 : 2) | (tpdu ? 1 : 0)));
        out.putByte(position++, (byte)chunkSeed);
        for (final byte[] message : messages(dialect).values())
        {
            final int bodyLength = message.length + (tpdu ? TPDU.length : 0);
            Framing.writeLength(out, position, bodyLength);
            position += Framing.LENGTH_PREFIX_BYTES;
            if (tpdu)
            {
                out.putBytes(position, TPDU);
                position += TPDU.length;
            }
            out.putBytes(position, message);
            position += message.length;
        }
        out.putBytes(position, tail);
        position += tail.length;

        return Arrays.copyOf(out.byteArray(), position);
    }

    private static byte[] encode(final IsoMessageWriter writer)
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[writer.encodedLength()]);
        writer.encode(out, 0);

        return out.byteArray();
    }

    private static UnsafeBuffer ascii(final String s)
    {
        return new UnsafeBuffer(s.getBytes(US_ASCII));
    }
}
