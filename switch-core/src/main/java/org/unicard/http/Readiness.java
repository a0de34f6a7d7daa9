package org.unicard.http;

import org.unicard.metrics.SingleWriterCounter;

/**
 * Where the switch is in starting up: loading data, replaying the journal, ready, or stopping.
 * Written by the starting thread, read by the HTTP thread.
 */
public final class Readiness
{
    private volatile String phase = "starting";
    private volatile String progress = "";
    private volatile boolean ready;
    /** Appended to {@code ready} in {@code /health} (e.g. a cluster member's {@code role=leader}); none by default. */
    private volatile java.util.function.Supplier<String> detail;
    /** The starting thread's count for {@code unicard_replay_records}. */
    private final SingleWriterCounter replayedRecords = new SingleWriterCounter();

    public void phase(final String newPhase, final String newProgress)
    {
        phase = newPhase;
        progress = newProgress;
    }

    public void progress(final String newProgress)
    {
        progress = newProgress;
    }

    public void ready()
    {
        phase = "ready";
        progress = "";
        ready = true;
    }

    /**
     * @param newDetail what {@code /health} shows after {@code ready} (e.g. {@code role=follower leader=0}).
     */
    public void detail(final java.util.function.Supplier<String> newDetail)
    {
        detail = newDetail;
    }

    /**
     * @return {@code ""}, or a space and the detail.
     */
    public String detailText()
    {
        final java.util.function.Supplier<String> current = detail;
        return current == null ? "" : " " + current.get();
    }

    public void stopping()
    {
        ready = false;
        phase = "stopping";
    }

    public void replayed(final long records)
    {
        replayedRecords.set(records);
        progress = "records=" + records;
    }

    public long replayedRecords()
    {
        return replayedRecords.get();
    }

    public boolean isReady()
    {
        return ready;
    }

    public String phase()
    {
        return phase;
    }

    public String progressText()
    {
        return progress;
    }
}
