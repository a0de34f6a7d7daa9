package org.unicard.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
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
 * Reads a snapshot file (or a stream of the same bytes: a cluster snapshot): {@link #open} reads and checks the header and the META section (cheap),
 * so the caller can compare it with the data directory, the LMK, the configuration and the journal
 * before {@link #load} reads the large sections into freshly allocated tables. Every problem is a
 * {@link SnapshotException} naming the file and the reason.
 */
public final class SnapshotReader implements AutoCloseable
{
    private static final int MAX_NAME_BYTES = 1 << 12;

    private final Path file;
    private final String source;
    private final FileChannel channel;
    private final SnapshotInput in;
    private final SnapshotMeta meta;

    /** The tables and authorizer a snapshot held. */
    public record Loaded(DataSet data, Authorizer authorizer)
    {
    }

    private SnapshotReader(final Path file, final String source, final FileChannel channel, final SnapshotInput in, final SnapshotMeta meta)
    {
        this.file = file;
        this.source = source;
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
            return new SnapshotReader(file, file.toString(), channel, in, readMeta(in));
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

    /**
     * Opens a snapshot that arrives as a stream (a cluster snapshot) and reads its META section; the
     * stream must end right after the END section. Closing the reader does not close the channel.
     *
     * @param source  what the errors name (the snapshot= value).
     * @param channel the bytes: its {@code read} blocks until it has some, and returns -1 at their end.
     * @throws SnapshotException when its header or META section is bad or it cannot be read.
     */
    public static SnapshotReader open(final String source, final ReadableByteChannel channel) throws SnapshotException
    {
        try
        {
            final SnapshotInput in = new SnapshotInput(null, source, channel, -1, (read, total) -> { });
            return new SnapshotReader(null, source, null, in, readMeta(in));
        }
        catch (final SnapshotInput.BadSnapshot ex)
        {
            throw new SnapshotException("snapshot=" + source + " reason=" + ex.getMessage(), ex);
        }
    }

    private static SnapshotMeta readMeta(final SnapshotInput in)
    {
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
        return meta;
    }

    public SnapshotMeta meta()
    {
        return meta;
    }

    /**
     * @return the snapshot file, or {@code null} for a stream.
     */
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
            checkLmk(lmk);
            checkCapacities();
            final TerminalTable terminals = new TerminalTable(meta.terminalCapacity());
            final AcquirerTable acquirers = new AcquirerTable(meta.acquirerCapacity());
            in.beginSection(SnapshotFormat.LINKS);
            final byte[] pinVerificationKey = readLinks(lmk, terminals, acquirers);
            final HouseholdTable households = new HouseholdTable(meta.householdCapacity());
            final CardTable cards = new CardTable(meta.cardCapacity());
            readTables(households, cards);
            final DataSet data = new DataSet(households, cards, terminals, acquirers, pinVerificationKey, meta.fingerprint());
            final Authorizer authorizer = new Authorizer(data, configRules, meta.windowCapacity(), meta.ledgerCapacity());
            readAuthorizer(authorizer, configRules);
            return new Loaded(data, authorizer);
        }
        catch (final SnapshotInput.BadSnapshot ex)
        {
            throw new SnapshotException("snapshot=" + source + " reason=" + ex.getMessage(), ex);
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            throw new SnapshotException("snapshot=" + source + " reason=does not load: " + ex.getMessage(), ex);
        }
    }

    /**
     * Reads the rest of the snapshot into an existing state, in place (a cluster member taking the
     * cluster's state): the snapshot must be of the same data set (fingerprint) and capacities, and
     * the member's terminals and acquirers the first ones of the snapshot's (its tables can only be
     * behind the snapshot's). Those checks come before anything is changed; a damaged section found
     * later leaves the state half loaded, so the caller must then stop rather than decide on it.
     * The rules in force become the snapshot's.
     *
     * @param lmk        the LMK (its check value must be the META's).
     * @param data       the data set to overwrite.
     * @param authorizer the authorizer that owns it, not deciding while this runs.
     * @throws SnapshotException when the snapshot does not fit, is damaged or truncated.
     */
    public void loadInto(final TdesKey lmk, final DataSet data, final Authorizer authorizer) throws SnapshotException
    {
        try
        {
            checkLmk(lmk);
            checkCapacities();
            if (meta.fingerprint() != data.fingerprint())
            {
                throw new SnapshotInput.BadSnapshot("another data set: snapshot fingerprint=" + Long.toHexString(meta.fingerprint()) +
                    " this data set's=" + Long.toHexString(data.fingerprint()));
            }
            fits("households", meta.householdCapacity(), data.households().capacity());
            fits("cards", meta.cardCapacity(), data.cards().capacity());
            fits("terminals", meta.terminalCapacity(), data.terminals().capacity());
            fits("acquirers", meta.acquirerCapacity(), data.acquirers().capacity());
            fits("duplicate-window.capacity", meta.windowCapacity(), authorizer.window().capacity());
            fits("spend-ledger.capacity", meta.ledgerCapacity(), authorizer.ledger().capacity());
            in.beginSection(SnapshotFormat.LINKS);
            final byte[] pinVerificationKey = readLinks(lmk, data.terminals(), data.acquirers());
            if (pinVerificationKey.length != data.pinVerificationKey().length)
            {
                throw new SnapshotInput.BadSnapshot("LINKS pvk has " + pinVerificationKey.length + " bytes");
            }
            System.arraycopy(pinVerificationKey, 0, data.pinVerificationKey(), 0, pinVerificationKey.length);
            readTables(data.households(), data.cards());
            readAuthorizer(authorizer, authorizer.rules());
        }
        catch (final SnapshotInput.BadSnapshot ex)
        {
            throw new SnapshotException("snapshot=" + source + " reason=" + ex.getMessage(), ex);
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            throw new SnapshotException("snapshot=" + source + " reason=does not load: " + ex.getMessage(), ex);
        }
    }

    private static void fits(final String what, final int snapshot, final int here)
    {
        if (snapshot != here)
        {
            throw new SnapshotInput.BadSnapshot("does not fit: " + what + " snapshot=" + snapshot + " here=" + here +
                " (every member must run the same data set and configuration)");
        }
    }

    private void checkLmk(final TdesKey lmk)
    {
        if (!lmk.checkValue().equals(meta.lmkCheckValue()))
        {
            throw new SnapshotInput.BadSnapshot("written under another LMK (check value " + meta.lmkCheckValue() + ", now " +
                lmk.checkValue() + ")");
        }
    }

    /**
     * The LINKS section (begun by the caller): terminals and acquirers go to index i, updating the one
     * already there (the same id) or added after the last.
     *
     * @return the clear PVK.
     */
    private byte[] readLinks(final TdesKey lmk, final TerminalTable terminals, final AcquirerTable acquirers)
    {
        final byte[] pinVerificationKey = key(lmk, "pvk");
        if (pinVerificationKey == null)
        {
            throw new SnapshotInput.BadSnapshot("LINKS has no pvk");
        }
        final int terminalCount = count(meta.terminalCapacity(), "terminals");
        if (terminalCount < terminals.size())
        {
            throw new SnapshotInput.BadSnapshot("LINKS holds " + terminalCount + " terminals, this state already " + terminals.size());
        }
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
            if (i < terminals.size())
            {
                if (terminals.terminalId[i] != id)
                {
                    throw new SnapshotInput.BadSnapshot("LINKS terminal " + i + " is " + TerminalTable.unpackTerminalId(id) + ", here " +
                        TerminalTable.unpackTerminalId(terminals.terminalId[i]));
                }
                terminals.update(i, merchant, type, governorate, name, pinKey, macKey, active);
            }
            else if (terminals.add(TerminalTable.unpackTerminalId(id), merchant, type, governorate, name, pinKey, macKey, active) != i)
            {
                throw new SnapshotInput.BadSnapshot("LINKS terminal " + i + " is a duplicate");
            }
        }
        final int acquirerCount = count(meta.acquirerCapacity(), "acquirers");
        if (acquirerCount < acquirers.size())
        {
            throw new SnapshotInput.BadSnapshot("LINKS holds " + acquirerCount + " acquirers, this state already " + acquirers.size());
        }
        for (int i = 0; i < acquirerCount; i++)
        {
            final long id = in.getLong();
            final String name = new String(in.getBytes(MAX_NAME_BYTES), StandardCharsets.UTF_8);
            final byte[] zonePinKey = key(lmk, "acquirer zpk");
            final boolean active = in.getByte() != 0;
            if (i < acquirers.size())
            {
                if (acquirers.acquirerId[i] != id)
                {
                    throw new SnapshotInput.BadSnapshot("LINKS acquirer " + i + " is " + id + ", here " + acquirers.acquirerId[i]);
                }
                acquirers.update(i, name, zonePinKey, active);
            }
            else if (acquirers.add(id, name, zonePinKey, active) != i)
            {
                throw new SnapshotInput.BadSnapshot("LINKS acquirer " + i + " is a duplicate");
            }
        }
        in.endSection();
        return pinVerificationKey;
    }

    private void readTables(final HouseholdTable households, final CardTable cards)
    {
        in.beginSection(SnapshotFormat.HOUSEHOLDS);
        households.visitState(in);
        in.endSection();

        in.beginSection(SnapshotFormat.CARDS);
        cards.visitState(in);
        in.endSection();
    }

    /** The AUTHORIZER and END sections, then the end of the snapshot. */
    private void readAuthorizer(final Authorizer authorizer, final ProgramRules configRules)
    {
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
