package org.unicard.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.context.SwitchContext;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalLock;
import org.unicard.journal.JournalLockedException;
import org.unicard.journal.JournalRecord;
import org.unicard.notify.NotifierPosition;
import org.unicard.state.HouseholdTable;
import org.unicard.time.CairoCalendar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard notify-replay --data DIR --from INSTANT}: sets the citizen notifier's position back
 * so that the next {@code serve} sends again every event from that business instant on (after a
 * gateway outage that lost messages it had acknowledged). The switch must be stopped: the command
 * takes the journal's writer lock to make sure, and changes nothing when it cannot.
 * <p>
 * The events keep their keys, so the gateway drops those it still has. The new position names the
 * first record of the month to tally from (the month of {@code --from}, or the month before when
 * {@code --from} is in a month's first day, whose statements are then sent again too), the last
 * record before {@code --from} as delivered, and the day before {@code --from} as the last day digested.
 */
@Command(name = "notify-replay", mixinStandardHelpOptions = true,
    description = "Set the citizen notifier back to send every event from a business instant on again (switch stopped).")
public final class NotifyReplayCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private DataSetOptions dataSet;

    @Option(names = "--from", required = true, paramLabel = "INSTANT",
        description = "Send again from this ISO-8601 business instant, e.g. 2026-11-30T00:00:00+02:00.")
    private String from;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final long fromMs;
        try
        {
            fromMs = ServeCommand.parseInstant(from).toEpochMilli();
        }
        catch (final DateTimeParseException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from: not an ISO-8601 instant: " + from);
        }
        final SwitchContext context = dataSet.context().conclude();
        final Path journalDirectory = context.journalDirectory();
        if (!Files.isDirectory(journalDirectory))
        {
            err.println("unicard notify-replay: journal directory=" + journalDirectory + " reason=does not exist");
            return 1;
        }
        final Path positionDirectory = context.notifySettings().directory() != null ? context.notifySettings().directory() : journalDirectory;
        try (JournalLock lock = JournalLock.acquire(journalDirectory))
        {
            final NotifierPosition before = NotifierPosition.read(positionDirectory);
            final NotifierPosition position = position(journalDirectory, fromMs);
            Files.createDirectories(positionDirectory);
            position.write(positionDirectory);
            out.println("event=notify-replay-set from=" + Instant.ofEpochMilli(fromMs) + " before=[" + before + "] after=[" + position +
                "] file=" + positionDirectory.resolve(NotifierPosition.FILE_NAME));
            return 0;
        }
        catch (final JournalLockedException ex)
        {
            err.println("unicard notify-replay: " + ex.getMessage() + " (stop the switch first; nothing was changed)");
            return 1;
        }
    }

    /**
     * @return the position that sends every event from {@code fromMs} on again.
     */
    static NotifierPosition position(final Path journalDirectory, final long fromMs)
    {
        final CairoCalendar calendar = CairoCalendar.instance();
        final int fromDay = calendar.dayNumber(fromMs);
        final int fromMonth = CairoCalendar.monthOfDay(fromDay);
        final int tallyMonth = fromDay == CairoCalendar.firstDayOfMonth(fromMonth) ? fromMonth - 1 : fromMonth;
        final NotifierPosition position = new NotifierPosition();
        position.digestDay = fromDay - 1;
        position.statementMonth = tallyMonth - 1;
        long lastBefore = -1;
        long firstOfTallyMonth = HouseholdTable.NO_CYCLE;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        final JournalRecord record = new JournalRecord();
        try (ChronicleJournal journal = ChronicleJournal.openReadOnly(journalDirectory);
             ChronicleJournal.Reader reader = journal.reader())
        {
            final org.unicard.authorizer.AuthRequest request = new org.unicard.authorizer.AuthRequest();
            final org.unicard.authorizer.AuthOutcome outcome = new org.unicard.authorizer.AuthOutcome();
            for (int length = reader.next(buffer); length >= 0; length = reader.next(buffer))
            {
                if (record.verify(buffer, length) != null || JournalRecord.type(buffer) != JournalRecord.TYPE_REQUEST)
                {
                    continue;
                }
                JournalRecord.decodeRequest(buffer, request, outcome);
                if (firstOfTallyMonth == HouseholdTable.NO_CYCLE &&
                    CairoCalendar.monthOfDay(calendar.dayNumber(request.businessTimeMs)) >= tallyMonth)
                {
                    firstOfTallyMonth = reader.index();
                }
                if (request.businessTimeMs >= fromMs)
                {
                    break;
                }
                lastBefore = reader.index();
            }
        }
        position.deliveredIndex = lastBefore;
        position.scanFromIndex = firstOfTallyMonth == HouseholdTable.NO_CYCLE ? -1 : firstOfTallyMonth;
        return position;
    }
}
