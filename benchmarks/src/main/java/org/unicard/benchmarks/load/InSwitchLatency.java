package org.unicard.benchmarks.load;

import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * The switch's own view of a load test's measured window: from a request frame's arrival on the
 * event loop to its reply being encoded on the ring (the switch's latency recorder). Set beside
 * the generator's coordinated-omission-corrected latency, it tells time spent in the switch's
 * stages from time spent before a frame is read (the sender late, the event loop not scheduled,
 * the socket) and after the reply is encoded (the write, the generator's read).
 */
final class InSwitchLatency
{
    private InSwitchLatency()
    {
    }

    /**
     * @param window the recorder's interval histogram over the measured window, or null.
     * @return e.g. {@code arrival -> reply encoded ms p50=0.041 p99=0.210 p99.9=1.204 max=3.100 (n=200000)}.
     */
    static String describe(final Histogram window)
    {
        if (window == null || window.getTotalCount() == 0)
        {
            return "no answers recorded in the window";
        }
        return String.format(Locale.ROOT, "arrival -> reply encoded ms p50=%.3f p99=%.3f p99.9=%.3f max=%.3f (n=%d)",
            window.getValueAtPercentile(50) / 1e6, window.getValueAtPercentile(99) / 1e6,
            window.getValueAtPercentile(99.9) / 1e6, window.getMaxValue() / 1e6, window.getTotalCount());
    }
}
