package org.unicard.iso8583.message;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.FrameHandler;
import org.unicard.iso8583.framing.FrameSplitter;
import org.unicard.iso8583.framing.Framing;

/**
 * After warm-up, framing + decode of a 0200 purchase and encode of its 0210 approval (echoed fields,
 * RRN, authorization id, response code, balances in field 54, MAC) allocate exactly 0 bytes on the
 * calling thread, measured with {@code com.sun.management.ThreadMXBean} minus the measurement's own
 * overhead.
 */
class HotPathAllocationTest implements FrameHandler
{
    private static final int WARM_UP_ITERATIONS = 300_000;
    private static final int MEASURED_ITERATIONS = 200_000;
    private static final int[] ECHOED_FIELDS = { 2, 3, 4, 7, 11, 12, 13, 41, 42, 49 };

    private final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY);
    private final IsoMessageWriter writer = new IsoMessageWriter(IsoDialect.BINARY);
    private final FrameSplitter splitter = new FrameSplitter();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer directResponse = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer rrn = new UnsafeBuffer("000000000042".getBytes(US_ASCII));
    private final UnsafeBuffer authorizationId = new UnsafeBuffer("A1B2C3".getBytes(US_ASCII));
    private final UnsafeBuffer balances = new UnsafeBuffer("9102818C0000000150009402818C000000250000".getBytes(US_ASCII));
    private final UnsafeBuffer mac = new UnsafeBuffer(new byte[8]);
    private int frameLength;
    private long checksum;

    @Test
    void shouldNotAllocateOnDecodeAndEncode()
    {
        frameLength = purchaseFrame();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        run(WARM_UP_ITERATIONS);
        long overhead = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            overhead = Math.min(overhead, threads.getCurrentThreadAllocatedBytes() - before);
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        run(MEASURED_ITERATIONS);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before - overhead;

        assertEquals(0L, allocated, "bytes allocated over " + MEASURED_ITERATIONS + " iterations");
        assertEquals((long)MEASURED_ITERATIONS + WARM_UP_ITERATIONS, checksum / (1500 + 123));
        assertEquals(response.getShort(0), directResponse.getShort(0));
        for (int i = 0; i < Framing.LENGTH_PREFIX_BYTES + response.getShort(0, java.nio.ByteOrder.BIG_ENDIAN); i++)
        {
            assertEquals(response.getByte(i), directResponse.getByte(i), "byte " + i + " of the direct-mode response");
        }
    }

    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        reader.wrap(buffer, offset, length);
        if (!reader.isValid())
        {
            return;
        }
        checksum += reader.numeric(4) + reader.numeric(11);

        writer.reset(reader.mti() + 10);
        for (final int n : ECHOED_FIELDS)
        {
            if (reader.hasField(n))
            {
                writer.putFieldFrom(reader, n);
            }
        }
        writer.putChars(37, rrn, 0, rrn.capacity())
            .putChars(38, authorizationId, 0, authorizationId.capacity())
            .putChars(39, "00")
            .putChars(54, balances, 0, balances.capacity())
            .putBinary(64, mac, 0, mac.capacity());
        final int responseLength = writer.encode(response, Framing.LENGTH_PREFIX_BYTES);
        Framing.writeLength(response, 0, responseLength);
        response.putLong(writer.encodedValueOffset(64), response.getLong(Framing.LENGTH_PREFIX_BYTES));

        // The same response in direct mode: fields in ascending order, written once.
        writer.wrap(directResponse, Framing.LENGTH_PREFIX_BYTES, reader.mti() + 10);
        echo(2, 13);
        writer.putChars(37, rrn, 0, rrn.capacity())
            .putChars(38, authorizationId, 0, authorizationId.capacity())
            .putChars(39, "00");
        echo(41, 49);
        writer.putChars(54, balances, 0, balances.capacity())
            .putBinary(64, mac, 0, mac.capacity());
        Framing.writeLength(directResponse, 0, writer.finish());
        directResponse.putLong(writer.encodedValueOffset(64), directResponse.getLong(Framing.LENGTH_PREFIX_BYTES));
    }

    private void echo(final int from, final int to)
    {
        for (final int n : ECHOED_FIELDS)
        {
            if (n >= from && n <= to && reader.hasField(n))
            {
                writer.putFieldFrom(reader, n);
            }
        }
    }

    private void run(final int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            splitter.onBytes(frame, 0, frameLength, this);
        }
    }

    private int purchaseFrame()
    {
        final IsoMessageWriter request = new IsoMessageWriter(IsoDialect.BINARY);
        request.reset(200)
            .putDigits(2, new UnsafeBuffer("6281000012345678".getBytes(US_ASCII)), 0, 16)
            .putNumeric(3, 9100)
            .putNumeric(4, 1500)
            .putNumeric(7, 1123093015L)
            .putNumeric(11, 123)
            .putNumeric(12, 93015)
            .putNumeric(13, 1123)
            .putNumeric(14, 2812)
            .putNumeric(22, 51)
            .putChars(41, "PSD00001")
            .putChars(42, "GROCER000000042")
            .putChars(49, "818")
            .putBinary(52, new UnsafeBuffer(new byte[8]), 0, 8)
            .putBinary(64, new UnsafeBuffer(new byte[8]), 0, 8);
        final int length = request.encode(frame, Framing.LENGTH_PREFIX_BYTES);
        Framing.writeLength(frame, 0, length);

        return Framing.LENGTH_PREFIX_BYTES + length;
    }
}
