package org.unicard.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time of every thread of this JVM over the measured window of a load run, grouped by role, so
 * that a run prints microseconds of CPU per answered request per stage (the robust figure on a shared
 * machine: it does not depend on how much of the cores the run got). With {@code --self} and
 * {@code --compare-jpos} the server runs in this JVM, so its threads are here too.
 * <p>
 * Roles by thread name: {@code unicard-*} ring threads by name; the switch's Netty event loops
 * ({@code multiThreadIoEventLoopGroup-*}, which with {@code ring.threads = shared} also run the
 * ring's stages); the generator's sender ({@code main}) and event loop ({@code loadgen-io-*});
 * jPOS's session threads (pool threads); the JIT compilers; G1; the rest.
 */
final class ThreadCpu
{
    /** The role of the switch's Netty event loops. */
    static final String SWITCH_EVENT_LOOP = "switch event loop";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.ThreadMXBean ALLOCATIONS = THREADS instanceof com.sun.management.ThreadMXBean bean &&
        bean.isThreadAllocatedMemorySupported() ? bean : null;

    private long startUptimeMs;
    private long endUptimeMs;
    private Map<Long, Long> start = Map.of();
    private Map<Long, Long> end = Map.of();
    private Map<Long, Long> allocatedAtStart = Map.of();
    private Map<Long, Long> allocatedAtEnd = Map.of();
    private final Map<Long, String> names = new HashMap<>();

    /**
     * Sender thread: at the start of the measured window.
     */
    void start()
    {
        startUptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
        start = snapshot(false);
        allocatedAtStart = allocated();
    }

    /**
     * Sender thread: at its end.
     */
    void end()
    {
        endUptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
        end = snapshot(true);
        allocatedAtEnd = allocated();
    }

    /**
     * @return the measured window in JVM uptime seconds ("12.3-22.3 s"), to find its GC pauses in a
     *         {@code -Xlog:gc:file=F:uptime} log.
     */
    String window()
    {
        return String.format(Locale.ROOT, "%.3f-%.3f s", startUptimeMs / 1e3, endUptimeMs / 1e3);
    }

    /**
     * @param ownFirst read the calling thread's CPU before the others' (at the window's end), else after
     *                 them (at its start), so that the snapshot's own cost (a {@code ThreadInfo} per live
     *                 thread: milliseconds in a test JVM that has run many switches) stays out of the window.
     */
    private Map<Long, Long> snapshot(final boolean ownFirst)
    {
        final Map<Long, Long> cpu = new HashMap<>();
        if (!THREADS.isThreadCpuTimeSupported())
        {
            return cpu;
        }
        final Thread self = Thread.currentThread();
        names.put(self.threadId(), self.getName());
        if (ownFirst)
        {
            cpu.put(self.threadId(), THREADS.getCurrentThreadCpuTime());
        }
        for (final ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds()))
        {
            if (info == null || info.getThreadId() == self.threadId())
            {
                continue;
            }
            final long ns = THREADS.getThreadCpuTime(info.getThreadId());
            if (ns >= 0)
            {
                cpu.put(info.getThreadId(), ns);
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        if (!ownFirst)
        {
            cpu.put(self.threadId(), THREADS.getCurrentThreadCpuTime());
        }
        return cpu;
    }

    /**
     * @return heap bytes each live thread has allocated so far (empty when the JVM cannot tell).
     */
    private Map<Long, Long> allocated()
    {
        final Map<Long, Long> bytes = new HashMap<>();
        if (ALLOCATIONS == null)
        {
            return bytes;
        }
        for (final long id : THREADS.getAllThreadIds())
        {
            final long allocated = ALLOCATIONS.getThreadAllocatedBytes(id);
            if (allocated >= 0)
            {
                bytes.put(id, allocated);
            }
        }
        return bytes;
    }

    /**
     * @return heap bytes allocated over the window by role, largest first.
     */
    Map<String, Long> allocatedByRole()
    {
        return byRole(allocatedAtStart, allocatedAtEnd);
    }

    /**
     * @return CPU nanoseconds over the window by role, largest first; only Java threads (the JIT and
     *         G1 threads are not visible to the thread bean, so they are missing here).
     */
    Map<String, Long> byRole()
    {
        return byRole(start, end);
    }

    private Map<String, Long> byRole(final Map<Long, Long> first, final Map<Long, Long> last)
    {
        final Map<String, Long> roles = new HashMap<>();
        for (final Map.Entry<Long, Long> entry : last.entrySet())
        {
            final long amount = entry.getValue() - first.getOrDefault(entry.getKey(), 0L);
            if (amount > 0)
            {
                roles.merge(role(names.get(entry.getKey())), amount, Long::sum);
            }
        }
        final Map<String, Long> sorted = new LinkedHashMap<>();
        roles.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEachOrdered(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    static String role(final String name)
    {
        if (name == null)
        {
            return "other";
        }
        if (name.startsWith("unicard-"))
        {
            return "switch " + name.substring("unicard-".length());
        }
        if (name.startsWith("multiThreadIoEventLoopGroup"))
        {
            return SWITCH_EVENT_LOOP;
        }
        if (name.startsWith("loadgen-io"))
        {
            return "generator event loop";
        }
        if (name.equals("main"))
        {
            return "generator sender";
        }
        if (name.startsWith("pool-") || name.startsWith("ThreadPool") || name.contains("jpos") || name.startsWith("ISOServer"))
        {
            return "jpos sessions";
        }
        return "other";
    }

    /**
     * @param answers answered requests in the window.
     * @return e.g. "switch ring 9.80 µs, switch event loop 2.10 µs, ..." per answered request.
     */
    String perAnswer(final long answers)
    {
        final StringBuilder text = new StringBuilder();
        for (final Map.Entry<String, Long> entry : byRole().entrySet())
        {
            final double us = entry.getValue() / 1_000.0 / Math.max(1, answers);
            if (us >= 0.05)
            {
                text.append(text.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f", entry.getKey(), us));
            }
        }
        return text.append(" (µs of CPU per answer; JVM uptime of the window ").append(window()).append(')').toString();
    }

    /**
     * @param answers answered requests in the window.
     * @return e.g. "generator event loop 0.31, other 0.02 (bytes allocated per answer)": every role that
     *         allocated over the window, however little, and the switch's roles even when they allocated
     *         nothing (the request path's promise, seen in a live run).
     */
    String allocatedPerAnswer(final long answers)
    {
        final Map<String, Long> allocated = allocatedByRole();
        final StringBuilder text = new StringBuilder();
        for (final String role : byRole().keySet())
        {
            final long bytes = allocated.getOrDefault(role, 0L);
            if (bytes > 0 || role.startsWith("switch "))
            {
                text.append(text.isEmpty() ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.2f", role, bytes / (double)Math.max(1, answers)));
            }
        }
        return text.append(" (bytes of heap allocated per answer over the window)").toString();
    }
}
