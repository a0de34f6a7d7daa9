package org.unicard.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry keeps what it is given: Micrometer holds gauge objects weakly, and a lambda nothing
 * else references would read NaN after the next garbage collection.
 */
class SwitchMetricsTest
{
    @Test
    void shouldKeepLambdaGaugesAndCountersAcrossGarbageCollection() throws Exception
    {
        final SwitchMetrics metrics = new SwitchMetrics(new RequestCounters());
        final long[] value = {7};
        metrics.gauge("test_gauge", "A gauge", () -> value[0]);
        metrics.counter("test_counter", "A counter", () -> value[0] + 1);

        for (int i = 0; i < 5; i++)
        {
            System.gc();
            Thread.sleep(20);
        }
        final String scrape = metrics.scrape();

        assertTrue(scrape.contains("test_gauge 7.0"), scrape);
        assertTrue(scrape.contains("test_counter_total 8.0"), scrape);
    }
}
