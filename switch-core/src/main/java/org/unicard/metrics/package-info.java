/**
 * Metrics: the switch's one way to count ({@link org.unicard.metrics.SingleWriterCounter}, and
 * {@link org.unicard.metrics.SingleWriterCounterArray} for a grid of counts: Agrona counters that
 * one thread bumps with release stores, without locks or allocation) and a wait-free latency
 * recorder; {@link org.unicard.metrics.SwitchMetricsBinder} publishes them to Micrometer, and the
 * HTTP thread turns them into Prometheus text when {@code /metrics} is scraped.
 */
package org.unicard.metrics;
