package org.unicard.benchmarks.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The figures of a load test that ran one or more servers once or several times: per server the
 * median of its runs' throughput, p99 and approval share, and per baseline the ratio ours/baseline
 * computed within each run (the same run sees the same machine), then its median. The i-th result
 * of each name belongs to the i-th run.
 */
final class ComparisonSummary
{
    private final List<LoadResult> results;
    private final String ours;
    private final List<String> baselines;

    /**
     * @param results   every result, in any order of names.
     * @param ours      the name of the switch's results.
     * @param baselines the names of the baselines' results.
     */
    ComparisonSummary(final List<LoadResult> results, final String ours, final List<String> baselines)
    {
        this.results = results;
        this.ours = ours;
        this.baselines = baselines;
    }

    /**
     * @return the results of one server, run by run.
     */
    List<LoadResult> of(final String name)
    {
        final List<LoadResult> found = new ArrayList<>();
        for (final LoadResult result : results)
        {
            if (result.name().equals(name))
            {
                found.add(result);
            }
        }
        return found;
    }

    /**
     * @return per run, ours/baseline throughput; as many as both have runs.
     */
    double[] throughputRatios(final String baseline)
    {
        final List<LoadResult> mine = of(ours);
        final List<LoadResult> theirs = of(baseline);
        final double[] ratios = new double[Math.min(mine.size(), theirs.size())];
        for (int i = 0; i < ratios.length; i++)
        {
            ratios[i] = mine.get(i).throughput() / theirs.get(i).throughput();
        }
        return ratios;
    }

    /**
     * @return per run, ours/baseline p99 (lower is better).
     */
    double[] p99Ratios(final String baseline)
    {
        final List<LoadResult> mine = of(ours);
        final List<LoadResult> theirs = of(baseline);
        final double[] ratios = new double[Math.min(mine.size(), theirs.size())];
        for (int i = 0; i < ratios.length; i++)
        {
            ratios[i] = mine.get(i).latencyMs(99) / theirs.get(i).latencyMs(99);
        }
        return ratios;
    }

    /**
     * @return the median (the mean of the middle two for an even count), NaN when empty.
     */
    static double median(final double[] values)
    {
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private double medianOf(final String name, final java.util.function.ToDoubleFunction<LoadResult> figure)
    {
        return median(of(name).stream().mapToDouble(figure).toArray());
    }

    /**
     * Prints one line per server and one per baseline ratio (nothing when only one result).
     */
    void print(final PrintStream console)
    {
        if (results.size() < 2)
        {
            return;
        }
        console.printf(Locale.ROOT, "summary: medians of %d run(s); ratios taken within each run, then their median%n", of(ours).size());
        for (final String name : names())
        {
            console.printf(Locale.ROOT, "  %-14s throughput %,.0f/s  p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  approved %.1f%%%n", name,
                medianOf(name, LoadResult::throughput), medianOf(name, r -> r.latencyMs(50)), medianOf(name, r -> r.latencyMs(99)),
                medianOf(name, r -> r.latencyMs(99.9)), 100 * medianOf(name, LoadResult::approvedShare));
        }
        for (final String baseline : baselines)
        {
            final double[] throughput = throughputRatios(baseline);
            if (throughput.length == 0)
            {
                continue;
            }
            console.printf(Locale.ROOT, "  ours/%s: throughput %.2fx %s  p99 %.2fx %s (lower is better for p99)%n", baseline,
                median(throughput), list(throughput), median(p99Ratios(baseline)), list(p99Ratios(baseline)));
        }
    }

    /**
     * Adds the medians and the per-run ratios to the result's JSON.
     */
    void putJson(final ObjectNode json)
    {
        final ObjectNode summary = json.putObject("summary");
        for (final String name : names())
        {
            final ObjectNode server = summary.putObject(name);
            server.put("runs", of(name).size());
            ResultJson.putFigure(server, "throughputPerSecondMedian", medianOf(name, LoadResult::throughput));
            ResultJson.putFigure(server, "p99MsMedian", medianOf(name, r -> r.latencyMs(99)));
            ResultJson.putFigure(server, "approvedShareMedian", medianOf(name, LoadResult::approvedShare));
        }
        for (final String baseline : baselines)
        {
            final double[] throughput = throughputRatios(baseline);
            if (throughput.length == 0)
            {
                continue;
            }
            final ObjectNode ratio = summary.putObject("oursTo-" + baseline);
            ResultJson.putFigure(ratio, "throughputRatioMedian", median(throughput));
            ResultJson.putFigure(ratio, "p99RatioMedian", median(p99Ratios(baseline)));
            final ArrayNode runs = ratio.putArray("throughputRatios");
            for (final double value : throughput)
            {
                runs.add(value);
            }
        }
    }

    private List<String> names()
    {
        final List<String> names = new ArrayList<>();
        for (final LoadResult result : results)
        {
            if (!names.contains(result.name()))
            {
                names.add(result.name());
            }
        }
        return names;
    }

    private static String list(final double[] values)
    {
        final StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < values.length; i++)
        {
            text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", values[i]));
        }
        return text.append(')').toString();
    }
}
