package org.unicard.benchmarks.load;

import java.util.ArrayList;
import java.util.List;

/**
 * What one load run was asked for, checked as a whole before anything connects.
 *
 * @param target          {@code HOST:PORT} of a running switch, or {@code null} with {@code self} or {@code compareJpos}.
 * @param dataDirectory   the switch's data set, or {@code null} with {@code self} or {@code compareJpos}.
 * @param connections     simulated terminals, one connection each.
 * @param inFlight        requests in flight per connection.
 * @param durationSeconds measured time.
 * @param warmupSeconds   time sent before measuring (not counted in the latency or throughput).
 * @param rate            requests per second over all connections (open loop), or {@code null} for a closed loop.
 * @param self            generate a data set and run against an in-process switch.
 * @param compareJpos     like {@code self}, then the same load against the jPOS baseline.
 * @param households      households of the generated data set.
 * @param spin            open loop only: the generator's event loop polls instead of sleeping, so that each
 *                        request leaves within microseconds of its due time, at the cost of a whole core.
 * @param prepared        build, sign and frame the requests before the run ({@link PreparedRequests}), so that
 *                        the generator only copies them out during it.
 */
public record LoadOptions(
    String target,
    String dataDirectory,
    int connections,
    int inFlight,
    int durationSeconds,
    int warmupSeconds,
    Double rate,
    boolean self,
    boolean compareJpos,
    long households,
    boolean spin,
    boolean prepared)
{
    /** The longest run accepted: the machine is shared. */
    public static final int MAX_DURATION_SECONDS = 600;
    /** The most connections: each needs its own terminal in the data set. */
    public static final int MAX_CONNECTIONS = 1_000;

    /**
     * @return every problem with these options, empty when they can run.
     */
    public List<String> problems()
    {
        final List<String> problems = new ArrayList<>();
        final boolean inProcess = self || compareJpos;
        if (inProcess && (target != null || dataDirectory != null))
        {
            problems.add("--self and --compare-jpos make their own switch and data set: leave out --target and --data");
        }
        if (!inProcess && (target == null || dataDirectory == null))
        {
            problems.add("give --target HOST:PORT and --data DIR, or --self, or --compare-jpos");
        }
        if (target != null && port() < 0)
        {
            problems.add("--target must be HOST:PORT with a port in 1..65535: target=" + target);
        }
        if (connections < 1 || connections > MAX_CONNECTIONS)
        {
            problems.add("--connections must be in 1.." + MAX_CONNECTIONS + ": connections=" + connections);
        }
        if (inFlight < 1 || inFlight > PipelinedTerminalsToSwitch.MAX_IN_FLIGHT)
        {
            problems.add("--in-flight must be in 1.." + PipelinedTerminalsToSwitch.MAX_IN_FLIGHT + ": inFlight=" + inFlight);
        }
        if (durationSeconds < 1 || durationSeconds > MAX_DURATION_SECONDS)
        {
            problems.add("--duration must be in 1.." + MAX_DURATION_SECONDS + " seconds: duration=" + durationSeconds);
        }
        if (warmupSeconds < 0 || warmupSeconds > MAX_DURATION_SECONDS)
        {
            problems.add("--warmup must be in 0.." + MAX_DURATION_SECONDS + " seconds: warmup=" + warmupSeconds);
        }
        if (rate != null && !(rate > 0 && rate <= 10_000_000))
        {
            problems.add("--rate must be in (0, 10000000] requests per second: rate=" + rate);
        }
        if (spin && rate == null)
        {
            problems.add("--spin is for the open loop, which times each request: give --rate as well");
        }
        if (inProcess && (households < 100 || households > 100_000))
        {
            problems.add("--households must be in 100..100000: households=" + households);
        }
        return problems;
    }

    /**
     * @return the host of {@code target}.
     */
    public String host()
    {
        return target.substring(0, target.lastIndexOf(':'));
    }

    /**
     * @return the port of {@code target}, or -1 when it is not {@code HOST:PORT}.
     */
    public int port()
    {
        final int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1)
        {
            return -1;
        }
        try
        {
            final int port = Integer.parseInt(target.substring(colon + 1));
            return port >= 1 && port <= 65_535 ? port : -1;
        }
        catch (final NumberFormatException e)
        {
            return -1;
        }
    }
}
