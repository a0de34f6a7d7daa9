package org.unicard.benchmarks.load;

import java.util.Locale;

/**
 * With {@code ring.threads = shared} the switch's event loop runs the ring's stages too, so its CPU per
 * answer is both. This splits it into the ring's work (decode, authorize, journal, encode and MAC: the
 * stages' time less their socket writes) and the event loop's own (waiting on epoll, reading, framing,
 * publishing, and writing each reply batch to its socket, which the reply stage does itself on its own
 * loop). The stages and the writes are timed as wall time, which is CPU time while the loop is not
 * preempted, so on a busy machine the ring's share is slightly overestimated.
 */
final class SharedLoopSplit
{
    private SharedLoopSplit()
    {
    }

    /**
     * @param stagesNs  nanoseconds the loop spent in the stages over the measured window.
     * @param writesNs  nanoseconds of those spent writing replies to sockets.
     * @param loopCpuNs CPU nanoseconds of the switch's event loops over the same window.
     * @param answers   answers in the window.
     * @return e.g. {@code shared event loop: ring 6.10, event loop 1.50 (of it socket writes 1.00) (µs per answer;
     *         stages timed as wall time)}.
     */
    static String describe(final long stagesNs, final long writesNs, final long loopCpuNs, final long answers)
    {
        final double per = Math.max(1, answers) * 1_000.0;
        return String.format(Locale.ROOT,
            "shared event loop: ring %.2f, event loop %.2f (of it socket writes %.2f) (µs per answer; stages timed as wall time)",
            (stagesNs - writesNs) / per, (Math.max(0, loopCpuNs - stagesNs) + writesNs) / per, writesNs / per);
    }
}
