package org.unicard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Progress lines on an injected clock: the format, the throttling of plain and in-place lines,
 * silence for short work, and one closing line per task.
 */
class ProgressReporterTest
{
    private static final long SECOND_NS = 1_000_000_000L;

    private final StringWriter text = new StringWriter();
    private long nowNs = 1_000 * SECOND_NS;

    private ProgressReporter reporter(final boolean terminal)
    {
        return new ProgressReporter(new PrintWriter(text), terminal, () -> nowNs);
    }

    @Test
    void shouldFormatRatePercentageAndEta()
    {
        assertEquals("households 1200/42000 (2%) 600 households/s eta 1m08s",
            ProgressReporter.line("households", "households", 1_200, 42_000, 2 * SECOND_NS));
    }

    @Test
    void shouldFormatWithoutTotalAsCountAndRateOnly()
    {
        assertEquals("replay 300000 records 150000 records/s", ProgressReporter.line("replay", "records", 300_000, -1, 2 * SECOND_NS));
    }

    @Test
    void shouldFormatAFinishedTaskWithAZeroEta()
    {
        assertEquals("import cards.csv 10/10 (100%) 5 rows/s eta 0s", ProgressReporter.line("import cards.csv", "rows", 10, 10, 2 * SECOND_NS));
        assertEquals("replay 0/0 (100%) 0 records/s eta 0s", ProgressReporter.line("replay", "records", 0, 0, SECOND_NS));
    }

    @Test
    void shouldLeaveOutTheRateWhenNoTimeHasPassed()
    {
        assertEquals("replay 0/0 (100%)", ProgressReporter.line("replay", "records", 0, 0, 0));
        assertEquals("replay 12 records", ProgressReporter.line("replay", "records", 12, -1, 0));
    }

    @Test
    void shouldPrintATaskWhoseOnlyReportIsItsEndWithoutARateOnATerminal()
    {
        final ProgressReporter progress = reporter(true);
        progress.update("import terminals.csv", "rows", 9_833, 9_833);

        assertEquals("\r" + pad("import terminals.csv 9833/9833 (100%)") + "\n", text.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void shouldShowAnUnknownEtaBeforeAnythingIsDone()
    {
        assertEquals("settle 0/5 (0%) 0 records/s eta ?", ProgressReporter.line("settle", "records", 0, 5, SECOND_NS));
    }

    @Test
    void shouldFormatDurations()
    {
        assertEquals("1s", ProgressReporter.duration(0.2));
        assertEquals("59s", ProgressReporter.duration(59));
        assertEquals("1m00s", ProgressReporter.duration(60));
        assertEquals("59m59s", ProgressReporter.duration(3_599));
        assertEquals("1h00m", ProgressReporter.duration(3_600));
        assertEquals("27h46m", ProgressReporter.duration(100_000));
    }

    @Test
    void shouldStaySilentForShortWorkWhenNotATerminal()
    {
        final ProgressReporter progress = reporter(false);
        progress.update("households", "households", 10, 100);
        nowNs += SECOND_NS;
        progress.update("households", "households", 100, 100);

        assertEquals("", text.toString());
    }

    @Test
    void shouldPrintPlainLinesAtMostEveryFiveSecondsAndAClosingLine()
    {
        final ProgressReporter progress = reporter(false);
        progress.update("replay", "records", 0, 1_000);
        nowNs += 4 * SECOND_NS;
        progress.update("replay", "records", 400, 1_000);
        nowNs += SECOND_NS;
        progress.update("replay", "records", 500, 1_000);
        nowNs += SECOND_NS;
        progress.update("replay", "records", 600, 1_000);
        nowNs += 4 * SECOND_NS;
        progress.update("replay", "records", 1_000, 1_000);

        assertEquals(
            "replay 500/1000 (50%) 100 records/s eta 5s\n" +
            "replay 1000/1000 (100%) 100 records/s eta 0s\n",
            text.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void shouldRewriteOneLineInPlaceOnATerminalAndEndIt()
    {
        final ProgressReporter progress = reporter(true);
        progress.update("settle 2026-11-23", "records", 0, 100);
        nowNs += SECOND_NS / 4;
        progress.update("settle 2026-11-23", "records", 10, 100);
        nowNs += SECOND_NS / 4;
        progress.update("settle 2026-11-23", "records", 50, 100);
        nowNs += SECOND_NS / 2;
        progress.update("settle 2026-11-23", "records", 100, 100);

        assertEquals(
            "\r" + pad("settle 2026-11-23 50/100 (50%) 100 records/s eta 1s") +
            "\r" + pad("settle 2026-11-23 100/100 (100%) 100 records/s eta 0s") + "\n",
            text.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void shouldEndAnOpenLineWhenTheNextTaskBeginsAndRestartTheRate()
    {
        final ProgressReporter progress = reporter(true);
        progress.update("import households.csv", "rows", 0, 100);
        nowNs += SECOND_NS;
        progress.update("import households.csv", "rows", 50, 100);
        progress.update("import cards.csv", "rows", 0, 400);
        nowNs += SECOND_NS;
        progress.update("import cards.csv", "rows", 100, 400);

        assertEquals(
            "\r" + pad("import households.csv 50/100 (50%) 50 rows/s eta 1s") + "\n" +
            "\r" + pad("import cards.csv 100/400 (25%) 100 rows/s eta 3s"),
            text.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void shouldIgnoreReportsOfAFinishedTask()
    {
        final ProgressReporter progress = reporter(true);
        progress.update("settle", "records", 0, 10);
        nowNs += SECOND_NS;
        progress.update("settle", "records", 10, 10);
        progress.update("settle", "records", 10, 10);
        progress.finish("settle", "records", 10, 10);

        assertEquals("\r" + pad("settle 10/10 (100%) 10 records/s eta 0s") + "\n", text.toString().replace(System.lineSeparator(), "\n"));
    }

    private static String pad(final String line)
    {
        return String.format("%-79s", line);
    }
}
