package org.unicard.server;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.bread;

/**
 * {@code /metrics} of a real switch holds exactly the metrics docs/operations.md lists in
 * "Metrics to watch" (operators' dashboards are built from that table), and the counts the hot
 * threads bump reach the scrape.
 */
class MetricsEndpointTest
{
    /** A metric name in the first column of the table: {@code `unicard_connections{listener}`}. */
    private static final Pattern DOCUMENTED = Pattern.compile("`(unicard_[a-z0-9_]+)(\\{[a-z_,]*})?`");
    private static final Pattern TYPE_LINE = Pattern.compile("^# TYPE (unicard_[a-z0-9_]+) (\\w+)$");

    @TempDir
    Path directory;

    private UnicardSwitch unicard;
    private JposTerminal terminal;

    @BeforeEach
    void start() throws Exception
    {
        WireData.write(directory);
        unicard = UnicardSwitch.start(new SwitchOptions(directory, null, null, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, WireData.API_TOKEN));
        terminal = new JposTerminal(unicard.terminalPort());
    }

    @AfterEach
    void stop() throws Exception
    {
        terminal.close();
        unicard.close();
    }

    @Test
    void shouldExportExactlyTheMetricsTheOperatorGuideLists() throws Exception
    {
        // Request series appear with the first answer: answer one so that every documented series exists.
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 1)).getString(39));

        final Set<String> documented = documentedMetrics();
        final Set<String> scraped = scrapedMetrics(scrape());

        final Set<String> undocumented = new TreeSet<>(scraped);
        undocumented.removeAll(documented);
        final Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(scraped);
        assertTrue(documented.size() > 30, "the table was found: " + documented);
        assertEquals(Set.of(), missing, "documented in docs/operations.md but not in /metrics");
        assertEquals(Set.of(), undocumented, "in /metrics but not in the table of docs/operations.md");
    }

    @Test
    void shouldShowWhatTheHotThreadsCounted() throws Exception
    {
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 1)).getString(39));
        assertEquals("13", terminal.exchange(bread(WireData.HEAD, 51, 2)).getString(39));
        try (Socket socket = new Socket("127.0.0.1", unicard.terminalPort()))
        {
            final OutputStream out = socket.getOutputStream();
            out.write(new byte[]{0, 0});
            out.flush();
            // The switch closes a connection that sends a zero length: wait for it.
            assertEquals(-1, socket.getInputStream().read());
        }

        final String metrics = scrape();

        assertEquals(2.0, value(metrics, "unicard_authorizer_sequence"), metrics);
        assertEquals(1.0, value(metrics, "unicard_framing_errors_total"), metrics);
        assertEquals(0.0, value(metrics, "unicard_outbound_overflows_total"), metrics);
        assertEquals(0.0, value(metrics, "unicard_duplicate_window_overflow_evictions_total"), metrics);
        assertEquals(2.0, value(metrics, "unicard_duplicate_window_entries"), metrics);
        assertTrue(value(metrics, "unicard_journal_records_appended_total") >= 2.0, metrics);
        assertFalse(metrics.contains(WireData.HEAD), "no PAN in metrics");
    }

    private String scrape() throws Exception
    {
        return HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + unicard.httpPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * @return the metric names in the first column of the table under "## 4. Metrics to watch".
     */
    private static Set<String> documentedMetrics() throws Exception
    {
        final String guide = Files.readString(CrashRecoveryTest.repositoryRoot().resolve("docs").resolve("operations.md"));
        final int start = guide.indexOf("## 4. Metrics to watch");
        final int end = guide.indexOf("\n## ", start + 1);
        final Set<String> names = new TreeSet<>();
        for (final String line : guide.substring(start, end).split("\n"))
        {
            if (!line.startsWith("| `"))
            {
                continue;
            }
            final Matcher name = DOCUMENTED.matcher(line.substring(0, line.indexOf(" |", 2)));
            while (name.find())
            {
                names.add(name.group(1));
            }
        }
        return names;
    }

    /**
     * @return the families of a Prometheus text scrape, by the name the guide uses (a counter's
     *         {@code _total} left off: "Counters end in {@code _total} in the output").
     */
    private static Set<String> scrapedMetrics(final String scrape)
    {
        final Set<String> names = new TreeSet<>();
        for (final String line : scrape.split("\n"))
        {
            final Matcher type = TYPE_LINE.matcher(line);
            if (type.matches())
            {
                final String name = type.group(1);
                names.add(type.group(2).equals("counter") && name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name);
            }
        }
        return names;
    }

    private static double value(final String scrape, final String series)
    {
        for (final String line : scrape.split("\n"))
        {
            if (line.startsWith(series + " "))
            {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series + " in\n" + scrape);
    }
}
