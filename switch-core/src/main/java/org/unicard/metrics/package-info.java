/**
 * Metrics: hot threads bump preallocated counters and a wait-free latency recorder, without locks
 * or allocation; the HTTP thread turns them into Micrometer meters and Prometheus text when
 * {@code /metrics} is scraped.
 */
package org.unicard.metrics;
