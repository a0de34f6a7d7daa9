package org.unicard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ResponseCode;
import org.unicard.decode.DecodeCounters;
import org.unicard.decode.RequestDecoder;
import org.unicard.iso8583.framing.Framing;
import org.unicard.listener.ListenerKind;
import org.unicard.listener.ListenerSettings;
import org.unicard.ring.RequestEvent;
import org.unicard.security.Hex;
import org.unicard.security.RetailMacBatch;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalRequest;

/**
 * {@link RequestDecoder#decodeAll} (a batch whose MACs are verified together) leaves every slot as
 * {@link RequestDecoder#decode} leaves it alone: the seeds of every path, each also with one byte
 * changed (a wrong MAC, or a frame broken elsewhere), in batches of every size up to 64.
 */
class RequestDecoderBatchTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    /** Batch sizes: below, at and above the bitsliced threshold (28), and full. */
    private static final int[] SIZES = {1, 2, 3, 7, 27, 28, 29, 45, 63, 64};

    @TempDir
    Path directory;

    @Test
    void shouldDecodeABatchExactlyAsOneRequestAtATime() throws Exception
    {
        final DataSet data = WireData.imported(directory);
        final DecodeCounters aloneCounters = new DecodeCounters();
        final DecodeCounters batchCounters = new DecodeCounters();
        final RequestDecoder alone = WireData.decoder(data, aloneCounters);
        final RequestDecoder batch = WireData.decoder(data, batchCounters);
        final List<byte[]> inputs = inputs();
        final SplittableRandom random = new SplittableRandom(11);
        final RequestEvent single = new RequestEvent();
        final RequestEvent[] events = new RequestEvent[RetailMacBatch.LANES];
        for (int i = 0; i < events.length; i++)
        {
            events[i] = new RequestEvent();
        }
        int macFailures = 0;
        int authorized = 0;
        for (int round = 0; round < 40; round++)
        {
            final int size = SIZES[round % SIZES.length];
            final byte[][] chosen = new byte[size][];
            for (int i = 0; i < size; i++)
            {
                chosen[i] = inputs.get(random.nextInt(inputs.size()));
                load(events[i], chosen[i]);
            }

            batch.decodeAll(events, size);

            for (int i = 0; i < size; i++)
            {
                load(single, chosen[i]);
                alone.decode(single);
                assertEquals(summary(single), summary(events[i]), "round " + round + ", slot " + i + " of " + size);
                macFailures += single.action == RequestEvent.ACTION_REPLY && single.directCode == ResponseCode.MAC_FAILURE ? 1 : 0;
                authorized += single.action == RequestEvent.ACTION_AUTHORIZE ? 1 : 0;
            }
        }
        assertEquals(aloneCounters.macFailures.get(), batchCounters.macFailures.get());
        assertEquals(aloneCounters.malformed.get(), batchCounters.malformed.get());
        assertEquals(aloneCounters.unknownSource.get(), batchCounters.unknownSource.get());
        assertTrue(macFailures > 50, "wrong MACs were among the batches: " + macFailures);
        assertTrue(authorized > 200, "requests went all the way through: " + authorized);
    }

    @Test
    void shouldDecodeAFullBatchWithoutAllocating() throws Exception
    {
        final DataSet data = WireData.imported(directory);
        final RequestDecoder decoder = WireData.decoder(data, new DecodeCounters());
        final List<byte[]> inputs = inputs();
        final RequestEvent[] events = new RequestEvent[RetailMacBatch.LANES];
        for (int i = 0; i < events.length; i++)
        {
            events[i] = new RequestEvent();
        }
        final long[] allocated = new long[6];
        for (int round = 0; round < allocated.length; round++)
        {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int repeat = 0; repeat < 100; repeat++)
            {
                for (int i = 0; i < events.length; i++)
                {
                    load(events[i], inputs.get((i + repeat) % inputs.size()));
                }
                decoder.decodeAll(events, events.length);
            }
            allocated[round] = THREADS.getCurrentThreadAllocatedBytes() - before;
        }
        assertEquals(0, Arrays.stream(allocated, 2, allocated.length).min().getAsLong(), Arrays.toString(allocated));
    }

    /**
     * The seeds, and each seed with one byte flipped near its end (inside the MAC when it has one) and in
     * its middle; signed purchases that differ in STAN and amount (so each has a MAC of its own), and
     * each of those carrying the MAC of the one before it (a MAC that is right for another request).
     */
    private static List<byte[]> inputs()
    {
        final List<byte[]> inputs = new ArrayList<>();
        final TerminalRequest request = new TerminalRequest();
        final TdesKey macKey = TdesKey.of(Hex.parseKey(WireData.TAK_HEX));
        byte[] previous = null;
        for (int stan = 100; stan < 116; stan++)
        {
            request.clear();
            request.stan = stan;
            request.transmissionDateTime = 1123090000L + stan;
            request.terminalId = WireData.GROCER;
            request.merchantId = WireData.MERCHANT_GROCER;
            request.pan = WireData.LARGE_HEAD;
            request.processingCode = 9100;
            request.amount = 10 + stan;
            request.currency = 818;
            request.macKey = macKey;
            final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
            final int length = new RequestBuilder().build(request, out);
            final byte[] signed = new byte[length - Framing.LENGTH_PREFIX_BYTES + 1];
            out.getBytes(Framing.LENGTH_PREFIX_BYTES, signed, 1, signed.length - 1);
            inputs.add(signed);
            if (previous != null)
            {
                final byte[] borrowed = signed.clone();
                System.arraycopy(previous, previous.length - 8, borrowed, borrowed.length - 8, 8);
                inputs.add(borrowed);
            }
            previous = signed;
        }
        for (final byte[] seed : RequestDecoderSeeds.seeds().values())
        {
            inputs.add(seed);
            final byte[] lastByte = seed.clone();
            lastByte[lastByte.length - 1] ^= 0x01;
            inputs.add(lastByte);
            final byte[] middle = seed.clone();
            middle[middle.length / 2] ^= 0x10;
            inputs.add(middle);
        }
        return inputs;
    }

    /** A seed into a slot as a listener publishes it: its first byte says the listener (see {@link RequestDecoderSeeds}). */
    private static void load(final RequestEvent event, final byte[] input)
    {
        event.reset();
        event.kind = RequestEvent.KIND_FRAME;
        event.listener = LISTENERS[input[0] & 7];
        event.businessTimeMs = WireData.CLOCK.toEpochMilli();
        event.frame.putBytes(0, input, 1, input.length - 1);
        event.frameLength = input.length - 1;
    }

    private static final ListenerSettings[] LISTENERS = new ListenerSettings[8];

    static
    {
        for (int bits = 0; bits < 8; bits++)
        {
            LISTENERS[bits] = new ListenerSettings((bits & 4) != 0 ? ListenerKind.ACQUIRER : ListenerKind.TERMINAL, 0, (bits & 1) == 0,
                (bits & 2) != 0);
        }
    }

    private static String summary(final RequestEvent event)
    {
        final AuthRequest r = event.request;
        return "action=" + event.action + " code=" + event.directCode + " mac-terminal=" + event.macTerminal + " type=" +
            event.terminalType + " mti=" + r.mti + " stan=" + r.stan + " source=" + r.sourceType + "/" + r.sourceIndex +
            " terminal=" + r.terminalId + " time=" + r.transmissionDateTime + " pan=" + r.pan + "/" + r.panDigits + " pc=" +
            r.processingCode + " amount=" + r.amount + " currency=" + r.currency + " expiry=" + r.expiry + " pin=" + r.pinResult +
            " acquirer=" + r.acquirerId + " original=" + r.originalMti + "/" + r.originalStan + "/" + r.originalTransmissionDateTime +
            "/" + r.originalAcquirer + " hash=" + r.contentHash;
    }
}
