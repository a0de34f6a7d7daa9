package org.unicard.benchmarks.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import picocli.CommandLine;

/**
 * The replay-limits program reads every record of a journal in each of its passes and reports a
 * figure per pass and per memory measure; bad options get exit code 2.
 */
class ReplayLimitsCommandTest
{
    @TempDir
    Path directory;

    private static String run(final String... args)
    {
        final StringWriter text = new StringWriter();
        final CommandLine line = new CommandLine(new ReplayLimitsCommand());
        line.setOut(new PrintWriter(text));
        final int exit = line.execute(args);
        return exit + "\n" + text;
    }

    @Test
    void shouldReadEveryRecordAndReportEachPassAndTheMemory()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final JournalRecord record = new JournalRecord();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
            for (int i = 0; i < 1_000; i++)
            {
                journal.append(buffer, record.encodeGenesis(buffer, 1_000L * i, 42));
            }
        }
        final String output = run("--journal", directory.toString(), "--mb", "8", "--reads", "100000", "--rounds", "3");

        assertTrue(output.startsWith("0\n"), output);
        final Matcher journalLine = Pattern.compile(
            "journal: records=(\\d+) read=\\d+ ns/record read\\+crc=\\d+ ns/record read\\+crc\\+decode=\\d+ ns/record").matcher(output);
        assertTrue(journalLine.find(), output);
        assertEquals("1000", journalLine.group(1));
        assertTrue(Pattern.compile("memory: array=8 MiB dependent random read=\\d+ ns independent random reads=[0-9.]+ M/s")
            .matcher(output).find(), output);
    }

    @Test
    void shouldRefuseBadOptions()
    {
        assertTrue(run("--rounds", "0", "--mb", "0").startsWith("2\n"));
        assertTrue(run("--mb", "20000").startsWith("2\n"));
    }

    @Test
    void shouldTakeTheMedianOfTheRounds()
    {
        assertEquals(2.0, ReplayLimitsCommand.median(new double[] {9, 1, 2}));
        assertEquals(2.5, ReplayLimitsCommand.median(new double[] {4, 1, 2, 3}));
    }
}
