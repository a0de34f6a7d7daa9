package org.unicard.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The snapshot directory: finished snapshots ({@code snapshot-N.usnap}, N the journal records
 * included, zero-padded so names sort by age) and unfinished ones ({@code .tmp}, left by a process
 * that died while writing; never read).
 */
public final class SnapshotFiles
{
    private SnapshotFiles()
    {
    }

    /**
     * @param directory the snapshot directory (may be absent).
     * @return finished snapshots, newest first.
     */
    public static List<Path> newestFirst(final Path directory) throws IOException
    {
        return list(directory, SnapshotFormat.SUFFIX).stream().sorted(Comparator.comparing(Path::toString).reversed()).toList();
    }

    /**
     * @param directory the snapshot directory (may be absent).
     * @return unfinished snapshot files.
     */
    public static List<Path> unfinished(final Path directory) throws IOException
    {
        return list(directory, SnapshotFormat.SUFFIX + SnapshotFormat.TEMPORARY_SUFFIX);
    }

    /**
     * Deletes all but the newest {@code keep} finished snapshots.
     *
     * @return the files deleted.
     */
    public static List<Path> prune(final Path directory, final int keep) throws IOException
    {
        final List<Path> all = newestFirst(directory);
        final List<Path> deleted = new ArrayList<>();
        for (int i = Math.max(1, keep); i < all.size(); i++)
        {
            Files.deleteIfExists(all.get(i));
            deleted.add(all.get(i));
        }
        return deleted;
    }

    private static List<Path> list(final Path directory, final String suffix) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(file ->
            {
                final String name = file.getFileName().toString();
                return name.startsWith(SnapshotFormat.PREFIX) && name.endsWith(suffix);
            }).toList();
        }
    }
}
