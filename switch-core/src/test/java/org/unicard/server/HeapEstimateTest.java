package org.unicard.server;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.DuplicateWindow;
import org.unicard.authorizer.SpendLedger;
import org.unicard.context.SwitchContext;
import org.unicard.generate.DataSetGenerator;
import org.unicard.generate.GenerationListener;
import org.unicard.importer.DataFiles;
import org.unicard.importer.DataSetImporter;
import org.unicard.security.Hex;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap estimate against what the real tables allocate: the arrays (and the strings of the
 * terminal and acquirer tables) reachable from an imported data set, a duplicate window and a
 * spend ledger, sized by the same rules as the JVM lays them out (16-byte array headers, 4-byte
 * references, 8-byte alignment). A table whose layout changes without {@link HeapEstimate}
 * following it fails here.
 * <p>
 * Margins: the card and household parts are never below the real arrays and at most
 * {@link #SAMPLED_MARGIN} above them (rows of a large file are estimated from samples, plus 2 %);
 * the terminal and acquirer part, a per-row constant, within {@link #LINKS_MARGIN}; the window and
 * ledger exactly, up to array headers.
 */
class HeapEstimateTest
{
    /** A data set whose cards.csv (about 5 MB) is larger than the 4 MiB read exactly, so its rows are sampled. */
    private static final int HOUSEHOLDS = 20_000;
    private static final double SAMPLED_MARGIN = 0.04;
    private static final double LINKS_MARGIN = 0.25;
    private static final TdesKey LMK = TdesKey.of(Hex.parseKey("0123456789ABCDEFFEDCBA9876543210"));

    @TempDir
    static Path shared;

    private static Path directory;
    private static DataSet data;

    @BeforeAll
    static void generateAndImport() throws Exception
    {
        directory = shared.resolve("set");
        new DataSetGenerator(HOUSEHOLDS, 3, 3, 2).generate(directory, LMK, GenerationListener.NONE);
        data = DataSetImporter.load(directory, LMK);
    }

    @Test
    void shouldSampleTheRowsOfALargeFileAndCountASmallOneExactly() throws Exception
    {
        final long cardsFileBytes = Files.size(directory.resolve(DataFiles.CARDS));
        assertTrue(cardsFileBytes > (long)HeapEstimate.SAMPLES * HeapEstimate.SAMPLE_BYTES, "cards.csv must be sampled: " + cardsFileBytes);
        final long cards = HeapEstimate.estimateRows(directory.resolve(DataFiles.CARDS));
        assertTrue(cards >= data.cards().size() && cards <= data.cards().size() * 1.03,
            "estimated=" + cards + " real=" + data.cards().size());
        assertEquals(data.households().size(), HeapEstimate.estimateRows(directory.resolve(DataFiles.HOUSEHOLDS)));
        assertEquals(data.terminals().size(), HeapEstimate.estimateRows(directory.resolve(DataFiles.TERMINALS)));
        assertEquals(0, HeapEstimate.estimateRows(directory.resolve("no-such.csv")));
    }

    @Test
    void shouldCountTheLastRowWithoutALineEnd() throws Exception
    {
        final Path file = shared.resolve("two-rows.csv");
        Files.writeString(file, "a,b\n1,2\n3,4", StandardCharsets.UTF_8);
        assertEquals(2, HeapEstimate.estimateRows(file));
        Files.writeString(file, "a,b\n", StandardCharsets.UTF_8);
        assertEquals(0, HeapEstimate.estimateRows(file));
    }

    @Test
    void shouldEstimateTheRealTablesOfAGeneratedDataSetWithinTheStatedMargins() throws Exception
    {
        final HeapEstimate estimate = new SwitchContext().dataDirectory(directory).conclude().heapEstimate();

        final long households = ArrayBytes.of(data.households());
        final long cards = ArrayBytes.of(data.cards());
        final long links = ArrayBytes.of(data.terminals()) + ArrayBytes.of(data.acquirers());
        assertWithin(households, 0, estimate.householdBytes(), "households");
        assertWithin(cards, SAMPLED_MARGIN, estimate.cardBytes(), "cards");
        assertTrue(Math.abs(estimate.linkBytes() - links) <= links * LINKS_MARGIN, "links estimated=" + estimate.linkBytes() + " real=" + links);
    }

    @Test
    void shouldEstimateTheWindowAndLedgerAsTheirClassesAllocateThem()
    {
        for (final int capacity : new int[] {1000, 4096, 1 << 20})
        {
            final HeapEstimate estimate = HeapEstimate.of(0, 0, 0, 0, capacity, capacity);
            final long window = ArrayBytes.of(new DuplicateWindow(capacity));
            final long ledger = ArrayBytes.of(new SpendLedger(capacity));
            assertTrue(Math.abs(estimate.windowBytes() - window) <= 1024,
                "capacity=" + capacity + " window estimated=" + estimate.windowBytes() + " real=" + window +
                    ": update HeapEstimate.WINDOW_ENTRY_BYTES to the window's layout");
            assertTrue(Math.abs(estimate.ledgerBytes() - ledger) <= 1024,
                "capacity=" + capacity + " ledger estimated=" + estimate.ledgerBytes() + " real=" + ledger);
        }
    }

    @Test
    void shouldRefuseAHeapBelowTheRequiredSizeNamingTheSettingToUse()
    {
        final HeapEstimate estimate = HeapEstimate.of(23_000_000, 46_559_534, 226_167, 3, 1_048_576, 1_048_576);
        final var refused = assertThrows(HeapEstimate.HeapTooSmallException.class, () -> estimate.check(6L << 30));
        assertTrue(refused.getMessage().contains("max-heap-mib=6144 "), refused.getMessage());
        assertTrue(refused.getMessage().contains("set UNICARD_JAVA_OPTS=-Xmx7g"), refused.getMessage());
        assertTrue(refused.getMessage().contains("households=23000000 cards=46559534"), refused.getMessage());
        assertDoesNotThrow(estimate, estimate.requiredBytes());
        assertTrue(estimate.recommendedBytes() >= estimate.requiredBytes());
    }

    @Test
    void shouldEstimateTheNationalDataSetAsTheMeasuredTables()
    {
        // docs/performance.md, "National scale": cards 3.5 GB, households 2.3 GB; the window sized from
        // the data set (73.6 M entries of 24 bytes) and the ledger 1.81 GB.
        final int window = org.unicard.config.SwitchSettings.duplicateWindowCapacity(org.unicard.config.SwitchSettings.AUTO, 23_000_000);
        final HeapEstimate estimate = HeapEstimate.of(23_000_000, 46_559_534, 226_167, 3, window, 1_048_576);
        assertEquals(3.52, estimate.cardBytes() / 1e9, 0.02);
        assertEquals(2.28, estimate.householdBytes() / 1e9, 0.02);
        assertEquals(1.81, (estimate.windowBytes() + estimate.ledgerBytes()) / 1e9, 0.01);
    }

    private static void assertDoesNotThrow(final HeapEstimate estimate, final long maxHeap)
    {
        try
        {
            estimate.check(maxHeap);
        }
        catch (final HeapEstimate.HeapTooSmallException ex)
        {
            throw new AssertionError("refused at the required size: " + ex.getMessage(), ex);
        }
    }

    private static void assertWithin(final long real, final double margin, final long estimated, final String what)
    {
        assertTrue(estimated >= real && estimated <= real * (1 + margin),
            what + " estimated=" + estimated + " real=" + real + " margin=" + margin);
    }

    /**
     * Bytes of the arrays and strings reachable from an object through fields of the project's own
     * classes, each counted once, as HotSpot lays them out with compressed references.
     */
    static final class ArrayBytes
    {
        private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        private long bytes;

        static long of(final Object root)
        {
            final ArrayBytes walk = new ArrayBytes();
            walk.visit(root);
            return walk.bytes;
        }

        private void visit(final Object object)
        {
            if (object == null || !seen.add(object))
            {
                return;
            }
            final Class<?> type = object.getClass();
            if (type.isArray())
            {
                final int length = Array.getLength(object);
                final Class<?> element = type.getComponentType();
                bytes += align(16 + (long)length * elementBytes(element));
                if (!element.isPrimitive())
                {
                    for (int i = 0; i < length; i++)
                    {
                        visit(Array.get(object, i));
                    }
                }
            }
            else if (object instanceof String text)
            {
                bytes += 24 + align(16 + text.getBytes(StandardCharsets.UTF_8).length);
            }
            else if (type.getName().startsWith("org.unicard."))
            {
                for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass())
                {
                    for (final Field field : c.getDeclaredFields())
                    {
                        if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive())
                        {
                            field.setAccessible(true);
                            try
                            {
                                visit(field.get(object));
                            }
                            catch (final IllegalAccessException ex)
                            {
                                throw new IllegalStateException(ex);
                            }
                        }
                    }
                }
            }
        }

        private static long elementBytes(final Class<?> element)
        {
            if (!element.isPrimitive())
            {
                return 4;
            }
            if (element == long.class || element == double.class)
            {
                return 8;
            }
            if (element == int.class || element == float.class)
            {
                return 4;
            }
            if (element == short.class || element == char.class)
            {
                return 2;
            }
            return 1;
        }

        private static long align(final long size)
        {
            return (size + 7) & ~7L;
        }
    }
}
