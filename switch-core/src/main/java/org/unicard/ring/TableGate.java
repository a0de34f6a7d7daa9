package org.unicard.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps the ring stages that read the tables (decode and reply) out of them while a thread outside
 * the ring changes them: a cluster member's clustered service applying a change batch (spec §12) at
 * its log position. On a single machine the decode stage applies batches itself, after the later
 * stages have drained, and no gate is installed.
 * <p>
 * Each reading stage holds a {@link Reader} and calls {@link Reader#enter()} before an event and
 * {@link Reader#exit()} after it; the writer calls {@link #close()}, changes the tables, and calls
 * {@link #open()}. Dekker's handshake on two volatile fields: a reader announces itself, then looks
 * at the gate; the writer closes the gate, then waits for every announced reader to leave. One of the
 * two always sees the other's store, so a reader is never inside while the writer writes. A reader
 * never waits inside an event (the writer waits at most one event per reader), and the writer never
 * waits on a reader that waits on it: the stages that wait for the writer's decisions (a cluster
 * member's stage 3) are not readers. On the hot path it costs one volatile store and one volatile
 * load per event, and allocates nothing.
 */
public final class TableGate
{
    private static final VarHandle INSIDE;
    /** The writer gives up waiting for a reader after this long: a reader stuck inside one event is a bug. */
    private static final long CLOSE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    static
    {
        try
        {
            INSIDE = MethodHandles.lookup().findVarHandle(Reader.class, "inside", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Reader[] readers;
    private volatile boolean closed;

    /**
     * @param readerCount the stages that read the tables (each takes one {@link #reader(int)}).
     */
    public TableGate(final int readerCount)
    {
        if (readerCount < 1 || readerCount > 8)
        {
            throw new IllegalArgumentException("readerCount=" + readerCount + " range=[1,8]");
        }
        readers = new Reader[readerCount];
        for (int i = 0; i < readerCount; i++)
        {
            readers[i] = new Reader(this);
        }
    }

    /**
     * @return reader {@code index}, for one stage (one thread) only.
     */
    public Reader reader(final int index)
    {
        return readers[index];
    }

    /**
     * Closes the gate and waits until no reader is inside an event. One writer at a time.
     *
     * @throws IllegalStateException when a reader stays inside for {@link #CLOSE_TIMEOUT_NS} (the gate is opened again).
     */
    public void close()
    {
        closed = true;
        final long deadlineNs = System.nanoTime() + CLOSE_TIMEOUT_NS;
        for (int i = 0; i < readers.length; i++)
        {
            for (int spins = 0; (int)INSIDE.getVolatile(readers[i]) != 0; spins++)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    closed = false;
                    throw new IllegalStateException("table gate: reader=" + i + " still inside an event after "
                        + TimeUnit.NANOSECONDS.toMillis(CLOSE_TIMEOUT_NS) + " ms");
                }
                pause(spins);
            }
        }
    }

    /** Lets the readers in again. */
    public void open()
    {
        closed = false;
    }

    /**
     * @return whether the gate is closed now.
     */
    public boolean isClosed()
    {
        return closed;
    }

    private static void pause(final int spins)
    {
        if (spins < 200)
        {
            Thread.onSpinWait();
        }
        else
        {
            LockSupport.parkNanos(20_000);
        }
    }

    /** One reading stage's side of the gate. */
    public static final class Reader
    {
        private final TableGate gate;
        @SuppressWarnings("unused")
        private volatile int inside;

        private Reader(final TableGate gate)
        {
            this.gate = gate;
        }

        /** Before an event that reads the tables: waits while the gate is closed. */
        public void enter()
        {
            INSIDE.setVolatile(this, 1);
            if (gate.closed)
            {
                INSIDE.setRelease(this, 0);
                for (int spins = 0; ; spins++)
                {
                    if (!gate.closed)
                    {
                        INSIDE.setVolatile(this, 1);
                        if (!gate.closed)
                        {
                            return;
                        }
                        INSIDE.setRelease(this, 0);
                    }
                    pause(spins);
                }
            }
        }

        /** After the event. */
        public void exit()
        {
            INSIDE.setRelease(this, 0);
        }
    }
}
