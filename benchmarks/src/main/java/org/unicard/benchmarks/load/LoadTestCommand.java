package org.unicard.benchmarks.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.unicard.benchmarks.jpos.JposBaselineServer;
import org.unicard.generate.DataSetGenerator;
import org.unicard.importer.DataSetImporter;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.server.SwitchOptions;
import org.unicard.server.UnicardSwitch;
import org.unicard.state.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard loadtest}: runs {@link PipelinedTerminalsToSwitch} against a running switch
 * ({@code --target --data}), an in-process one on a generated data set ({@code --self}), or that
 * and then the jPOS baseline under the same load ({@code --compare-jpos}); prints the results and
 * the correctness check, writes the JSON result and the HTML chart when asked. Exit code 0 when
 * every run passed the check, 1 when one failed, 2 for bad options.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
    description = "End-to-end load: bakery bread (00/92) and grocer ration (00/91) purchases pipelined over TCP.")
public final class LoadTestCommand implements Callable<Integer>
{
    @Option(names = "--target", paramLabel = "HOST:PORT", description = "The switch's terminal listener.")
    String target;

    @Option(names = "--data", paramLabel = "DIR", description = "The switch's data set (LMK from UNICARD_LMK).")
    String data;

    @Option(names = "--connections", defaultValue = "16", description = "Simulated terminals, one connection each (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--in-flight", defaultValue = "8", description = "Requests in flight per connection (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--duration", defaultValue = "15", paramLabel = "S", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "S", description = "Seconds sent before measuring (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rate", paramLabel = "R", description = "Open loop at R requests/s over all connections; closed loop without it.")
    Double rate;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Write the results as JSON.")
    Path out;

    @Option(names = "--chart", paramLabel = "FILE.html", description = "Write an HTML latency percentile chart.")
    Path chart;

    @Option(names = "--self", description = "Generate a data set, start a switch in this process, run against it.")
    boolean self;

    @Option(names = "--compare-jpos", description = "Like --self, then the same load against the jPOS baseline; prints the ratio.")
    boolean compareJpos;

    @Option(names = "--jpos-first", description = "With --compare-jpos: run the jPOS baseline first, to see the effect of the order.")
    boolean jposFirst;

    @Option(names = "--households", defaultValue = "50000", description = "Households generated for --self / --compare-jpos (default ${DEFAULT-VALUE}).")
    long households;

    @Option(names = "--switch-config", paramLabel = "FILE",
        description = "With --self / --compare-jpos: configuration file for the switch in process (e.g. ring.threads, ring.wait-strategy).")
    Path switchConfig;

    @Option(names = "--seed", defaultValue = "1", description = "Data set and traffic seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mix", defaultValue = "morning",
        description = "What the terminals ask for: morning (purchases within each household's quota and credit, returns, " +
            "inquiries: mostly approved; needs a switch fresh from its data set) or saturating (random purchases until the " +
            "quotas run out) (default ${DEFAULT-VALUE}).")
    String mix;

    @Option(names = "--runs", defaultValue = "1",
        description = "With --self / --compare-jpos: run the whole comparison this many times (1..9), each on fresh state, " +
            "and print the medians (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--spin",
        description = "With --rate: the generator's event loop polls instead of sleeping between sweeps, so that each request " +
            "leaves within microseconds of its due time instead of a timer wake-up later; costs the generator a whole core.")
    boolean spin;

    @Option(names = "--prepared",
        description = "Build, MAC-sign and frame the requests before the run, so that during it the generator mostly copies " +
            "them out: all but the morning mix's returns, which depend on the answers and are built as they are sent. A closed " +
            "loop prepares for " + PipelinedTerminalsToSwitch.PREPARED_CLOSED_LOOP_RATE + " requests/s; at most a quarter of the " +
            "heap is used; beyond, requests are built live.")
    boolean prepared;

    @Option(names = "--prepared-limit", paramLabel = "N",
        description = "With --prepared: at most N requests prepared per connection (about " +
            PipelinedTerminalsToSwitch.PREPARED_REQUEST_BYTES + " bytes of heap each); " +
            "the rest are built live.")
    Integer preparedLimit;

    @Option(names = "--no-plain-jpos", description = "With --compare-jpos: leave out the plain jPOS baseline (no MACs).")
    boolean noPlainJpos;

    /** Names of the results, in the order of a run. */
    static final String OURS = "unicard";
    static final String JPOS_SECURITY = "jpos-security";
    static final String JPOS_JCE = "jpos-jce";
    static final String JPOS_PLAIN = "jpos-plain";

    private final PrintStream console = System.out;
    /**
     * Per result, in order: name, answers in the window, CPU ns by thread role, send lags (open loop) or null,
     * and with {@code --prepared} the requests built live during the run (else null).
     */
    private final List<Object[]> cpu = new ArrayList<>();

