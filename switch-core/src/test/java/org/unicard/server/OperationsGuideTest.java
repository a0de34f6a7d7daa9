package org.unicard.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.cli.UnicardMain;
import org.unicard.http.HttpEndpoint;
import org.unicard.http.Readiness;
import org.unicard.security.LocalMasterKey;
import org.unicard.terminal.LocalPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code docs/operations.md} says what the switch says: the {@code /health} bodies of its table are
 * the ones the switch answers through a start from an import, from a snapshot and with a replay
 * (compared by phase and keys, values aside), and the start-up and stop log lines it shows are
 * printed by the real process; every {@code event=} name the guide mentions is one the code logs.
 */
class OperationsGuideTest
{
    private static final Pattern HEALTH_ROW = Pattern.compile("(?m)^\\| `([a-z-]+(?: [a-z-]+=[^`]*)*)` \\| (\\d{3}) \\|");
    private static final Pattern LOG_SAMPLE = Pattern.compile("(?m)^ {4}\\S+ \\[main] INFO (\\w+) - event=([a-z-]+)");
    private static final Pattern EVENT = Pattern.compile("event=([a-z][a-z-]*[a-z])");

    @TempDir
    Path directory;

    private Process process;

    @AfterEach
    void killLeftovers()
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldAnswerExactlyTheHealthBodiesTheGuideDocuments() throws Exception
    {
        assumeTrue(LocalMasterKey.fromEnvironment().isEmpty(), "UNICARD_LMK is set: the snapshot command would use it, not the test's LMK");
        WireData.write(directory);
        final Path config = WireData.writeSnapshotTestConfig(directory);
        final Set<String> seen = new TreeSet<>();
        final Path emptySnapshots = Files.createDirectories(directory.resolve("no-snapshots"));

        start(config, null, seen);
        final StringWriter snapshotOutput = new StringWriter();
        final picocli.CommandLine snapshot = UnicardMain.commandLine();
        snapshot.setErr(new PrintWriter(snapshotOutput, true));
        snapshot.setOut(new PrintWriter(snapshotOutput, true));
        assertEquals(0, snapshot.execute("snapshot", "--data", directory.toString(), "--config", config.toString()), snapshotOutput.toString());
        start(config, null, seen);
        start(config, emptySnapshots, seen);
        final Readiness readiness = new Readiness();
        try (HttpEndpoint http = new HttpEndpoint(0, readiness))
        {
            seen.add(health(http.port()));
            readiness.ready();
            readiness.stopping();
            seen.add(health(http.port()));
        }

        final Set<String> documented = new TreeSet<>();
        final Matcher row = HEALTH_ROW.matcher(section(guide(), "## 3."));
        while (row.find())
        {
            documented.add(row.group(2) + " " + shape(row.group(1)));
        }
        assertEquals(documented, shapes(seen));
    }

    @Test
    void shouldPrintTheStartUpAndStopLinesTheGuideShows() throws Exception
    {
        WireData.write(directory);
        final Path config = Files.writeString(directory.resolve("defaults.properties"), "security.lmk = " + WireData.LMK_HEX + "\n");
        final int httpPort = LocalPorts.free();
        final Path log = directory.resolve("switch.log");
        final ProcessBuilder builder = new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"), "@" + CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options"),
            "-Xmx512m", "-cp", System.getProperty("java.class.path"), "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(), "--config", config.toString(), "--port", "0", "--acquirer-port", "0",
            "--http-port", Integer.toString(httpPort), "--clock", WireData.CLOCK.toString());
        builder.environment().remove(LocalMasterKey.ENVIRONMENT_VARIABLE);
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        process = builder.start();
        ChildHealth.awaitHealthy(process, httpPort, () -> Files.readString(log));
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
        final String printed = Files.readString(log);

        final List<String> missing = new ArrayList<>();
        final Matcher sample = LOG_SAMPLE.matcher(guide());
        int samples = 0;
        while (sample.find())
        {
            samples++;
            if (!Pattern.compile("(?m) INFO " + sample.group(1) + " - event=" + sample.group(2) + "( |$)").matcher(printed).find())
            {
                missing.add(sample.group(1) + " event=" + sample.group(2));
            }
        }
        assertTrue(samples >= 8, "the guide's sample log lines were not found: " + samples);
        assertEquals(List.of(), missing, printed);
    }

    @Test
    void shouldMentionOnlyEventsTheCodeLogs() throws Exception
    {
        // Every module's main sources: the guide also documents the cluster's and the tools' events.
        final StringBuilder code = new StringBuilder();
        try (Stream<Path> sources = Files.walk(CrashRecoveryTest.repositoryRoot(), 12))
        {
            for (final Path source : sources.filter(path -> path.toString().endsWith(".java") &&
                path.toString().contains("/src/main/java/") && !path.toString().contains("/target/")).toList())
            {
                code.append(Files.readString(source));
            }
        }
        final Set<String> unknown = new TreeSet<>();
        final Matcher event = EVENT.matcher(guide());
        while (event.find())
        {
            if (!code.toString().contains("event=" + event.group(1) + " ") && !code.toString().contains("event=" + event.group(1) + "\""))
            {
                unknown.add(event.group(1));
            }
        }
        assertEquals(Set.of(), unknown);
    }

    /**
     * Starts a switch in this process, reads {@code /health} at each start-up step, then reads it
     * once ready, and stops it.
     */
    private void start(final Path config, final Path snapshots, final Set<String> seen) throws Exception
    {
        final int httpPort = LocalPorts.free();
        final UnicardSwitch.StartListener recorder = new UnicardSwitch.StartListener()
        {
            @Override
            public void onPhase(final String phase, final String detail)
            {
                seen.add(health(httpPort));
            }

            @Override
            public void onProgress(final String fileName, final long rowsRead, final long rowsTotal)
            {
                seen.add(health(httpPort));
            }

            @Override
            public void onSnapshot(final long read, final long total)
            {
                seen.add(health(httpPort));
            }

            @Override
            public void onReplay(final long replayed, final long total)
            {
                seen.add(health(httpPort));
            }
        };
        try (UnicardSwitch unicard = UnicardSwitch.start(
            new SwitchOptions(directory, null, config, 0, 0, httpPort, WireData.CLOCK, null, null, snapshots), recorder))
        {
            seen.add(health(httpPort));
        }
    }

    private static String health(final int port)
    {
        try
        {
            final HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body().strip();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * "503 importing file=cards.csv rows=3/3" becomes "503 importing file= rows=": the phase and the
     * keys, without the values.
     */
    private static Set<String> shapes(final Set<String> bodies)
    {
        final Set<String> shapes = new TreeSet<>();
        for (final String body : bodies)
        {
            final int space = body.indexOf(' ');
            shapes.add(body.substring(0, space) + " " + shape(body.substring(space + 1)));
        }
        return shapes;
    }

    private static String shape(final String body)
    {
        return body.replaceAll("=\\S*", "=");
    }

    private static String guide() throws IOException
    {
        return Files.readString(CrashRecoveryTest.repositoryRoot().resolve("docs").resolve("operations.md"));
    }

    private static String section(final String text, final String heading)
    {
        final int start = text.indexOf("\n" + heading);
        assertFalse(start < 0, "no section " + heading);
        final int end = text.indexOf("\n## ", start + 1);
        return end < 0 ? text.substring(start) : text.substring(start, end);
    }
}
