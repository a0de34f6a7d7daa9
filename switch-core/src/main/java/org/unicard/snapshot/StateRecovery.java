package org.unicard.snapshot;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.Authorizer;
import org.unicard.config.ProgramRules;
import org.unicard.config.SwitchSettings;
import org.unicard.importer.DataSetImporter;
import org.unicard.importer.ImportException;
import org.unicard.importer.ImportListener;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import org.unicard.recovery.JournalReplayer;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;

/**
 * Brings the in-memory state up to the journal, for {@code serve} and for the snapshot process
 * alike: the newest snapshot that fits (same data files, LMK, capacities and journal) plus the
 * journal records after it; or, when none fits, the data set imported from its CSV files plus the
 * whole journal. Every snapshot passed over is logged at ERROR with its file and reason, and listed
 * in {@link Recovered#refused()}; nothing is skipped silently. Damage in the journal itself stops
 * the recovery (a {@link org.unicard.journal.JournalException}), as a full replay would.
 */
public final class StateRecovery
{
    private static final Logger LOG = LoggerFactory.getLogger(StateRecovery.class);

    /** Told how far the recovery has got, on the recovering thread. */
    public interface Listener extends ImportListener
    {
        /** A listener that ignores every report. */
        Listener NONE = new Listener()
        {
        };

        /**
         * @param phase  {@code loading-snapshot}, {@code importing} or {@code replaying}.
         * @param detail the file or directory concerned.
         */
        default void onPhase(final String phase, final String detail)
        {
        }

        @Override
        default void onProgress(final String fileName, final long rowsRead, final long rowsTotal)
        {
        }

        /**
         * @param read  bytes of the snapshot read so far.
         * @param total its size.
         */
        default void onSnapshotBytes(final long read, final long total)
        {
        }

        /**
         * @param replayed journal records replayed so far by this recovery.
         * @param total    records the journal holds.
         */
        default void onReplay(final long replayed, final long total)
        {
        }
    }

    /**
     * What was recovered.
     *
     * @param data        the data set (owned by the authorizer).
     * @param authorizer  the authorizer, its state that of every journal record up to {@code position}.
     * @param position    the last journal record applied.
     * @param snapshot    the snapshot loaded, or {@code null} after a full import.
     * @param replayed    journal records replayed on top of the snapshot or import.
     * @param refused     one line per snapshot passed over, with its file and reason.
     * @param loadNanos   time spent loading the snapshot or importing the data set.
     * @param replayNanos time spent replaying the journal.
     * @param replayCpuNanos CPU time the recovering thread spent replaying (the wall time above also
     *                    counts waiting for the CPU on a busy machine).
     */
    public record Recovered(
        DataSet data,
        Authorizer authorizer,
        JournalReplayer.Position position,
        Path snapshot,
        long replayed,
        List<String> refused,
        long loadNanos,
        long replayNanos,
        long replayCpuNanos)
    {
    }

    /**
     * What the recovery needs.
     *
     * @param dataDirectory     the data set's CSV files.
     * @param lmk               the LMK the files' keys are stored under.
     * @param rules             the configured program rules.
     * @param windowCapacity    the configured duplicate window capacity, or {@link SwitchSettings#AUTO}.
     * @param ledgerCapacity    the configured spend ledger capacity, or {@code SwitchSettings.AUTO}.
     * @param snapshotDirectory where snapshots live (may be absent).
     */
    public record Inputs(
        Path dataDirectory, TdesKey lmk, ProgramRules rules, int windowCapacity, int ledgerCapacity, Path snapshotDirectory,
        org.unicard.importer.Headroom headroom)
    {
        /** With the default headroom for live changes. */
        public Inputs(
            final Path dataDirectory, final TdesKey lmk, final ProgramRules rules, final int windowCapacity, final int ledgerCapacity,
            final Path snapshotDirectory)
        {
            this(dataDirectory, lmk, rules, windowCapacity, ledgerCapacity, snapshotDirectory, org.unicard.importer.Headroom.DEFAULT);
        }
    }

    private StateRecovery()
    {
    }

