package org.unicard.snapshot;

import java.nio.file.Path;
import java.util.Properties;

import org.unicard.config.ConfigurationException;

/**
 * The {@code snapshot.*} properties of the configuration (defaults in
 * {@code config/unicard.properties}).
 *
 * @param directory        where snapshots live, or {@code null} for {@code DATA/snapshots}.
 * @param intervalRecords  {@code serve} starts a snapshot process once this many journal records
 *                         were appended since the last one; 0: never by count.
 * @param intervalMinutes  ... or once this many minutes passed with at least one record appended; 0: never by time.
 * @param writeRateMbPerS  the most MB (10^6 bytes) per second a snapshot is written at; 0: unbounded.
 * @param keep             finished snapshots kept (the newest ones), at least 1.
 * @param nice             the snapshot process's niceness (0 to 19).
 * @param afterImport      {@code serve} starts a snapshot process as soon as it takes traffic after a start that imported
 *                         the data set from its CSV files, so that the next start loads a snapshot instead.
 */
public record SnapshotSettings(
    Path directory, long intervalRecords, long intervalMinutes, long writeRateMbPerS, int keep, int nice, boolean afterImport)
{
    /**
     * @param properties the merged configuration.
     * @param source     where it came from, for error messages.
     * @return the settings, every value checked.
     */
    public static SnapshotSettings from(final Properties properties, final String source)
    {
        final String directory = properties.getProperty("snapshot.directory", "").trim();
        return new SnapshotSettings(
            directory.isEmpty() ? null : Path.of(directory),
            value(properties, source, "snapshot.interval-records", 20_000_000, 0, Long.MAX_VALUE),
            value(properties, source, "snapshot.interval-minutes", 30, 0, 1_000_000),
            value(properties, source, "snapshot.write-rate-mb-per-s", 128, 0, 1_000_000),
            (int)value(properties, source, "snapshot.keep", 2, 1, 1000),
            (int)value(properties, source, "snapshot.nice", 10, 0, 19),
            bool(properties, source, "snapshot.after-import", true));
    }

    /**
     * @param dataDirectory the data directory.
     * @return the snapshot directory to use.
     */
    public Path directoryFor(final Path dataDirectory)
    {
        return directory != null ? directory : dataDirectory.resolve("snapshots");
    }

    /**
     * @return whether {@code serve} starts snapshot processes at all.
     */
    public boolean periodic()
    {
        return intervalRecords > 0 || intervalMinutes > 0;
    }

    private static boolean bool(final Properties properties, final String source, final String name, final boolean defaultValue)
    {
        final String text = properties.getProperty(name, "").trim();
        return switch (text)
        {
            case "" -> defaultValue;
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException("config=" + source + " property=" + name + " value=" + text +
                " reason=expected true or false");
        };
    }

    private static long value(
        final Properties properties, final String source, final String name, final long defaultValue, final long min, final long max)
    {
        final String text = properties.getProperty(name, "").trim();
        if (text.isEmpty())
        {
            return defaultValue;
        }
        final long value;
        try
        {
            value = Long.parseLong(text.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException("config=" + source + " property=" + name + " value=" + text + " reason=not an integer");
        }
        if (value < min || value > max)
        {
            throw new ConfigurationException("config=" + source + " property=" + name + " value=" + value + " reason=outside [" + min + "," +
                max + "]");
        }
        return value;
    }
}
