package org.unicard.journal;

import java.util.function.Consumer;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.DecidedRecords;
import org.unicard.authorizer.RecordPositions;

/**
 * The journal seen from the authorizer: reads a decided request's record back by its sequence,
 * located through {@link RecordPositions}, with a tailer of its own. The duplicate window uses it
 * when a retransmission or a reversal hits an entry whose detail is no longer in memory. A record
 * that fails its checksum, or is not the request asked for, is not returned.
 * <p>
 * One thread (the authorizer's); the tailer is claimed by the first thread that reads.
 */
public final class JournalLookup implements DecidedRecords, AutoCloseable
{
    private final ExcerptTailer tailer;
    private final RecordPositions positions;
    private final Consumer<JournalLookup> onClose;
    private final JournalRecord record = new JournalRecord();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
    private boolean claimed;
    private long reads;

    /**
     * @param onClose told once when this lookup closes (the journal forgets it then).
     */
    JournalLookup(final ExcerptTailer tailer, final RecordPositions positions, final Consumer<JournalLookup> onClose)
    {
        this.tailer = tailer;
        this.positions = positions;
        this.onClose = onClose;
    }

    @Override
    public boolean read(final long sequence, final AuthRequest request, final AuthOutcome outcome)
    {
        final long index = positions.indexOf(sequence);
        if (index < 0)
        {
            return false;
        }
        if (!claimed)
        {
            tailer.singleThreadedCheckReset();
            claimed = true;
        }
        if (!tailer.moveToIndex(index))
        {
            return false;
        }
        final int length;
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent() || context.index() != index)
            {
                return false;
            }
            final Bytes<?> bytes = context.wire().bytes();
            final long remaining = bytes.readRemaining();
            if (remaining > JournalRecord.MAX_BYTES)
            {
                return false;
            }
            length = (int)remaining;
            bytes.read(buffer.byteArray(), 0, length);
        }
        if (record.verify(buffer, length) != null || JournalRecord.type(buffer) != JournalRecord.TYPE_REQUEST)
        {
            return false;
        }
        reads++;
        request.clear();
        JournalRecord.decodeRequest(buffer, request, outcome);
        return outcome.sequence == sequence;
    }

    /**
     * Lets another thread read next (its tailer's single-thread check is reset on that thread's first
     * read). Only for a lookup shared under a lock, such as the operator API's history reader.
     */
    public void release()
    {
        claimed = false;
    }

    /**
     * @return records read back.
     */
    public long reads()
    {
        return reads;
    }

    @Override
    public void close()
    {
        if (!tailer.isClosed())
        {
            tailer.close();
            onClose.accept(this);
        }
    }
}
