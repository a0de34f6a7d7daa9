package org.unicard.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.unicard.security.RetailMac;
import org.unicard.security.RetailMacBatch;
import org.unicard.security.TdesKey;

class ResponseBatchTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final SplittableRandom random = new SplittableRandom(5);

    @Test
    void shouldWriteEachSignedResponsesMacAndLeaveUnsignedOnesAsEncoded()
    {
        final ResponseBatch batch = new ResponseBatch();
        final TdesKey[] keys = {key(), key(), key()};
        for (final int size : new int[] {1, RetailMacBatch.BITSLICED_FROM - 1, RetailMacBatch.BITSLICED_FROM + 3, ResponseBatch.CAPACITY})
        {
            final byte[][] encoded = new byte[size][];
            final int[] signedBy = new int[size];
            int signed = 0;
            for (int i = 0; i < size; i++)
            {
                final UnsafeBuffer frame = batch.nextFrame();
                final int length = random.nextInt(40, 200);
                final byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                bytes[length - 8] = bytes[length - 7] = bytes[length - 6] = bytes[length - 5] = 0;
                bytes[length - 4] = bytes[length - 3] = bytes[length - 2] = bytes[length - 1] = 0;
                frame.putBytes(0, bytes);
                encoded[i] = bytes;
                // Every fourth response goes to a terminal without a MAC key.
                signedBy[i] = 0 == i % 4 ? -1 : random.nextInt(keys.length);
                signed += signedBy[i] >= 0 ? 1 : 0;
                batch.add(null, length, signedBy[i] >= 0 ? keys[signedBy[i]] : null, 2, length - 10, length - 8);
                batch.answered(210, 1, 0, 9100, 3, i);
            }

            final int together = batch.sign();

            assertEquals(signed >= RetailMacBatch.BITSLICED_FROM ? signed : 0, together, "size " + size);
            for (int i = 0; i < size; i++)
            {
                final UnsafeBuffer frame = batch.frame(i);
                final int length = encoded[i].length;
                assertEquals(length, batch.length(i));
                assertEquals(i, batch.arrivalNs(i));
                final long expected = signedBy[i] < 0 ? 0 :
                    RetailMac.compute(keys[signedBy[i]], new UnsafeBuffer(encoded[i]), 2, length - 10);
                assertEquals(expected, frame.getLong(length - 8, ByteOrder.BIG_ENDIAN), "size " + size + ", response " + i);
                for (int b = 0; b < length - 8; b++)
                {
                    assertEquals(encoded[i][b], frame.getByte(b), "size " + size + ", response " + i + ", byte " + b);
                }
            }
            batch.clear();
            assertEquals(0, batch.size());
        }
    }

    @Test
    void shouldSignAFullBatchWithoutAllocating()
    {
        final ResponseBatch batch = new ResponseBatch();
        final TdesKey key = key();
        final long[] allocated = new long[5];
        for (int round = 0; round < allocated.length; round++)
        {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int repeat = 0; repeat < 200; repeat++)
            {
                while (!batch.isFull())
                {
                    batch.add(null, 177, key, 2, 167, 169);
                    batch.answered(210, 1, 0, 9100, 3, repeat);
                }
                batch.sign();
                batch.clear();
            }
            allocated[round] = THREADS.getCurrentThreadAllocatedBytes() - before;
        }
        long fewest = Long.MAX_VALUE;
        for (int round = 2; round < allocated.length; round++)
        {
            fewest = Math.min(fewest, allocated[round]);
        }
        assertEquals(0, fewest, java.util.Arrays.toString(allocated));
    }

    private TdesKey key()
    {
        final byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return TdesKey.of(bytes);
    }
}
