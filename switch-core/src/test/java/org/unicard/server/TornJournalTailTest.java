package org.unicard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.bread;
import static org.unicard.server.JposTerminal.request;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch at start-up cuts a torn last journal record (as a kill -9 while the journal stage
 * appended it leaves one: an incomplete Chronicle header and part of the record), says so in one
 * WARN line, keeps every whole record (a retransmission gets its original answer, balances exact),
 * and journals on after it across another restart.
 */
class TornJournalTailTest
{
    private static final int TORN_DATA_BYTES = 120;

    @TempDir
    Path directory;

    @Test
    void shouldCutATornLastRecordAtStartAndKeepEveryWholeOne() throws Exception
    {
        WireData.write(directory);
        final ISOMsg second;
        try (UnicardSwitch unicard = start(); JposTerminal terminal = new JposTerminal(unicard.terminalPort()))
        {
            assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 1)).getString(39));
            second = terminal.exchange(bread(WireData.HEAD, 2, 2));
            assertEquals("00", second.getString(39));
        }
        final Path journal = directory.resolve("journal");
        tearAfterTheLastRecord(journal);

        final String log = capturingStandardError(() ->
        {
            try (UnicardSwitch unicard = start(); JposTerminal terminal = new JposTerminal(unicard.terminalPort()))
            {
                final ISOMsg again = terminal.exchange(bread(WireData.HEAD, 2, 2));
                assertEquals("00", again.getString(39));
                assertEquals(second.getString(38), again.getString(38));
                assertEquals(second.getString(37), again.getString(37));
                assertEquals(7, breadLeft(terminal, 30));
                assertEquals("00", terminal.exchange(bread(WireData.HEAD, 3, 3)).getString(39));
            }
        });
        assertTrue(log.contains("WARN ChronicleJournal - event=journal-torn-tail-cut journal=" + journal + " "), log);
        assertTrue(log.contains("reason=incomplete excerpt header=80000000"), log);

        final String nextLog = capturingStandardError(() ->
        {
            try (UnicardSwitch unicard = start(); JposTerminal terminal = new JposTerminal(unicard.terminalPort()))
            {
                assertEquals(4, breadLeft(terminal, 31));
            }
        });
        assertFalse(nextLog.contains("journal-torn-tail-cut"), nextLog);
    }

    private static UnicardSwitch start(final Path directory) throws Exception
    {
        return UnicardSwitch.start(new SwitchOptions(directory, null, null, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null));
    }

    private UnicardSwitch start() throws Exception
    {
        return start(directory);
    }

    private static long breadLeft(final JposTerminal terminal, final int stan) throws Exception
    {
        final ISOMsg inquiry = terminal.exchange(
            request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "310000", -1, null, stan));
        assertEquals("00", inquiry.getString(39));
        final String balances = inquiry.getString(54);
        final int bread = balances.indexOf("9202999C");
        assertTrue(bread >= 0, balances);
        return Long.parseLong(balances.substring(bread + 8, bread + 20));
    }

    /**
     * Writes what a kill -9 in the middle of an append leaves: Chronicle's "not complete, length
     * unknown" header, then the first bytes of a record (here a copy of the last one's).
     */
    private static void tearAfterTheLastRecord(final Path journal) throws Exception
    {
        long end = -1;
        final byte[] partial = new byte[TORN_DATA_BYTES];
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(journal.toFile()).rollCycle(LegacyRollCycles.DAILY).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    end = context.wire().bytes().readLimit();
                    context.wire().bytes().read(partial, 0, (int)Math.min(partial.length, context.wire().bytes().readRemaining()));
                }
            }
        }
        assertTrue(end > 0);
        final Path file;
        try (Stream<Path> files = Files.list(journal))
        {
            file = files.filter(p -> p.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(end);
            raf.write(new byte[]{0, 0, 0, (byte)0x80});
            raf.write(partial);
        }
    }

    private static String capturingStandardError(final ThrowingRunnable body) throws Exception
    {
        final PrintStream original = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            body.run();
        }
        finally
        {
            System.setErr(original);
        }
        final String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    @FunctionalInterface
    private interface ThrowingRunnable
    {
        void run() throws Exception;
    }
}
