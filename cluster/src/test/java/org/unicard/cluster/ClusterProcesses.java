package org.unicard.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.unicard.terminal.LocalPorts;

/**
 * Three (or more) cluster members as child processes ({@code ClusterMain serve}) on loopback, each
 * with its own journal, snapshot directory and {@code --cluster-dir} under one test directory and all
 * on the same data set; killed with SIGKILL and restarted on the same directories.
 */
final class ClusterProcesses implements AutoCloseable
{
    static final String API_TOKEN = "cluster-test-token";

    private final Path directory;
    private final int count;
    private final String members;
    private final int[] terminalPorts;
    private final int[] httpPorts;
    private final Process[] processes;
    private final int[] starts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final boolean single;

    ClusterProcesses(final Path directory, final int count)
    {
        this(directory, count, false);
    }

    /**
     * @param single one single-machine switch ({@code UnicardMain serve}, spec §1–§12) instead of a cluster, for comparisons.
     */
    ClusterProcesses(final Path directory, final int count, final boolean single)
    {
        this.single = single;
        this.directory = directory;
        this.count = count;
        terminalPorts = new int[count];
        httpPorts = new int[count];
        processes = new Process[count];
        starts = new int[count];
        final StringBuilder text = new StringBuilder();
        final int base = LocalPorts.block(count * ClusterMembers.PORTS);
        for (int i = 0; i < count; i++)
        {
            terminalPorts[i] = LocalPorts.free();
            httpPorts[i] = LocalPorts.free();
            text.append(i == 0 ? "" : ",").append(i).append("=localhost:").append(base + i * ClusterMembers.PORTS);
        }
        members = text.toString();
    }

