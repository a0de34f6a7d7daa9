package org.unicard.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import org.unicard.state.StateVisitor;

/**
 * Reads a snapshot file's sections through one direct buffer, checking every tag, every column's
 * length against the column it fills, and each section's CRC-32C. As a {@link StateVisitor} it
 * fills columns in place and returns the saved scalars. Problems surface as
 * {@link BadSnapshot} (unchecked, so they can leave a {@code visitState} call), which the reader
 * turns into a {@link SnapshotException} naming the file.
 */
final class SnapshotInput implements StateVisitor
{
    private final Path file;
    private final String source;
    private final ReadableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private final long size;
    private final Progress progress;
    private boolean inSection;
    private int crcStart;
    private long sectionBytes;
    private int section;
    private long consumedBeforeBuffer;
    private int columns;
    /** The header's format version, once read. */
    private int formatVersion = SnapshotFormat.VERSION;

    /** Told how many bytes have been read. */
    @FunctionalInterface
    interface Progress
    {
        void bytes(long read, long total);
    }

    SnapshotInput(final Path file, final FileChannel channel, final Progress progress) throws IOException
    {
        this(file, file.toString(), channel, channel.size(), progress);
    }

    /**
     * @param file     the file, or {@code null} for a stream.
     * @param source   what the errors name.
     * @param channel  the bytes; a stream's {@code read} blocks until it has some, and returns -1 at its end.
     * @param size     the bytes the channel holds, or -1 when unknown (a stream: it must end right after END).
     * @param progress told how many bytes have been read (with the total, or -1).
     */
    SnapshotInput(final Path file, final String source, final ReadableByteChannel channel, final long size, final Progress progress)
    {
        this.file = file;
        this.source = source;
        this.channel = channel;
        this.size = size;
        this.progress = progress;
        buffer.limit(0);
    }

    void header()
    {
        require(SnapshotFormat.HEADER_BYTES, "header");
        final long magic = buffer.getLong();
        if (magic != SnapshotFormat.MAGIC)
        {
            throw new BadSnapshot("not a snapshot (magic " + Long.toHexString(magic) + ")");
        }
        final int version = buffer.getInt();
        if (version < SnapshotFormat.OLDEST_READABLE || version > SnapshotFormat.VERSION)
        {
            throw new BadSnapshot("format version=" + version + ", this build reads version=" + SnapshotFormat.VERSION +
                " and version=" + SnapshotFormat.OLDEST_READABLE);
        }
        formatVersion = version;
        buffer.getInt();
    }

    @Override
    public int formatVersion()
    {
        return formatVersion;
    }

    void beginSection(final int expected)
    {
        require(8, "section start");
        final int marker = buffer.getInt();
        if (marker != SnapshotFormat.SECTION_START)
        {
            throw new BadSnapshot("expected section " + SnapshotFormat.sectionName(expected) + " at byte " + offset() + ", found no section marker");
        }
        inSection = true;
        crcStart = buffer.position();
        sectionBytes = 0;
        crc.reset();
        section = expected;
        columns = 0;
        final int id = buffer.getInt();
        if (id != expected)
        {
            throw new BadSnapshot("expected section " + SnapshotFormat.sectionName(expected) + ", found " + SnapshotFormat.sectionName(id));
        }
    }

    void endSection()
    {
        updateCrc();
        inSection = false;
        require(16, "end of section " + SnapshotFormat.sectionName(section));
        final int marker = buffer.getInt();
        final long covered = buffer.getLong();
        final int stored = buffer.getInt();
        crcStart = buffer.position();
        if (marker != SnapshotFormat.SECTION_END || covered != sectionBytes)
        {
            throw new BadSnapshot("section " + SnapshotFormat.sectionName(section) + " does not end where it should (bytes=" + sectionBytes +
                " recorded=" + covered + ")");
        }
        if (stored != (int)crc.getValue())
        {
            throw new BadSnapshot("section " + SnapshotFormat.sectionName(section) + " crc32c mismatch (stored=" + Integer.toHexString(stored) +
                " computed=" + Integer.toHexString((int)crc.getValue()) + ")");
        }
    }

    /**
     * @throws BadSnapshot when bytes follow the END section.
     */
    void expectEndOfFile()
    {
        if (size < 0)
        {
            if (buffer.hasRemaining() || moreAfterEnd())
            {
                throw new BadSnapshot("bytes follow the END section at byte " + offset());
            }
            return;
        }
        if (offset() != size)
        {
            throw new BadSnapshot((size - offset()) + " bytes after the END section");
        }
    }

    int getByte()
    {
        require(1, "byte");
        return buffer.get();
    }

    int getInt()
    {
        require(4, "int");
        return buffer.getInt();
    }

    long getLong()
    {
        require(8, "long");
        return buffer.getLong();
    }

