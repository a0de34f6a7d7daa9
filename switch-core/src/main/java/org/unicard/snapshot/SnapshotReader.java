package org.unicard.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.unicard.authorizer.Authorizer;
import org.unicard.config.ProgramRules;
import org.unicard.security.KeyCipher;
import org.unicard.security.TdesKey;
import org.unicard.state.AcquirerTable;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.TerminalTable;

/**
 * Reads a snapshot file: {@link #open} reads and checks the header and the META section (cheap),
 * so the caller can compare it with the data directory, the LMK, the configuration and the journal
 * before {@link #load} reads the large sections into freshly allocated tables. Every problem is a
 * {@link SnapshotException} naming the file and the reason.
 */
public final class SnapshotReader implements AutoCloseable
{
    private static final int MAX_NAME_BYTES = 1 << 12;

    private final Path file;
    private final FileChannel channel;
    private final SnapshotInput in;
    private final SnapshotMeta meta;

    /** The tables and authorizer a snapshot held. */
    public record Loaded(DataSet data, Authorizer authorizer)
    {
    }

    private SnapshotReader(final Path file, final FileChannel channel, final SnapshotInput in, final SnapshotMeta meta)
    {
        this.file = file;
        this.channel = channel;
        this.in = in;
        this.meta = meta;
    }

    /**
     * Opens a snapshot and reads its META section.
     *
     * @param file     the snapshot file.
     * @param progress told how many bytes have been read (also while {@link #load}ing).
     * @throws SnapshotException when it cannot be read, or its header or META section is bad.
     */
    public static SnapshotReader open(final Path file, final SnapshotInput.Progress progress) throws SnapshotException
    {
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            final SnapshotInput in = new SnapshotInput(file, channel, progress);
            in.header();
            in.beginSection(SnapshotFormat.META);
            final long createdAtMs = in.getLong();
            final long fingerprint = in.getLong();
            final int fileCount = in.getInt();
            if (fileCount < 0 || fileCount > 16)
            {
                throw new SnapshotInput.BadSnapshot("META file count=" + fileCount);
            }
            final List<DataFilesStamp.Entry> entries = new ArrayList<>(fileCount);
            for (int i = 0; i < fileCount; i++)
            {
                entries.add(new DataFilesStamp.Entry(
                    new String(in.getBytes(MAX_NAME_BYTES), StandardCharsets.UTF_8), in.getLong(), in.getLong(), in.getLong()));
            }
            final String checkValue = new String(in.getBytes(64), StandardCharsets.US_ASCII);
            final SnapshotMeta meta = new SnapshotMeta(createdAtMs, fingerprint, new DataFilesStamp(List.copyOf(entries)), checkValue,
                in.getLong(), in.getLong(), in.getInt(), in.getLong(),
                in.getInt(), in.getInt(), in.getInt(), in.getInt(), in.getInt(), in.getInt());
            in.endSection();
            return new SnapshotReader(file, channel, in, meta);
        }
        catch (final SnapshotInput.BadSnapshot ex)
        {
            close(channel);
            throw new SnapshotException("snapshot=" + file + " reason=" + ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            close(channel);
            throw new SnapshotException("snapshot=" + file + " reason=cannot open: " + ex, ex);
        }
    }

    public SnapshotMeta meta()
    {
        return meta;
    }

    public Path file()
    {
        return file;
    }

