package org.unicard.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a change batch back together from its {@link LogMessages#TYPE_CHANGE_BATCH} entries, on the
 * service thread, the same way on every member: at most one batch per origin member; a chunk 0 starts
 * (or starts again) that origin's batch; a chunk that does not follow the one before (other batch
 * number, incarnation, id or count, or a gap) drops it, and the gateway's resend brings it whole. An
 * entry whose fields are out of range changes nothing. Bounded: {@link #ORIGINS} batches of at most
 * {@code ChangeParser.MAX_BODY_BYTES} each.
 * <p>
 * {@link #write} and {@link #read} carry the batches in assembly through a cluster snapshot, so that
 * a member started from a snapshot taken between two chunks of a batch has its first chunks too.
 */
final class ChangeBatchAssembler
{
    private static final Logger LOG = LoggerFactory.getLogger(ChangeBatchAssembler.class);
    /** Origin members whose batch can be in assembly at once (member ids are below this). */
    static final int ORIGINS = 16;
    private static final int SNAPSHOT_VERSION = 1;

    /**
     * A whole batch.
     *
     * @param origin      the member whose gateway offered it.
     * @param incarnation that gateway's run.
     * @param correlation the batch's number in that run.
     */
    record Batch(int origin, long incarnation, long correlation, String id, byte[] sha256, byte[] body)
    {
    }

    private final Assembly[] assemblies = new Assembly[ORIGINS];

    /**
     * @return the whole batch when this entry completes it, else {@code null}.
     */
    Batch onChunk(final DirectBuffer buffer, final int offset, final int length)
    {
        final int origin = LogMessages.origin(buffer, offset);
        final int chunk = LogMessages.changeChunk(buffer, offset);
        final int chunks = LogMessages.changeChunks(buffer, offset);
        final long bodyBytes = LogMessages.changeBodyBytes(buffer, offset);
        final int chunkBytes = LogMessages.changeChunkBytes(buffer, offset);
        final String id = LogMessages.changeBatchId(buffer, offset);
        if (origin < 0 || origin >= ORIGINS || id == null || bodyBytes < 0 || chunks < 1 || chunks > LogMessages.MAX_CHANGE_CHUNKS ||
            chunks != LogMessages.changeChunks(bodyBytes) || chunk < 0 || chunk >= chunks || chunkBytes < 0 ||
            chunkBytes > LogMessages.MAX_CHANGE_CHUNK_BYTES || length != LogMessages.CHANGE_CHUNK_HEADER_BYTES + chunkBytes)
        {
            LOG.warn("event=changes-chunk-refused origin={} chunk={} chunks={} body-bytes={} chunk-bytes={} length={}", origin, chunk,
                chunks, bodyBytes, chunkBytes, length);
            return null;
        }
        final long incarnation = LogMessages.incarnation(buffer, offset);
        final long correlation = LogMessages.correlation(buffer, offset);
        Assembly assembly = assemblies[origin];
        if (chunk == 0)
        {
            assembly = new Assembly(incarnation, correlation, id, LogMessages.changeSha256(buffer, offset), new byte[(int)bodyBytes], chunks);
            assemblies[origin] = assembly;
        }
        else if (assembly == null || assembly.incarnation != incarnation || assembly.correlation != correlation ||
            assembly.nextChunk != chunk || assembly.chunks != chunks || !assembly.id.equals(id))
        {
            assemblies[origin] = null;
            return null;
        }
        if (assembly.filled + chunkBytes > assembly.body.length || (chunk < chunks - 1 && chunkBytes != LogMessages.MAX_CHANGE_CHUNK_BYTES))
        {
            assemblies[origin] = null;
            return null;
        }
        buffer.getBytes(offset + LogMessages.CHANGE_CHUNK_HEADER_BYTES, assembly.body, assembly.filled, chunkBytes);
        assembly.filled += chunkBytes;
        assembly.nextChunk++;
        if (assembly.nextChunk < assembly.chunks)
        {
            return null;
        }
        assemblies[origin] = null;
        if (assembly.filled != assembly.body.length)
        {
            return null;
        }
        return new Batch(origin, assembly.incarnation, assembly.correlation, assembly.id, assembly.sha256, assembly.body);
    }

    /**
     * @return batches in assembly now.
     */
    int inAssembly()
    {
        int count = 0;
        for (final Assembly assembly : assemblies)
        {
            count += assembly == null ? 0 : 1;
        }
        return count;
    }

    /**
     * Writes the batches in assembly, in origin order (for a cluster snapshot).
     */
    void write(final DataOutput out) throws IOException
    {
        out.writeInt(SNAPSHOT_VERSION);
        out.writeInt(inAssembly());
        for (int origin = 0; origin < ORIGINS; origin++)
        {
            final Assembly assembly = assemblies[origin];
            if (assembly == null)
            {
                continue;
            }
            out.writeInt(origin);
            out.writeLong(assembly.incarnation);
            out.writeLong(assembly.correlation);
            out.writeUTF(assembly.id);
            out.write(assembly.sha256);
            out.writeInt(assembly.body.length);
            out.writeInt(assembly.chunks);
            out.writeInt(assembly.nextChunk);
            out.writeInt(assembly.filled);
            out.write(assembly.body, 0, assembly.filled);
        }
    }

    /**
     * Replaces the batches in assembly with those {@link #write} wrote.
     *
     * @throws IOException when the bytes are not what {@link #write} writes (named by field).
     */
    void read(final DataInput in) throws IOException
    {
        final int version = in.readInt();
        if (version != SNAPSHOT_VERSION)
        {
            throw new IOException("change batch assemblies: version=" + version + " expected=" + SNAPSHOT_VERSION);
        }
        final int count = in.readInt();
        if (count < 0 || count > ORIGINS)
        {
            throw new IOException("change batch assemblies: count=" + count + " range=[0," + ORIGINS + "]");
        }
        final Assembly[] loaded = new Assembly[ORIGINS];
        for (int i = 0; i < count; i++)
        {
            final int origin = in.readInt();
            final long incarnation = in.readLong();
            final long correlation = in.readLong();
            final String id = in.readUTF();
            final byte[] sha256 = new byte[32];
            in.readFully(sha256);
            final int bodyBytes = in.readInt();
            final int chunks = in.readInt();
            final int nextChunk = in.readInt();
            final int filled = in.readInt();
            if (origin < 0 || origin >= ORIGINS || loaded[origin] != null || bodyBytes < 0 ||
                bodyBytes > org.unicard.changes.ChangeParser.MAX_BODY_BYTES || chunks != LogMessages.changeChunks(bodyBytes) ||
                nextChunk < 1 || nextChunk >= chunks || filled != nextChunk * LogMessages.MAX_CHANGE_CHUNK_BYTES)
            {
                throw new IOException("change batch assemblies: entry=" + i + " origin=" + origin + " body-bytes=" + bodyBytes + " chunks="
                    + chunks + " next-chunk=" + nextChunk + " filled=" + filled);
            }
            final Assembly assembly = new Assembly(incarnation, correlation, id, sha256, new byte[bodyBytes], chunks);
            in.readFully(assembly.body, 0, filled);
            assembly.nextChunk = nextChunk;
            assembly.filled = filled;
            loaded[origin] = assembly;
        }
        System.arraycopy(loaded, 0, assemblies, 0, ORIGINS);
    }

    /** A batch being put together. */
    private static final class Assembly
    {
        final long incarnation;
        final long correlation;
        final String id;
        final byte[] sha256;
        final byte[] body;
        final int chunks;
        int nextChunk;
        int filled;

        Assembly(final long incarnation, final long correlation, final String id, final byte[] sha256, final byte[] body, final int chunks)
        {
            this.incarnation = incarnation;
            this.correlation = correlation;
            this.id = id;
            this.sha256 = sha256;
            this.body = body;
            this.chunks = chunks;
        }
    }
}
