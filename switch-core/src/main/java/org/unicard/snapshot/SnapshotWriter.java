package org.unicard.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.unicard.authorizer.Authorizer;
import org.unicard.recovery.JournalReplayer;
import org.unicard.security.KeyCipher;
import org.unicard.security.TdesKey;
import org.unicard.state.AcquirerTable;
import org.unicard.state.DataSet;
import org.unicard.state.TerminalTable;

/**
 * Writes the whole state of a switch to a snapshot file ({@link SnapshotFormat}): first to
 * {@code snapshot-N.usnap.tmp}, then {@code fsync}, an atomic rename to {@code snapshot-N.usnap}
 * (N: journal records included) and an {@code fsync} of the directory, so a reader sees either the
 * whole file or none. Keys are written encrypted under the LMK, as the data files hold them; never
 * in clear.
 */
public final class SnapshotWriter
{
    private SnapshotWriter()
    {
    }

    /**
     * @param directory      where snapshots live (created when absent).
     * @param data           the data set the authorizer owns.
     * @param authorizer     the authorizer, not deciding while this runs.
     * @param position       the journal position its state includes.
     * @param stamp          the data files the data set was built from.
     * @param lmk            the LMK the keys are stored under.
     * @param bytesPerSecond the most bytes per second on average, or 0 for no bound.
     * @return the snapshot file written.
     * @throws IOException when it cannot be written (the temporary file is then removed).
     */
    public static Path write(
        final Path directory,
        final DataSet data,
        final Authorizer authorizer,
        final JournalReplayer.Position position,
        final DataFilesStamp stamp,
        final TdesKey lmk,
        final long bytesPerSecond) throws IOException
    {
        Files.createDirectories(directory);
        final Path target = directory.resolve(SnapshotFormat.fileName(position.records));
        final Path temporary = directory.resolve(target.getFileName() + SnapshotFormat.TEMPORARY_SUFFIX);
        try
        {
            try (FileChannel channel = FileChannel.open(temporary,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                final SnapshotOutput out = new SnapshotOutput(channel, bytesPerSecond);
                writeAll(out, data, authorizer, position, stamp, lmk);
                out.finish();
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(directory);
            return target;
        }
        catch (final SnapshotOutput.UncheckedSnapshotIo ex)
        {
            Files.deleteIfExists(temporary);
            throw ex.getCause();
        }
        catch (final IOException | RuntimeException ex)
        {
            Files.deleteIfExists(temporary);
            throw ex;
        }
    }

    /**
     * Writes the same bytes as {@link #write(Path, DataSet, Authorizer, JournalReplayer.Position, DataFilesStamp, TdesKey, long)}
     * to a channel (a cluster snapshot's publication), through one 4 MiB buffer: the state is never
     * held twice in memory.
     *
     * @param channel    where the bytes go, in writes of at most 4 MiB.
     * @param data       the data set the authorizer owns.
     * @param authorizer the authorizer, not deciding while this runs.
     * @param position   the journal position its state includes (an empty position for a state that names no journal).
     * @param stamp      the data files the data set was built from (may list none).
     * @param lmk        the LMK the keys are stored under.
     * @return the bytes written.
     * @throws IOException when the channel refuses them.
     */
    public static long write(
        final WritableByteChannel channel,
        final DataSet data,
        final Authorizer authorizer,
        final JournalReplayer.Position position,
        final DataFilesStamp stamp,
        final TdesKey lmk) throws IOException
    {
        final SnapshotOutput out = new SnapshotOutput(channel, 0);
        try
        {
            writeAll(out, data, authorizer, position, stamp, lmk);
            out.finish();
            return out.written();
        }
        catch (final SnapshotOutput.UncheckedSnapshotIo ex)
        {
            throw ex.getCause();
        }
    }

    private static void writeAll(
        final SnapshotOutput out,
        final DataSet data,
        final Authorizer authorizer,
        final JournalReplayer.Position position,
        final DataFilesStamp stamp,
        final TdesKey lmk) throws IOException
    {
        out.header();

        out.beginSection(SnapshotFormat.META);
        out.putLong(System.currentTimeMillis());
        out.putLong(data.fingerprint());
        out.putInt(stamp.files().size());
        for (final DataFilesStamp.Entry entry : stamp.files())
        {
            out.putBytes(entry.name().getBytes(StandardCharsets.UTF_8));
            out.putLong(entry.size());
            out.putLong(entry.modifiedMs());
            out.putLong(entry.sampleHash());
        }
        out.putBytes(lmk.checkValue().getBytes(StandardCharsets.US_ASCII));
        out.putLong(position.lastIndex);
        out.putLong(position.records);
        out.putInt(position.lastRecordCrc);
        out.putLong(authorizer.sequence());
        out.putInt(data.households().capacity());
        out.putInt(data.cards().capacity());
        out.putInt(data.terminals().terminalId.length);
        out.putInt(data.acquirers().acquirerId.length);
        out.putInt(authorizer.window().capacity());
        out.putInt(authorizer.ledger().capacity());
        out.endSection();

        out.beginSection(SnapshotFormat.LINKS);
        out.putBytes(KeyCipher.encryptUnderLmk(lmk, data.pinVerificationKey()));
        final TerminalTable terminals = data.terminals();
        out.putInt(terminals.size());
        for (int i = 0; i < terminals.size(); i++)
        {
            out.putLong(terminals.terminalId[i]);
            out.putBytes(terminals.merchantId[i]);
            out.putByte(terminals.type[i]);
            out.putByte(terminals.governorate[i]);
            out.putBytes(terminals.name[i].getBytes(StandardCharsets.UTF_8));
            putKey(out, terminals.pinKey[i], lmk);
            putKey(out, terminals.macKey[i], lmk);
            out.putByte(terminals.active[i] ? 1 : 0);
        }
        final AcquirerTable acquirers = data.acquirers();
        out.putInt(acquirers.size());
        for (int i = 0; i < acquirers.size(); i++)
        {
            out.putLong(acquirers.acquirerId[i]);
            out.putBytes(acquirers.name[i].getBytes(StandardCharsets.UTF_8));
            putKey(out, acquirers.zonePinKey[i], lmk);
            out.putByte(acquirers.active[i] ? 1 : 0);
        }
        out.endSection();

        out.beginSection(SnapshotFormat.HOUSEHOLDS);
        data.households().visitState(out);
        out.endSection();

        out.beginSection(SnapshotFormat.CARDS);
        data.cards().visitState(out);
        out.endSection();

        out.beginSection(SnapshotFormat.AUTHORIZER);
        final long[] rules = authorizer.rules().values();
        out.putInt(rules.length);
        for (final long rule : rules)
        {
            out.putLong(rule);
        }
        authorizer.visitState(out);
        out.endSection();

        out.beginSection(SnapshotFormat.END);
        out.putLong(position.records);
        out.endSection();
    }

    private static void putKey(final SnapshotOutput out, final byte[] clearKey, final TdesKey lmk) throws IOException
    {
        out.putBytes(clearKey == null ? new byte[0] : KeyCipher.encryptUnderLmk(lmk, clearKey));
    }

    private static void forceDirectory(final Path directory)
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            // Some file systems cannot open a directory for fsync; the rename is still atomic.
        }
    }
}
