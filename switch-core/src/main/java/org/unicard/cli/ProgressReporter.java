package org.unicard.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work (generate, import, replay, settle) for a person watching. On a terminal it
 * rewrites one line in place, at most every {@link #TERMINAL_INTERVAL_NS}, with the rate and the
 * time left; otherwise (a log file, a pipe) it writes a plain line at most every
 * {@link #PLAIN_INTERVAL_NS}, and a closing line only for a task that printed one before, so short
 * work stays silent.
 * <p>
 * One task at a time, on one thread: a new task name starts a new rate. Meant for callbacks that
 * come every few thousand items, never for the request path. For example, on a terminal:
 * <pre>
 * import cards.csv 65536/140000 (47%) 250000 rows/s eta 1s
 * </pre>
 */
public final class ProgressReporter
{
    /** Shortest time between two updates of the line on a terminal. */
    public static final long TERMINAL_INTERVAL_NS = 500_000_000L;
    /** Shortest time between two plain lines when the output is not a terminal. */
    public static final long PLAIN_INTERVAL_NS = 5_000_000_000L;
    private static final int LINE_WIDTH = 79;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private String task;
    private String finished;
    private long startNs;
    private long lastPrintNs;
    private boolean printed;
    private boolean lineOpen;

    /**
     * @param out      where the lines go.
     * @param terminal {@code true} to rewrite one line in place, {@code false} for plain lines.
     * @param nanoTime the clock, {@link System#nanoTime()} outside tests.
     */
    public ProgressReporter(final PrintWriter out, final boolean terminal, final LongSupplier nanoTime)
    {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    /**
     * @param out where the lines go; in place when this process runs on a terminal.
     * @return a reporter on the system clock.
     */
    public static ProgressReporter forConsole(final PrintWriter out)
    {
        return new ProgressReporter(out, System.console() != null && System.console().isTerminal(), System::nanoTime);
    }

    /**
     * Reports how far a task has got; prints only when the interval has passed. Reaching the total
     * finishes the task; reports of a finished task are ignored until another task begins.
     *
     * @param taskName what is being done, e.g. {@code import cards.csv}.
     * @param unit     what is counted, e.g. {@code rows}.
     * @param done     items done so far.
     * @param total    items in all, or a negative number when unknown (no percentage, no ETA).
     */
    public void update(final String taskName, final String unit, final long done, final long total)
    {
        if (taskName.equals(finished))
        {
            return;
        }
        final long nowNs = nanoTime.getAsLong();
        begin(taskName, nowNs);
        if (total >= 0 && done >= total)
        {
            finish(taskName, unit, done, total);
            return;
        }
        if (nowNs - lastPrintNs < (terminal ? TERMINAL_INTERVAL_NS : PLAIN_INTERVAL_NS))
        {
            return;
        }
        lastPrintNs = nowNs;
        print(line(taskName, unit, done, total, nowNs - startNs), false);
    }

    /**
     * Ends a task: closes the line on a terminal; in plain mode prints a last line only when the
     * task printed one before. Finishing a finished task again does nothing.
     *
     * @param taskName what was done.
     * @param unit     what was counted.
     * @param done     items done.
     * @param total    items in all, or negative when unknown.
     */
    public void finish(final String taskName, final String unit, final long done, final long total)
    {
        if (taskName.equals(finished))
        {
            return;
        }
        final long nowNs = nanoTime.getAsLong();
        begin(taskName, nowNs);
        if (terminal || printed)
        {
            print(line(taskName, unit, done, total, nowNs - startNs), true);
        }
        task = null;
        finished = taskName;
    }

    private void begin(final String taskName, final long nowNs)
    {
        if (taskName.equals(task))
        {
            return;
        }
        if (lineOpen)
        {
            out.println();
            lineOpen = false;
        }
        task = taskName;
        finished = null;
        startNs = nowNs;
        lastPrintNs = nowNs;
        printed = false;
    }

    private void print(final String line, final boolean last)
    {
        if (terminal)
        {
            out.print("\r" + String.format(Locale.ROOT, "%-" + LINE_WIDTH + "s", line));
            if (last)
            {
                out.println();
            }
            lineOpen = !last;
        }
        else
        {
            out.println(line);
        }
        printed = true;
        out.flush();
    }

    /**
     * @return the progress line, e.g. {@code households 1200/42000 (3%) 800 households/s eta 49s}; without
     *         rate and ETA when no time has passed since the task began.
     */
    static String line(final String taskName, final String unit, final long done, final long total, final long elapsedNs)
    {
        if (elapsedNs <= 0)
        {
            // A task whose first report is its last has no time to measure a rate over.
            return total < 0 ? String.format(Locale.ROOT, "%s %d %s", taskName, done, unit) :
                String.format(Locale.ROOT, "%s %d/%d (%d%%)", taskName, done, total, percent(done, total));
        }
        final double seconds = elapsedNs / 1e9;
        final double rate = done / seconds;
        if (total < 0)
        {
            return String.format(Locale.ROOT, "%s %d %s %.0f %s/s", taskName, done, unit, rate, unit);
        }
        final String eta = done >= total ? "0s" : rate > 0 ? duration((total - done) / rate) : "?";
        return String.format(Locale.ROOT, "%s %d/%d (%d%%) %.0f %s/s eta %s", taskName, done, total, percent(done, total), rate, unit,
            eta);
    }

    private static long percent(final long done, final long total)
    {
        return total == 0 ? 100 : Math.min(100, done * 100 / total);
    }

    /**
     * @return seconds as {@code 42s}, {@code 3m07s} or {@code 2h05m}.
     */
    static String duration(final double seconds)
    {
        final long s = (long)Math.ceil(seconds);
        if (s < 60)
        {
            return s + "s";
        }
        if (s < 3600)
        {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
