package org.unicard.changes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.unicard.security.Hex;

/**
 * The text of every change batch applied, kept next to the journal (in its {@code changes/}
 * directory) so that replay can apply it again: one file per batch,
 * {@code <id>-<first 16 hex digits of its SHA-256>.jsonl}, written and forced to disk before the
 * batch's CHANGES record is journaled, never rewritten afterwards. Keys in it stay under the LMK,
 * as posted. The data files of the data set are never touched.
 */
public final class ChangeFiles
{
    /** Directory, inside the journal directory. */
    public static final String DIRECTORY = "changes";

    private ChangeFiles()
    {
    }

    /**
     * @return where the batch with this id and content is kept.
     */
    public static Path file(final Path journalDirectory, final String id, final byte[] sha256)
    {
        final byte[] prefix = new byte[8];
        System.arraycopy(sha256, 0, prefix, 0, 8);
        return journalDirectory.resolve(DIRECTORY).resolve(id + "-" + Hex.encode(prefix).toLowerCase(java.util.Locale.ROOT) + ".jsonl");
    }

    /**
     * Writes a batch's text durably: to a temporary file, forced, moved into place, the directory forced.
     *
     * @return the file.
     */
    public static Path write(final Path journalDirectory, final String id, final byte[] sha256, final byte[] body) throws IOException
    {
        final Path target = file(journalDirectory, id, sha256);
        Files.createDirectories(target.getParent());
        if (Files.exists(target) && Files.size(target) == body.length &&
            java.util.Arrays.equals(ChangeParser.sha256(Files.readAllBytes(target)), sha256))
        {
            return target;
        }
        final Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(body);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try
        {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ))
        {
            directory.force(true);
        }
        catch (final IOException ex)
        {
            // Some file systems cannot force a directory; the file itself is forced.
        }
        return target;
    }
}
