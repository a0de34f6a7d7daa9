package org.unicard.notify;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

import org.unicard.state.HouseholdTable;

/**
 * Where the notifier stands, in a small file ({@value #FILE_NAME}) written after each delivered batch:
 * to a temporary file, forced to disk, then renamed over the old one, so that after a kill -9 or a
 * power cut the file is the old position or the new one, never a mix.
 * <pre>
 *   delivered-index = 81604378624    every event of the records up to this journal index was delivered (-1: none)
 *   scan-from-index = 81604378600    the first record of the month being tallied (-1: the journal's first record)
 *   digest-day      = 20787          the last Cairo day number whose bread digests were all delivered
 *   statement-month = 26830          the last month number whose statements were all delivered
 * </pre>
 * A restart reads the journal again from {@code scan-from-index}, rebuilding the month's tallies,
 * and sends only what comes after these marks; what was sent but not yet marked (the batch in
 * flight at a kill -9) is sent again with the same keys. Deleting the file, or setting
 * {@code delivered-index} back, sends again from there (docs/operations.md, "Replaying notifications").
 */
public final class NotifierPosition
{
    public static final String FILE_NAME = "notifier.position";

    public long deliveredIndex = -1;
    public long scanFromIndex = -1;
    public int digestDay = HouseholdTable.NO_CYCLE;
    public int statementMonth = HouseholdTable.NO_CYCLE;

    /**
     * @return the position in the directory's file, or the start when there is none.
     * @throws IOException when the file exists but cannot be read or holds a bad value (named with its file and key).
     */
    public static NotifierPosition read(final Path directory) throws IOException
    {
        final Path file = directory.resolve(FILE_NAME);
        final NotifierPosition position = new NotifierPosition();
        if (!Files.exists(file))
        {
            return position;
        }
        final Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(in);
        }
        position.deliveredIndex = number(properties, file, "delivered-index");
        position.scanFromIndex = number(properties, file, "scan-from-index");
        position.digestDay = (int)number(properties, file, "digest-day");
        position.statementMonth = (int)number(properties, file, "statement-month");
        return position;
    }

    /**
     * Writes the position atomically (temporary file, force, rename).
     */
    public void write(final Path directory) throws IOException
    {
        final Path file = directory.resolve(FILE_NAME);
        final Path temporary = directory.resolve(FILE_NAME + ".tmp");
        final String text = "delivered-index = " + deliveredIndex + "\n" +
            "scan-from-index = " + scanFromIndex + "\n" +
            "digest-day = " + digestDay + "\n" +
            "statement-month = " + statementMonth + "\n";
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        try
        {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public void copyFrom(final NotifierPosition other)
    {
        deliveredIndex = other.deliveredIndex;
        scanFromIndex = other.scanFromIndex;
        digestDay = other.digestDay;
        statementMonth = other.statementMonth;
    }

    @Override
    public String toString()
    {
        return "delivered-index=" + deliveredIndex + " scan-from-index=" + scanFromIndex + " digest-day=" + digestDay +
            " statement-month=" + statementMonth;
    }

    private static long number(final Properties properties, final Path file, final String key) throws IOException
    {
        final String text = properties.getProperty(key);
        if (text == null)
        {
            throw new IOException("notifier position file=" + file + " key=" + key + " reason=missing");
        }
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException("notifier position file=" + file + " key=" + key + " value=\"" + text.trim() + "\" reason=not a number");
        }
    }
}