    @Override
    public Integer call() throws Exception
    {
        final LoadOptions options = new LoadOptions(target, data, connections, inFlight, duration, warmup, rate, self, compareJpos, households, spin, prepared);
        final List<String> problems = new ArrayList<>(options.problems());
        if (!"morning".equals(mix) && !"saturating".equals(mix))
        {
            problems.add("--mix must be morning or saturating: mix=" + mix);
        }
        if (runs < 1 || runs > 9 || (runs > 1 && !options.self() && !options.compareJpos()))
        {
            problems.add("--runs must be in 1..9, and above 1 only with --self or --compare-jpos: runs=" + runs);
        }
        if (preparedLimit != null && (preparedLimit < 1 || !prepared))
        {
            problems.add("--prepared-limit must be at least 1, and given with --prepared: preparedLimit=" + preparedLimit);
        }
        if (!problems.isEmpty())
        {
            problems.forEach(problem -> System.err.println("loadtest: " + problem));
            return 2;
        }
        final List<LoadResult> results = new ArrayList<>();
        if (options.self() || options.compareJpos())
        {
            runInProcess(options, results);
        }
        else
        {
            final String lmkHex = LocalMasterKey.fromEnvironment().orElse(null);
            if (lmkHex == null)
            {
                System.err.println("loadtest: set " + LocalMasterKey.ENVIRONMENT_VARIABLE + " to the data set's local master key");
                return 2;
            }
            final DataSet dataSet = DataSetImporter.load(Path.of(data), LocalMasterKey.parse(lmkHex, LocalMasterKey.ENVIRONMENT_SOURCE));
            results.add(measure(new PipelinedTerminalsToSwitch(dataSet, options, seed, mix()), options.target(), options.host(), options.port()));
        }
        final ComparisonSummary comparison = new ComparisonSummary(results, OURS, List.of(JPOS_SECURITY, JPOS_JCE, JPOS_PLAIN));
        comparison.print(console);
        write(results, comparison);
        boolean pass = true;
        for (final LoadResult result : results)
        {
            pass &= result.pass();
        }
        console.println(pass ? "PASS" : "FAIL");
        return pass ? 0 : 1;
    }

    private PipelinedTerminalsToSwitch.Mix mix()
    {
        return "saturating".equals(mix) ? PipelinedTerminalsToSwitch.Mix.SATURATING : PipelinedTerminalsToSwitch.Mix.MORNING;
    }

    private void runInProcess(final LoadOptions options, final List<LoadResult> results) throws Exception
    {
        final Path directory = Files.createTempDirectory("unicard-loadtest-");
        try
        {
            final String lmkHex = LocalMasterKey.generateHex(new SecureRandom());
            final TdesKey lmk = LocalMasterKey.parse(lmkHex, "the load test's throw-away key");
            console.printf("loadtest: generating %,d households in %s%n", options.households(), directory);
            DataSetGenerator.of(options.households(), seed).generate(directory, lmk, (written, total) -> { });
            for (int run = 1; run <= runs; run++)
            {
                console.printf(Locale.ROOT, "loadtest: run %d of %d, load average %s%n", run, runs, loadAverage());
                if (options.compareJpos() && jposFirst)
                {
                    runJpos(options, directory, lmk, results);
                }
                final DataSet dataSet = DataSetImporter.load(directory, lmk);
                // A journal of its own for every run, so that each run starts from the data set's balances.
                try (UnicardSwitch unicard = UnicardSwitch.start(
                    new SwitchOptions(directory, directory.resolve("journal-" + run), switchConfig, 0, 0, 0, null, lmkHex, null)))
                {
                    console.printf("loadtest: switch in process on port %d (journal on)%n", unicard.terminalPort());
                    final Recorder inSwitch = unicard.requestCounters().latencyRecorder();
                    final Histogram[] window = new Histogram[1];
                    final long[] stagesNs = new long[4];
                    final PipelinedTerminalsToSwitch driver = new PipelinedTerminalsToSwitch(dataSet, options, seed, mix())
                        .atWindow(() ->
                        {
                            inSwitch.reset();
                            stagesNs[0] = unicard.ring().eventLoopStagesNs();
                            stagesNs[2] = unicard.ring().eventLoopWritesNs();
                        }, () ->
                        {
                            window[0] = inSwitch.getIntervalHistogram();
                            stagesNs[1] = unicard.ring().eventLoopStagesNs();
                            stagesNs[3] = unicard.ring().eventLoopWritesNs();
                        });
                    results.add(measure(driver, OURS, "127.0.0.1", unicard.terminalPort()));
                    console.println("  in the switch: " + InSwitchLatency.describe(window[0]));
                    if (stagesNs[0] >= 0)
                    {
                        console.println("  " + SharedLoopSplit.describe(stagesNs[1] - stagesNs[0], stagesNs[3] - stagesNs[2],
                            driver.threadCpuNs().getOrDefault(ThreadCpu.SWITCH_EVENT_LOOP, 0L), driver.answeredInWindow()));
                    }
                }
                if (options.compareJpos() && !jposFirst)
                {
                    runJpos(options, directory, lmk, results);
                }
            }
        }
        finally
        {
            deleteQuietly(directory);
        }
    }

