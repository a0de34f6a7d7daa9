package org.unicard.recovery;

import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.PrefetchSlots;
import org.unicard.concurrent.Threads;
import org.unicard.context.Configuration;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalLookup;
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
 * <p>
 * Replay is memory-bound: each request reads a card and a household at random places in
 * gigabytes of state. The replaying thread touches the memory each batch will use before deciding
 * it (the authorizer's {@link Authorizer#prefetch}, which only reads), so that the batch's cache
 * misses overlap. On a machine with more than one core, a reader thread reads, checks and decodes
 * the records up to {@link #BATCHES_AHEAD} batches ahead; the replaying thread still decides every
 * record, in journal order. {@code -Dunicard.replay.reader-thread=false} replays on the calling
 * thread alone; {@code -Dunicard.replay.reader-prefetch=true} makes the reader prefetch too.
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
    private static final boolean PREFETCH = !"false".equals(System.getProperty(Configuration.REPLAY_PREFETCH_SYSTEM_PROP_NAME));

    /**
     * Whether a reader thread reads and prefetches ahead of the replaying thread (when there is more
     * than one core); {@code -Dunicard.replay.reader-thread=false} turns it off.
     */
    private static final boolean READER_THREAD = !"false".equals(System.getProperty(Configuration.REPLAY_READER_THREAD_SYSTEM_PROP_NAME));

    /**
     * Whether the reader thread also prefetches each batch it reads ({@link Authorizer#prefetch});
     * off unless {@code -Dunicard.replay.reader-prefetch=true}. Where the two threads share no
     * cache (two vCPUs on different core complexes) its loads bring nothing nearer to the
     * replaying thread, and each line it read that the replaying thread then writes must first be
     * taken back from the reader's core: measured 20% slower (docs/performance.md).
     */
    private static final boolean READER_PREFETCH = "true".equals(System.getProperty(Configuration.REPLAY_READER_PREFETCH_SYSTEM_PROP_NAME));

    /** Batches the reader thread may have read that the replaying thread has not applied yet. */
    static final int BATCHES_AHEAD = 16;

    /** Keeps the prefetching loads observable. */
    @SuppressWarnings("unused")
    private static volatile long sink;

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
        return replay(journal, reader, authorizer, fingerprint, endIndex, position, progress,
            !READER_THREAD || Runtime.getRuntime().availableProcessors() < 2 ? Mode.ONE_THREAD :
                READER_PREFETCH ? Mode.READER_PREFETCHING : Mode.READER);
    }

    /**
     * As {@link #replay(ChronicleJournal, ChronicleJournal.Reader, Authorizer, long, long, Position, Progress)},
     * in the given mode whatever the machine (for tests of each).
     */
    static long replay(
        final ChronicleJournal journal,
        final ChronicleJournal.Reader reader,
        final Authorizer authorizer,
        final long fingerprint,
        final long endIndex,
        final Position position,
        final Progress progress,
        final Mode mode)
    {
        final Applier applier = new Applier(journal, authorizer, fingerprint, position, progress);
        // The duplicate window reads old entries back from the journal being replayed, as it does live.
        try (JournalLookup lookup = journal.lookup(authorizer.positions()))
        {
            authorizer.journal(lookup);
            if (mode != Mode.ONE_THREAD)
            {
                replayWithReaderThread(reader, authorizer, endIndex, position.lastIndex, applier, mode == Mode.READER_PREFETCHING);
            }
            else
            {
                final Batch batch = new Batch();
                long lastRead = position.lastIndex;
                do
                {
                    lastRead = batch.fill(reader, endIndex, lastRead);
                    applier.apply(batch);
                }
                while (!batch.last);
            }
        }
        finally
        {
            authorizer.journal(null);
        }
        progress.records(applier.count);
        return applier.count;
    }

    private static void replayWithReaderThread(
        final ChronicleJournal.Reader reader,
        final Authorizer authorizer,
        final long endIndex,
        final long startAfter,
        final Applier applier,
        final boolean readerPrefetches)
    {
        final Batch[] ring = new Batch[BATCHES_AHEAD];
        for (int i = 0; i < ring.length; i++)
        {
            ring[i] = new Batch();
        }
        final Handoff handoff = new Handoff();
        final Thread readerThread = new Thread(() -> readAhead(reader, authorizer, endIndex, startAfter, ring, handoff, readerPrefetches),
            "journal-replay-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        try
        {
            long next = 0;
            boolean last = false;
            while (!last)
            {
                for (int idle = 0; handoff.produced <= next; idle++)
                {
                    idle(idle);
                }
                final Batch batch = ring[(int)(next % BATCHES_AHEAD)];
                applier.apply(batch);
                last = batch.last;
                next++;
                handoff.consumed = next;
            }
        }
        finally
        {
            handoff.stop = true;
            Threads.joinUninterruptibly(readerThread);
            reader.claimForThisThread();
        }
    }

    /**
     * The reader thread: fills batches in ring order, prefetches each when told to, publishes it,
     * and waits when {@link #BATCHES_AHEAD} are unapplied. A failure while reading is handed over
     * in its batch, after the records read before it, and ends the reading.
     */
    private static void readAhead(
        final ChronicleJournal.Reader reader,
        final Authorizer authorizer,
        final long endIndex,
        final long startAfter,
        final Batch[] ring,
        final Handoff handoff,
        final boolean prefetches)
    {
        reader.claimForThisThread();
        long lastRead = startAfter;
        long produced = 0;
        long touched = 0;
        while (!handoff.stop)
        {
            for (int idle = 0; produced - handoff.consumed >= BATCHES_AHEAD; idle++)
            {
                if (handoff.stop)
                {
                    return;
                }
                idle(idle);
            }
            final Batch batch = ring[(int)(produced % BATCHES_AHEAD)];
            try
            {
                lastRead = batch.fill(reader, endIndex, lastRead);
                if (PREFETCH && prefetches)
                {
                    // Only reads; the values may be stale, they are not used.
                    touched += authorizer.prefetch(batch.prefetched, batch.toPrefetch, batch.slots);
                }
            }
            catch (final RuntimeException | Error ex)
            {
                batch.failure = ex;
                batch.last = true;
            }
            produced++;
            handoff.produced = produced;
            if (batch.last)
            {
                break;
            }
        }
        sink = touched;
    }

    private static void idle(final int attempt)
    {
        if (attempt < 100)
        {
            Thread.onSpinWait();
        }
        else if (attempt < 110)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(20_000);
        }
    }

    /** How a replay runs. */
    enum Mode
    {
        /** On the calling thread alone. */
        ONE_THREAD,
        /** A reader thread reads, checks and decodes ahead; the calling thread prefetches and decides. */
        READER,
        /** As {@link #READER}, and the reader thread prefetches each batch too. */
        READER_PREFETCHING
    }

    /** The counters the reader thread and the replaying thread hand batches over with. */
    private static final class Handoff
    {
        /** Batches published by the reader thread. */
        volatile long produced;
        /** Batches applied by the replaying thread. */
        volatile long consumed;
        /** Set by the replaying thread when it leaves, normally or not. */
        volatile boolean stop;
    }

    /** Up to {@link #BATCH} records read from the journal, checked and decoded. */
    private static final class Batch
    {
        final UnsafeBuffer[] buffers = new UnsafeBuffer[BATCH];
        final String[] damages = new String[BATCH];
        final long[] indexes = new long[BATCH];
        final AuthRequest[] requests = new AuthRequest[BATCH];
        final AuthOutcome[] recordedOutcomes = new AuthOutcome[BATCH];
        final AuthRequest[] prefetched = new AuthRequest[BATCH];
        /** The batch's own scratch space for prefetching it (on whichever thread does). */
        final PrefetchSlots slots = new PrefetchSlots(BATCH);
        final JournalRecord record = new JournalRecord();
        int count;
        int toPrefetch;
        /** The latest business time among the batch's requests. */
        long latestTimeMs;
        /** No records follow this batch's: the journal's end or the end index was reached. */
        boolean last;
        /** What stopped the reading after this batch's records, if anything did. */
        Throwable failure;

        Batch()
        {
            for (int i = 0; i < BATCH; i++)
            {
                buffers[i] = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
                requests[i] = new AuthRequest();
                recordedOutcomes[i] = new AuthOutcome();
            }
        }

        /**
         * Reads the records after {@code lastRead}, up to a batch, the journal's end or {@code endIndex}.
         *
         * @return the queue index of the last record read.
         */
        long fill(final ChronicleJournal.Reader reader, final long endIndex, final long lastRead)
        {
            count = 0;
            toPrefetch = 0;
            latestTimeMs = 0;
            last = false;
            failure = null;
            long read = lastRead;
            while (count < BATCH && read < endIndex)
            {
                final UnsafeBuffer buffer = buffers[count];
                final int length = reader.next(buffer);
                if (length < 0)
                {
                    last = true;
                    break;
                }
                damages[count] = record.verify(buffer, length);
                indexes[count] = reader.index();
                read = indexes[count];
                if (damages[count] == null && JournalRecord.type(buffer) == JournalRecord.TYPE_REQUEST)
                {
                    requests[count].clear();
                    JournalRecord.decodeRequest(buffer, requests[count], recordedOutcomes[count]);
                    // What the record names steers the prefetch and spares the decision the PAN
                    // index's read; the authorizer checks the card's PAN before it takes the hint.
                    requests[count].cardHint = recordedOutcomes[count].card;
                    slots.householdHint(toPrefetch, recordedOutcomes[count].household);
                    latestTimeMs = Math.max(latestTimeMs, requests[count].businessTimeMs);
                    prefetched[toPrefetch++] = requests[count];
                }
                count++;
            }
            last |= read >= endIndex;
            return read;
        }
    }

    /** Applies batches in order on the replaying thread: GENESIS, RULES, and every REQUEST decided again. */
    private static final class Applier
    {
        private final ChronicleJournal journal;
        private final Authorizer authorizer;
        private final long fingerprint;
        private final Position position;
        private final Progress progress;
        private final AuthOutcome decided = new AuthOutcome();
        long count;

        Applier(
            final ChronicleJournal journal,
            final Authorizer authorizer,
            final long fingerprint,
            final Position position,
            final Progress progress)
        {
            this.journal = journal;
            this.authorizer = authorizer;
            this.fingerprint = fingerprint;
            this.position = position;
            this.progress = progress;
        }

        void apply(final Batch batch)
        {
            if (PREFETCH)
            {
                sink += authorizer.prefetch(batch.prefetched, batch.toPrefetch, batch.slots);
                sink += authorizer.prefetchEvictions(batch.toPrefetch, batch.latestTimeMs);
            }
            for (int i = 0; i < batch.count; i++)
            {
                applyRecord(batch, i);
            }
            if (batch.failure instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            if (batch.failure instanceof Error error)
            {
                throw error;
            }
        }

        private void applyRecord(final Batch batch, final int i)
        {
            final UnsafeBuffer buffer = batch.buffers[i];
            final long number = position.records + 1;
            final String damage = batch.damages[i];
            if (damage != null)
            {
                throw new JournalException("journal=" + journal.directory() + " index=" + Long.toHexString(batch.indexes[i]) +
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
                    final AuthOutcome recorded = batch.recordedOutcomes[i];
                    authorizer.authorize(batch.requests[i], decided);
                    authorizer.positions().recorded(decided.sequence, batch.indexes[i]);
                    final String difference = decided.firstDifference(recorded);
                    if (difference != null)
                    {
                        throw new JournalException("journal=" + journal.directory() + " sequence=" + recorded.sequence +
                            " reason=replay decided differently field=" + difference +
                            " recorded code=" + recorded.responseCode + " replayed code=" + decided.responseCode);
                    }
                }
                case JournalRecord.TYPE_CHANGES ->
                {
                    final Authorizer.ChangeReplay changeReplay = authorizer.changeReplay();
                    if (changeReplay == null)
                    {
                        throw new JournalException("journal=" + journal.directory() + " record=" + number +
                            " reason=a change batch record, and no change replay set up (LMK and data set)");
                    }
                    changeReplay.replay(buffer);
                }
                default -> throw new JournalException("journal=" + journal.directory() + " record=" + number +
                    " reason=unknown record type=" + JournalRecord.type(buffer));
            }
            position.lastIndex = batch.indexes[i];
            position.lastRecordCrc = buffer.getInt(0, java.nio.ByteOrder.LITTLE_ENDIAN);
            position.records = number;
            count++;
            if ((count & (PROGRESS_EVERY - 1)) == 0)
            {
                progress.records(count);
            }
        }
    }
}
