package org.unicard.snapshot;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

import org.unicard.state.StateVisitor;

/**
 * Writes a snapshot's sections (to a file, or to any channel such as a cluster snapshot's
 * publication) through one direct buffer, computing each section's CRC-32C as
 * the buffer is flushed, and sleeping between flushes so the average write rate stays at or below
 * the bound (so a snapshot taken beside a live switch does not starve its journal of disk
 * bandwidth). As a {@link StateVisitor} it copies columns out and returns scalars unchanged.
 */
final class SnapshotOutput implements StateVisitor
{
    private final WritableByteChannel channel;
    private final long bytesPerSecond;
    private final ByteBuffer buffer;
    private final CRC32C crc = new CRC32C();
    private final long startNs = System.nanoTime();
    private boolean inSection;
    private int crcStart;
    private long sectionBytes;
    private long written;

    /**
     * @param channel        the file, positioned at 0 (or another channel: its bytes go out in writes of at most 4 MiB).
     * @param bytesPerSecond the most bytes per second on average, or 0 for no bound.
     */
    SnapshotOutput(final WritableByteChannel channel, final long bytesPerSecond)
    {
        this.channel = channel;
        this.bytesPerSecond = bytesPerSecond;
        final int size = bytesPerSecond <= 0 ? 1 << 22 : (int)Math.max(1 << 12, Math.min(1 << 22, bytesPerSecond / 16));
        buffer = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    void header() throws IOException
    {
        ensure(SnapshotFormat.HEADER_BYTES);
        buffer.putLong(SnapshotFormat.MAGIC);
        buffer.putInt(SnapshotFormat.VERSION);
        buffer.putInt(0);
    }

    void beginSection(final int id) throws IOException
    {
        ensure(8);
        buffer.putInt(SnapshotFormat.SECTION_START);
        inSection = true;
        crcStart = buffer.position();
        sectionBytes = 0;
        crc.reset();
        buffer.putInt(id);
    }

    void endSection() throws IOException
    {
        updateCrc();
        inSection = false;
        ensure(16);
        buffer.putInt(SnapshotFormat.SECTION_END);
        buffer.putLong(sectionBytes);
        buffer.putInt((int)crc.getValue());
        crcStart = buffer.position();
    }

    void putByte(final int value) throws IOException
    {
        ensure(1);
        buffer.put((byte)value);
    }

    void putInt(final int value) throws IOException
    {
        ensure(4);
        buffer.putInt(value);
    }

    void putLong(final long value) throws IOException
    {
        ensure(8);
        buffer.putLong(value);
    }

    void putBytes(final byte[] value) throws IOException
    {
        ensure(4);
        buffer.putInt(value.length);
        bytesRaw(value);
    }

    @Override
    public void longs(final long[] column)
    {
        try
        {
            columnHeader(SnapshotFormat.TAG_LONGS, column.length);
            int done = 0;
            while (done < column.length)
            {
                final int count = Math.min(column.length - done, buffer.remaining() / Long.BYTES);
                if (count == 0)
                {
                    flush();
                    continue;
                }
                buffer.asLongBuffer().put(column, done, count);
                buffer.position(buffer.position() + count * Long.BYTES);
                done += count;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedSnapshotIo(ex);
        }
    }

    @Override
    public void ints(final int[] column)
    {
        try
        {
            columnHeader(SnapshotFormat.TAG_INTS, column.length);
            int done = 0;
            while (done < column.length)
            {
                final int count = Math.min(column.length - done, buffer.remaining() / Integer.BYTES);
                if (count == 0)
                {
                    flush();
                    continue;
                }
                buffer.asIntBuffer().put(column, done, count);
                buffer.position(buffer.position() + count * Integer.BYTES);
                done += count;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedSnapshotIo(ex);
        }
    }

    @Override
    public void shorts(final short[] column)
    {
        try
        {
            columnHeader(SnapshotFormat.TAG_SHORTS, column.length);
            int done = 0;
            while (done < column.length)
            {
                final int count = Math.min(column.length - done, buffer.remaining() / Short.BYTES);
                if (count == 0)
                {
                    flush();
                    continue;
                }
                buffer.asShortBuffer().put(column, done, count);
                buffer.position(buffer.position() + count * Short.BYTES);
                done += count;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedSnapshotIo(ex);
        }
    }

    @Override
    public void bytes(final byte[] column)
    {
        try
        {
            columnHeader(SnapshotFormat.TAG_BYTES, column.length);
            bytesRaw(column);
        }
        catch (final IOException ex)
        {
            throw new UncheckedSnapshotIo(ex);
        }
    }

    @Override
    public long scalar(final long value)
    {
        try
        {
            ensure(9);
            buffer.put(SnapshotFormat.TAG_SCALAR);
            buffer.putLong(value);
            return value;
        }
        catch (final IOException ex)
        {
            throw new UncheckedSnapshotIo(ex);
        }
    }

    /**
     * Writes what is buffered and, for a file, forces its content to the device.
     */
    void finish() throws IOException
    {
        flush();
        if (channel instanceof FileChannel file)
        {
            file.force(true);
        }
    }

    long written()
    {
        return written + buffer.position();
    }

    private void columnHeader(final byte tag, final int length) throws IOException
    {
        ensure(5);
        buffer.put(tag);
        buffer.putInt(length);
    }

    private void bytesRaw(final byte[] value) throws IOException
    {
        int done = 0;
        while (done < value.length)
        {
            final int count = Math.min(value.length - done, buffer.remaining());
            if (count == 0)
            {
                flush();
                continue;
            }
            buffer.put(value, done, count);
            done += count;
        }
    }

    private void ensure(final int bytes) throws IOException
    {
        if (buffer.remaining() < bytes)
        {
            flush();
        }
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

    private void flush() throws IOException
    {
        updateCrc();
        buffer.flip();
        while (buffer.hasRemaining())
        {
            written += channel.write(buffer);
        }
        buffer.clear();
        crcStart = 0;
        pace();
    }

    private void pace() throws IOException
    {
        if (bytesPerSecond <= 0)
        {
            return;
        }
        final long dueNs = (long)(written * 1e9 / bytesPerSecond);
        final long aheadNs = dueNs - (System.nanoTime() - startNs);
        if (aheadNs > 0)
        {
            try
            {
                Thread.sleep(aheadNs / 1_000_000, (int)(aheadNs % 1_000_000));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("snapshot write interrupted");
            }
        }
    }

    /** Carries an I/O error out of a {@link StateVisitor} method. */
    static final class UncheckedSnapshotIo extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        UncheckedSnapshotIo(final IOException cause)
        {
            super(cause);
        }

        @Override
        public synchronized IOException getCause()
        {
            return (IOException)super.getCause();
        }
    }
}
