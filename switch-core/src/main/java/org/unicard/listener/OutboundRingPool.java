package org.unicard.listener;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.unicard.ring.RequestEvent;

/**
 * The outbound rings of one event loop's connections. A connection takes a ring when a request of
 * its enters the ring with none in flight, and gives it back once every response has been flushed,
 * so memory follows the connections with requests in flight, not every connection that ever sent
 * one (a ring for 64 responses of up to 1,024 bytes is 128 KiB of direct memory: 10,000 terminals
 * holding one each would need 1.25 GiB). Used by its event loop only; no locks.
 */
final class OutboundRingPool
{
    /** Empty rings kept for reuse per event loop; more are left to the garbage collector. */
    static final int MAX_KEPT = 256;

    private final int ringBytes;
    private final OneToOneRingBuffer[] free = new OneToOneRingBuffer[MAX_KEPT];
    private int count;
    private long allocated;

    /**
     * @param maxInFlight responses a ring must hold at once.
     */
    OutboundRingPool(final int maxInFlight)
    {
        this.ringBytes = ringBytes(maxInFlight);
    }

    /**
     * @return the data bytes of a ring holding {@code maxInFlight} responses of the largest size
     *         (a power of two, as Agrona requires).
     */
    static int ringBytes(final int maxInFlight)
    {
        return Integer.highestOneBit(maxInFlight * (RequestEvent.MAX_RESPONSE_BYTES + 16) * 2 - 1);
    }

    /**
     * @return an empty ring, reused when one is free.
     */
    OneToOneRingBuffer take()
    {
        if (count > 0)
        {
            final OneToOneRingBuffer ring = free[--count];
            free[count] = null;
            return ring;
        }
        allocated++;
        return new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Takes back an empty ring whose producer has finished with it.
     */
    void give(final OneToOneRingBuffer ring)
    {
        if (count < free.length)
        {
            free[count++] = ring;
        }
    }

    /**
     * @return rings allocated so far.
     */
    long allocated()
    {
        return allocated;
    }

    /**
     * @return empty rings waiting for reuse.
     */
    int free()
    {
        return count;
    }
}
