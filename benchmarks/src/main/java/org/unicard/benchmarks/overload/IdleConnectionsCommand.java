package org.unicard.benchmarks.overload;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.unicard.benchmarks.load.LoadOptions;
import org.unicard.benchmarks.load.LoadResult;
import org.unicard.benchmarks.load.PipelinedTerminalsToSwitch;
import org.unicard.generate.DataSetGenerator;
import org.unicard.importer.DataSetImporter;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard idle-connections}: starts the real switch as a child process, measures a short
 * closed-loop load, opens N idle connections (they connect and send nothing), measures the child's
 * heap (after a full GC, {@code jcmd PID GC.run}), direct memory and resident set before and after, runs
 * the same load again with the idle connections open, checks they are all still open and counted,
 * closes them and checks the connection gauge returns to its start. PASS when every connection was
 * accepted and counted, the loaded throughput is at least 80 % of the one without idle connections,
 * and the gauge returned to 0. Prints the memory per idle connection.
 */
@Command(name = "idle-connections", mixinStandardHelpOptions = true,
    description = "N idle connections to a child switch: memory per connection, and the others still served.")
public final class IdleConnectionsCommand implements Callable<Integer>
{
    @Option(names = "--idle", defaultValue = "10000", description = "Idle connections (default ${DEFAULT-VALUE}).")
    int idle;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds of each load run (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--households", defaultValue = "20000", description = "Households generated (default ${DEFAULT-VALUE}).")
    long households;

    @Option(names = "--send-one", description = "Each idle connection first sends one (malformed, dropped) frame, as a terminal that "
        + "has made one request and then waits would have.")
    boolean sendOne;

    @Option(names = "--heap", defaultValue = "1g", description = "The child switch's -Xmx (default ${DEFAULT-VALUE}).")
    String heap;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception
    {
        if (idle < 1 || idle > 19_000)
        {
            System.err.println("idle-connections: --idle must be in 1..19000 (the process fd limit here is 20000)");
            return 2;
        }
        final Path directory = Files.createTempDirectory("unicard-idle-");
        final ChildSwitch child = new ChildSwitch(directory, heap, out);
        final List<SocketChannel> sockets = new ArrayList<>(idle);
        try
        {
            final String lmkHex = LocalMasterKey.generateHex(new SecureRandom());
            final TdesKey lmk = LocalMasterKey.parse(lmkHex, "the idle-connections run's throw-away key");
            out.printf("idle-connections: generating %,d households in %s%n", households, directory);
            DataSetGenerator.of(households, 1).generate(directory, lmk, (written, total) -> { });
            final DataSet data = DataSetImporter.load(directory, lmk);
            child.start(lmkHex);
            load(data, directory, child.port(), "warm-up (JIT)", 3);
            final LoadResult before = load(data, directory, child.port(), "without-idle", 1);
            child.gc();
            final long[] memoryBefore = child.memory();
            out.printf(Locale.ROOT, "idle-connections: before (after a GC): heap %.1f MiB direct %.1f MiB rss %.1f MiB rss_anon %.1f MiB, connections %d%n",
                memoryBefore[0] / 1048576.0, memoryBefore[1] / 1048576.0, memoryBefore[2] / 1048576.0, memoryBefore[3] / 1048576.0,
                child.connections());

            final long openStart = System.nanoTime();
            for (int i = 0; i < idle; i++)
            {
                final SocketChannel socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", child.port()));
                sockets.add(socket);
                if (sendOne)
                {
                    // Length 1, one zero byte: enters the ring, cannot be parsed, dropped and counted (unicard_dropped_frames).
                    socket.write(ByteBuffer.wrap(new byte[] {0, 1, 0}));
                }
            }
            awaitConnections(child, idle, 30);
            out.printf(Locale.ROOT, "idle-connections: %,d idle connections open and counted in %d ms%s%n", idle,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openStart), sendOne ? " (each sent one frame first)" : "");
            Thread.sleep(2_000);
            child.gc();
            final long[] memoryAfter = child.memory();
            out.printf(Locale.ROOT, "idle-connections: with them (after a GC): heap %.1f MiB direct %.1f MiB rss %.1f MiB rss_anon %.1f MiB%n",
                memoryAfter[0] / 1048576.0, memoryAfter[1] / 1048576.0, memoryAfter[2] / 1048576.0, memoryAfter[3] / 1048576.0);
            out.printf(Locale.ROOT, "idle-connections: per idle connection: heap %+.0f B, direct %+.0f B, rss %+.0f B, rss_anon %+.0f B%n",
                (memoryAfter[0] - memoryBefore[0]) / (double)idle, (memoryAfter[1] - memoryBefore[1]) / (double)idle,
                (memoryAfter[2] - memoryBefore[2]) / (double)idle, (memoryAfter[3] - memoryBefore[3]) / (double)idle);
            final LoadResult with = load(data, directory, child.port(), "with-idle", 2);
            final long counted = child.connections();

            for (final SocketChannel socket : sockets)
            {
                socket.close();
            }
            sockets.clear();
            awaitConnections(child, 0, 30);
            final List<String> failures = new ArrayList<>();
            if (counted != idle)
            {
                failures.add("idle connections counted during the second load: " + counted + ", expected " + idle);
            }
            if (!before.pass() || !with.pass())
            {
                failures.add("a load run failed its correctness check");
            }
            out.printf(Locale.ROOT, "idle-connections: throughput %.0f/s without, %.0f/s with %,d idle (%.0f%%); p50 %.2f -> %.2f ms, p99 %.2f -> %.2f ms%n",
                before.throughput(), with.throughput(), idle, 100 * with.throughput() / before.throughput(), before.latencyMs(50),
                with.latencyMs(50), before.latencyMs(99), with.latencyMs(99));
            if (with.throughput() < 0.8 * before.throughput())
            {
                failures.add("throughput with idle connections below 80 % of without");
            }
            if (!child.stop())
            {
                failures.add("the switch did not stop cleanly on SIGTERM");
            }
            if (failures.isEmpty())
            {
                out.println("PASS");
                return 0;
            }
            failures.forEach(failure -> out.println("idle-connections: " + failure));
            out.println("FAIL");
            return 1;
        }
        finally
        {
            for (final SocketChannel socket : sockets)
            {
                socket.close();
            }
            child.kill();
            ChildSwitch.deleteQuietly(directory);
        }
    }

    private LoadResult load(final DataSet data, final Path directory, final int port, final String name, final long seed)
        throws InterruptedException
    {
        final LoadResult result = new PipelinedTerminalsToSwitch(data,
            new LoadOptions("127.0.0.1:" + port, directory.toString(), 16, 8, seconds, 3, null, false, false, households, false, false), seed)
            .run(name, "127.0.0.1", port);
        out.println(result.summary());
        return result;
    }

    private static void awaitConnections(final ChildSwitch child, final int expected, final int seconds) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (child.connections() != expected)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("terminal connections " + child.connections() + ", expected " + expected);
            }
            Thread.sleep(100);
        }
    }
}
