package org.unicard.benchmarks.load;

import java.util.Locale;

/**
 * With {@code ring.threads = shared} the switch's event loop runs the ring's stages too, so its CPU per
 * answer is both. This splits it: the loop's time inside the stages (wall time, which is CPU time while
 * the loop is not preempted, so a slight overestimate on a busy machine), which includes writing each
 * reply batch to its sockets (the reply stage does that itself on its own loop), and the rest: waiting
 * on epoll, reading, framing and publishing.
 */
final class SharedLoopSplit
{
    private SharedLoopSplit()
    {
    }

    /**
     * @param stagesNs  nanoseconds the loop spent in the stages over the measured window.
     * @param loopCpuNs CPU nanoseconds of the switch's event loops over the same window.
     * @param answers   answers in the window.
     * @return e.g. {@code shared event loop: ring stages 7.10, the rest 1.52 (µs per answer)}.
     */
    static String describe(final long stagesNs, final long loopCpuNs, final long answers)
    {
        final double per = Math.max(1, answers) * 1_000.0;
        return String.format(Locale.ROOT, "shared event loop: ring stages %.2f, the rest %.2f (µs per answer; stages as wall time)",
            stagesNs / per, Math.max(0, loopCpuNs - stagesNs) / per);
    }
}
