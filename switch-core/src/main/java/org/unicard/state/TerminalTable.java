package org.unicard.state;

/**
 * Registered terminals (bakeries, grocers, health providers, post offices), indexed densely from
 * 0, with an index from the terminal id as it travels in field 41: eight ASCII characters,
 * space-padded on the right, read as one big-endian {@code long} (see {@link #packTerminalId}).
 * Changed after import only by a live change batch (spec §12), which is applied while every ring
 * stage waits between two requests, so every ring stage may read it.
 */
public final class TerminalTable
{
    /** Length of a terminal id (field 41). */
    public static final int TERMINAL_ID_LENGTH = 8;
    /** Length of a merchant id (field 42). */
    public static final int MERCHANT_ID_LENGTH = 15;

    private final LongIntIndex indexById;
    private int size;

    /** Field 41 as a big-endian {@code long}. */
    public final long[] terminalId;
    /** Field 42 as 15 ASCII bytes, space-padded on the right. */
    public final byte[][] merchantId;
    public final byte[] type;
    public final byte[] governorate;
    public final String[] name;
    /** Clear terminal PIN key (double-length TDES), or {@code null}: no PIN entry. */
    public final byte[][] pinKey;
    /** Clear terminal MAC key (double-length TDES), or {@code null}: no MAC. */
    public final byte[][] macKey;
    public final boolean[] active;

    public TerminalTable(final int capacity)
    {
        indexById = new LongIntIndex(capacity);
        terminalId = new long[capacity];
        merchantId = new byte[capacity][];
        type = new byte[capacity];
        governorate = new byte[capacity];
        name = new String[capacity];
        pinKey = new byte[capacity][];
        macKey = new byte[capacity][];
        active = new boolean[capacity];
    }

    /**
     * Adds an imported terminal.
     *
     * @return its dense index, or -1 when the terminal id is already present.
     */
    public int add(
        final String id,
        final String merchant,
        final byte terminalType,
        final int governorateCode,
        final String terminalName,
        final byte[] clearPinKey,
        final byte[] clearMacKey,
        final boolean isActive)
    {
        if (size == terminalId.length)
        {
            throw new IllegalStateException("terminal table full: capacity=" + terminalId.length);
        }
        final int index = size;
        final long packed = packTerminalId(id);
        if (!indexById.putIfAbsent(packed, index))
        {
            return -1;
        }
        terminalId[index] = packed;
        merchantId[index] = padAscii(merchant, MERCHANT_ID_LENGTH);
        type[index] = terminalType;
        governorate[index] = (byte)governorateCode;
        name[index] = terminalName;
        pinKey[index] = clearPinKey;
        macKey[index] = clearMacKey;
        active[index] = isActive;
        size++;
        return index;
    }

    /**
     * @param packedId field 41 as a big-endian long.
     * @return the terminal's dense index, or -1.
     */
    public int indexOf(final long packedId)
    {
        return indexById.get(packedId);
    }

    /**
     * Changes an existing terminal (a live change, spec §12: keys rotated, deactivated), applied
     * while no ring stage reads the table.
     */
    public void update(
        final int index,
        final String merchant,
        final byte terminalType,
        final int governorateCode,
        final String terminalName,
        final byte[] clearPinKey,
        final byte[] clearMacKey,
        final boolean isActive)
    {
        merchantId[index] = padAscii(merchant, MERCHANT_ID_LENGTH);
        type[index] = terminalType;
        governorate[index] = (byte)governorateCode;
        name[index] = terminalName;
        pinKey[index] = clearPinKey;
        macKey[index] = clearMacKey;
        active[index] = isActive;
    }

    public int size()
    {
        return size;
    }

    public int capacity()
    {
        return terminalId.length;
    }

    /**
     * @param id a terminal id of 1 to 8 ASCII characters.
     * @return the id space-padded to 8 characters and read as a big-endian long, as field 41
     * carries it on the wire.
     */
    public static long packTerminalId(final CharSequence id)
    {
        if (id.isEmpty() || id.length() > TERMINAL_ID_LENGTH)
        {
            throw new IllegalArgumentException("terminal id length=" + id.length() + " range=[1,8]");
        }
        long packed = 0;
        for (int i = 0; i < TERMINAL_ID_LENGTH; i++)
        {
            final int c = i < id.length() ? id.charAt(i) : ' ';
            if (c < 0x20 || c > 0x7E)
            {
                throw new IllegalArgumentException("terminal id has a non-printable or non-ASCII character at index=" + i);
            }
            packed = (packed << 8) | c;
        }
        return packed;
    }

    /**
     * @param packed a packed terminal id.
     * @return the id as text, trailing spaces removed.
     */
    public static String unpackTerminalId(final long packed)
    {
        final StringBuilder id = new StringBuilder(TERMINAL_ID_LENGTH);
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            id.append((char)((packed >>> shift) & 0xFF));
        }
        return id.toString().stripTrailing();
    }

    static byte[] padAscii(final String value, final int length)
    {
        if (value.length() > length)
        {
            throw new IllegalArgumentException("value length=" + value.length() + " max=" + length);
        }
        final byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte)' ');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E)
            {
                throw new IllegalArgumentException("non-printable or non-ASCII character at index=" + i);
            }
            bytes[i] = (byte)c;
        }
        return bytes;
    }
}
