package org.unicard.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.HdrHistogram.Histogram;
import org.unicard.authorizer.ResponseCode;

/**
 * The switch's Micrometer registry in Prometheus form. Counters of the hot threads are exposed as
 * function counters read at scrape time; request counters are registered the first time a
 * combination of message class, terminal type and response code occurs, so the output holds
 * only series that exist. Latency is exposed as quantiles of everything recorded since start.
 * Used by the HTTP thread only.
 */
public final class SwitchMetrics
{
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999, 1.0};
    /** Upper bounds of the cumulative latency buckets, in seconds (Prometheus {@code le}). */
    private static final double[] BUCKETS_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestCounters requests;
    private final boolean[] requestSeriesRegistered;
    private final boolean[] processingCodeRegistered;
    private final boolean[] governorateRegistered;
    private final Histogram latency = new Histogram(1, RequestCounters.MAX_LATENCY_NS, 3);
    private Histogram interval;
    /**
     * Micrometer holds a gauge's or function counter's object weakly; the suppliers given here are
     * usually lambdas nothing else references, so they are kept here or they read NaN after a GC.
     */
    private final List<LongSupplier> suppliers = new ArrayList<>();

    public SwitchMetrics(final RequestCounters requests)
    {
        this.requests = requests;
        this.requestSeriesRegistered = new boolean[RequestCounters.MESSAGE_CLASSES.length * RequestCounters.TERMINAL_TYPES.length * RequestCounters.CODES];
        this.processingCodeRegistered = new boolean[RequestCounters.TYPES.length * RequestCounters.ACCOUNTS.length + 1];
        this.governorateRegistered = new boolean[RequestCounters.GOVERNORATES * 2];
        for (final double quantile : QUANTILES)
        {
            Gauge.builder("unicard_request_latency_seconds", () -> latency.getTotalCount() == 0 ? 0.0 :
                    latency.getValueAtPercentile(quantile * 100.0) / 1e9)
                .tag("quantile", Double.toString(quantile))
                .description("Frame arrival to reply, since start")
                .register(registry);
        }
        for (final double bound : BUCKETS_SECONDS)
        {
            final long boundNs = (long)(bound * 1e9);
            Gauge.builder("unicard_requests_answered_within_seconds", () -> latency.getCountBetweenValues(0, boundNs))
                .tag("le", Double.toString(bound))
                .description("Replies answered within le seconds of their frame's arrival, since start (cumulative histogram)")
                .register(registry);
        }
        Gauge.builder("unicard_requests_answered_within_seconds", latency::getTotalCount)
            .tag("le", "+Inf")
            .description("Replies answered within le seconds of their frame's arrival, since start (cumulative histogram)")
            .register(registry);
        FunctionCounter.builder("unicard_request_latency_count", latency, Histogram::getTotalCount)
            .description("Replies whose latency was recorded").register(registry);
    }

    /**
     * Adds a counter read at scrape time, usually from a hot thread's {@link SingleWriterCounter}.
     */
    public void counter(final String name, final String description, final LongSupplier value, final String... tags)
    {
        suppliers.add(value);
        FunctionCounter.builder(name, value, supplier -> supplier.getAsLong()).description(description).tags(tags).register(registry);
    }

    /**
     * Adds a gauge read at scrape time.
     */
    public void gauge(final String name, final String description, final LongSupplier value, final String... tags)
    {
        suppliers.add(value);
        Gauge.builder(name, value, supplier -> supplier.getAsLong()).description(description).tags(tags).register(registry);
    }

    /**
     * Adds the size of a directory's files (the journal) as a gauge.
     */
    public void directorySize(final String name, final Path directory)
    {
        gauge(name, "Bytes of the files in " + directory, () -> bytesIn(directory));
    }

    /**
     * @return the Prometheus text exposition, after folding in what the hot threads recorded.
     */
    public synchronized String scrape()
    {
        interval = requests.latencyRecorder().getIntervalHistogram(interval);
        latency.add(interval);
        for (int messageClass = 0; messageClass < RequestCounters.MESSAGE_CLASSES.length; messageClass++)
        {
            for (int type = 0; type < RequestCounters.TERMINAL_TYPES.length; type++)
            {
                for (int code = 0; code < RequestCounters.CODES; code++)
                {
                    final int index = (messageClass * RequestCounters.TERMINAL_TYPES.length + type) * RequestCounters.CODES + code;
                    if (!requestSeriesRegistered[index] && requests.count(messageClass, type, code) > 0)
                    {
                        requestSeriesRegistered[index] = true;
                        final int c = messageClass;
                        final int t = type;
                        final int r = code;
                        FunctionCounter.builder("unicard_requests", requests, counters -> counters.count(c, t, r))
                            .description("Requests answered, by message class, terminal type and response code")
                            .tag("mti", RequestCounters.MESSAGE_CLASSES[c])
                            .tag("terminal_type", RequestCounters.TERMINAL_TYPES[t])
                            .tag("response_code", ResponseCode.text(r))
                            .register(registry);
                    }
                }
            }
        }
        for (int index = 0; index < processingCodeRegistered.length; index++)
        {
            if (!processingCodeRegistered[index] && requests.processingCodeCount(index) > 0)
            {
                processingCodeRegistered[index] = true;
                final int i = index;
                FunctionCounter.builder("unicard_requests_by_processing_code", requests, counters -> counters.processingCodeCount(i))
                    .description("Requests answered, by processing code (type/account)")
                    .tag("processing_code", RequestCounters.processingCodeLabel(i))
                    .register(registry);
            }
        }
        for (int index = 0; index < governorateRegistered.length; index++)
        {
            final int governorate = index / 2;
            final boolean approved = index % 2 == 0;
            if (!governorateRegistered[index] && requests.governorateCount(governorate, approved) > 0)
            {
                governorateRegistered[index] = true;
                FunctionCounter.builder("unicard_requests_by_governorate", requests, counters -> counters.governorateCount(governorate, approved))
                    .description("Requests answered, by the terminal's governorate code (00: no terminal known) and outcome")
                    .tag("governorate", String.format("%02d", governorate))
                    .tag("outcome", approved ? "approved" : "declined")
                    .register(registry);
            }
        }
        return registry.scrape();
    }

    private static long bytesIn(final Path directory)
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(Files::isRegularFile).mapToLong(file ->
            {
                try
                {
                    return Files.size(file);
                }
                catch (final IOException ex)
                {
                    return 0;
                }
            }).sum();
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
