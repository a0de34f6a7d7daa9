package org.unicard.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalLookup;
import org.unicard.authorizer.RecordPositions;
import org.unicard.metrics.SwitchMetrics;
import org.unicard.state.CardTable;
import org.unicard.state.HouseholdTable;
import org.unicard.state.TerminalTable;

/**
 * Wires the operators' console onto the switch's HTTP endpoint: the pages under {@code /console/}
 * (static files, on the server's thread), the operator API with its console routes under
 * {@code /api/} (on the operator workers), and the journal's free-space gauges the live page and
 * the alerts read.
 */
public final class ConsoleRoutes
{
    private ConsoleRoutes()
    {
    }

    /**
     * @param http        the endpoint.
     * @param metrics     the switch's metrics (gauges added, text read by {@code /api/live}).
     * @param operatorApi the operator API (status, block, collect, PIN reset).
     * @param gateway     sends commands through the ring.
     * @param cards       the card table.
     * @param households  the household table.
     * @param terminals   the terminal table.
     * @param journal     the switch's journal.
     * @param positions   where each decided record is in the journal.
     * @param minFreeBytes the journal's reserve ({@code journal.min-free-bytes}).
     */
    public static void install(
        final HttpEndpoint http,
        final SwitchMetrics metrics,
        final OperatorApi operatorApi,
        final OperatorApi.CommandGateway gateway,
        final CardTable cards,
        final HouseholdTable households,
        final TerminalTable terminals,
        final ChronicleJournal journal,
        final RecordPositions positions,
        final long minFreeBytes)
    {
        final JournalLookup lookup = journal.lookup(positions);
        final CardHistory history = new CardHistory(lookup, lookup::release);
        http.operatorContext("/api/", new ConsoleApi(operatorApi, gateway, cards, households, terminals, history, metrics::scrape, journal));
        http.context("/console", new ConsoleFiles());
        final Path directory = journal.directory();
        metrics.gauge("unicard_journal_free_bytes", "Usable bytes left on the journal's file system", () -> freeBytes(directory));
        metrics.gauge("unicard_journal_min_free_bytes", "The journal's reserve: below it the journal refuses records (answers 96)",
            () -> minFreeBytes);
    }

    private static long freeBytes(final Path directory)
    {
        try
        {
            return Files.getFileStore(directory).getUsableSpace();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }
}
