package org.unicard.settlement;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.cli.UnicardMain;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import org.unicard.server.JposTerminal;
import org.unicard.server.SwitchOptions;
import org.unicard.server.UnicardSwitch;
import org.unicard.server.WireData;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/unicard settle} through {@link UnicardMain#commandLine()}: the CSV on standard output
 * or in a file, and the exit codes of a bad date (2), a missing journal and a damaged record (1).
 */
class SettleCommandTest
{
    private static final String HEADER = "date,terminal_id,acquirer_id,program,unit,purchases_count,purchases_total,returns_count," +
        "returns_total,reversals_count,reversals_total,net_total";

    @TempDir
    Path directory;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path journal;

    @BeforeEach
    void journalOfOneMorning() throws Exception
    {
        WireData.write(directory);
        try (UnicardSwitch unicard = UnicardSwitch.start(
            new SwitchOptions(directory, null, null, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null));
            JposTerminal terminal = new JposTerminal(unicard.terminalPort()))
        {
            assertEquals("00", terminal.exchange(bread(4, 1)).getString(39));
            assertEquals("00", terminal.exchange(bread(3, 2)).getString(39));
            assertEquals("00", terminal.exchange(bread(3, 2)).getString(39));
            assertEquals("51", terminal.exchange(bread(9, 3)).getString(39));
            final ISOMsg reversal = bread(3, 4);
            reversal.setMTI("0400");
            reversal.set(90, "0200" + "000002" + "1123070000" + "0".repeat(22));
            assertEquals("00", terminal.exchange(reversal).getString(39));
            journal = unicard.journalDirectory();
        }
    }

    @Test
    void shouldWriteTheDaysCsvToStandardOutput()
    {
        final int exit = execute("settle", "--journal", journal.toString(), "--date", "2026-11-23");

        assertEquals(0, exit, err.toString());
        assertEquals(HEADER + "\n" + "2026-11-23,B0000001,,bread,loaves,2,7,0,0,1,3,4\n", out.toString());
        assertTrue(err.toString().contains("1 lines"), err.toString());
    }

    @Test
    void shouldWriteOnlyTheHeaderForADayWithoutTraffic()
    {
        assertEquals(0, execute("settle", "--journal", journal.toString(), "--date", "2026-11-22"));
        assertEquals(HEADER + "\n", out.toString());
    }

    @Test
    void shouldWriteTheCsvToAFile() throws Exception
    {
        final Path csv = directory.resolve("settlement-2026-11-23.csv");

        assertEquals(0, execute("settle", "--journal", journal.toString(), "--date", "2026-11-23", "--out", csv.toString()));
        assertEquals(HEADER + "\n" + "2026-11-23,B0000001,,bread,loaves,2,7,0,0,1,3,4\n",
            Files.readString(csv, StandardCharsets.UTF_8));
        assertEquals("", out.toString());
    }

    @Test
    void shouldExitTwoForABadDate()
    {
        assertEquals(2, execute("settle", "--journal", journal.toString(), "--date", "23/11/2026"));
        assertTrue(err.toString().contains("--date: expected YYYY-MM-DD, got 23/11/2026"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void shouldExitTwoWithoutADate()
    {
        assertEquals(2, execute("settle", "--journal", journal.toString()));
        assertTrue(err.toString().contains("--date"), err.toString());
    }

    @Test
    void shouldExitOneForAMissingJournal()
    {
        final Path missing = directory.resolve("no-such-journal");

        assertEquals(1, execute("settle", "--journal", missing.toString(), "--date", "2026-11-23"));
        assertTrue(err.toString().contains("journal=" + missing + " reason=not a directory"), err.toString());
        assertEquals("", out.toString());
        assertTrue(!Files.exists(missing), "settle must not create a journal");
    }

    @Test
    void shouldExitOneNamingADamagedRecord()
    {
        try (ChronicleJournal opened = ChronicleJournal.open(journal))
        {
            final UnsafeBuffer junk = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
            junk.setMemory(0, 64, (byte)0x5A);
            opened.append(junk, 64);
        }

        assertEquals(1, execute("settle", "--journal", journal.toString(), "--date", "2026-11-23"));
        assertTrue(err.toString().startsWith("unicard settle: journal=" + journal), err.toString());
        assertTrue(err.toString().contains("reason=damaged record"), err.toString());
        assertEquals("", out.toString());
    }

    private int execute(final String... args)
    {
        final CommandLine commandLine = UnicardMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static ISOMsg bread(final long loaves, final int stan) throws Exception
    {
        return JposTerminal.request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "009200", loaves, "999", stan);
    }
}
