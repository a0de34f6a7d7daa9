package org.unicard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class BitslicedDesTest
{
    private static boolean verified;

    private final SplittableRandom random = new SplittableRandom(2026_12_05L);

    @Test
    void shouldTransposeA64By64BitMatrix()
    {
        final long[] matrix = new long[64];
        for (int i = 0; i < 64; i++)
        {
            matrix[i] = random.nextLong();
        }
        final long[] transposed = matrix.clone();
        BitslicedDes.transpose(transposed);
        for (int row = 0; row < 64; row++)
        {
            for (int column = 0; column < 64; column++)
            {
                assertEquals((matrix[row] >>> (63 - column)) & 1, (transposed[column] >>> (63 - row)) & 1, row + "," + column);
            }
        }
    }

    @Test
    void shouldEncrypt64BlocksUnder64KeysAsTheJceDoes() throws Exception
    {
        final byte[][] keys = new byte[64][8];
        final long[] blocks = new long[64];
        final long[] keyWords = new long[BitslicedDes.KEY_WORDS];
        final long[] rows = new long[64];
        for (int lane = 0; lane < 64; lane++)
        {
            random.nextBytes(keys[lane]);
            blocks[lane] = random.nextLong();
        }
        for (int part = 0; part < BitslicedDes.KEY_ROW_LONGS; part++)
        {
            for (int lane = 0; lane < 64; lane++)
            {
                rows[lane] = BitslicedDes.subkeyRow(Des.schedule(keys[lane], 0))[part];
            }
            BitslicedDes.transpose(rows);
            System.arraycopy(rows, 0, keyWords, part * 64, 64);
        }
        final long[] words = blocks.clone();
        BitslicedDes.transpose(words);
        final long[] left = new long[32];
        final long[] right = new long[32];
        for (int i = 0; i < 32; i++)
        {
            left[i] = words[Des.IP[i] - 1];
            right[i] = words[Des.IP[32 + i] - 1];
        }

        BitslicedDes.rounds(left, right, keyWords);

        for (int i = 0; i < 32; i++)
        {
            words[i] = left[i];
            words[32 + i] = right[i];
        }
        BitslicedDes.transpose(words);
        for (int lane = 0; lane < 64; lane++)
        {
            long cipherText = 0;
            for (int i = 0; i < 64; i++)
            {
                cipherText |= ((words[lane] >>> (63 - i)) & 1) << (64 - Des.IP[i]);
            }
            assertEquals(jceEncrypt(keys[lane], blocks[lane]), cipherText, "lane " + lane);
        }
    }

    @Test
    void shouldGiveEachLaneTheRetailMacOfItsMessageBitslicedOrNot()
    {
        final RetailMacBatch batch = new RetailMacBatch();
        final int[] counts = {
            1, 2, 7, RetailMacBatch.BITSLICED_FROM - 1, RetailMacBatch.BITSLICED_FROM, RetailMacBatch.OUTPUT_BITSLICED_FROM, 63, 64,
        };
        for (final int count : counts)
        {
            final TdesKey[] keys = new TdesKey[count];
            final UnsafeBuffer[] data = new UnsafeBuffer[count];
            final int[] offsets = new int[count];
            final int[] lengths = new int[count];
            batch.clear();
            for (int lane = 0; lane < count; lane++)
            {
                final byte[] key = new byte[16];
                random.nextBytes(key);
                keys[lane] = TdesKey.of(key);
                lengths[lane] = 0 == lane % 13 ? 0 : random.nextInt(1, 200);
                offsets[lane] = random.nextInt(0, 5);
                final byte[] bytes = new byte[offsets[lane] + lengths[lane] + random.nextInt(0, 9)];
                random.nextBytes(bytes);
                data[lane] = new UnsafeBuffer(bytes);
                assertEquals(lane, batch.add(keys[lane], data[lane], offsets[lane], lengths[lane]));
            }
            assertEquals(count, batch.size());

            for (int way = 0; way < 3; way++)
            {
                final String bitsliced = 0 == way ? "as compute() chooses" : 1 == way ? "CBC only" : "CBC and output";
                if (0 == way)
                {
                    batch.compute();
                }
                else
                {
                    batch.computeBitsliced(2 == way);
                }
                for (int lane = 0; lane < count; lane++)
                {
                    final long expected = RetailMac.compute(keys[lane], data[lane], offsets[lane], lengths[lane]);
                    final String where = "count " + count + ", lane " + lane + ", length " + lengths[lane] + ", bitsliced " + bitsliced;
                    assertEquals(expected, batch.mac(lane), where);
                    final UnsafeBuffer received = new UnsafeBuffer(new byte[8]);
                    received.putLong(0, expected, java.nio.ByteOrder.BIG_ENDIAN);
                    assertTrue(batch.verify(lane, received, 0), where);
                    received.putByte(7, (byte)(received.getByte(7) ^ 1));
                    assertFalse(batch.verify(lane, received, 0), where);
                }
            }
        }
    }

    @Test
    void shouldMatchThePublishedRetailMacVectorInEveryLane()
    {
        // ISO 9797-1 algorithm 3 / X9.19 vector: key 0123456789ABCDEFFEDCBA9876543210, "Now is the time for all ".
        final TdesKey key = TdesKey.of(Hex.parseKey("0123456789ABCDEFFEDCBA9876543210"));
        final UnsafeBuffer message = new UnsafeBuffer("Now is the time for all ".getBytes(StandardCharsets.US_ASCII));
        final RetailMacBatch batch = new RetailMacBatch();
        while (!batch.isFull())
        {
            batch.add(key, message, 0, message.capacity());
        }

        batch.compute();

        for (int lane = 0; lane < RetailMacBatch.LANES; lane++)
        {
            assertEquals(0xA1C72E74EA3FA9B6L, batch.mac(lane), "lane " + lane);
        }
    }

    @Test
    void shouldWarmUpOnThePublishedVector()
    {
        assertEquals(0xA1C72E74EA3FA9B6L, RetailMacBatch.warmUp());
    }

    @Test
    void shouldRefuseAMessageBeyondTheLastLaneOrOfNegativeLength()
    {
        final RetailMacBatch batch = new RetailMacBatch();
        final TdesKey key = TdesKey.of(new byte[16]);
        final UnsafeBuffer data = new UnsafeBuffer(new byte[8]);

        assertEquals("length=-1 is negative",
            assertThrows(IllegalArgumentException.class, () -> batch.add(key, data, 0, -1)).getMessage());
        assertEquals(0, batch.size());
        while (!batch.isFull())
        {
            batch.add(key, data, 0, 8);
        }
        assertEquals("the batch already holds 64 messages",
            assertThrows(IllegalStateException.class, () -> batch.add(key, data, 0, 8)).getMessage());
        batch.clear();
        assertEquals(0, batch.size());
    }

    @Test
    void shouldNotAllocateWhenComputingABatchEitherWay()
    {
        final RetailMacBatch batch = new RetailMacBatch();
        final TdesKey key = TdesKey.of(Hex.parseKey("0123456789ABCDEFFEDCBA9876543210"));
        final UnsafeBuffer data = new UnsafeBuffer(new byte[203]);
        final UnsafeBuffer mac = new UnsafeBuffer(new byte[8]);
        // One at a time, bitsliced CBC with the table DES's outputs, and all bitsliced.
        final int[] counts = {1, RetailMacBatch.BITSLICED_FROM, RetailMacBatch.OUTPUT_BITSLICED_FROM, RetailMacBatch.LANES};

        final long allocated = AllocationMeter.bytesAllocatedBy(AllocationMeter.WARM_UP_RUNS, () ->
        {
            for (final int count : counts)
            {
                batch.clear();
                for (int lane = 0; lane < count; lane++)
                {
                    batch.add(key, data, lane & 7, 203 - (lane & 15) - 8);
                }
                batch.compute();
                verified ^= batch.verify(count - 1, mac, 0);
            }
        });

        assertEquals(0L, allocated);
    }

    @Test
    void shouldHoldTheCircuitsTheirWriterWrites() throws Exception
    {
        final String source = Files.readString(Path.of("src/main/java/org/unicard/security/BitslicedDes.java"));
        final String start = "    // circuits: written by SboxCircuits, do not edit by hand\n";
        final String end = "    // end of circuits\n";
        final int from = source.indexOf(start) + start.length();

        assertEquals(SboxCircuits.javaSource(), source.substring(from, source.indexOf(end)));
    }

    private static long jceEncrypt(final byte[] key, final long block) throws Exception
    {
        final Cipher cipher = Cipher.getInstance("DES/ECB/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
        final byte[] in = new byte[8];
        TdesKey.putLong(in, 0, block);
        return TdesKey.getLong(cipher.doFinal(in), 0);
    }
}
