package org.unicard.benchmarks.overload;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.unicard.benchmarks.ChildProcesses;
import org.unicard.security.LocalMasterKey;
import org.unicard.terminal.LocalPorts;
import org.unicard.tools.traffic.HealthProbe;

/**
 * The real switch ({@code UnicardMain serve}) as a child process on a data set, for the overload
 * programs: started and awaited through {@code /health} ({@link HealthProbe}), read through {@code /metrics} and
 * {@code /proc/PID/status}, stopped with SIGTERM.
 */
final class ChildSwitch
{
    private final Path directory;
    private final String heap;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private Process process;
    private int port;
    private int httpPort;

    ChildSwitch(final Path directory, final String heap, final PrintStream out)
    {
        this.directory = directory;
        this.heap = heap;
        this.out = out;
    }

    void start(final String lmkHex) throws Exception
    {
        port = LocalPorts.free();
        httpPort = LocalPorts.free();
        final List<String> command = ChildProcesses.javaCommand();
        command.addAll(List.of("-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(),
            "--config", ChildProcesses.noSnapshotAfterImportConfig(directory).toString(),
            "--port", Integer.toString(port),
            "--acquirer-port", Integer.toString(LocalPorts.free()),
            "--http-port", Integer.toString(httpPort)));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(LocalMasterKey.ENVIRONMENT_VARIABLE, lmkHex);
        builder.redirectErrorStream(true);
        builder.redirectOutput(directory.resolve("switch.log").toFile());
        process = builder.start();
        new HealthProbe(httpPort).await(process, null, TimeUnit.SECONDS.toMillis(120), 200,
            () -> Files.readString(directory.resolve("switch.log")));
        out.printf("switch: pid %d ready on port %d (-Xmx%s)%n", process.pid(), port, heap);
    }

    int port()
    {
        return port;
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    int exitValue()
    {
        return process.exitValue();
    }

    String metrics() throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * @return heap used, direct memory used, resident set, anonymous resident set, in bytes.
     */
    long[] memory() throws Exception
    {
        final String metrics = metrics();
        return new long[] {metric(metrics, "unicard_jvm_heap_used_bytes"), metric(metrics, "unicard_jvm_direct_buffer_bytes"), rssBytes(),
            anonymousRssBytes()};
    }

    /**
     * Runs a full GC in the child ({@code jcmd PID GC.run}, from the JDK running this program), so a
     * heap figure read next is live data rather than garbage.
     *
     * @return whether jcmd ran.
     */
    boolean gc() throws Exception
    {
        final Path javaCommand = Path.of(ProcessHandle.current().info().command().orElse("java"));
        final Path jcmd = javaCommand.resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd))
        {
            return false;
        }
        final Process run = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return run.waitFor(60, TimeUnit.SECONDS) && run.exitValue() == 0;
    }

    long connections() throws Exception
    {
        return metrics().lines()
            .filter(line -> line.startsWith("unicard_connections{") && line.contains("listener=\"terminal\""))
            .mapToLong(line -> (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum();
    }

    /**
     * @return the child's resident set in bytes: everything ({@code VmRSS}), which includes the
     *         journal's memory-mapped file pages.
     */
    long rssBytes() throws IOException
    {
        return status("VmRSS:");
    }

    /**
     * @return the child's anonymous resident memory in bytes ({@code RssAnon}): heap, direct buffers,
     *         thread stacks, code cache; not the journal's file pages.
     */
    long anonymousRssBytes() throws IOException
    {
        return status("RssAnon:");
    }

    private long status(final String field) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")))
        {
            if (line.startsWith(field))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    static long metric(final String metrics, final String name)
    {
        return metrics.lines()
            .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
            .mapToLong(line -> (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum();
    }

    /**
     * SIGTERM, then waits as long as a stop may take (the default drain limit, the bounded steps after
     * it, 5 s for the JVM's exit; docs/operations.md §8).
     *
     * @return whether it exited with 0.
     */
    boolean stop() throws InterruptedException
    {
        process.destroy();
        final long limitMs = org.unicard.context.Configuration.STOP_DRAIN_TIMEOUT_DEFAULT +
            org.unicard.server.UnicardSwitch.STOP_AFTER_DRAIN_MS_MAX + 5_000;
        return process.waitFor(limitMs, TimeUnit.MILLISECONDS) && process.exitValue() == 0;
    }

    void kill()
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
        }
    }



    static void deleteQuietly(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException e)
        {
            System.err.println("could not delete " + directory + ": " + e);
        }
    }
}
