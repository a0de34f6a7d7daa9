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
 * {@code --clock} offset in milliseconds. {@link #TYPE_CHANGE_BATCH} is one chunk of a spec §12 change
 * batch ({@link ClusterChangeBatches}); its correlation numbers the batches of one gateway run:
 * <pre>
 *   20  int   chunk        this chunk's index, from 0
 *   24  int   chunks       chunks in the batch (1 to {@link #MAX_CHANGE_CHUNKS})
 *   28  long  body bytes   the whole batch's length
 *   36  32    SHA-256      of the whole batch
 *   68  byte  id length    1 to 64
 *   69  64    id           ASCII, zero-padded
 *   133 int   chunk bytes  0 to {@link #MAX_CHANGE_CHUNK_BYTES}
 *   137 ...   the chunk
 * </pre>
 * A chunk is at most {@link #MAX_CHANGE_CHUNK_BYTES} so that an entry stays well under the
 * ingress channel's largest message (an eighth of its 1 MiB term: 128 KiB).
 * A service without a {@link LoggedCommand} for a type refuses to go past such an entry rather than skip it.
 */
public final class LogMessages
{
    public static final byte TYPE_REQUEST = 1;
    public static final byte TYPE_CLOCK = 2;
    /** A chunk of a spec §12 change batch ({@link ClusterChangeBatches}). */
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

    private static final int CHUNK_INDEX_OFFSET = HEADER_BYTES;
    private static final int CHUNK_COUNT_OFFSET = HEADER_BYTES + 4;
    private static final int BATCH_BYTES_OFFSET = HEADER_BYTES + 8;
    private static final int BATCH_SHA256_OFFSET = HEADER_BYTES + 16;
    private static final int BATCH_ID_LENGTH_OFFSET = HEADER_BYTES + 48;
    private static final int BATCH_ID_OFFSET = HEADER_BYTES + 49;
    private static final int BATCH_ID_MAX = 64;
    private static final int CHUNK_LENGTH_OFFSET = HEADER_BYTES + 113;
    /** Bytes of a change batch chunk before its data. */
    public static final int CHANGE_CHUNK_HEADER_BYTES = HEADER_BYTES + 117;
    /** Largest chunk of a change batch in one log entry. */
    public static final int MAX_CHANGE_CHUNK_BYTES = 64 * 1024;
    /** Most chunks of one batch: the spec §12 body limit (64 MiB) in chunks. */
    public static final int MAX_CHANGE_CHUNKS = (int)((org.unicard.changes.ChangeParser.MAX_BODY_BYTES + MAX_CHANGE_CHUNK_BYTES - 1)
        / MAX_CHANGE_CHUNK_BYTES);

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

    /**
     * @return the chunks a batch of {@code bodyBytes} travels in (at least one).
     */
    public static int changeChunks(final long bodyBytes)
    {
        return (int)Math.max(1, (bodyBytes + MAX_CHANGE_CHUNK_BYTES - 1) / MAX_CHANGE_CHUNK_BYTES);
    }

    /**
     * Writes chunk {@code chunk} of a change batch.
     *
     * @return the bytes written.
     */
    public static int encodeChangeChunk(
        final MutableDirectBuffer buffer,
        final int origin,
        final long incarnation,
        final long correlation,
        final String batchId,
        final byte[] sha256,
        final byte[] body,
        final int chunk)
    {
        final int chunks = changeChunks(body.length);
        if (chunk < 0 || chunk >= chunks || batchId.isEmpty() || batchId.length() > BATCH_ID_MAX || sha256.length != 32)
        {
            throw new IllegalArgumentException("chunk=" + chunk + " chunks=" + chunks + " id-length=" + batchId.length()
                + " sha256-length=" + sha256.length);
        }
        header(buffer, TYPE_CHANGE_BATCH, origin, incarnation, correlation);
        buffer.putInt(CHUNK_INDEX_OFFSET, chunk);
        buffer.putInt(CHUNK_COUNT_OFFSET, chunks);
        buffer.putLong(BATCH_BYTES_OFFSET, body.length);
        buffer.putBytes(BATCH_SHA256_OFFSET, sha256);
        buffer.putByte(BATCH_ID_LENGTH_OFFSET, (byte)batchId.length());
        buffer.setMemory(BATCH_ID_OFFSET, BATCH_ID_MAX, (byte)0);
        for (int i = 0; i < batchId.length(); i++)
        {
            buffer.putByte(BATCH_ID_OFFSET + i, (byte)batchId.charAt(i));
        }
        final int from = chunk * MAX_CHANGE_CHUNK_BYTES;
        final int length = Math.min(MAX_CHANGE_CHUNK_BYTES, body.length - from);
        buffer.putInt(CHUNK_LENGTH_OFFSET, length);
        buffer.putBytes(CHANGE_CHUNK_HEADER_BYTES, body, from, length);
        return CHANGE_CHUNK_HEADER_BYTES + length;
    }

    public static int changeChunk(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + CHUNK_INDEX_OFFSET);
    }

    public static int changeChunks(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + CHUNK_COUNT_OFFSET);
    }

    public static long changeBodyBytes(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + BATCH_BYTES_OFFSET);
    }

    public static byte[] changeSha256(final DirectBuffer buffer, final int offset)
    {
        final byte[] sha256 = new byte[32];
        buffer.getBytes(offset + BATCH_SHA256_OFFSET, sha256);
        return sha256;
    }

    /**
     * @return the batch id, or {@code null} when its length is out of range.
     */
    public static String changeBatchId(final DirectBuffer buffer, final int offset)
    {
        final int length = buffer.getByte(offset + BATCH_ID_LENGTH_OFFSET) & 0xFF;
        if (length < 1 || length > BATCH_ID_MAX)
        {
            return null;
        }
        return buffer.getStringWithoutLengthAscii(offset + BATCH_ID_OFFSET, length);
    }

    public static int changeChunkBytes(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + CHUNK_LENGTH_OFFSET);
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

        /**
         * Writes what the command holds between entries (a change batch whose chunks have not all come) into a
         * cluster snapshot; nothing by default.
         */
        default void snapshot(final java.io.DataOutput out) throws java.io.IOException
        {
        }

        /**
         * Replaces what the command holds between entries with what {@link #snapshot} wrote.
         *
         * @throws java.io.IOException when the bytes are not what {@link #snapshot} writes.
         */
        default void load(final java.io.DataInput in) throws java.io.IOException
        {
        }
    }
}
