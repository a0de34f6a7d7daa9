package org.unicard.changes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.unicard.state.StateVisitor;

/**
 * The change batches applied (spec §12, exactly once): for each, its id, the SHA-256 of its content
 * and how many changes it applied, so that a batch posted again is answered with its original 200
 * and a batch id reused for other content with 409.
 * <p>
 * Bounded: the last {@link #CAPACITY} batches are remembered, the oldest forgotten first (at one
 * batch a day, that is 27 years; at one a minute, a week). Kept in the authorizer's state, so in
 * every snapshot, and rebuilt by replay from the journal's CHANGES records, so it survives restarts.
 * <p>
 * Written by the thread that applies batches (the ring, or the replay), read by the HTTP thread:
 * every method is synchronized (a batch is rare; no request takes this lock).
 */
public final class BatchMemory
{
    /** Batches remembered. */
    public static final int CAPACITY = 10_000;

    private static final int ID_LONGS = BatchId.MAX_LENGTH / 8;
    /** Per entry: id (8 longs), SHA-256 (4), applied count (1), applied at business time ms (1). */
    private static final int LONGS_PER_ENTRY = ID_LONGS + 4 + 2;

    private final long[] entries = new long[CAPACITY * LONGS_PER_ENTRY];
    private final Map<String, Integer> slots = new HashMap<>();
    private long count;

    /** A remembered batch. */
    public record Applied(String id, byte[] sha256, int applied, long businessTimeMs)
    {
    }

    /**
     * @return the batch applied under this id, or {@code null}.
     */
    public synchronized Applied find(final String id)
    {
        final Integer slot = slots.get(id);
        if (slot == null)
        {
            return null;
        }
        final int at = slot * LONGS_PER_ENTRY;
        final byte[] hash = new byte[32];
        for (int i = 0; i < 4; i++)
        {
            putLong(hash, i * 8, entries[at + ID_LONGS + i]);
        }
        return new Applied(id, hash, (int)entries[at + ID_LONGS + 4], entries[at + ID_LONGS + 5]);
    }

    /**
     * Remembers a batch, forgetting the oldest when full.
     */
    public synchronized void remember(final String id, final byte[] sha256, final int applied, final long businessTimeMs)
    {
        final int slot = (int)(count % CAPACITY);
        if (count >= CAPACITY)
        {
            slots.remove(idAt(slot));
        }
        final int at = slot * LONGS_PER_ENTRY;
        final byte[] idBytes = Arrays.copyOf(id.getBytes(StandardCharsets.US_ASCII), BatchId.MAX_LENGTH);
        for (int i = 0; i < ID_LONGS; i++)
        {
            entries[at + i] = getLong(idBytes, i * 8);
        }
        for (int i = 0; i < 4; i++)
        {
            entries[at + ID_LONGS + i] = getLong(sha256, i * 8);
        }
        entries[at + ID_LONGS + 4] = applied;
        entries[at + ID_LONGS + 5] = businessTimeMs;
        slots.put(id, slot);
        count++;
    }

    /**
     * @return batches ever remembered (the last {@link #CAPACITY} of them still are).
     */
    public synchronized long count()
    {
        return count;
    }

    /**
     * Saves or loads the memory for a snapshot.
     */
    public synchronized void visitState(final StateVisitor visitor)
    {
        count = visitor.scalar(count);
        visitor.longs(entries);
        slots.clear();
        final long held = Math.min(count, CAPACITY);
        for (int slot = 0; slot < held; slot++)
        {
            slots.put(idAt(slot), slot);
        }
    }

    private String idAt(final int slot)
    {
        final byte[] idBytes = new byte[BatchId.MAX_LENGTH];
        final int at = slot * LONGS_PER_ENTRY;
        for (int i = 0; i < ID_LONGS; i++)
        {
            putLong(idBytes, i * 8, entries[at + i]);
        }
        int length = 0;
        while (length < idBytes.length && idBytes[length] != 0)
        {
            length++;
        }
        return new String(idBytes, 0, length, StandardCharsets.US_ASCII);
    }

    private static long getLong(final byte[] bytes, final int at)
    {
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = (value << 8) | (bytes[at + i] & 0xFF);
        }
        return value;
    }

    private static void putLong(final byte[] bytes, final int at, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            bytes[at + i] = (byte)(value >>> (56 - i * 8));
        }
    }
}