    /**
     * @param inputs   what to recover from.
     * @param journal  the journal, or {@code null} when there is none yet (nothing is replayed, and a
     *                 snapshot that includes journal records is refused).
     * @param endIndex stop after the record at this queue index, or {@link JournalReplayer#TO_END}.
     * @param listener told how far it has got.
     * @return the recovered state.
     * @throws ImportException when no snapshot fits and the import fails.
     * @throws IOException     when the snapshot directory or the data files cannot be listed or read.
     */
    public static Recovered recover(final Inputs inputs, final ChronicleJournal journal, final long endIndex, final Listener listener)
        throws ImportException, IOException
    {
        final List<String> refused = new ArrayList<>();
        for (final Path unfinished : SnapshotFiles.unfinished(inputs.snapshotDirectory()))
        {
            LOG.warn("event=snapshot-ignored snapshot={} reason=unfinished (a snapshot process stopped while writing it)", unfinished);
        }
        final List<Path> snapshots = SnapshotFiles.newestFirst(inputs.snapshotDirectory());
        final long journalRecords = journal == null ? 0 : journal.records();
        if (!snapshots.isEmpty())
        {
            final DataFilesStamp stamp = DataFilesStamp.of(inputs.dataDirectory());
            for (int i = 0; i < snapshots.size(); i++)
            {
                final Path file = snapshots.get(i);
                listener.onPhase("loading-snapshot", file.toString());
                try
                {
                    final Recovered recovered = fromSnapshot(inputs, file, stamp, journal, endIndex, journalRecords, listener, refused);
                    LOG.info("event=snapshot-loaded snapshot={} records={} replayed={} load-ms={} replay-ms={}", file, recovered.position().records,
                        recovered.replayed(), recovered.loadNanos() / 1_000_000, recovered.replayNanos() / 1_000_000);
                    return recovered;
                }
                catch (final SnapshotException ex)
                {
                    final String next = i + 1 < snapshots.size() ? snapshots.get(i + 1).toString() : "full import and replay";
                    LOG.error("event=snapshot-refused {} next={}", ex.getMessage(), next);
                    refused.add(ex.getMessage());
                }
            }
        }

        listener.onPhase("importing", inputs.dataDirectory().toString());
        final long importStart = System.nanoTime();
        final DataSet data = DataSetImporter.load(inputs.dataDirectory(), inputs.lmk(), listener, inputs.headroom());
        LOG.info("event=imported data={} households={} cards={} terminals={} acquirers={} ms={}",
            inputs.dataDirectory(), data.households().size(), data.cards().size(), data.terminals().size(),
            data.acquirers().size(), (System.nanoTime() - importStart) / 1_000_000);
        final Authorizer authorizer = new Authorizer(data, inputs.rules(),
            SwitchSettings.duplicateWindowCapacity(inputs.windowCapacity(), data.households().capacity()),
            SwitchSettings.spendLedgerCapacity(inputs.ledgerCapacity(), data.households().capacity()));
        final long loadNanos = System.nanoTime() - importStart;
        final long replayStart = System.nanoTime();
        final long replayCpuStart = cpuNanos();
        final JournalReplayer.Position position = new JournalReplayer.Position();
        long replayed = 0;
        if (journal != null)
        {
            listener.onPhase("replaying", journal.directory().toString());
            try (ChronicleJournal.Reader reader = journal.reader())
            {
                org.unicard.changes.ChangeReplayer.install(journal.directory(), inputs.lmk(), data, authorizer);
                replayed = JournalReplayer.replay(journal, reader, authorizer, data.fingerprint(), endIndex, position,
                    records -> listener.onReplay(records, journalRecords));
            }
        }
        return new Recovered(data, authorizer, position, null, replayed, List.copyOf(refused), loadNanos, System.nanoTime() - replayStart,
            cpuNanos() - replayCpuStart);
    }