    /**
     * Reads the rest of the snapshot into new tables and a new authorizer.
     *
     * @param lmk         the LMK (its check value must be the META's).
     * @param configRules the rules the configuration gives, kept when the snapshot's were not journaled.
     * @return the state.
     * @throws SnapshotException when a section is damaged, truncated or does not fit.
     */
    public Loaded load(final TdesKey lmk, final ProgramRules configRules) throws SnapshotException
    {
        try
        {
            if (!lmk.checkValue().equals(meta.lmkCheckValue()))
            {
                throw new SnapshotInput.BadSnapshot("written under another LMK (check value " + meta.lmkCheckValue() + ", now " +
                    lmk.checkValue() + ")");
            }
            checkCapacities();
            in.beginSection(SnapshotFormat.LINKS);
            final byte[] pinVerificationKey = key(lmk, "pvk");
            if (pinVerificationKey == null)
            {
                throw new SnapshotInput.BadSnapshot("LINKS has no pvk");
            }
            final TerminalTable terminals = new TerminalTable(meta.terminalCapacity());
            final int terminalCount = count(meta.terminalCapacity(), "terminals");
            for (int i = 0; i < terminalCount; i++)
            {
                final long id = in.getLong();
                final String merchant = new String(in.getBytes(TerminalTable.MERCHANT_ID_LENGTH), StandardCharsets.US_ASCII);
                final byte type = (byte)in.getByte();
                final int governorate = in.getByte();
                final String name = new String(in.getBytes(MAX_NAME_BYTES), StandardCharsets.UTF_8);
                final byte[] pinKey = key(lmk, "terminal tpk");
                final byte[] macKey = key(lmk, "terminal tak");
                final boolean active = in.getByte() != 0;
                if (terminals.add(TerminalTable.unpackTerminalId(id), merchant, type, governorate, name, pinKey, macKey, active) != i)
                {
                    throw new SnapshotInput.BadSnapshot("LINKS terminal " + i + " is a duplicate");
                }
            }
            final AcquirerTable acquirers = new AcquirerTable(meta.acquirerCapacity());
            final int acquirerCount = count(meta.acquirerCapacity(), "acquirers");
            for (int i = 0; i < acquirerCount; i++)
            {
                final long id = in.getLong();
                final String name = new String(in.getBytes(MAX_NAME_BYTES), StandardCharsets.UTF_8);
                final byte[] zonePinKey = key(lmk, "acquirer zpk");
                final boolean active = in.getByte() != 0;
                if (acquirers.add(id, name, zonePinKey, active) != i)
                {
                    throw new SnapshotInput.BadSnapshot("LINKS acquirer " + i + " is a duplicate");
                }
            }
            in.endSection();

            in.beginSection(SnapshotFormat.HOUSEHOLDS);
            final HouseholdTable households = new HouseholdTable(meta.householdCapacity());
            households.visitState(in);
            in.endSection();

            in.beginSection(SnapshotFormat.CARDS);
            final CardTable cards = new CardTable(meta.cardCapacity());
            cards.visitState(in);
            in.endSection();

            final DataSet data = new DataSet(households, cards, terminals, acquirers, pinVerificationKey, meta.fingerprint());
            in.beginSection(SnapshotFormat.AUTHORIZER);
            final int ruleCount = in.getInt();
            if (ruleCount != ProgramRules.VALUE_COUNT)
            {
                throw new SnapshotInput.BadSnapshot("AUTHORIZER holds " + ruleCount + " rules, this build has " + ProgramRules.VALUE_COUNT);
            }
            final long[] ruleValues = new long[ruleCount];
            for (int i = 0; i < ruleCount; i++)
            {
                ruleValues[i] = in.getLong();
            }
            final ProgramRules savedRules = ProgramRules.fromValues(ruleValues);
            final Authorizer authorizer = new Authorizer(data, configRules, meta.windowCapacity(), meta.ledgerCapacity());
            authorizer.visitState(in);
            authorizer.restoreRules(authorizer.rulesJournaled() ? savedRules : configRules, authorizer.rulesJournaled());
            in.endSection();

            in.beginSection(SnapshotFormat.END);
            final long records = in.getLong();
            in.endSection();
            if (records != meta.journalRecords())
            {
                throw new SnapshotInput.BadSnapshot("END names " + records + " records, META " + meta.journalRecords());
            }
            in.expectEndOfFile();
            if (authorizer.sequence() != meta.sequence())
            {
                throw new SnapshotInput.BadSnapshot("authorizer sequence=" + authorizer.sequence() + " META sequence=" + meta.sequence());
            }
            return new Loaded(data, authorizer);
        }
        catch (final SnapshotInput.BadSnapshot ex)
        {
            throw new SnapshotException("snapshot=" + file + " reason=" + ex.getMessage(), ex);
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            throw new SnapshotException("snapshot=" + file + " reason=does not load: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close()
    {
        close(channel);
    }

    private void checkCapacities()
    {
        final int[] capacities = {
            meta.householdCapacity(), meta.cardCapacity(), meta.terminalCapacity(), meta.acquirerCapacity(), meta.windowCapacity(),
            meta.ledgerCapacity()};
        for (final int capacity : capacities)
        {
            if (capacity < 0 || capacity > (1 << 30))
            {
                throw new SnapshotInput.BadSnapshot("META capacity=" + capacity + " out of range");
            }
        }
    }

    private int count(final int capacity, final String what)
    {
        final int count = in.getInt();
        if (count < 0 || count > capacity)
        {
            throw new SnapshotInput.BadSnapshot("LINKS " + what + " count=" + count + " capacity=" + capacity);
        }
        return count;
    }

    private byte[] key(final TdesKey lmk, final String what)
    {
        final byte[] encrypted = in.getBytes(TdesKey.KEY_LENGTH);
        if (encrypted.length == 0)
        {
            return null;
        }
        if (encrypted.length != TdesKey.KEY_LENGTH)
        {
            throw new SnapshotInput.BadSnapshot("LINKS " + what + " has " + encrypted.length + " bytes");
        }
        // The LMK's check value was compared with the META's before: this is the key that was saved.
        return KeyCipher.decryptUnderLmk(lmk, encrypted);
    }

    private static void close(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // Nothing was written through it.
            }
        }
    }
}
