package org.unicard.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import org.unicard.authorizer.DuplicateWindow;
import org.unicard.authorizer.SpendLedger;
import org.unicard.config.SwitchSettings;
import org.unicard.importer.DataFiles;

/**
 * How much Java heap {@code serve} and {@code snapshot} need for a data set, estimated before
 * anything is imported: the one place that knows what the in-memory state costs. {@code bin/unicard}
 * asks it (through the hidden {@code estimate-heap} command) for the {@code -Xmx} to start the JVM
 * with when the user gave none, and {@code serve} and {@code snapshot} ask it again to refuse at once,
 * with the setting to use, when the heap they got is too small ({@link #check}).
 * <p>
 * <b>Rows</b> are estimated from the CSV files without reading them whole (6 GB nationally): a file
 * of up to {@link #SAMPLES} &times; {@link #SAMPLE_BYTES} bytes is counted exactly; a larger one
 * from the line ends in {@link #SAMPLES} samples spread evenly over it, first and last included,
 * plus {@link #ROW_MARGIN_PERCENT} per cent. That costs a few milliseconds and 4 MiB of reads per
 * file. A table holds the rows of its file plus the headroom for live changes ({@code changes.headroom-*},
 * spec §12; the importer counts the rows before it allocates).
 * <p>
 * <b>State bytes</b> follow the tables' constructors: cards and households one 64-byte record
 * each, their indexes open addressing at a power of two of at least twice the rows (so an index
 * costs 2 to 4 slots a row); the duplicate window and the spend ledger a power of two of at least
 * their configured capacity. {@code HeapEstimateTest} checks these figures against the arrays the
 * real tables allocate, so a layout change that forgets this class fails a test.
 * <p>
 * <b>Heap.</b> {@link #requiredBytes()} is the state, {@link #HEADROOM_PER_MILLE} per mille of it
 * (the humongous arrays' region rounding, fragmentation, the import's and replay's transient objects
 * that grow with the data) and {@link #MIN_WORKING_BYTES} (the ring's slots, import and replay
 * buffers, Netty and the rest): below it the start is refused, because it would run out of memory
 * part-way through the import. {@link #recommendedBytes()} adds {@link #WORKING_BYTES}, so young
 * collections have room, and is what the launcher gives {@code -Xmx}. The big arrays are G1
 * humongous objects that are never copied, so the headroom need not grow like the state; it is
 * kept small because heap the collector may fill counts against the machine's resident-memory
 * target. At national scale (docs/performance.md) the state is 6.0 GB with the default window, the
 * required heap 6.6 GB and the recommended 7.0 GB; the default heap of a 23 GiB machine (5.75 GiB)
 * died of {@code OutOfMemoryError} there, {@code -Xmx8g} did not.
 *
 * @param households      households estimated in {@code households.csv}.
 * @param cards           cards estimated in {@code cards.csv}.
 * @param terminals       terminals estimated in {@code terminals.csv}.
 * @param acquirers       acquirers estimated in {@code acquirers.csv} (0 without the file).
 * @param windowCapacity  {@code duplicate-window.capacity} as configured.
 * @param ledgerCapacity  {@code spend-ledger.capacity} as configured.
 * @param householdBytes  household records and id index.
 * @param cardBytes       card records and PAN index.
 * @param linkBytes       terminal and acquirer tables with their keys and names.
 * @param windowBytes     the duplicate window.
 * @param ledgerBytes     the spend ledger.
 */
