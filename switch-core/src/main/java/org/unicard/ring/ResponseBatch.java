package org.unicard.ring;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.listener.Connection;
import org.unicard.security.RetailMacBatch;
import org.unicard.security.TdesKey;

/**
 * The responses the reply stage has encoded in the current ring batch and not yet queued: up to
 * {@link #CAPACITY}, each in a frame of its own with its MAC field still zero, so that their MACs
 * are computed together ({@link RetailMacBatch}: one at a time below
 * {@link RetailMacBatch#BITSLICED_FROM} signed responses, bitsliced from there on) before they are
 * queued on their connections, in ring order. Under a backlog the ring's batches hold dozens of
 * requests and the response MACs, two thirds of the ring's DES, cost less than half as much; with one
 * request a batch, as at a normal hour, a response is signed alone and queued at once, as before.
 * <p>
 * A response's key is taken when it is added, so a key a later change batch rotates does not sign a
 * response encoded before it. Owned by the reply thread; nothing allocates after construction.
 */
final class ResponseBatch
{
    /** Responses one batch holds. */
    static final int CAPACITY = RetailMacBatch.LANES;

    private final UnsafeBuffer[] frames = new UnsafeBuffer[CAPACITY];
    private final int[] lengths = new int[CAPACITY];
    private final Connection[] connections = new Connection[CAPACITY];
    private final int[] macLanes = new int[CAPACITY];
    private final int[] macValueOffsets = new int[CAPACITY];
    /** What the request counters record once the response is queued. */
    private final int[] mtis = new int[CAPACITY];
    private final int[] terminalTypes = new int[CAPACITY];
    private final int[] codes = new int[CAPACITY];
    private final int[] processingCodes = new int[CAPACITY];
    private final int[] governorates = new int[CAPACITY];
    private final long[] arrivalNs = new long[CAPACITY];
    private final RetailMacBatch macs = new RetailMacBatch();
    private int size;

    ResponseBatch()
    {
        for (int i = 0; i < CAPACITY; i++)
        {
            frames[i] = new UnsafeBuffer(new byte[RequestEvent.MAX_RESPONSE_BYTES]);
        }
    }

    /**
     * @return the frame the next response is encoded into (the batch must not be full).
     */
    UnsafeBuffer nextFrame()
    {
        return frames[size];
    }

    /**
     * Adds the response just encoded into {@link #nextFrame()}.
     *
     * @param connection     where it goes.
     * @param length         the frame's length.
     * @param key            the MAC key that signs it, or {@code null} when it has no MAC field.
     * @param macDataOffset  where in the frame the bytes the MAC covers start.
     * @param macDataLength  how many bytes the MAC covers.
     * @param macValueOffset where in the frame the MAC goes.
     */
    void add(
        final Connection connection,
        final int length,
        final TdesKey key,
        final int macDataOffset,
        final int macDataLength,
        final int macValueOffset)
    {
        connections[size] = connection;
        lengths[size] = length;
        macLanes[size] = key == null ? -1 : macs.add(key, frames[size], macDataOffset, macDataLength);
        macValueOffsets[size] = macValueOffset;
        size++;
    }

    /** Records, for the response just added, what the request counters need once it is queued. */
    void answered(final int mti, final int terminalType, final int code, final int processingCode, final int governorate, final long arrival)
    {
        final int i = size - 1;
        mtis[i] = mti;
        terminalTypes[i] = terminalType;
        codes[i] = code;
        processingCodes[i] = processingCode;
        governorates[i] = governorate;
        arrivalNs[i] = arrival;
    }

    /**
     * Computes every MAC the batch holds and writes each into its frame.
     *
     * @return how many were computed bitsliced (0 when the batch signed fewer than
     *         {@link RetailMacBatch#BITSLICED_FROM}, one at a time).
     */
    int sign()
    {
        if (0 == macs.size())
        {
            return 0;
        }
        final int together = macs.compute();
        for (int i = 0; i < size; i++)
        {
            if (macLanes[i] >= 0)
            {
                frames[i].putLong(macValueOffsets[i], macs.mac(macLanes[i]), ByteOrder.BIG_ENDIAN);
            }
        }
        return together;
    }

    /** Forgets every response (after they are queued), and the batch's references to connections and keys. */
    void clear()
    {
        for (int i = 0; i < size; i++)
        {
            connections[i] = null;
        }
        macs.clear();
        size = 0;
    }

    int size()
    {
        return size;
    }

    boolean isFull()
    {
        return CAPACITY == size;
    }

    UnsafeBuffer frame(final int i)
    {
        return frames[i];
    }

    int length(final int i)
    {
        return lengths[i];
    }

    Connection connection(final int i)
    {
        return connections[i];
    }

    int mti(final int i)
    {
        return mtis[i];
    }

    int terminalType(final int i)
    {
        return terminalTypes[i];
    }

    int code(final int i)
    {
        return codes[i];
    }

    int processingCode(final int i)
    {
        return processingCodes[i];
    }

    int governorate(final int i)
    {
        return governorates[i];
    }

    long arrivalNs(final int i)
    {
        return arrivalNs[i];
    }
}
