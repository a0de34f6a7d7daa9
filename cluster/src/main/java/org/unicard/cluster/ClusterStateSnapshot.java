package org.unicard.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.aeron.logbuffer.ControlledFragmentHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.Authorizer;
import org.unicard.journal.ChronicleJournal;
import org.unicard.recovery.JournalReplayer;
import org.unicard.security.TdesKey;
import org.unicard.snapshot.DataFilesStamp;
import org.unicard.snapshot.SnapshotException;
import org.unicard.snapshot.SnapshotReader;
import org.unicard.snapshot.SnapshotWriter;
import org.unicard.state.DataSet;

/**
 * The switch's part of a cluster snapshot: a header fragment (the log's request count, the clock
 * offset, the authorizer's sequence, the log position), then the whole state in the file snapshots'
 * format ({@link SnapshotWriter}: every table, the duplicate window, the spend ledger, the change
 * batches applied) streamed in fragments of the publication's largest payload, then a trailer
 * fragment with the byte count. Each fragment says what it is in its reserved value. The state
 * goes out through one 4 MiB buffer and comes back in through another: it is never held twice in
 * memory. Keys travel encrypted under the LMK, as in the data files.
 * <p>
 * A member whose journal is behind the snapshot {@link #load}s the state into its tables in place
 * (same data set and capacities, checked first), forgets its journal positions (they were the
 * writer's), and writes a file snapshot of that state at its own journal's end, so that its next
 * start recovers from that file and its journal (which holds no record before the snapshot's
 * sequence) without the cluster snapshot.
 */
