package org.unicard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.bread;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard and the Prometheus alert rules shipped in {@code ops/} name only metrics a
 * running switch exports, and every alert is explained in the operator guide.
 */
class OpsFilesTest
{
    private static final Pattern METRIC = Pattern.compile("\\bunicard_[a-z0-9_]+\\b");

    @TempDir
    Path directory;

    @Test
    void shouldNameOnlyMetricsARunningSwitchExports() throws Exception
    {
        final Path root = CrashRecoveryTest.repositoryRoot();
        final Path dashboard = root.resolve("ops/grafana/unicard-switch.json");
        final Path rules = root.resolve("ops/prometheus/unicard-alerts.yml");
        final List<String> expressions = dashboardExpressions(Files.readString(dashboard));
        assertTrue(expressions.size() >= 20, "the dashboard's queries were found: " + expressions);
        final Set<String> named = new TreeSet<>();
        expressions.forEach(expression -> named.addAll(metrics(expression)));
        named.addAll(metrics(Files.readString(rules)));
        assertTrue(named.size() >= 20, "metrics named: " + named);

        final Set<String> exported;
        WireData.write(directory);
        try (UnicardSwitch unicard = UnicardSwitch.start(
            new SwitchOptions(directory, null, null, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, WireData.API_TOKEN));
            JposTerminal terminal = new JposTerminal(unicard.terminalPort()))
        {
            // Request series appear with their first answer.
            assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 1)).getString(39));
            final String text = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + unicard.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            exported = new TreeSet<>();
            for (final String line : text.split("\n"))
            {
                if (line.startsWith("unicard_"))
                {
                    exported.add(line.split("[{ ]", 2)[0]);
                }
            }
        }
        final Set<String> missing = new TreeSet<>(named);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "named in ops/ but not exported by the switch (exported: " + exported + ")");
    }

    @Test
    void shouldExplainEveryAlertInTheOperatorGuide() throws Exception
    {
        final Path root = CrashRecoveryTest.repositoryRoot();
        final String rules = Files.readString(root.resolve("ops/prometheus/unicard-alerts.yml"));
        final String guide = Files.readString(root.resolve("docs/operations.md"));
        final List<String> alerts = new ArrayList<>();
        final String[] blocks = rules.split("- alert: ");
        for (int i = 1; i < blocks.length; i++)
        {
            final String block = blocks[i];
            alerts.add(block.substring(0, block.indexOf('\n')).trim());
            assertTrue(block.contains("\n        expr: "), "the rule has an expression: " + block);
            assertTrue(block.contains("\n          severity: "), "the rule has a severity: " + block);
        }
        assertEquals(11, alerts.size(), "alerts: " + alerts);
        for (final String name : alerts)
        {
            assertTrue(guide.contains("`" + name + "`"), name + " is explained in docs/operations.md");
        }
    }

    /**
     * @return every {@code "expr"} string of a Grafana dashboard, which must be well-formed JSON.
     */
    private static List<String> dashboardExpressions(final String json) throws Exception
    {
        final List<String> expressions = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(json))
        {
            JsonToken token;
            while ((token = parser.nextToken()) != null)
            {
                if (token == JsonToken.FIELD_NAME && "expr".equals(parser.currentName()))
                {
                    assertEquals(JsonToken.VALUE_STRING, parser.nextToken());
                    expressions.add(parser.getText());
                }
            }
        }
        return expressions;
    }

    private static Set<String> metrics(final String text)
    {
        final Set<String> names = new TreeSet<>();
        final Matcher matcher = METRIC.matcher(text);
        while (matcher.find())
        {
            names.add(matcher.group());
        }
        return names;
    }
}
