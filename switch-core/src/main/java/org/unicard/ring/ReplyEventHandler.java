package org.unicard.ring;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import com.lmax.disruptor.EventHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.listener.Connection;
import org.unicard.listener.ListenerKind;
import org.unicard.reply.MacTerminals;
import org.unicard.reply.ResponseEncoder;
import org.unicard.metrics.RequestCounters;
import org.unicard.security.TdesKey;
import org.unicard.state.TerminalTable;

/**
 * Ring stage 4: encodes each response, signs the batch's responses together ({@link ResponseBatch}),
 * queues them on their connections in ring order, and at the end of a batch asks every connection it
 * touched to flush once, with one wake-up per event loop for the whole batch. Operator commands
 * complete their waiting HTTP call.
 * <p>
 * Responses are held until the ring batch ends or {@link ResponseBatch#CAPACITY} are held, whichever
 * comes first: with one request a batch nothing waits; under a backlog a response waits for at most
 * 63 others to be decided, and the batch's MACs cost about half as much (bitsliced).
 */
public final class ReplyEventHandler implements EventHandler<RequestEvent>
{
    private final ResponseEncoder encoder;
    private final TerminalTable terminals;
    private final ReplyCounters counters;
    private final RequestCounters requests;
    private final Connection[] touched;
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[8]);
    /** The responses being encoded and signed: this stage's own, so their lines are in this core's cache (see {@link RequestEvent}). */
    private final ResponseBatch responses = new ResponseBatch();
    private final IntFunction<TdesKey> macKeys;
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
     * @param macKeys   a terminal's MAC key by its dense index (the one {@code encoder} signs with).
     * @param terminals for the MAC key of a response's terminal.
     * @param counters  counts responses and drops.
     * @param requests  counts answers by kind and records their latency.
     * @param ringSize  the ring's size (the most connections one batch can touch).
     */
    public ReplyEventHandler(
        final ResponseEncoder encoder,
        final IntFunction<TdesKey> macKeys,
        final TerminalTable terminals,
        final ReplyCounters counters,
        final RequestCounters requests,
        final int ringSize)
    {
        this.encoder = encoder;
        this.macKeys = macKeys;
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
        if (event.kind != RequestEvent.KIND_FRAME)
        {
            // A control event completes its caller after every response before it is queued.
            queueResponses();
        }
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
        if (responses.isFull() || endOfBatch)
        {
            queueResponses();
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
        if (event.action == RequestEvent.ACTION_DROP)
        {
            // An empty record, only for frames dropped unanswered (rare): the connection's in-flight count
            // belongs to its event loop alone, and its outbound ring is the one channel from this thread to it.
            queueResponses();
            queued(connection, connection.offerNoResponse(empty));
            return;
        }
        final boolean authorized = event.action == RequestEvent.ACTION_AUTHORIZE;
        final AuthOutcome outcome = authorized ? event.outcome : null;
        final int code = authorized ? outcome.responseCode : event.directCode;
        final long rrn = authorized ? outcome.retrievalReference : ++directSequence;
        final AuthRequest request = event.request;
        final int macTerminal = macTerminal(event, request);
        final int length = encoder.encodeUnsigned(event.reader, event.messageOffset, code, outcome, rrn, macTerminal, responses.nextFrame());
        final TdesKey key = encoder.macDataLength() >= 0 ? macKeys.apply(macTerminal) : null;
        if (encoder.macDataLength() >= 0 && key == null)
        {
            throw new IllegalStateException("terminal " + macTerminal + " has no MAC key to sign its response");
        }
        responses.add(connection, length, key, ResponseEncoder.macDataOffset(event.messageOffset), encoder.macDataLength(),
            encoder.macValueOffset());
        responses.answered(event.reader.mti(), event.terminalType, code, request.processingCode,
            request.sourceType == AuthRequest.SOURCE_TERMINAL && request.sourceIndex >= 0 &&
                request.sourceIndex < terminals.governorate.length ? terminals.governorate[request.sourceIndex] : 0,
            event.arrivalNs);
    }

    /** Signs the responses held, queues each on its connection in ring order, and empties the batch. */
    private void queueResponses()
    {
        final int size = responses.size();
        if (0 == size)
        {
            return;
        }
        try
        {
            counters.signedTogether.add(responses.sign());
            // One clock read for the batch: its responses are queued within microseconds of each other.
            final long queuedNs = System.nanoTime();
            for (int i = 0; i < size; i++)
            {
                final Connection connection = responses.connection(i);
                if (!connection.isOpen())
                {
                    counters.toClosedConnections.increment();
                    continue;
                }
                final boolean queued = connection.offerResponse(responses.frame(i), responses.length(i));
                counters.responses.increment();
                requests.answered(responses.mti(i), responses.terminalType(i), responses.code(i), responses.processingCode(i),
                    queuedNs - responses.arrivalNs(i));
                requests.answeredIn(responses.governorate(i), responses.code(i));
                queued(connection, queued);
            }
        }
        finally
        {
            // Even after a fault (a bug): a response already queued must never be queued twice.
            responses.clear();
        }
    }

    /** After an offer: closes a connection whose outbound buffer was full, else remembers it for the batch's flush. */
    private void queued(final Connection connection, final boolean queued)
    {
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