    private static Recovered fromSnapshot(
        final Inputs inputs,
        final Path file,
        final DataFilesStamp stamp,
        final ChronicleJournal journal,
        final long endIndex,
        final long journalRecords,
        final Listener listener,
        final List<String> refused) throws SnapshotException
    {
        final long loadStart = System.nanoTime();
        try (SnapshotReader snapshot = SnapshotReader.open(file, listener::onSnapshotBytes))
        {
            final SnapshotMeta meta = snapshot.meta();
            final String changed = meta.stamp().firstDifference(stamp);
            if (changed != null)
            {
                throw refuse(file, "built from other data files: " + changed);
            }
            final int windowCapacity = SwitchSettings.duplicateWindowCapacity(inputs.windowCapacity(), meta.householdCapacity());
            if (meta.windowCapacity() != windowCapacity)
            {
                throw refuse(file, "duplicate-window.capacity snapshot=" + meta.windowCapacity() + " configured=" + windowCapacity);
            }
            final int ledgerCapacity = Integer.highestOneBit(
                SwitchSettings.spendLedgerCapacity(inputs.ledgerCapacity(), meta.householdCapacity()) * 2 - 1);
            if (meta.ledgerCapacity() != ledgerCapacity)
            {
                throw refuse(file, "spend-ledger.capacity snapshot=" + meta.ledgerCapacity() + " configured=" + ledgerCapacity);
            }
            if (!inputs.lmk().checkValue().equals(meta.lmkCheckValue()))
            {
                throw refuse(file, "written under another LMK (check value " + meta.lmkCheckValue() + ")");
            }
            if (journal == null)
            {
                if (meta.journalIndex() >= 0)
                {
                    throw refuse(file, "there is no journal, the snapshot includes " + meta.journalRecords() + " records");
                }
                final SnapshotReader.Loaded loaded = snapshot.load(inputs.lmk(), inputs.rules());
                final JournalReplayer.Position position = new JournalReplayer.Position();
                return new Recovered(loaded.data(), loaded.authorizer(), position, file, 0, List.copyOf(refused),
                    System.nanoTime() - loadStart, 0, 0);
            }
            checkGenesis(file, journal, meta);
            final ChronicleJournal.Reader tail = tailReader(file, journal, meta);
            try
            {
                final SnapshotReader.Loaded loaded = snapshot.load(inputs.lmk(), inputs.rules());
                final long loadNanos = System.nanoTime() - loadStart;
                listener.onPhase("replaying", journal.directory().toString());
                final long replayStart = System.nanoTime();
                final long replayCpuStart = cpuNanos();
                final JournalReplayer.Position position = new JournalReplayer.Position();
                position.lastIndex = meta.journalIndex();
                position.records = meta.journalRecords();
                position.lastRecordCrc = meta.lastRecordCrc();
                org.unicard.changes.ChangeReplayer.install(journal.directory(), inputs.lmk(), loaded.data(), loaded.authorizer());
                final long replayed = JournalReplayer.replay(journal, tail, loaded.authorizer(), meta.fingerprint(), endIndex, position,
                    records -> listener.onReplay(meta.journalRecords() + records, journalRecords));
                return new Recovered(loaded.data(), loaded.authorizer(), position, file, replayed, List.copyOf(refused), loadNanos,
                    System.nanoTime() - replayStart, cpuNanos() - replayCpuStart);
            }
            finally
            {
                tail.close();
            }
        }
    }

    /** The journal's first record must be the GENESIS of the snapshot's data set. */
    private static void checkGenesis(final Path file, final ChronicleJournal journal, final SnapshotMeta meta) throws SnapshotException
    {
        if (meta.journalIndex() < 0)
        {
            return;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        try (ChronicleJournal.Reader reader = journal.reader())
        {
            final int length = reader.next(buffer);
            if (length < 0)
            {
                throw refuse(file, "the journal " + journal.directory() + " is empty, the snapshot includes " + meta.journalRecords() + " records");
            }
            if (new JournalRecord().verify(buffer, length) == null && JournalRecord.type(buffer) == JournalRecord.TYPE_GENESIS &&
                JournalRecord.genesisFingerprint(buffer) != meta.fingerprint())
            {
                throw refuse(file, "the journal belongs to another data set: journal fingerprint=" +
                    Long.toHexString(JournalRecord.genesisFingerprint(buffer)) + " snapshot fingerprint=" + Long.toHexString(meta.fingerprint()));
            }
        }
    }

    /** A reader after the snapshot's last record, once that record is found where and as the snapshot says. */
    private static ChronicleJournal.Reader tailReader(final Path file, final ChronicleJournal journal, final SnapshotMeta meta)
        throws SnapshotException
    {
        if (meta.journalIndex() < 0)
        {
            return journal.reader();
        }
        final ChronicleJournal.Reader reader = journal.readerAt(meta.journalIndex());
        if (reader == null)
        {
            throw refuse(file, "the journal " + journal.directory() + " has no record at index " + Long.toHexString(meta.journalIndex()) +
                " (another journal, or one cut short)");
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        final int length = reader.next(buffer);
        if (length < 4 || reader.index() != meta.journalIndex() || buffer.getInt(0, ByteOrder.LITTLE_ENDIAN) != meta.lastRecordCrc())
        {
            reader.close();
            throw refuse(file, "the journal record at index " + Long.toHexString(meta.journalIndex()) +
                " is not the one the snapshot includes (another journal)");
        }
        return reader;
    }

    private static long cpuNanos()
    {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static SnapshotException refuse(final Path file, final String reason)
    {
        return new SnapshotException("snapshot=" + file + " reason=" + reason);
    }
}
