package org.unicard.authorizer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.unicard.state.StateVisitor;

/**
 * Where each decided request's record sits in the journal: authorizer sequence to queue index.
 * Requests are journaled in sequence order, and a journal's queue indexes run on by one within a
 * roll cycle, so the map is a list of runs ({@code first sequence, its queue index}); a new run
 * starts only when the index does not follow on (a new cycle, or a GENESIS or RULES record in
 * between). A day of traffic is a handful of runs, so this takes no memory per request.
 * <p>
 * One writer (the journal stage live; the replaying thread during replay) and one reader (the
 * authorizer's thread, through the journal lookup): a run's fields are written before the run count
 * is published with a release store and read after an acquire load, and the reader only answers for
 * sequences up to the last one published. At most {@link #MAX_RUNS} runs are kept; the reader
 * searches the newest half of them, so a writer lapping the ring can never be read mid-write.
 */
public final class RecordPositions
{
    /** Runs kept (a power of two); the newest half is searched. */
    public static final int MAX_RUNS = 1 << 16;

    private static final int MASK = MAX_RUNS - 1;
    private static final VarHandle RUNS;
    private static final VarHandle LAST_SEQUENCE;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            RUNS = lookup.findVarHandle(RecordPositions.class, "runs", long.class);
            LAST_SEQUENCE = lookup.findVarHandle(RecordPositions.class, "lastSequence", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long[] runSequence = new long[MAX_RUNS];
    private final long[] runIndex = new long[MAX_RUNS];
    @SuppressWarnings("unused") // through RUNS
    private long runs;
    @SuppressWarnings("unused") // through LAST_SEQUENCE
    private long lastSequence;
    private long lastIndex = -1;

    /**
     * Writer: the record of a request is in the journal at a queue index.
     *
     * @param sequence   the request's authorizer sequence (each one once, in order).
     * @param queueIndex where its record is.
     */
    public void recorded(final long sequence, final long queueIndex)
    {
        final long count = (long)RUNS.getOpaque(this);
        final long previous = (long)LAST_SEQUENCE.getOpaque(this);
        if (count == 0 || sequence != previous + 1 || queueIndex != lastIndex + 1)
        {
            final int slot = (int)(count & MASK);
            runSequence[slot] = sequence;
            runIndex[slot] = queueIndex;
            RUNS.setRelease(this, count + 1);
        }
        lastIndex = queueIndex;
        LAST_SEQUENCE.setRelease(this, sequence);
    }

    /**
     * Reader.
     *
     * @param sequence an authorizer sequence.
     * @return the queue index of its record, or -1 when it is not journaled yet or no longer
     * located (older than the runs kept).
     */
    public long indexOf(final long sequence)
    {
        final long published = (long)LAST_SEQUENCE.getAcquire(this);
        final long count = (long)RUNS.getAcquire(this);
        if (sequence < 1 || sequence > published || count == 0)
        {
            return -1;
        }
        long low = Math.max(0, count - MAX_RUNS / 2);
        long high = count - 1;
        if (runSequence[(int)(low & MASK)] > sequence)
        {
            return -1;
        }
        while (low < high)
        {
            final long middle = (low + high + 1) >>> 1;
            if (runSequence[(int)(middle & MASK)] <= sequence)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        final int slot = (int)(low & MASK);
        return runIndex[slot] + (sequence - runSequence[slot]);
    }

    /**
     * @return runs recorded since the beginning.
     */
    public long runs()
    {
        return (long)RUNS.getAcquire(this);
    }

    /**
     * Forgets every run: the state was loaded from another member's snapshot, whose queue indexes
     * are not this journal's (a sequence recorded before is then not located: {@link #indexOf} -1).
     * Never while a writer records.
     */
    public void clear()
    {
        RUNS.setRelease(this, 0L);
        lastIndex = -1;
        LAST_SEQUENCE.setRelease(this, 0L);
    }

    /**
     * Saves or loads the runs for a snapshot; never while a writer records.
     *
     * @param visitor copies the columns out or fills them in.
     */
    public void visitState(final StateVisitor visitor)
    {
        RUNS.setRelease(this, visitor.scalar((long)RUNS.getAcquire(this)));
        lastIndex = visitor.scalar(lastIndex);
        visitor.longs(runSequence);
        visitor.longs(runIndex);
        LAST_SEQUENCE.setRelease(this, visitor.scalar((long)LAST_SEQUENCE.getAcquire(this)));
    }
}
