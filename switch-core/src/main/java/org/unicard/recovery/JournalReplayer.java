package org.unicard.recovery;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalException;
import org.unicard.journal.JournalRecord;

/**
 * Replays a journal into an authorizer: GENESIS sets the first business day (and must name the
 * same data set), RULES switch the program rules, and every REQUEST is decided again and compared
 * with the outcome the journal recorded. A checksum failure or a different decision stops the
 * replay with an error naming the record; nothing is skipped silently.
 * <p>
 * A replay starts either at the first record (over a freshly imported data set) or after the last
 * record a snapshot includes (over the snapshot's state); {@link Position} tells where it ended.
 */
public final class JournalReplayer
{
    /** Told about progress every {@link #PROGRESS_EVERY} records. */
    @FunctionalInterface
    public interface Progress
    {
        void records(long replayed);
    }

    /** Replay up to the end of the journal as the reader finds it. */
    public static final long TO_END = Long.MAX_VALUE;

    public static final int PROGRESS_EVERY = 1 << 16;

    /** Records read ahead, decoded and prefetched together. */
    private static final int BATCH = 64;

    /**
     * Whether replay prefetches the cards and households of a batch before deciding it
     * ({@link Authorizer#prefetch}); {@code -Dunicard.replay.prefetch=false} turns it off, for
     * measuring what it brings (docs/performance.md, "National scale").
     */
    private static final boolean PREFETCH = !"false".equals(System.getProperty("unicard.replay.prefetch"));

    /** Keeps the prefetching loads observable. */
    @SuppressWarnings("unused")
    private static long sink;

    /**
     * Where a replay stands: the queue index and stored CRC-32C of the last record applied, and how
     * many records from the journal's first one have been applied. Snapshots record it.
     */
    public static final class Position
    {
        /** Queue index of the last record applied, or -1 when none. */
        public long lastIndex = -1;
        /** Records applied from the journal's first record on. */
        public long records;
        /** The CRC-32C stored in the last record applied (its first four bytes). */
        public int lastRecordCrc;
    }

    private JournalReplayer()
    {
    }

    /**
     * @param journal     the journal to read from its first record.
     * @param authorizer  a fresh authorizer over the imported data set.
     * @param fingerprint the imported data set's fingerprint.
     * @param progress    told how far the replay has come.
     * @return the number of records replayed.
     */
    public static long replay(
        final ChronicleJournal journal, final Authorizer authorizer, final long fingerprint, final Progress progress)
    {
        final Position position = new Position();
        try (ChronicleJournal.Reader reader = journal.reader())
        {
            return replay(journal, reader, authorizer, fingerprint, TO_END, position, progress);
        }
    }

    /**
     * Replays from a reader's next record.
     *
     * @param journal     the journal the reader reads (named in errors).
     * @param reader      positioned at the first record to apply.
     * @param authorizer  an authorizer whose state is that of every record before the reader's position.
     * @param fingerprint the data set's fingerprint (checked against a GENESIS record).
     * @param endIndex    stop after the record at this queue index, or {@link #TO_END}.
     * @param position    where the state stands before; updated to where it stands after.
     * @param progress    told how many records this call applied so far.
     * @return the number of records this call applied.
     */
    public static long replay(
        final ChronicleJournal journal,
        final ChronicleJournal.Reader reader,
        final Authorizer authorizer,
        final long fingerprint,
        final long endIndex,
        final Position position,
        final Progress progress)
    {
        final UnsafeBuffer[] buffers = new UnsafeBuffer[BATCH];
        final String[] damages = new String[BATCH];
        final long[] indexes = new long[BATCH];
        final AuthRequest[] requests = new AuthRequest[BATCH];
        final AuthOutcome[] recordedOutcomes = new AuthOutcome[BATCH];
        for (int i = 0; i < BATCH; i++)
        {
            buffers[i] = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
            requests[i] = new AuthRequest();
            recordedOutcomes[i] = new AuthOutcome();
        }
        final AuthRequest[] prefetched = new AuthRequest[BATCH];
        final JournalRecord record = new JournalRecord();
        final AuthOutcome decided = new AuthOutcome();
        long count = 0;
        long lastRead = position.lastIndex;
        boolean end = false;
        while (!end)
        {
            // Read a batch, decode its requests and bring their cards and households into the cache together.
            int batch = 0;
            int toPrefetch = 0;
            while (batch < BATCH && lastRead < endIndex)
            {
                final int length = reader.next(buffers[batch]);
                if (length < 0)
                {
                    end = true;
                    break;
                }
                damages[batch] = record.verify(buffers[batch], length);
                indexes[batch] = reader.index();
                lastRead = indexes[batch];
                if (damages[batch] == null && JournalRecord.type(buffers[batch]) == JournalRecord.TYPE_REQUEST)
                {
                    requests[batch].clear();
                    JournalRecord.decodeRequest(buffers[batch], requests[batch], recordedOutcomes[batch]);
                    prefetched[toPrefetch++] = requests[batch];
                }
                batch++;
            }
            if (batch < BATCH && lastRead >= endIndex)
            {
                end = true;
            }
            if (PREFETCH)
            {
                sink += authorizer.prefetch(prefetched, toPrefetch);
            }

            for (int i = 0; i < batch; i++)
            {
                final UnsafeBuffer buffer = buffers[i];
                final long number = position.records + 1;
                final String damage = damages[i];
                if (damage != null)
                {
                    throw new JournalException("journal=" + journal.directory() + " index=" + Long.toHexString(indexes[i]) +
                        " record=" + number + " reason=damaged record: " + damage);
                }
                switch (JournalRecord.type(buffer))
                {
                    case JournalRecord.TYPE_GENESIS ->
                    {
                        final long recordedFingerprint = JournalRecord.genesisFingerprint(buffer);
                        if (recordedFingerprint != fingerprint)
                        {
                            throw new JournalException("journal=" + journal.directory() +
                                " reason=belongs to another data set: journal fingerprint=" + Long.toHexString(recordedFingerprint) +
                                " data set fingerprint=" + Long.toHexString(fingerprint));
                        }
                        if (authorizer.hasGenesis())
                        {
                            throw new JournalException("journal=" + journal.directory() + " record=" + number +
                                " reason=a second GENESIS record");
                        }
                        authorizer.genesis(JournalRecord.genesisTimeMs(buffer));
                    }
                    case JournalRecord.TYPE_RULES -> authorizer.rules(JournalRecord.decodeRules(buffer));
                    case JournalRecord.TYPE_REQUEST ->
                    {
                        final AuthRequest request = requests[i];
                        final AuthOutcome recorded = recordedOutcomes[i];
                        authorizer.authorize(request, decided);
                        final String difference = decided.firstDifference(recorded);
                        if (difference != null)
                        {
                            throw new JournalException("journal=" + journal.directory() + " sequence=" + recorded.sequence +
                                " reason=replay decided differently field=" + difference +
                                " recorded code=" + recorded.responseCode + " replayed code=" + decided.responseCode);
                        }
                    }
                    default -> throw new JournalException("journal=" + journal.directory() + " record=" + number +
                        " reason=unknown record type=" + JournalRecord.type(buffer));
                }
                position.lastIndex = indexes[i];
                position.lastRecordCrc = buffer.getInt(0, java.nio.ByteOrder.LITTLE_ENDIAN);
                position.records = number;
                count++;
                if ((count & (PROGRESS_EVERY - 1)) == 0)
                {
                    progress.records(count);
                }
            }
        }
        progress.records(count);
        return count;
    }
}
