package org.unicard.snapshot;

import java.nio.file.Path;

import org.unicard.context.Configuration;
import org.unicard.context.SwitchContext;

/**
 * The {@code snapshot.*} properties of the configuration, as {@link SwitchContext#conclude()} read and
 * checked them (names and defaults in {@link Configuration}, documented in {@code config/unicard.properties}).
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
     * @param dataDirectory the data directory.
     * @return the snapshot directory to use.
     */
    public Path directoryFor(final Path dataDirectory)
    {
        return directory != null ? directory : dataDirectory.resolve(Configuration.SNAPSHOT_DIRECTORY_IN_DATA);
    }

    /**
     * @return whether {@code serve} starts snapshot processes at all.
     */
    public boolean periodic()
    {
        return intervalRecords > 0 || intervalMinutes > 0;
    }
}
