package org.unicard.iso8583.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.FrameSplitter;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.framing.FramingError;

/**
 * Coverage-guided fuzzing of {@link FrameSplitter} over an arbitrarily chunked byte stream, with
 * and without a TPDU, and of the reader over every frame it delivers.
 * <p>
 * Input layout: byte 0 holds flags (bit 0: the link has a 5-byte TPDU; bit 1: the ASCII dialect;
 * bits 2-4: the largest chunk, from 1 byte to the whole stream), byte 1 seeds the chunk sizes, the
 * rest is the TCP byte stream. Each chunk is copied into a buffer of exactly its bytes after a run
 * of filler bytes, so a read outside the chunk either throws (bounds checks) or shows as a wrong
 * frame.
 * <p>
 * Checked against a one-pass model of the framing over the whole stream: the same frames, byte
 * for byte, in order; each frame handed over inside its buffer and 1 to 4,096 bytes long; the same
 * {@link FramingError} at the same point; the splitter stays failed after an error and works again
 * after {@link FrameSplitter#reset()}; the bytes held back equal the incomplete tail. Every frame's
 * message (after the TPDU when there is one) is checked with {@link ReaderProperties}.
 */
class FrameSplitterFuzzer
{
    private static final int[] LARGEST_CHUNK = {1, 2, 3, 7, 64, 512, 4099, Integer.MAX_VALUE};
    private static final int FILLER_BYTES = 3;

    private final FrameSplitter splitter = new FrameSplitter();
    private final ReaderProperties binary = new ReaderProperties(IsoDialect.BINARY);
    private final ReaderProperties ascii = new ReaderProperties(IsoDialect.ASCII);
    private final List<byte[]> delivered = new ArrayList<>();

    @FuzzTest(maxDuration = FuzzSeeds.CI_DURATION)
    void fuzz(final byte[] input)
    {
        if (input.length < 2)
        {
            return;
        }
        final int flags = input[0] & 0xFF;
        final boolean tpdu = (flags & 1) != 0;
        final ReaderProperties properties = (flags & 2) != 0 ? ascii : binary;
        final int largestChunk = LARGEST_CHUNK[(flags >>> 2) & 7];
        final SplittableRandom chunks = new SplittableRandom(input[1]);
        final byte[] stream = Arrays.copyOfRange(input, 2, input.length);

        final Model model = new Model(stream);
        splitter.reset();
        delivered.clear();
        FramingError error = null;
        int position = 0;
        while (position < stream.length && null == error)
        {
            final int chunk = Math.min(stream.length - position, 1 + chunks.nextInt(Math.min(largestChunk, 1 << 20)));
            final byte[] bytes = new byte[FILLER_BYTES + chunk];
            Arrays.fill(bytes, 0, FILLER_BYTES, (byte)0xEE);
            System.arraycopy(stream, position, bytes, FILLER_BYTES, chunk);
            error = splitter.onBytes(new UnsafeBuffer(bytes), FILLER_BYTES, chunk, this::onFrame);
            position += chunk;
        }

        require(delivered.size() == model.frames.size(), stream,
            "frames delivered=" + delivered.size() + " expected=" + model.frames.size());
        for (int i = 0; i < delivered.size(); i++)
        {
            require(Arrays.equals(delivered.get(i), model.frames.get(i)), stream, "frame " + i + " differs");
        }
        require(error == model.error, stream, "error=" + error + " expected=" + model.error);
        if (null == error)
        {
            require(splitter.bufferedBytes() == model.tailBytes, stream,
                "buffered=" + splitter.bufferedBytes() + " expected=" + model.tailBytes);
        }
        else
        {
            final int before = delivered.size();
            require(error == splitter.onBytes(new UnsafeBuffer(new byte[]{0, 1, 0}), 0, 3, this::onFrame), stream,
                "splitter forgot its error");
            require(delivered.size() == before, stream, "a failed splitter delivered a frame");
        }

        splitter.reset();
        require(0 == splitter.bufferedBytes(), stream, "reset kept bytes");
        require(null == splitter.onBytes(new UnsafeBuffer(new byte[]{0, 1, 0x42}), 0, 3, this::onFrame), stream,
            "a reset splitter rejected a good frame");
        require(delivered.get(delivered.size() - 1).length == 1 && delivered.get(delivered.size() - 1)[0] == 0x42,
            stream, "a reset splitter lost a good frame");

        for (final byte[] frame : model.frames)
        {
            if (!tpdu)
            {
                properties.check(frame);
            }
            else if (frame.length >= Framing.TPDU_BYTES)
            {
                properties.check(Arrays.copyOfRange(frame, Framing.TPDU_BYTES, frame.length));
            }
        }
    }

    private void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 1 || length > Framing.MAX_FRAME_BYTES || offset + length > buffer.capacity())
        {
            throw new AssertionError("frame offset=" + offset + " length=" + length + " capacity=" + buffer.capacity());
        }
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        delivered.add(frame);
    }

    private static void require(final boolean condition, final byte[] stream, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what + "; stream=" + HexFormat.of().formatHex(stream));
        }
    }

    /**
     * The framing rules applied in one pass over the whole stream.
     */
    private static final class Model
    {
        final List<byte[]> frames = new ArrayList<>();
        FramingError error;
        int tailBytes;

        Model(final byte[] stream)
        {
            int position = 0;
            while (stream.length - position >= Framing.LENGTH_PREFIX_BYTES)
            {
                final int length = ((stream[position] & 0xFF) << 8) | (stream[position + 1] & 0xFF);
                if (0 == length)
                {
                    error = FramingError.ZERO_LENGTH;
                    return;
                }
                if (length > Framing.MAX_FRAME_BYTES)
                {
                    error = FramingError.TOO_LONG;
                    return;
                }
                if (stream.length - position - Framing.LENGTH_PREFIX_BYTES < length)
                {
                    break;
                }
                frames.add(Arrays.copyOfRange(stream, position + Framing.LENGTH_PREFIX_BYTES,
                    position + Framing.LENGTH_PREFIX_BYTES + length));
                position += Framing.LENGTH_PREFIX_BYTES + length;
            }
            tailBytes = stream.length - position;
        }
    }
}