    byte[] getBytes(final int maxLength)
    {
        final int length = getInt();
        if (length < 0 || length > maxLength)
        {
            throw new BadSnapshot("section " + SnapshotFormat.sectionName(section) + " byte string length=" + length + " max=" + maxLength);
        }
        final byte[] value = new byte[length];
        bytesRaw(value);
        return value;
    }

    @Override
    public void longs(final long[] column)
    {
        columnHeader(SnapshotFormat.TAG_LONGS, column.length);
        int done = 0;
        while (done < column.length)
        {
            fill(Long.BYTES);
            final int count = Math.min(column.length - done, buffer.remaining() / Long.BYTES);
            buffer.asLongBuffer().get(column, done, count);
            buffer.position(buffer.position() + count * Long.BYTES);
            done += count;
        }
    }

    @Override
    public void ints(final int[] column)
    {
        columnHeader(SnapshotFormat.TAG_INTS, column.length);
        int done = 0;
        while (done < column.length)
        {
            fill(Integer.BYTES);
            final int count = Math.min(column.length - done, buffer.remaining() / Integer.BYTES);
            buffer.asIntBuffer().get(column, done, count);
            buffer.position(buffer.position() + count * Integer.BYTES);
            done += count;
        }
    }

    @Override
    public void shorts(final short[] column)
    {
        columnHeader(SnapshotFormat.TAG_SHORTS, column.length);
        int done = 0;
        while (done < column.length)
        {
            fill(Short.BYTES);
            final int count = Math.min(column.length - done, buffer.remaining() / Short.BYTES);
            buffer.asShortBuffer().get(column, done, count);
            buffer.position(buffer.position() + count * Short.BYTES);
            done += count;
        }
    }

    @Override
    public void bytes(final byte[] column)
    {
        columnHeader(SnapshotFormat.TAG_BYTES, column.length);
        bytesRaw(column);
    }

    @Override
    public long scalar(final long value)
    {
        require(9, "scalar");
        final byte tag = buffer.get();
        if (tag != SnapshotFormat.TAG_SCALAR)
        {
            throw new BadSnapshot("section " + SnapshotFormat.sectionName(section) + " expected a scalar, found tag=" + tag);
        }
        return buffer.getLong();
    }

    private boolean moreAfterEnd()
    {
        buffer.clear();
        try
        {
            final int read = channel.read(buffer);
            return read > 0;
        }
        catch (final IOException ex)
        {
            throw new BadSnapshot("cannot read: " + ex.getMessage());
        }
        finally
        {
            buffer.flip();
        }
    }

    long offset()
    {
        return consumedBeforeBuffer + buffer.position();
    }

    long size()
    {
        return size;
    }

    private void columnHeader(final byte tag, final int length)
    {
        columns++;
        require(5, "column");
        final byte found = buffer.get();
        final int count = buffer.getInt();
        if (found != tag || count != length)
        {
            throw new BadSnapshot("section " + SnapshotFormat.sectionName(section) + " column " + columns + " is " + (char)found + "[" + count +
                "], this state expects " + (char)tag + "[" + length + "] (another capacity, or damage)");
        }
    }

    private void bytesRaw(final byte[] into)
    {
        int done = 0;
        while (done < into.length)
        {
            fill(1);
            final int count = Math.min(into.length - done, buffer.remaining());
            buffer.get(into, done, count);
            done += count;
        }
    }

    private void require(final int bytes, final String what)
    {
        if (buffer.remaining() < bytes)
        {
            refill(bytes, what);
        }
    }

    private void fill(final int atLeast)
    {
        if (buffer.remaining() < atLeast)
        {
            refill(atLeast, "column data of section " + SnapshotFormat.sectionName(section));
        }
    }

    private void refill(final int bytes, final String what)
    {
        updateCrc();
        consumedBeforeBuffer += buffer.position();
        buffer.compact();
        try
        {
            while (buffer.position() < bytes)
            {
                if (channel.read(buffer) < 0)
                {
                    buffer.flip();
                    throw new BadSnapshot("truncated: " + (size < 0 ? "the stream" : "the file") + " ends at byte " +
                        (size < 0 ? consumedBeforeBuffer + buffer.limit() : size) + " inside " + what);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new BadSnapshot("cannot read: " + ex.getMessage());
        }
        buffer.flip();
        crcStart = 0;
        progress.bytes(consumedBeforeBuffer, size);
    }

    private void updateCrc()
    {
        if (inSection && buffer.position() > crcStart)
        {
            final ByteBuffer covered = buffer.duplicate();
            covered.position(crcStart).limit(buffer.position());
            sectionBytes += covered.remaining();
            crc.update(covered);
        }
        crcStart = buffer.position();
    }

    Path file()
    {
        return file;
    }

    String source()
    {
        return source;
    }

    /** A snapshot that cannot be read; the message gives the reason (the reader adds the file). */
    static final class BadSnapshot extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        BadSnapshot(final String reason)
        {
            super(reason);
        }
    }
}
