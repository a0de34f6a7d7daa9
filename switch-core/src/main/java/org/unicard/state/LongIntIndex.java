package org.unicard.state;

import java.util.Arrays;

/**
 * An open-addressing map from a non-zero {@code long} key to a non-negative {@code int} value,
 * with linear probing over two parallel primitive arrays. Lookups allocate nothing. Capacity is
 * fixed at construction (a power of two at least twice the expected entries), so the table never
 * rehashes while the switch runs; inserting beyond {@link #maxEntries()} is a programmer error.
 */
public final class LongIntIndex
{
    /** Returned by {@link #get(long)} when the key is absent. */
    public static final int MISSING = -1;

    private static final long EMPTY_KEY = 0L;

    private final long[] keys;
    private final int[] values;
    private final int mask;
    private final int maxEntries;
    private int size;

    /**
     * @param expectedEntries how many keys the index must hold; the table is sized for a load
     *                        factor of at most one half.
     */
    public LongIntIndex(final int expectedEntries)
    {
        if (expectedEntries < 0 || expectedEntries > (1 << 29))
        {
            throw new IllegalArgumentException("expectedEntries=" + expectedEntries + " range=[0," + (1 << 29) + "]");
        }
        final int capacity = Math.max(16, Integer.highestOneBit(Math.max(1, expectedEntries) * 2 - 1) << 1);
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
        maxEntries = Math.max(expectedEntries, capacity / 2);
    }

    /**
     * @param key a non-zero key.
     * @return the value stored for the key, or {@link #MISSING}.
     */
    public int get(final long key)
    {
        int slot = slot(key);
        long existing;
        while ((existing = keys[slot]) != EMPTY_KEY)
        {
            if (existing == key)
            {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return MISSING;
    }

    /**
     * Adds a key that must not be present yet.
     *
     * @param key   a non-zero key.
     * @param value a non-negative value.
     * @return {@code true} when added, {@code false} when the key was already present (the
     * stored value is left as it was).
     */
    public boolean putIfAbsent(final long key, final int value)
    {
        if (key == EMPTY_KEY || value < 0)
        {
            throw new IllegalArgumentException("key=" + key + " value=" + value + " (key must be non-zero, value >= 0)");
        }
        int slot = slot(key);
        long existing;
        while ((existing = keys[slot]) != EMPTY_KEY)
        {
            if (existing == key)
            {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        if (size >= maxEntries)
        {
            throw new IllegalStateException("index full: size=" + size + " maxEntries=" + maxEntries);
        }
        keys[slot] = key;
        values[slot] = value;
        size++;
        return true;
    }

    /**
     * @param key a key.
     * @return the key stored in its home slot (a read that brings the slot into the cache).
     */
    public long probe(final long key)
    {
        return keys[slot(key)];
    }

    public int size()
    {
        return size;
    }

    public int maxEntries()
    {
        return maxEntries;
    }

    /** Removes every key. */
    public void clear()
    {
        Arrays.fill(keys, EMPTY_KEY);
        size = 0;
    }

    /**
     * Saves or loads the raw table (keys, values, size), so a loaded index needs no rebuild. The
     * index must have been built with the same expected entries as the saved one.
     *
     * @param visitor copies the columns out or fills them in.
     */
    public void visitState(final StateVisitor visitor)
    {
        visitor.longs(keys);
        visitor.ints(values);
        size = (int)visitor.scalar(size);
    }

    private int slot(final long key)
    {
        final long mixed = key * 0x9E3779B97F4A7C15L;
        return (int)(mixed ^ (mixed >>> 32)) & mask;
    }
}
