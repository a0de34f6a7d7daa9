package org.unicard.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts errors that can repeat (a stage's exception, a peer's broken connection) and tells the
 * caller which ones to log: the first of each distinct kind (exception class and message), so a
 * storm of the same error fills a counter, not the log. At most {@code maxDistinct} kinds are
 * remembered; beyond that, new kinds are only counted. Thread-safe; meant for error paths, never
 * for every request: several threads (ring stages, event loops) may report errors, so the count is
 * bumped under a lock that makes them its one writer at a time ({@link SingleWriterCounter}), and
 * the scrape reads it without the lock.
 */
public final class DistinctErrors
{
    private final SingleWriterCounter count = new SingleWriterCounter();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final int maxDistinct;

    /**
     * @param maxDistinct the most kinds remembered (and so logged).
     */
    public DistinctErrors(final int maxDistinct)
    {
        this.maxDistinct = maxDistinct;
    }

    /**
     * Counts one error.
     *
     * @param error what went wrong.
     * @return {@code true} when it is the first of its kind and should be logged.
     */
    public boolean first(final Throwable error)
    {
        return first(kind(error));
    }

    /**
     * Counts one error of a kind the caller names (when an error's message must not be logged).
     *
     * @param kind what went wrong, as it will be logged.
     * @return {@code true} when it is the first of its kind and should be logged.
     */
    public boolean first(final String kind)
    {
        synchronized (count)
        {
            count.increment();
        }
        return seen.size() < maxDistinct && seen.add(kind);
    }

    /**
     * @return the kind an error is logged under: its class and message, e.g.
     *         {@code java.io.IOException:Connection reset by peer}.
     */
    public static String kind(final Throwable error)
    {
        return error.getClass().getName() + ':' + error.getMessage();
    }

    /**
     * @return errors counted, logged or not.
     */
    public long count()
    {
        return count.get();
    }
}