    void start(final int member) throws IOException
    {
        final Path root = Path.of("").toAbsolutePath().getParent();
        final Path options = root.resolve("bin").resolve("jvm.options");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>(List.of(java, "@" + options, "-Xmx384m", "-XX:+UseSerialGC",
            "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
            "-cp", System.getProperty("java.class.path"), single ? "org.unicard.cli.UnicardMain" : "org.unicard.cluster.ClusterMain", "serve",
            "--data", directory.resolve("data").toString(),
            "--config", directory.resolve("data").resolve("test.properties").toString(),
            "--journal", directory.resolve("journal-" + member).toString(),
            "--snapshots", directory.resolve("snapshots-" + member).toString(),
            "--port", Integer.toString(terminalPorts[member]),
            "--acquirer-port", "0",
            "--http-port", Integer.toString(httpPorts[member]),
            "--clock", ClusterTestData.CLOCK.toString()));
        if (!single)
        {
            command.addAll(List.of("--cluster-members", members, "--cluster-member-id", Integer.toString(member),
                "--cluster-dir", directory.resolve("cluster-" + member).toString()));
        }
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("UNICARD_API_TOKEN", API_TOKEN);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("member-" + member + ".log").toFile()));
        processes[member] = builder.start();
        starts[member]++;
    }

    void kill(final int member) throws InterruptedException
    {
        final Process process = processes[member];
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("member " + member + " not dead 10 s after SIGKILL");
        }
        processes[member] = null;
    }

    /**
     * Stops the member's process with SIGSTOP: it holds its sockets but answers nothing, as a hung machine.
     */
    void pause(final int member) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-STOP", Long.toString(processes[member].pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0)
        {
            throw new IllegalStateException("kill -STOP of member " + member + " failed");
        }
    }

    boolean isRunning(final int member)
    {
        return processes[member] != null && processes[member].isAlive();
    }

    /**
     * @return the body of {@code /health} when it answered 200, else {@code null}.
     */
    String health(final int member)
    {
        try
        {
            final HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[member] + "/health")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().trim() : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * @return the body of {@code /metrics}.
     */
    String metrics(final int member) throws IOException, InterruptedException
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[member] + "/metrics"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * @return the status and body of an operator API call ({@code POST} when {@code body} is given).
     */
    String operator(final int member, final String path, final String body) throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[member] + path))
            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + API_TOKEN);
        final HttpResponse<String> response = http.send(body == null ? request.GET().build()
            : request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    /**
     * Starts every member, then waits (2 minutes each at most) until each answers {@code /health} 200.
     */
    void startAll() throws Exception
    {
        for (int member = 0; member < count; member++)
        {
            start(member);
        }
        for (int member = 0; member < count; member++)
        {
            awaitHealthy(member, 120_000);
        }
    }

    void awaitHealthy(final int member, final long timeoutMs) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (health(member) == null)
        {
            if (!isRunning(member))
            {
                throw new AssertionError("member " + member + " exited: " + tail(member));
            }
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("member " + member + " not healthy within " + timeoutMs + " ms: " + tail(member));
            }
            Thread.sleep(100);
        }
    }

    /**
     * @return the member whose {@code /health} says {@code role=leader}, or -1.
     */
    int leader()
    {
        for (int i = 0; i < count; i++)
        {
            final String body = isRunning(i) ? health(i) : null;
            if (body != null && body.contains("role=leader"))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the leader's member id, once there is one (30 s at most).
     */
    int awaitLeader() throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        int leader;
        while ((leader = leader()) < 0)
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("no leader within 30 s");
            }
            Thread.sleep(100);
        }
        return leader;
    }

    /**
     * Waits (60 s at most) until the three members show the same log request count with a digest computed at it, then
     * checks the digests are equal.
     *
     * @return that digest.
     */
    String assertDigestsEqual() throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        String last = "";
        while (System.currentTimeMillis() < deadline)
        {
            final String[] digests = new String[3];
            final String[] requests = new String[3];
            boolean complete = true;
            for (int member = 0; member < 3; member++)
            {
                final String body = health(member);
                if (body == null)
                {
                    complete = false;
                    continue;
                }
                requests[member] = field(body, "requests");
                digests[member] = field(body, "digest");
                complete &= requests[member] != null && requests[member].equals(field(body, "digest-at"));
            }
            last = String.join(" | ", requests) + " / " + String.join(" | ", digests);
            if (complete && requests[0].equals(requests[1]) && requests[1].equals(requests[2]))
            {
                org.junit.jupiter.api.Assertions.assertNotEquals("0", requests[0]);
                org.junit.jupiter.api.Assertions.assertEquals(digests[0], digests[1], "digests of members 0 and 1 at requests=" + requests[0]);
                org.junit.jupiter.api.Assertions.assertEquals(digests[1], digests[2], "digests of members 1 and 2 at requests=" + requests[0]);
                System.out.println("digests equal at requests=" + requests[0] + ": " + digests[0]);
                return digests[0];
            }
            Thread.sleep(200);
        }
        throw new AssertionError("members never agreed on one log position with a digest: " + last);
    }

    static String field(final String body, final String name)
    {
        for (final String part : body.split(" "))
        {
            if (part.startsWith(name + "="))
            {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }

    String tail(final int member)
    {
        try
        {
            final List<String> lines = Files.readAllLines(directory.resolve("member-" + member + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    /**
     * @return the last line of the member's log that contains {@code text}, or {@code null}.
     */
    String lastLine(final int member, final String text) throws IOException
    {
        String found = null;
        for (final String line : Files.readAllLines(directory.resolve("member-" + member + ".log")))
        {
            if (line.contains(text))
            {
                found = line;
            }
        }
        return found;
    }

    int terminalPort(final int member)
    {
        return terminalPorts[member];
    }

    int httpPort(final int member)
    {
        return httpPorts[member];
    }

    int count()
    {
        return count;
    }

    @Override
    public void close()
    {
        for (final Process process : processes)
        {
            if (process != null)
            {
                process.destroyForcibly();
            }
        }
        for (final Process process : processes)
        {
            if (process != null)
            {
                try
                {
                    process.waitFor(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
        // A killed driver leaves its buffers in shared memory: remove those of every member.
        for (int member = 0; member < count && !single; member++)
        {
            org.agrona.IoUtil.delete(new java.io.File(ClusterNode.aeronDirectoryName(member, directory.resolve("cluster-" + member))), true);
        }
    }
}
