/**
 * The end-to-end load generator ({@code bin/unicard loadtest}): simulated bakery and grocer
 * terminals pipelining purchases over TCP, closed or open loop, with latency accounted from each
 * request's intended send time, a correctness check, and JSON and HTML reports.
 */
package org.unicard.benchmarks.load;
