package org.unicard.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import org.unicard.importer.DataFiles;

/**
 * What a snapshot remembers of the data files it was built from, so a restart can tell in
 * milliseconds, without re-reading gigabytes, whether the data directory still holds the same data
 * set: for each of {@code households.csv}, {@code cards.csv}, {@code terminals.csv},
 * {@code acquirers.csv} and {@code keys.csv}, its size, its modification time, and a SHA-256 of
 * {@link #SAMPLES} evenly spread 64 KiB samples (the first and last included; the whole file when
 * it is smaller). An absent file has size -1.
 * <p>
 * Any edit changes the modification time, and nearly any changes the size or a sample; copying the
 * directory without keeping modification times ({@code cp -p}, {@code rsync -t} keep them) makes
 * the snapshot refused and costs one full import.
 *
 * @param files one entry per data file, in the order above.
 */
public record DataFilesStamp(List<Entry> files)
{
    /** Samples hashed per file. */
    public static final int SAMPLES = 64;
    /** Bytes per sample. */
    public static final int SAMPLE_BYTES = 1 << 16;

    private static final List<String> NAMES =
        List.of(DataFiles.HOUSEHOLDS, DataFiles.CARDS, DataFiles.TERMINALS, DataFiles.ACQUIRERS, DataFiles.KEYS);

    /**
     * @param name        file name.
     * @param size        bytes, or -1 when the file is absent.
     * @param modifiedMs  modification time in ms since the epoch.
     * @param sampleHash  the first 8 bytes of the SHA-256 of the samples.
     */
    public record Entry(String name, long size, long modifiedMs, long sampleHash)
    {
    }

    /**
     * @param dataDirectory a data directory.
     * @return its stamp.
     * @throws IOException when a present file cannot be read.
     */
    public static DataFilesStamp of(final Path dataDirectory) throws IOException
    {
        final List<Entry> entries = new ArrayList<>(NAMES.size());
        for (final String name : NAMES)
        {
            final Path file = dataDirectory.resolve(name);
            if (!Files.exists(file))
            {
                entries.add(new Entry(name, -1, 0, 0));
                continue;
            }
            entries.add(new Entry(name, Files.size(file), Files.getLastModifiedTime(file).toMillis(), sampleHash(file)));
        }
        return new DataFilesStamp(List.copyOf(entries));
    }

    /**
     * @param current the stamp of the data directory now.
     * @return {@code null} when equal, else the first difference, e.g.
     * {@code cards.csv size snapshot=100 now=120}.
     */
    public String firstDifference(final DataFilesStamp current)
    {
        if (files.size() != current.files.size())
        {
            return "files snapshot=" + files.size() + " now=" + current.files.size();
        }
        for (int i = 0; i < files.size(); i++)
        {
            final Entry was = files.get(i);
            final Entry now = current.files.get(i);
            if (!was.name.equals(now.name))
            {
                return "file snapshot=" + was.name + " now=" + now.name;
            }
            if (was.size != now.size)
            {
                return was.name + " size snapshot=" + was.size + " now=" + now.size;
            }
            if (was.modifiedMs != now.modifiedMs)
            {
                return was.name + " modified snapshot=" + was.modifiedMs + " now=" + now.modifiedMs;
            }
            if (was.sampleHash != now.sampleHash)
            {
                return was.name + " content differs (sampled hash)";
            }
        }
        return null;
    }

    private static long sampleHash(final Path file) throws IOException
    {
        final MessageDigest digest = sha256();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final ByteBuffer sample = ByteBuffer.allocate(SAMPLE_BYTES);
            if (size <= (long)SAMPLES * SAMPLE_BYTES)
            {
                readFully(channel, 0, size, digest, sample);
            }
            else
            {
                final long step = (size - SAMPLE_BYTES) / (SAMPLES - 1);
                for (int i = 0; i < SAMPLES; i++)
                {
                    final long at = i == SAMPLES - 1 ? size - SAMPLE_BYTES : i * step;
                    readFully(channel, at, SAMPLE_BYTES, digest, sample);
                }
            }
        }
        return ByteBuffer.wrap(digest.digest()).getLong();
    }

    private static void readFully(
        final FileChannel channel, final long from, final long length, final MessageDigest digest, final ByteBuffer sample)
        throws IOException
    {
        long at = from;
        final long end = from + length;
        while (at < end)
        {
            sample.clear();
            sample.limit((int)Math.min(sample.capacity(), end - at));
            final int read = channel.read(sample, at);
            if (read < 0)
            {
                throw new IOException("file shrank while being read: " + at);
            }
            sample.flip();
            digest.update(sample);
            at += read;
        }
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", ex);
        }
    }
}
