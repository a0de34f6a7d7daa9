package org.unicard.ring;

import java.util.concurrent.atomic.AtomicLong;

import com.lmax.disruptor.EventHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.listener.Connection;
import org.unicard.listener.ListenerKind;
import org.unicard.reply.MacTerminals;
import org.unicard.reply.ResponseEncoder;
import org.unicard.metrics.RequestCounters;
import org.unicard.state.TerminalTable;

/**
 * Ring stage 4: encodes each response, queues it on its connection, and at the end of a batch asks
 * every connection it touched to flush once, with one wake-up per event loop for the whole batch. Operator commands complete their waiting HTTP call.
 */
public final class ReplyEventHandler implements EventHandler<RequestEvent>
{
    private final ResponseEncoder encoder;
    private final TerminalTable terminals;
    private final ReplyCounters counters;
    private final RequestCounters requests;
    private final Connection[] touched;
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[8]);
    /** The response being encoded: this stage's own, so its lines are in this core's cache (see {@link RequestEvent}). */
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[RequestEvent.MAX_RESPONSE_BYTES]);
    private int touchedCount;
    private long directSequence;
    private TableGate.Reader gate;
    /**
     * Nanoseconds spent writing replies to sockets of this thread's own loop (the shared layout), published
     * with a release store after each batch for the load test's split of the loop's time.
     */
    private final AtomicLong onLoopWriteNs = new AtomicLong();

    /**
     * @param encoder   encodes responses.
     * @param terminals for the MAC key of a response's terminal.
     * @param counters  counts responses and drops.
     * @param requests  counts answers by kind and records their latency.
     * @param ringSize  the ring's size (the most connections one batch can touch).
     */
    public ReplyEventHandler(
        final ResponseEncoder encoder,
        final TerminalTable terminals,
        final ReplyCounters counters,
        final RequestCounters requests,
        final int ringSize)
    {
        this.encoder = encoder;
        this.terminals = terminals;
        this.counters = counters;
        this.requests = requests;
        this.touched = new Connection[ringSize];
    }

    /**
     * Makes this stage keep out of the terminal table while a thread outside the ring changes it (a
     * cluster member's change batches, {@link TableGate}). Call before the ring starts.
     */
    public void gate(final TableGate.Reader reader)
    {
        gate = reader;
    }

    @Override
    public void onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.kind == RequestEvent.KIND_CHANGES)
        {
            event.changes.complete();
            event.changes = null;
        }
        else if (event.kind == RequestEvent.KIND_OPERATOR)
        {
            final AuthOutcome copy = new AuthOutcome();
            copy.copyFrom(event.outcome);
            event.operator.result().complete(copy);
            event.operator = null;
        }
        else if (gate == null)
        {
            reply(event);
        }
        else
        {
            gate.enter();
            try
            {
                reply(event);
            }
            finally
            {
                gate.exit();
            }
        }
        if (endOfBatch)
        {
            // Queue every connection first, then wake each event loop: the first wake-up of a loop
            // drains all its connections, and the later calls find it already scheduled.
            // A connection on this thread's own event loop (the shared layout) is written here and now.
            long writeNs = 0;
            for (int i = 0; i < touchedCount; i++)
            {
                if (touched[i].repliesOnLoop())
                {
                    final long startNs = System.nanoTime();
                    touched[i].flushOnLoop();
                    writeNs += System.nanoTime() - startNs;
                }
                else
                {
                    touched[i].queueFlush();
                }
            }
            for (int i = 0; i < touchedCount; i++)
            {
                if (!touched[i].repliesOnLoop())
                {
                    touched[i].wakeFlusher();
                }
                touched[i].clearTouched();
                touched[i] = null;
            }
            touchedCount = 0;
            if (writeNs > 0)
            {
                onLoopWriteNs.lazySet(onLoopWriteNs.get() + writeNs);
            }
        }
    }

    /**
     * @return nanoseconds spent so far writing reply batches to the sockets of this stage's own event loop
     *         (the shared layout, where they are part of the stages' time; 0 in the other layouts, whose
     *         loops write on their own).
     */
    public long onLoopWriteNs()
    {
        return onLoopWriteNs.get();
    }

    private void reply(final RequestEvent event)
    {
        final Connection connection = event.connection;
        event.connection = null;
        if (!connection.isOpen())
        {
            counters.toClosedConnections.increment();
            return;
        }
        final boolean queued;
        if (event.action == RequestEvent.ACTION_DROP)
        {
            // An empty record, only for frames dropped unanswered (rare): the connection's in-flight count
            // belongs to its event loop alone, and its outbound ring is the one channel from this thread to it.
            queued = connection.offerNoResponse(empty);
        }
        else
        {
            final boolean authorized = event.action == RequestEvent.ACTION_AUTHORIZE;
            final AuthOutcome outcome = authorized ? event.outcome : null;
            final int code = authorized ? outcome.responseCode : event.directCode;
            final long rrn = authorized ? outcome.retrievalReference : ++directSequence;
            final AuthRequest request = event.request;
            final int macTerminal = macTerminal(event, request);
            final int length = encoder.encode(event.reader, event.messageOffset, code, outcome, rrn, macTerminal, response);
            queued = connection.offerResponse(response, length);
            counters.responses.increment();
            requests.answered(event.reader.mti(), event.terminalType, code, request.processingCode, System.nanoTime() - event.arrivalNs);
            requests.answeredIn(request.sourceType == AuthRequest.SOURCE_TERMINAL && request.sourceIndex >= 0 &&
                request.sourceIndex < terminals.governorate.length ? terminals.governorate[request.sourceIndex] : 0, code);
        }
        if (!queued)
        {
            counters.outboundOverflows.increment();
            connection.closeFromOutside();
            return;
        }
        if (!connection.touchedFlag())
        {
            connection.markTouched();
            touched[touchedCount++] = connection;
        }
    }

    /**
     * The terminal whose MAC key signs the response (spec §3, §6), or -1: the request's terminal once
     * decode identified it (decode keeps it in the slot); before that (a 30, a 03), the terminal field
     * 41 names on a terminal listener.
     */
    private int macTerminal(final RequestEvent event, final AuthRequest request)
    {
        if (request.sourceType == AuthRequest.SOURCE_TERMINAL && request.sourceIndex >= 0)
        {
            return event.macTerminal;
        }
        if (request.sourceType == AuthRequest.SOURCE_ACQUIRER || event.listener.kind() != ListenerKind.TERMINAL)
        {
            return -1;
        }
        return MacTerminals.byTerminalId(terminals, event.reader);
    }
}