final class ClusterStateSnapshot
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterStateSnapshot.class);

    /** "UNICLUS1": the 40-byte snapshot of earlier versions (no state). */
    static final long MAGIC_V1 = 0x554e49434c555331L;
    /** "UNICLUS2": header of a snapshot that holds the state. */
    static final long MAGIC = 0x554e49434c555332L;
    /** "UNICLEND": trailer. */
    static final long TRAILER_MAGIC = 0x554e49434c454e44L;
    static final int V1_BYTES = 40;
    static final int HEADER_BYTES = 48;
    static final int TRAILER_BYTES = 16;

    /** Reserved values: what a fragment holds. */
    static final long KIND_HEADER = 1;
    static final long KIND_STATE = 2;
    static final long KIND_TRAILER = 3;
    /** What logged commands hold between entries ({@link LogMessages.LoggedCommand#snapshot}), after the header. */
    static final long KIND_COMMANDS = 4;

    /** Longest wait for the publication or the image to move before the snapshot fails. */
    static final long STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private static final ReservedValueSupplier HEADER_KIND = (termBuffer, termOffset, frameLength) -> KIND_HEADER;
    private static final ReservedValueSupplier STATE_KIND = (termBuffer, termOffset, frameLength) -> KIND_STATE;
    private static final ReservedValueSupplier TRAILER_KIND = (termBuffer, termOffset, frameLength) -> KIND_TRAILER;
    private static final ReservedValueSupplier COMMANDS_KIND = (termBuffer, termOffset, frameLength) -> KIND_COMMANDS;

    /**
     * The header.
     *
     * @param loggedRequests  the log's request entries up to the snapshot.
     * @param clockOffsetMs   the business clock's offset.
     * @param clockOffsetSet  whether a {@code --clock} entry set it.
     * @param sequence        the authorizer's sequence.
     * @param logPosition     the log position of the snapshot (-1 in a version 1 snapshot).
     * @param holdsState      whether the state follows (not in a version 1 snapshot).
     */
    record SnapshotHeader(long loggedRequests, long clockOffsetMs, boolean clockOffsetSet, long sequence, long logPosition, boolean holdsState)
    {
    }

    /** What a load did. */
    record Loaded(long bytes, long loadNanos, Path fileSnapshot)
    {
    }

    private final DataSet data;
    private final Authorizer authorizer;
    private final ChronicleJournal journal;
    private final TdesKey lmk;
    private final Path dataDirectory;
    private final Path snapshotDirectory;
    private final UnsafeBuffer small = new UnsafeBuffer(ByteBuffer.allocateDirect(64));

    /**
     * @param data              the member's data set.
     * @param authorizer        its authorizer.
     * @param journal           its journal.
     * @param lmk               the LMK the keys are stored under.
     * @param dataDirectory     the data files (stamped in the file snapshot written after a load).
     * @param snapshotDirectory where that file snapshot goes.
     */
    ClusterStateSnapshot(
        final DataSet data,
        final Authorizer authorizer,
        final ChronicleJournal journal,
        final TdesKey lmk,
        final Path dataDirectory,
        final Path snapshotDirectory)
    {
        this.data = data;
        this.authorizer = authorizer;
        this.journal = journal;
        this.lmk = lmk;
        this.dataDirectory = dataDirectory;
        this.snapshotDirectory = snapshotDirectory;
    }

    /**
     * Writes the header, the state and the trailer; on the service thread, between two entries.
     *
     * @return the state's bytes.
     * @throws IllegalStateException when the publication is closed or stalls for 60 s.
     */
    long write(final ExclusivePublication publication, final IdleStrategy idle, final SnapshotHeader header, final byte[] commands)
    {
        small.putLong(0, MAGIC);
        small.putLong(8, header.loggedRequests());
        small.putLong(16, header.clockOffsetMs());
        small.putLong(24, header.sequence());
        small.putLong(32, header.clockOffsetSet() ? 1 : 0);
        small.putLong(40, header.logPosition());
        offer(publication, idle, small, 0, HEADER_BYTES, HEADER_KIND);
        final UnsafeBuffer commandBytes = new UnsafeBuffer(commands);
        for (int at = 0; at < commands.length; at += publication.maxPayloadLength())
        {
            offer(publication, idle, commandBytes, at, Math.min(publication.maxPayloadLength(), commands.length - at), COMMANDS_KIND);
        }
        final PublicationChannel channel = new PublicationChannel(publication, idle);
        final long bytes;
        try
        {
            bytes = SnapshotWriter.write(channel, data, authorizer, new JournalReplayer.Position(), new DataFilesStamp(List.of()), lmk);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cluster snapshot: " + ex.getMessage(), ex);
        }
        if (bytes != channel.sent)
        {
            throw new IllegalStateException("cluster snapshot: wrote " + bytes + " bytes, published " + channel.sent);
        }
        small.putLong(0, TRAILER_MAGIC);
        small.putLong(8, bytes);
        offer(publication, idle, small, 0, TRAILER_BYTES, TRAILER_KIND);
        return bytes;
    }

    /**
     * Reads the first fragment.
     *
     * @throws IllegalStateException when it is not a header this version knows, or the image ends first.
     */
    static SnapshotHeader readHeader(final Image image, final IdleStrategy idle)
    {
        final SnapshotHeader[] read = new SnapshotHeader[1];
        final ControlledFragmentHandler handler = (buffer, offset, length, frame) ->
        {
            final long magic = length >= 8 ? buffer.getLong(offset) : 0;
            if (length == V1_BYTES && magic == MAGIC_V1)
            {
                read[0] = new SnapshotHeader(buffer.getLong(offset + 8), buffer.getLong(offset + 16), buffer.getLong(offset + 32) != 0,
                    buffer.getLong(offset + 24), -1, false);
            }
            else if (length == HEADER_BYTES && magic == MAGIC && frame.reservedValue() == KIND_HEADER)
            {
                read[0] = new SnapshotHeader(buffer.getLong(offset + 8), buffer.getLong(offset + 16), buffer.getLong(offset + 32) != 0,
                    buffer.getLong(offset + 24), buffer.getLong(offset + 40), true);
            }
            else
            {
                throw new IllegalStateException("cluster snapshot: first fragment length=" + length + " magic=" + Long.toHexString(magic)
                    + ": not written by this version");
            }
            return ControlledFragmentHandler.Action.BREAK;
        };
        long lastMoveNs = System.nanoTime();
        while (read[0] == null)
        {
            if (image.controlledPoll(handler, 1) == 0)
            {
                if (image.isEndOfStream() || image.isClosed())
                {
                    throw new IllegalStateException("cluster snapshot: ended before its header");
                }
                if (System.nanoTime() - lastMoveNs > STALL_TIMEOUT_NS)
                {
                    throw new IllegalStateException("cluster snapshot: no header within 60 s");
                }
                idle.idle();
            }
            else
            {
                lastMoveNs = System.nanoTime();
            }
        }
        idle.reset();
        return read[0];
    }

    /**
     * Reads what the logged commands held ({@link #KIND_COMMANDS} fragments right after the header; none in a
     * snapshot of an earlier version) and stops before the state, which it leaves unread.
     *
     * @return the bytes, empty when there are none.
     * @throws IllegalStateException when the image ends first or does not move for 60 s.
     */
    static byte[] readCommands(final Image image, final IdleStrategy idle)
    {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final boolean[] done = new boolean[1];
        final ControlledFragmentHandler handler = (buffer, offset, length, frame) ->
        {
            if (frame.reservedValue() != KIND_COMMANDS)
            {
                done[0] = true;
                return ControlledFragmentHandler.Action.ABORT;
            }
            final byte[] fragment = new byte[length];
            buffer.getBytes(offset, fragment);
            bytes.writeBytes(fragment);
            return ControlledFragmentHandler.Action.CONTINUE;
        };
        long lastMoveNs = System.nanoTime();
        while (!done[0])
        {
            if (image.controlledPoll(handler, 16) == 0 && !done[0])
            {
                if (image.isEndOfStream() || image.isClosed())
                {
                    throw new IllegalStateException("cluster snapshot: ended after its header, before the state");
                }
                if (System.nanoTime() - lastMoveNs > STALL_TIMEOUT_NS)
                {
                    throw new IllegalStateException("cluster snapshot: nothing after the header for 60 s");
                }
                idle.idle();
            }
            else
            {
                lastMoveNs = System.nanoTime();
            }
        }
        idle.reset();
        return bytes.toByteArray();
    }

    /**
     * Loads the state that follows the header into the member's tables, in place, then writes a
     * file snapshot of it at the journal's end (when a snapshot directory is set).
     *
     * @param header the header read first.
     * @throws IllegalStateException when the state does not fit or is damaged (the member must stop:
     *                               its tables may be half loaded), or the file snapshot cannot be written.
     */
    Loaded load(final Image image, final IdleStrategy idle, final SnapshotHeader header)
    {
        final long startNs = System.nanoTime();
        final ImageChannel channel = new ImageChannel(image, idle);
        try (SnapshotReader reader = SnapshotReader.open("cluster-snapshot(log-position=" + header.logPosition() + ")", channel))
        {
            if (reader.meta().sequence() != header.sequence())
            {
                throw new IllegalStateException("cluster snapshot: header sequence=" + header.sequence() + " state sequence="
                    + reader.meta().sequence());
            }
            reader.loadInto(lmk, data, authorizer);
        }
        catch (final SnapshotException ex)
        {
            throw new IllegalStateException("cluster snapshot does not load: " + ex.getMessage()
                + " action=this member stops; start it on the same data set and configuration as the others", ex);
        }
        // The positions indexed the writer's journal; this journal holds none of those records.
        authorizer.positions().clear();
        final long loadNanos = System.nanoTime() - startNs;
        final Path file = snapshotDirectory == null ? null : writeFileSnapshot();
        return new Loaded(channel.received, loadNanos, file);
    }

    /**
     * A file snapshot of the loaded state at this journal's end: the next start loads it and replays
     * only what this member journals from now on.
     */
    private Path writeFileSnapshot()
    {
        final JournalReplayer.Position position = new JournalReplayer.Position();
        position.lastIndex = journal.lastIndex();
        position.records = journal.records();
        if (position.lastIndex >= 0)
        {
            final UnsafeBuffer record = new UnsafeBuffer(new byte[org.unicard.journal.JournalRecord.MAX_BYTES]);
            try (ChronicleJournal.Reader reader = journal.readerAt(position.lastIndex))
            {
                if (reader == null || reader.next(record) < 4 || reader.index() != position.lastIndex)
                {
                    throw new IllegalStateException("cluster snapshot loaded, and the journal's last record at index "
                        + Long.toHexString(position.lastIndex) + " cannot be read: journal=" + journal.directory());
                }
                position.lastRecordCrc = record.getInt(0, ByteOrder.LITTLE_ENDIAN);
            }
        }
        try
        {
            final Path file = SnapshotWriter.write(snapshotDirectory, data, authorizer, position, DataFilesStamp.of(dataDirectory), lmk, 0);
            LOG.info("event=file-snapshot-after-cluster-snapshot snapshot={} journal-records={} sequence={}", file, position.records,
                authorizer.sequence());
            return file;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cluster snapshot loaded, and the file snapshot of it cannot be written: snapshots="
                + snapshotDirectory + " reason=" + ex + " action=free the disk and start this member again", ex);
        }
    }

    private static void offer(
        final ExclusivePublication publication,
        final IdleStrategy idle,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ReservedValueSupplier kind)
    {
        long lastMoveNs = System.nanoTime();
        long result;
        while ((result = publication.offer(buffer, offset, length, kind)) < 0)
        {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IllegalStateException("cluster snapshot: publication " + Publication.errorString(result));
            }
            if (System.nanoTime() - lastMoveNs > STALL_TIMEOUT_NS)
            {
                throw new IllegalStateException("cluster snapshot: publication " + Publication.errorString(result) + " for 60 s");
            }
            idle.idle();
        }
        idle.reset();
    }

    /** The state's bytes out as fragments of at most the publication's largest payload. */
    private static final class PublicationChannel implements WritableByteChannel
    {
        private final ExclusivePublication publication;
        private final IdleStrategy idle;
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        private final int chunk;
        private long sent;

        PublicationChannel(final ExclusivePublication publication, final IdleStrategy idle)
        {
            this.publication = publication;
            this.idle = idle;
            this.chunk = publication.maxPayloadLength();
        }

        @Override
        public int write(final ByteBuffer source)
        {
            view.wrap(source);
            final int start = source.position();
            while (source.hasRemaining())
            {
                final int length = Math.min(chunk, source.remaining());
                offer(publication, idle, view, source.position(), length, STATE_KIND);
                source.position(source.position() + length);
            }
            final int written = source.position() - start;
            sent += written;
            return written;
        }

        @Override
        public boolean isOpen()
        {
            return !publication.isClosed();
        }

        @Override
        public void close()
        {
        }
    }

    /** The state's bytes in from the snapshot image: blocks until some arrive, -1 after the trailer. */
    private static final class ImageChannel implements ReadableByteChannel, ControlledFragmentHandler
    {
        private final Image image;
        private final IdleStrategy idle;
        private ByteBuffer into;
        private int readStart;
        private long received;
        private boolean ended;
        private String problem;

        ImageChannel(final Image image, final IdleStrategy idle)
        {
            this.image = image;
            this.idle = idle;
        }

        @Override
        public int read(final ByteBuffer destination) throws IOException
        {
            if (ended)
            {
                return -1;
            }
            into = destination;
            final int start = destination.position();
            readStart = start;
            long lastMoveNs = System.nanoTime();
            while (true)
            {
                final int fragments = image.controlledPoll(this, 64);
                if (problem != null)
                {
                    throw new IOException(problem);
                }
                final int read = destination.position() - start;
                if (read > 0)
                {
                    idle.reset();
                    return read;
                }
                if (ended)
                {
                    return -1;
                }
                if (fragments == 0)
                {
                    if (image.isEndOfStream() || image.isClosed())
                    {
                        throw new IOException("the snapshot ended after " + received + " state bytes, before its trailer");
                    }
                    if (System.nanoTime() - lastMoveNs > STALL_TIMEOUT_NS)
                    {
                        throw new IOException("no snapshot bytes for 60 s after " + received);
                    }
                    idle.idle();
                }
                else
                {
                    lastMoveNs = System.nanoTime();
                }
            }
        }

        @Override
        public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header header)
        {
            final long kind = header.reservedValue();
            if (kind == KIND_STATE)
            {
                if (length > into.remaining())
                {
                    if (into.position() == readStart)
                    {
                        problem = "a fragment of " + length + " bytes does not fit a buffer of " + into.remaining();
                        return Action.BREAK;
                    }
                    return Action.ABORT;
                }
                buffer.getBytes(offset, into, into.position(), length);
                into.position(into.position() + length);
                received += length;
                return Action.CONTINUE;
            }
            if (kind == KIND_TRAILER && length == TRAILER_BYTES && buffer.getLong(offset) == TRAILER_MAGIC)
            {
                final long sent = buffer.getLong(offset + 8);
                if (sent != received)
                {
                    problem = "the trailer names " + sent + " state bytes, " + received + " arrived";
                }
                ended = true;
                return Action.BREAK;
            }
            problem = "unexpected fragment kind=" + kind + " length=" + length + " after " + received + " state bytes";
            return Action.BREAK;
        }

        @Override
        public boolean isOpen()
        {
            return !ended;
        }

        @Override
        public void close()
        {
        }
    }
}
