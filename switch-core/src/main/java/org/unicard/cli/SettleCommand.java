package org.unicard.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

import org.unicard.context.SwitchContext;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalException;
import org.unicard.settlement.SettlementReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard settle}: the settlement CSV of one Cairo business day, read from the journal.
 * It opens the journal read-only, so it runs beside the switch that writes it and changes nothing.
 */
@Command(name = "settle", mixinStandardHelpOptions = true,
    description = "Per terminal and program: approved purchases, returns, reversals and the net of one day, as CSV.")
public final class SettleCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--journal", required = true, paramLabel = "DIR", description = "The switch's journal directory.")
    private Path journal;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The Cairo business day to settle.")
    private String date;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the CSV here instead of standard output.")
    private Path out;

    @Override
    public Integer call() throws Exception
    {
        final LocalDate day;
        try
        {
            day = LocalDate.parse(date);
        }
        catch (final DateTimeParseException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--date: expected YYYY-MM-DD, got " + date);
        }
        final long started = System.nanoTime();
        final SettlementReport report;
        try (ChronicleJournal opened = new SwitchContext().journalDirectory(journal).openJournalReadOnly())
        {
            final ProgressReporter progress = ProgressReporter.forConsole(spec.commandLine().getErr());
            final String task = "settle " + day;
            final long total = opened.records();
            report = SettlementReport.of(opened, day, records -> progress.update(task, "records", records, total));
            progress.finish(task, "records", report.recordsRead(), total);
        }
        catch (final JournalException ex)
        {
            spec.commandLine().getErr().println("unicard settle: " + ex.getMessage());
            return 1;
        }
        if (out == null)
        {
            // Standard output belongs to the caller: write to it, flush, and leave it open.
            final PrintWriter stdout = spec.commandLine().getOut();
            report.writeCsv(stdout);
            stdout.flush();
        }
        else
        {
            try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8))
            {
                report.writeCsv(writer);
            }
        }
        spec.commandLine().getErr().printf("settle: %s: %,d lines from %,d journal records in %.1f s%n",
            day, report.lines().size(), report.recordsRead(), (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
