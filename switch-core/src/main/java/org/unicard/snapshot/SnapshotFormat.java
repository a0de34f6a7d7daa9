package org.unicard.snapshot;

/**
 * Layout of a snapshot file, little-endian throughout:
 * <pre>
 *   header   magic "UNICSNAP" (8 bytes), format version (i32), zero (i32)
 *   section  "SECT" (i32), then CRC-32C-covered: section id (i32), payload;
 *            then "END!" (i32), bytes covered (i64), CRC-32C of those bytes (i32)
 *   ...      META, LINKS, HOUSEHOLDS, CARDS, AUTHORIZER, END, in that order; nothing after END
 * </pre>
 * A payload is a sequence of items: a scalar is {@code 'V'} then an i64; a column is its type
 * ({@code 'L'} i64, {@code 'I'} i32, {@code 'S'} i16, {@code 'B'} i8), an i32 element count, then
 * the elements raw. The loader knows the order of the items (it is the order the state classes'
 * {@code visitState} methods visit them in) and checks every tag and count.
 */
final class SnapshotFormat
{
    /** "UNICSNAP" read as a little-endian long. */
    static final long MAGIC = 0x50414E5343494E55L;
    /**
     * 4: the authorizer section ends with the change batches applied (spec §12); 5: the spend
     * ledger is one column of rows instead of five columns; 6: a duplicate-window index slot holds
     * its distance from its entry's home slot (a 2-bit tag, 3-bit distance, 27-bit entry instead of
     * a 4-bit tag and a 28-bit entry).
     */
    static final int VERSION = 6;
    /**
     * The oldest version this build still reads: 5 differs from 6 only in the duplicate window's
     * index, which is rebuilt from the window's entries on load.
     */
    static final int OLDEST_READABLE = 5;
    static final int HEADER_BYTES = 16;

    static final int SECTION_START = 0x54434553;
    static final int SECTION_END = 0x21444E45;

    static final int META = 1;
    static final int LINKS = 2;
    static final int HOUSEHOLDS = 3;
    static final int CARDS = 4;
    static final int AUTHORIZER = 5;
    static final int END = 6;

    static final byte TAG_SCALAR = 'V';
    static final byte TAG_LONGS = 'L';
    static final byte TAG_INTS = 'I';
    static final byte TAG_SHORTS = 'S';
    static final byte TAG_BYTES = 'B';

    static final String PREFIX = "snapshot-";
    static final String SUFFIX = ".usnap";
    static final String TEMPORARY_SUFFIX = ".tmp";

    private SnapshotFormat()
    {
    }

    static String sectionName(final int id)
    {
        return switch (id)
        {
            case META -> "META";
            case LINKS -> "LINKS";
            case HOUSEHOLDS -> "HOUSEHOLDS";
            case CARDS -> "CARDS";
            case AUTHORIZER -> "AUTHORIZER";
            case END -> "END";
            default -> "unknown(" + id + ")";
        };
    }

    /**
     * @param records journal records the snapshot includes.
     * @return its file name; names sort in the order the snapshots were taken.
     */
    static String fileName(final long records)
    {
        return PREFIX + String.format("%020d", records) + SUFFIX;
    }
}