    private void runJpos(final LoadOptions options, final Path directory, final TdesKey lmk, final List<LoadResult> results)
        throws Exception
    {
        runJpos(options, directory, lmk, results, JposBaselineServer.Security.MODULE, JPOS_SECURITY);
        runJpos(options, directory, lmk, results, JposBaselineServer.Security.JCE, JPOS_JCE);
        if (!noPlainJpos)
        {
            runJpos(options, directory, lmk, results, JposBaselineServer.Security.NONE, JPOS_PLAIN);
        }
    }

    private void runJpos(
        final LoadOptions options, final Path directory, final TdesKey lmk, final List<LoadResult> results,
        final JposBaselineServer.Security security, final String name) throws Exception
    {
        final DataSet fresh = DataSetImporter.load(directory, lmk);
        try (JposBaselineServer baseline = JposBaselineServer.start(fresh, security))
        {
            console.printf("loadtest: jPOS baseline (%s) in process on port %d (no journal)%n",
                switch (security)
                {
                    case MODULE -> "MACs through JCESecurityModule";
                    case JCE -> "MACs through JCE ciphers made once per thread";
                    case NONE -> "no MACs";
                }, baseline.port());
            results.add(measure(new PipelinedTerminalsToSwitch(fresh, options, seed, mix()), name, "127.0.0.1", baseline.port()));
        }
    }

    /**
     * @return the 1-, 5- and 15-minute load averages of the machine, as /proc/loadavg gives them.
     */
    static String loadAverage()
    {
        try
        {
            final String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2] + " (run queue " + parts[3] + ")";
        }
        catch (final IOException | RuntimeException e)
        {
            return "unknown";
        }
    }

    private LoadResult measure(final PipelinedTerminalsToSwitch driver, final String name, final String host, final int port)
        throws InterruptedException
    {
        console.printf("loadtest: %s at %s:%d, %d s warm-up + %d s measured, %s mix%n", name, host, port, warmup, duration, mix);
        if (preparedLimit != null)
        {
            driver.limitPrepared(preparedLimit);
        }
        final LoadResult result = driver.run(name, host, port);
        console.println(result.summary());
        console.println("  thread cpu: " + driver.threadCpuPerAnswer());
        console.println("  thread allocation: " + driver.threadAllocationPerAnswer());
        final String sendLag = driver.sendLag();
        if (sendLag != null)
        {
            console.println("  generator send lag: " + sendLag);
        }
        final String preparation = driver.preparation();
        if (preparation != null)
        {
            console.println("  prepared: " + preparation);
        }
        cpu.add(new Object[] {name, driver.answeredInWindow(), driver.threadCpuNs(), driver.sendLagHistogram(),
            preparation == null ? null : driver.builtLive()});
        return result;
    }

    private void write(final List<LoadResult> results, final ComparisonSummary comparison) throws IOException
    {
        if (out != null)
        {
            final ObjectNode json = ResultJson.MAPPER.createObjectNode();
            final ArrayNode array = json.putArray("results");
            for (int i = 0; i < results.size(); i++)
            {
                final ObjectNode node = results.get(i).toJson();
                if (i < cpu.size())
                {
                    final ObjectNode perAnswer = node.putObject("threadCpuUsPerAnswer");
                    final long answers = Math.max(1, (Long)cpu.get(i)[1]);
                    @SuppressWarnings("unchecked")
                    final java.util.Map<String, Long> roles = (java.util.Map<String, Long>)cpu.get(i)[2];
                    roles.forEach((role, ns) -> ResultJson.putFigure(perAnswer, role, ns / 1_000.0 / answers));
                    final Histogram sendLag = (Histogram)cpu.get(i)[3];
                    if (sendLag != null && sendLag.getTotalCount() > 0)
                    {
                        node.putObject("sendLagUs")
                            .put("p50", sendLag.getValueAtPercentile(50))
                            .put("p99", sendLag.getValueAtPercentile(99))
                            .put("p99.9", sendLag.getValueAtPercentile(99.9))
                            .put("max", sendLag.getMaxValue());
                    }
                    if (cpu.get(i)[4] != null)
                    {
                        node.put("builtLive", (Long)cpu.get(i)[4]);
                    }
                }
                array.add(node);
            }
            comparison.putJson(json);
            Files.writeString(out, ResultJson.MAPPER.writeValueAsString(json) + "\n");
            console.println("loadtest: wrote " + out);
        }
        if (chart != null)
        {
            Files.writeString(chart, LatencyChart.html("Unicard load test", results));
            console.println("loadtest: wrote " + chart);
        }
    }

    private static void deleteQuietly(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException e)
        {
            System.err.println("loadtest: could not delete " + directory + ": " + e);
        }
    }
}
