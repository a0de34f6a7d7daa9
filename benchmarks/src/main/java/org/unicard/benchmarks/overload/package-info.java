/**
 * The overload run ({@code bin/unicard overload}): twice the switch's measured capacity offered to a
 * child switch process for a minute, its memory sampled every second, then a check that full
 * throughput returns.
 */
package org.unicard.benchmarks.overload;
