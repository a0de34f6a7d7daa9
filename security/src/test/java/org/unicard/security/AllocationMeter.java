package org.unicard.security;

import java.lang.management.ManagementFactory;

/**
 * Counts the bytes the current thread allocates while running an action, less the cost of the
 * measurement itself (calibrated by measuring an empty action).
 */
final class AllocationMeter
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    /** Runs of a 1,000-iteration action: enough calls for the JIT to compile the code under test. */
    static final int WARM_UP_RUNS = 30;

    private AllocationMeter()
    {
    }

    /**
     * @param warmUp  runs of the action before measuring, so that what it calls is compiled.
     * @param action  the code under test (it should loop internally).
     * @return the fewest bytes allocated by one run of the action over a few attempts, less the
     *         measurement overhead.
     */
    static long bytesAllocatedBy(final int warmUp, final Runnable action)
    {
        final Runnable empty = () -> {};
        for (int i = 0; i < warmUp; i++)
        {
            action.run();
            empty.run();
        }
        long overhead = Long.MAX_VALUE;
        long measured = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            overhead = Math.min(overhead, measure(empty));
            measured = Math.min(measured, measure(action));
        }
        return measured - overhead;
    }

    private static long measure(final Runnable action)
    {
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        action.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