public record HeapEstimate(
    long households,
    long cards,
    long terminals,
    long acquirers,
    int windowCapacity,
    int ledgerCapacity,
    long householdBytes,
    long cardBytes,
    long linkBytes,
    long windowBytes,
    long ledgerBytes)
{
    /** A card record: eight {@code long}s, one cache line ({@code CardTable.LONGS_PER_CARD}). */
    public static final long CARD_RECORD_BYTES = 64;
    /** A PAN-index slot: an {@code int} (card index + 1). */
    public static final long PAN_SLOT_BYTES = 4;
    /** A household record: eight {@code long}s ({@code HouseholdTable.LONGS_PER_HOUSEHOLD}). */
    public static final long HOUSEHOLD_RECORD_BYTES = 64;
    /** A slot of a {@code LongIntIndex} (household id, terminal id, acquirer id): a {@code long} key and an {@code int} value. */
    public static final long ID_SLOT_BYTES = 12;
    /**
     * A terminal without its index slot: id, type, governorate and status columns, four references,
     * the 15-byte merchant id, the two 16-byte keys and the name, each array or string with its
     * header (names of about 30 characters).
     */
    public static final long TERMINAL_BYTES = 224;
    /** An acquirer without its index slot: id, status, two references, its zone PIN key and name. */
    public static final long ACQUIRER_BYTES = 160;
    /** A terminal row kept free for live changes: its slots in the table's eight arrays (a long, five references, two bytes, a boolean). */
    public static final long SPARE_TERMINAL_BYTES = 8 + 5 * 4 + 3;
    /** An acquirer row kept free for live changes: a long, two references, a boolean. */
    public static final long SPARE_ACQUIRER_BYTES = 8 + 2 * 4 + 1;
    /** A duplicate-window entry: its key hash and packed reference, and two {@code int} index slots. */
    public static final long WINDOW_ENTRY_BYTES = DuplicateWindow.BYTES_PER_ENTRY;
    /**
     * The window's ring of recent requests' detail, whatever its capacity: per slot eight {@code long}
     * columns, two {@code int}, three {@code byte} and five balances of a {@code byte} and a
     * {@code long} (120 bytes), the headers of its fifteen arrays, and the per-source early-eviction times.
     */
    public static final long WINDOW_DETAIL_BYTES = DuplicateWindow.DETAIL_ENTRIES * 120L + 15 * 16 +
        DuplicateWindow.EVICTED_SOURCE_SLOTS * 8L + 16;
    /**
     * A spend-ledger slot: a row of four {@code long}s, the two keys, the month with its net and
     * the month before's net.
     */
    public static final long LEDGER_SLOT_BYTES = SpendLedger.ROW_LONGS * 8L;
    /** Element count before the first record of a card or household array ({@code CardTable.FIRST}). */
    static final long RECORD_ARRAY_PAD_LONGS = 6;
    /** An array's header (compressed class pointers). */
    static final long ARRAY_HEADER_BYTES = 16;

    /** Heap the process needs beyond its state and headroom to start at all: ring slots, import and replay buffers, Netty, metrics. */
    public static final long MIN_WORKING_BYTES = 192L << 20;
    /** Headroom in per mille of the state (1/16). */
    public static final long HEADROOM_PER_MILLE = 63;
    /** Heap given beyond the required size, so young collections have room while the import and replay allocate. */
    public static final long WORKING_BYTES = 320L << 20;
    /** The recommended heap is rounded up to a multiple of this. */
    public static final long ROUNDING_BYTES = 64L << 20;

    /** Samples read from a large file to estimate its rows. */
    public static final int SAMPLES = 64;
    /** Bytes per sample. */
    public static final int SAMPLE_BYTES = 64 << 10;
    /** Added to a sampled row estimate, in per cent. */
    public static final int ROW_MARGIN_PERCENT = 2;

    /**
     * @param dataDirectory the data set (spec §10); a missing file counts as empty (the import then reports it).
     * @param settings      the runtime settings: window and ledger capacities.
     * @return the estimate.
     * @throws IOException when a data file cannot be read.
     */
    public static HeapEstimate of(final Path dataDirectory, final SwitchSettings settings) throws IOException
    {
        return of(dataDirectory, settings, org.unicard.importer.Headroom.DEFAULT);
    }

    /**
     * @param headroom the room the tables keep for live changes (spec §12): each table is estimated at
     *                 its rows plus the headroom, as the importer allocates it.
     */
    public static HeapEstimate of(final Path dataDirectory, final SwitchSettings settings, final org.unicard.importer.Headroom headroom)
        throws IOException
    {
        final long households = headroom.capacity(estimateRows(dataDirectory.resolve(DataFiles.HOUSEHOLDS)), Integer.MAX_VALUE);
        final long terminals = estimateRows(dataDirectory.resolve(DataFiles.TERMINALS));
        final long acquirers = estimateRows(dataDirectory.resolve(DataFiles.ACQUIRERS));
        // The window is sized by the same function the recovery uses, from the household table's capacity.
        final HeapEstimate rows = of(
            households,
            headroom.capacity(estimateRows(dataDirectory.resolve(DataFiles.CARDS)), Integer.MAX_VALUE),
            terminals,
            acquirers,
            SwitchSettings.duplicateWindowCapacity(settings.duplicateWindowCapacity(), (int)Math.min(Integer.MAX_VALUE, households)),
            SwitchSettings.spendLedgerCapacity(settings.spendLedgerCapacity(), (int)Math.min(Integer.MAX_VALUE, households)));
        // Terminal and acquirer rows not yet used hold only their array slots (and index slots): the
        // objects of a row (names, keys, merchant ids) exist for the rows used.
        final long terminalCapacity = headroom.capacity(terminals, Integer.MAX_VALUE);
        final long acquirerCapacity = headroom.capacity(acquirers, Integer.MAX_VALUE);
        final long spareLinkBytes = (terminalCapacity - terminals) * SPARE_TERMINAL_BYTES + idIndexBytes(terminalCapacity) -
            idIndexBytes(terminals) + (acquirerCapacity - acquirers) * SPARE_ACQUIRER_BYTES + idIndexBytes(acquirerCapacity) -
            idIndexBytes(acquirers);
        return new HeapEstimate(rows.households(), rows.cards(), terminalCapacity, acquirerCapacity, rows.windowCapacity(),
            rows.ledgerCapacity(), rows.householdBytes(), rows.cardBytes(), rows.linkBytes() + spareLinkBytes, rows.windowBytes(),
            rows.ledgerBytes());
    }

    /**
     * @return the estimate for these row counts and capacities.
     */
    public static HeapEstimate of(
        final long households, final long cards, final long terminals, final long acquirers, final int windowCapacity, final int ledgerCapacity)
    {
        final long householdBytes = recordArrayBytes(households, HOUSEHOLD_RECORD_BYTES) + idIndexBytes(households);
        final long cardBytes = recordArrayBytes(cards, CARD_RECORD_BYTES) + ARRAY_HEADER_BYTES + indexSlots(cards) * PAN_SLOT_BYTES;
        final long linkBytes = terminals * TERMINAL_BYTES + idIndexBytes(terminals) + acquirers * ACQUIRER_BYTES + idIndexBytes(acquirers);
        final long windowBytes = (long)windowCapacity * WINDOW_ENTRY_BYTES + 3 * ARRAY_HEADER_BYTES + WINDOW_DETAIL_BYTES;
        final long ledgerBytes = powerOfTwoAtLeast(ledgerCapacity) * LEDGER_SLOT_BYTES;
        return new HeapEstimate(households, cards, terminals, acquirers, windowCapacity, ledgerCapacity,
            householdBytes, cardBytes, linkBytes, windowBytes, ledgerBytes);
    }

    /**
     * @return bytes of the in-memory state: tables, indexes, window and ledger.
     */
    public long stateBytes()
    {
        return householdBytes + cardBytes + linkBytes + windowBytes + ledgerBytes;
    }

    /**
     * @return the smallest heap the process can start with; below it the start is refused.
     */
    public long requiredBytes()
    {
        return stateBytes() + stateBytes() / 1000 * HEADROOM_PER_MILLE + MIN_WORKING_BYTES;
    }

    /**
     * @return the heap to start with: the required heap and working space, rounded up.
     */
    public long recommendedBytes()
    {
        final long bytes = requiredBytes() + WORKING_BYTES;
        return (bytes + ROUNDING_BYTES - 1) / ROUNDING_BYTES * ROUNDING_BYTES;
    }

    /**
     * @return the recommended heap as a JVM flag, e.g. {@code -Xmx8896m}.
     */
    public String recommendedFlag()
    {
        return "-Xmx" + (recommendedBytes() >> 20) + "m";
    }

    /**
     * @return the recommended heap in whole GiB as a JVM flag, e.g. {@code -Xmx9g}: what a person types.
     */
    public String recommendedFlagInGiB()
    {
        return "-Xmx" + ((recommendedBytes() + (1L << 30) - 1) >> 30) + "g";
    }

    /**
     * @return the figures as {@code key=value} pairs, for the log and error messages.
     */
    public String describe()
    {
        return String.format(Locale.ROOT,
            "households=%d cards=%d terminals=%d acquirers=%d duplicate-window.capacity=%d spend-ledger.capacity=%d state-mib=%d required-mib=%d recommended-mib=%d",
            households, cards, terminals, acquirers, windowCapacity, ledgerCapacity, stateBytes() >> 20, requiredBytes() >> 20,
            recommendedBytes() >> 20);
    }

    /**
     * Refuses a heap below {@link #requiredBytes()}, before anything is imported or loaded.
     *
     * @param maxHeapBytes the heap this process may use ({@link Runtime#maxMemory()}).
     * @throws HeapTooSmallException naming the heap, the estimate and the setting to use.
     */
    public void check(final long maxHeapBytes) throws HeapTooSmallException
    {
        if (maxHeapBytes < requiredBytes())
        {
            throw new HeapTooSmallException("max-heap-mib=" + (maxHeapBytes >> 20) + " reason=too small for this data set, " + describe() +
                ": set UNICARD_JAVA_OPTS=" + recommendedFlagInGiB() + " (or give no -Xmx at all: bin/unicard then sizes the heap itself)");
        }
    }

    /**
     * @param file a CSV file with a header row.
     * @return its data rows: exact for a small file, estimated from samples (and rounded up by the
     *         margin) for a large one; 0 when the file does not exist.
     * @throws IOException when it cannot be read.
     */
    public static long estimateRows(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            return 0;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size == 0)
            {
                return 0;
            }
            final ByteBuffer buffer = ByteBuffer.allocate(SAMPLE_BYTES);
            final boolean endsWithLineEnd = endsWithLineEnd(channel, size, buffer);
            if (size <= (long)SAMPLES * SAMPLE_BYTES)
            {
                long lines = 0;
                for (long position = 0; position < size; position += SAMPLE_BYTES)
                {
                    lines += lineEnds(channel, position, buffer);
                }
                return Math.max(0, lines + (endsWithLineEnd ? 0 : 1) - 1);
            }
            long sampledBytes = 0;
            long sampledLines = 0;
            final long step = (size - SAMPLE_BYTES) / (SAMPLES - 1);
            for (int i = 0; i < SAMPLES; i++)
            {
                sampledLines += lineEnds(channel, i * step, buffer);
                sampledBytes += SAMPLE_BYTES;
            }
            final long lines = (long)Math.ceil((double)size * Math.max(1, sampledLines) / sampledBytes);
            return Math.max(0, lines * (100 + ROW_MARGIN_PERCENT) / 100 - 1);
        }
    }

    private static boolean endsWithLineEnd(final FileChannel channel, final long size, final ByteBuffer buffer) throws IOException
    {
        buffer.clear().limit(1);
        channel.read(buffer, size - 1);
        return buffer.get(0) == '\n';
    }

    private static long lineEnds(final FileChannel channel, final long position, final ByteBuffer buffer) throws IOException
    {
        buffer.clear();
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer, position + buffer.position()) < 0)
            {
                break;
            }
        }
        long count = 0;
        final byte[] bytes = buffer.array();
        for (int i = 0, end = buffer.position(); i < end; i++)
        {
            if (bytes[i] == '\n')
            {
                count++;
            }
        }
        return count;
    }

    private static long recordArrayBytes(final long rows, final long recordBytes)
    {
        return ARRAY_HEADER_BYTES + RECORD_ARRAY_PAD_LONGS * Long.BYTES + rows * recordBytes;
    }

    /** Slots of an open-addressing index of {@code rows} entries: a power of two at least twice the rows, at least 16. */
    static long indexSlots(final long rows)
    {
        return Math.max(16, Long.highestOneBit(Math.max(1, rows) * 2 - 1) << 1);
    }

    private static long idIndexBytes(final long rows)
    {
        return 2 * ARRAY_HEADER_BYTES + indexSlots(rows) * ID_SLOT_BYTES;
    }

    /** The ledger's rounding of a configured capacity. */
    static long powerOfTwoAtLeast(final int capacity)
    {
        return Long.highestOneBit(Math.max(1, (long)capacity) * 2 - 1);
    }

    /**
     * The heap is below what the data set needs; the message names the setting to use.
     */
    public static final class HeapTooSmallException extends Exception
    {
        private static final long serialVersionUID = 1L;

        HeapTooSmallException(final String message)
        {
            super(message);
        }
    }
}
