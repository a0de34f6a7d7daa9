package org.unicard.cluster;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.unicard.authorizer.AuthRequest;

/**
 * The entries of the replicated log (little-endian, fixed layout):
 * <pre>
 *   0  byte  type        TYPE_*
 *   1  byte  version     1
 *   2  short origin      member id of the gateway that received it (-1: none)
 *   4  long  incarnation of that gateway (its start), so a re-offered entry of an earlier run never
 *                        answers a request of this one
 *   12 long  correlation the gateway's ring sequence of the request
 *   20 ...   body        by type
 * </pre>
 * A {@link #TYPE_REQUEST} body is every field of the decoded {@link AuthRequest} except its business
 * time, which the clustered service takes from the log's timestamp. {@link #TYPE_CLOCK} carries the
 * {@code --clock} offset in milliseconds. {@link #TYPE_CHANGE_BATCH} is reserved for the spec §12
 * change batches (issue #14): a service built with a {@link LoggedCommand} for it applies them;
 * without one, it refuses to start deciding past such an entry rather than skip it.
 */
public final class LogMessages
{
    public static final byte TYPE_REQUEST = 1;
    public static final byte TYPE_CLOCK = 2;
    /** Spec §12 change batches, as logged commands (hook for issue #14). */
    public static final byte TYPE_CHANGE_BATCH = 3;
    /** Types that exist, for a command table. */
    public static final int TYPES = 8;

    public static final byte VERSION = 1;
    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int ORIGIN_OFFSET = 2;
    public static final int INCARNATION_OFFSET = 4;
    public static final int CORRELATION_OFFSET = 12;
    public static final int HEADER_BYTES = 20;

    public static final int REQUEST_BYTES = HEADER_BYTES + 4 + 1 + 4 + 8 + 4 + 8 + 8 + 4 + 4 + 8 + 4 + 4 + 1 + 8 + 4 + 4 + 8 + 8 + 8 + 1;
    public static final int CLOCK_BYTES = HEADER_BYTES + 8;

    private LogMessages()
    {
    }

    /**
     * Writes a header.
     */
    public static void header(
        final MutableDirectBuffer buffer, final byte type, final int origin, final long incarnation, final long correlation)
    {
        buffer.putByte(TYPE_OFFSET, type);
        buffer.putByte(VERSION_OFFSET, VERSION);
        buffer.putShort(ORIGIN_OFFSET, (short)origin);
        buffer.putLong(INCARNATION_OFFSET, incarnation);
        buffer.putLong(CORRELATION_OFFSET, correlation);
    }

    /**
     * @return the bytes written ({@link #REQUEST_BYTES}).
     */
    public static int encodeRequest(
        final MutableDirectBuffer buffer, final int origin, final long incarnation, final long correlation, final AuthRequest request)
    {
        header(buffer, TYPE_REQUEST, origin, incarnation, correlation);
        int at = HEADER_BYTES;
        buffer.putInt(at, request.mti);
        at += 4;
        buffer.putByte(at, request.sourceType);
        at += 1;
        buffer.putInt(at, request.sourceIndex);
        at += 4;
        buffer.putLong(at, request.terminalId);
        at += 8;
        buffer.putInt(at, request.stan);
        at += 4;
        buffer.putLong(at, request.transmissionDateTime);
        at += 8;
        buffer.putLong(at, request.pan);
        at += 8;
        buffer.putInt(at, request.panDigits);
        at += 4;
        buffer.putInt(at, request.processingCode);
        at += 4;
        buffer.putLong(at, request.amount);
        at += 8;
        buffer.putInt(at, request.currency);
        at += 4;
        buffer.putInt(at, request.expiry);
        at += 4;
        buffer.putByte(at, request.pinResult);
        at += 1;
        buffer.putLong(at, request.acquirerId);
        at += 8;
        buffer.putInt(at, request.originalMti);
        at += 4;
        buffer.putInt(at, request.originalStan);
        at += 4;
        buffer.putLong(at, request.originalTransmissionDateTime);
        at += 8;
        buffer.putLong(at, request.originalAcquirer);
        at += 8;
        buffer.putLong(at, request.contentHash);
        at += 8;
        buffer.putByte(at, request.command);
        at += 1;
        return at;
    }

    /**
     * Reads a {@link #TYPE_REQUEST} body into {@code request} (its business time is left to the caller).
     */
    public static void decodeRequest(final DirectBuffer buffer, final int offset, final AuthRequest request)
    {
        int at = offset + HEADER_BYTES;
        request.mti = buffer.getInt(at);
        at += 4;
        request.sourceType = buffer.getByte(at);
        at += 1;
        request.sourceIndex = buffer.getInt(at);
        at += 4;
        request.terminalId = buffer.getLong(at);
        at += 8;
        request.stan = buffer.getInt(at);
        at += 4;
        request.transmissionDateTime = buffer.getLong(at);
        at += 8;
        request.pan = buffer.getLong(at);
        at += 8;
        request.panDigits = buffer.getInt(at);
        at += 4;
        request.processingCode = buffer.getInt(at);
        at += 4;
        request.amount = buffer.getLong(at);
        at += 8;
        request.currency = buffer.getInt(at);
        at += 4;
        request.expiry = buffer.getInt(at);
        at += 4;
        request.pinResult = buffer.getByte(at);
        at += 1;
        request.acquirerId = buffer.getLong(at);
        at += 8;
        request.originalMti = buffer.getInt(at);
        at += 4;
        request.originalStan = buffer.getInt(at);
        at += 4;
        request.originalTransmissionDateTime = buffer.getLong(at);
        at += 8;
        request.originalAcquirer = buffer.getLong(at);
        at += 8;
        request.contentHash = buffer.getLong(at);
        at += 8;
        request.command = buffer.getByte(at);
    }

    /**
     * @return the bytes written ({@link #CLOCK_BYTES}).
     */
    public static int encodeClock(final MutableDirectBuffer buffer, final int origin, final long incarnation, final long offsetMs)
    {
        header(buffer, TYPE_CLOCK, origin, incarnation, 0);
        buffer.putLong(HEADER_BYTES, offsetMs);
        return CLOCK_BYTES;
    }

    public static byte type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET);
    }

    public static int origin(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + ORIGIN_OFFSET);
    }

    public static long incarnation(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + INCARNATION_OFFSET);
    }

    public static long correlation(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + CORRELATION_OFFSET);
    }

    public static long clockOffsetMs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + HEADER_BYTES);
    }

    /**
     * A logged command other than a request (spec §12 change batches, later others): applied by every
     * member's service, in log order, on the deciding thread.
     */
    @FunctionalInterface
    public interface LoggedCommand
    {
        /**
         * @param buffer         the entry.
         * @param offset         where it starts (its header).
         * @param length         its bytes.
         * @param businessTimeMs the entry's business time (log timestamp plus the clock offset).
         */
        void apply(DirectBuffer buffer, int offset, int length, long businessTimeMs);
    }
}
