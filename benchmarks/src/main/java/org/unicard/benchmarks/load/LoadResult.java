package org.unicard.benchmarks.load;

import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one load run: what was sent and answered, the response codes, the latency
 * histogram (microseconds, from each request's intended send time) and the correctness check.
 *
 * @param name        what was measured (e.g. "unicard", "jpos").
 * @param mode        "closed", "open", or "open-spin" (open, the generator's event loop polling: {@code --spin}).
 * @param connections connections used.
 * @param inFlight    window per connection.
 * @param rate        the open-loop rate asked for, or {@code null}.
 * @param seconds     measured time.
 * @param sent        requests sent, warm-up included.
 * @param received    responses matched, warm-up included.
 * @param measured    responses to requests intended within the measured time.
 * @param codes       counts of measured responses by field 39.
 * @param missing     requests that got no response.
 * @param unmatched   responses that matched no outstanding request (or were not valid messages).
 * @param unexpected  measured responses with a code this workload should not see.
 * @param behind      open loop: requests due within the measured time that were never sent (the windows
 *                    were full); they are in the histogram with a lower bound of their latency, not in
 *                    the throughput.
 * @param latencyUs   latency of the measured responses.
 */
public record LoadResult(
    String name,
    String mode,
    int connections,
    int inFlight,
    Double rate,
    double seconds,
    long sent,
    long received,
    long measured,
    long[] codes,
    long missing,
    long unmatched,
    long unexpected,
    long behind,
    Histogram latencyUs)
{
    /**
     * @return measured responses per second.
     */
    public double throughput()
    {
        return seconds > 0 ? measured / seconds : 0;
    }

    /**
     * @return approved measured responses.
     */
    public long approved()
    {
        return codes[0];
    }

    /**
     * @return whether every request got exactly one matching response with an expected code.
     */
    public boolean pass()
    {
        return missing == 0 && unmatched == 0 && unexpected == 0 && sent == received;
    }

    /**
     * @param percentile e.g. 99.9.
     * @return the latency at it in milliseconds.
     */
    public double latencyMs(final double percentile)
    {
        return latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * @return the largest latency in milliseconds.
     */
    public double maxMs()
    {
        return latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getMaxValue() / 1000.0;
    }

    /**
     * @return approved measured responses as a share of all measured responses (0 when none).
     */
    public double approvedShare()
    {
        return measured == 0 ? 0 : (double)approved() / measured;
    }

    /**
     * @return the human summary printed after a run.
     */
    public String summary()
    {
        final StringBuilder codeText = new StringBuilder();
        for (int code = 0; code < codes.length; code++)
        {
            if (codes[code] > 0)
            {
                codeText.append(String.format(Locale.ROOT, " %02d=%d", code, codes[code]));
            }
        }
        return String.format(Locale.ROOT,
            "%s: %s, %d connections x %d in flight%s, %.1f s measured%n" +
            "  throughput %,.0f/s  approved %,d of %,d (%.1f%%)  codes:%s%n" +
            "  latency ms p50=%.3f p99=%.3f p99.9=%.3f max=%.3f%n" +
            "  check: sent=%d received=%d missing=%d unmatched=%d unexpected=%d%s -> %s",
            name, modeText(), connections, inFlight, rate == null ? "" : String.format(Locale.ROOT, " at %,.0f/s", rate), seconds,
            throughput(), approved(), measured, 100.0 * approvedShare(), codeText, latencyMs(50), latencyMs(99), latencyMs(99.9), maxMs(),
            sent, received, missing, unmatched, unexpected, rate == null ? "" : " behindSchedule=" + behind,
            pass() ? "PASS" : "FAIL");
    }

    private String modeText()
    {
        return switch (mode)
        {
            case "open-spin" -> "open loop (generator spinning)";
            default -> mode + " loop";
        };
    }

    /**
     * @return this result as a JSON object (Jackson's tree model; {@link ResultJson} writes it).
     */
    public ObjectNode toJson()
    {
        final ObjectNode json = ResultJson.MAPPER.createObjectNode()
            .put("name", name)
            .put("mode", mode)
            .put("connections", connections)
            .put("inFlight", inFlight);
        ResultJson.putFigure(json, "rate", rate);
        ResultJson.putFigure(json, "seconds", seconds);
        json.put("sent", sent)
            .put("received", received)
            .put("measured", measured);
        ResultJson.putFigure(json, "throughputPerSecond", throughput());
        json.put("approved", approved());
        ResultJson.putFigure(json, "approvedShare", approvedShare());
        final ObjectNode codeCounts = json.putObject("codes");
        for (int code = 0; code < codes.length; code++)
        {
            if (codes[code] > 0)
            {
                codeCounts.put(String.format(Locale.ROOT, "%02d", code), codes[code]);
            }
        }
        final ObjectNode latency = json.putObject("latencyMs");
        ResultJson.putFigure(latency, "p50", latencyMs(50));
        ResultJson.putFigure(latency, "p90", latencyMs(90));
        ResultJson.putFigure(latency, "p99", latencyMs(99));
        ResultJson.putFigure(latency, "p99.9", latencyMs(99.9));
        ResultJson.putFigure(latency, "p99.99", latencyMs(99.99));
        ResultJson.putFigure(latency, "max", maxMs());
        json.putObject("check")
            .put("missing", missing)
            .put("unmatched", unmatched)
            .put("unexpected", unexpected)
            .put("behindSchedule", behind)
            .put("pass", pass());
        return json;
    }
}
