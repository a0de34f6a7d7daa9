package org.unicard.state;

/**
 * Acquirer hosts (banks, the post) that route payments over acquirer links, indexed densely from
 * 0, with an index from the acquiring institution id of field 32. Changed after import only by a live
 * change batch (spec §12), applied while every ring stage waits between two requests.
 */
public final class AcquirerTable
{
    /** Most digits of an acquirer id (field 32 is LLNUM 11). */
    public static final int MAX_ID_DIGITS = 11;

    private final LongIntIndex indexById;
    private int size;

    public final long[] acquirerId;
    public final String[] name;
    /** Clear zone PIN key (double-length TDES), or {@code null}: PIN blocks cannot be accepted. */
    public final byte[][] zonePinKey;
    public final boolean[] active;

    public AcquirerTable(final int capacity)
    {
        indexById = new LongIntIndex(capacity);
        acquirerId = new long[capacity];
        name = new String[capacity];
        zonePinKey = new byte[capacity][];
        active = new boolean[capacity];
    }

    /**
     * Adds an imported acquirer.
     *
     * @return its dense index, or -1 when the id is already present.
     */
    public int add(final long id, final String acquirerName, final byte[] clearZonePinKey, final boolean isActive)
    {
        if (size == acquirerId.length)
        {
            throw new IllegalStateException("acquirer table full: capacity=" + acquirerId.length);
        }
        final int index = size;
        // Acquirer ids are stored plus one so that id 0 is a valid key of the index.
        if (!indexById.putIfAbsent(id + 1, index))
        {
            return -1;
        }
        acquirerId[index] = id;
        name[index] = acquirerName;
        zonePinKey[index] = clearZonePinKey;
        active[index] = isActive;
        size++;
        return index;
    }

    /**
     * @param id an acquiring institution id.
     * @return its dense index, or -1.
     */
    public int indexOf(final long id)
    {
        return id < 0 ? -1 : indexById.get(id + 1);
    }

    /**
     * Changes an existing acquirer (a live change, spec §12), applied while no ring stage reads the table.
     */
    public void update(final int index, final String acquirerName, final byte[] clearZonePinKey, final boolean isActive)
    {
        name[index] = acquirerName;
        zonePinKey[index] = clearZonePinKey;
        active[index] = isActive;
    }

    public int size()
    {
        return size;
    }

    public int capacity()
    {
        return acquirerId.length;
    }
}
