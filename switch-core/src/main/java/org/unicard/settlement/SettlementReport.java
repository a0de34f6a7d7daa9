package org.unicard.settlement;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ProcessingCode;
import org.unicard.authorizer.ResponseCode;
import org.unicard.iso8583.message.Mti;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalException;
import org.unicard.journal.JournalRecord;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.time.CairoCalendar;

/**
 * Builds the settlement of one Cairo business day from a journal: for every terminal (and acquirer,
 * on acquirer links) and program, the approved purchases (types 00 and 01), returns (type 20) and
 * reversals (0400/0420 that undid an approved original), counted and totalled, and the net.
 * Retransmissions answered from the window are not counted again; declines are not counted.
 */
public final class SettlementReport
{
    private final LocalDate date;
    private final Map<String, SettlementLine> lines = new HashMap<>();
    private long recordsRead;

    private SettlementReport(final LocalDate date)
    {
        this.date = date;
    }

    /**
     * @param journal  the journal to read from its start.
     * @param date     the Cairo business day to settle.
     * @param progress told the number of records read, now and then.
     * @return the report.
     */
    public static SettlementReport of(final ChronicleJournal journal, final LocalDate date, final LongConsumer progress)
    {
        return of(journal, date, date, progress);
    }

    /**
     * The settlement of consecutive Cairo business days in one reading of the journal (the demo settles
     * its whole month this way): each terminal's lines add up every day from {@code first} to {@code last}.
     *
     * @param journal  the journal to read from its start.
     * @param first    the first Cairo business day to settle.
     * @param last     the last one, not before {@code first}; the report is dated {@code first}.
     * @param progress told the number of records read, now and then.
     * @return the report.
     */
    public static SettlementReport of(final ChronicleJournal journal, final LocalDate first, final LocalDate last, final LongConsumer progress)
    {
        if (last.isBefore(first))
        {
            throw new IllegalArgumentException("first=" + first + " last=" + last + " reason=last before first");
        }
        final SettlementReport report = new SettlementReport(first);
        final int firstDay = (int)first.toEpochDay();
        final int lastDay = (int)last.toEpochDay();
        final CairoCalendar calendar = CairoCalendar.instance();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        final JournalRecord record = new JournalRecord();
        final AuthRequest request = new AuthRequest();
        final AuthOutcome outcome = new AuthOutcome();
        try (ChronicleJournal.Reader reader = journal.reader())
        {
            int length;
            while ((length = reader.next(buffer)) >= 0)
            {
                final String damage = record.verify(buffer, length);
                if (damage != null)
                {
                    throw new JournalException("journal=" + journal.directory() + " index=" + Long.toHexString(reader.index()) +
                        " reason=damaged record: " + damage);
                }
                report.recordsRead++;
                if ((report.recordsRead & 0xFFFF) == 0)
                {
                    progress.accept(report.recordsRead);
                }
                if (JournalRecord.type(buffer) != JournalRecord.TYPE_REQUEST)
                {
                    continue;
                }
                request.clear();
                JournalRecord.decodeRequest(buffer, request, outcome);
                if (request.sourceType == AuthRequest.SOURCE_OPERATOR || outcome.responseCode != ResponseCode.APPROVED ||
                    outcome.duplicateOf != AuthOutcome.NONE || !within(calendar.dayNumber(request.businessTimeMs), firstDay, lastDay))
                {
                    continue;
                }
                report.add(request, outcome);
            }
        }
        progress.accept(report.recordsRead);
        return report;
    }

    private static boolean within(final int day, final int firstDay, final int lastDay)
    {
        return day >= firstDay && day <= lastDay;
    }

    private void add(final AuthRequest request, final AuthOutcome outcome)
    {
        final int type = ProcessingCode.type(request.processingCode);
        final int account = ProcessingCode.account(request.processingCode);
        final boolean reversal = Mti.isReversal(request.mti);
        if (!reversal && request.mti != Mti.FINANCIAL_REQUEST || reversal && outcome.reversalOf == AuthOutcome.NONE ||
            account == Program.ACCOUNT_ALL || type == ProcessingCode.TYPE_BALANCE_INQUIRY)
        {
            return;
        }
        final String terminal = TerminalTable.unpackTerminalId(request.terminalId);
        final long acquirer = request.sourceType == AuthRequest.SOURCE_ACQUIRER ? request.acquirerId : -1;
        final SettlementLine line = lines.computeIfAbsent(terminal + '|' + acquirer + '|' + account,
            key -> new SettlementLine(terminal, acquirer, account));
        final long amount = request.amount;
        if (reversal)
        {
            // What the reversal took back from the merchant: less than its amount when returns gave part back (spec §8).
            line.reversals++;
            line.reversalsTotal += type == 20 ? -outcome.reversedAmount : outcome.reversedAmount;
        }
        else if (type == 20)
        {
            line.returns++;
            line.returnsTotal += amount;
        }
        else
        {
            line.purchases++;
            line.purchasesTotal += amount;
        }
    }

    /**
     * @return the lines, sorted by terminal, acquirer and account.
     */
    public List<SettlementLine> lines()
    {
        final List<SettlementLine> sorted = new ArrayList<>(lines.values());
        sorted.sort(Comparator.comparing(SettlementLine::terminalId).thenComparingLong(SettlementLine::acquirerId)
            .thenComparingInt(SettlementLine::account));
        return sorted;
    }

    public long recordsRead()
    {
        return recordsRead;
    }

    /**
     * Writes the report as CSV with a header row.
     */
    public void writeCsv(final Writer out) throws IOException
    {
        out.write("date,terminal_id,acquirer_id,program,unit,purchases_count,purchases_total,returns_count,returns_total," +
            "reversals_count,reversals_total,net_total\n");
        for (final SettlementLine line : lines())
        {
            out.write(date + "," + line.terminalId() + "," + (line.acquirerId() < 0 ? "" : Long.toString(line.acquirerId())) + "," +
                program(line.account()) + "," + (line.account() == Program.ACCOUNT_BREAD ? "loaves" : "piasters") + "," +
                line.purchases() + "," + line.purchasesTotal() + "," + line.returns() + "," + line.returnsTotal() + "," +
                line.reversals() + "," + line.reversalsTotal() + "," + line.net() + "\n");
        }
    }

    private static String program(final int account)
    {
        return switch (account)
        {
            case Program.ACCOUNT_RATION -> "ration";
            case Program.ACCOUNT_BREAD -> "bread";
            case Program.ACCOUNT_HEALTH -> "health";
            case Program.ACCOUNT_WALLET -> "wallet";
            case Program.ACCOUNT_CASH -> "cash";
            default -> "account-" + account;
        };
    }
}
