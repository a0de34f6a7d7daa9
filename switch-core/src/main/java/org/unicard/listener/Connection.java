package org.unicard.listener;

import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.unicard.ring.RequestEvent;

/**
 * One terminal or acquirer connection, as the ring sees it. The reply stage (one thread) offers
 * encoded responses into the connection's outbound buffer, a single-producer single-consumer
 * Agrona ring, queues the connection on its event loop's {@link LoopFlusher} once per batch and wakes
 * each loop once per batch; the event loop copies everything waiting into one pooled buffer and writes
 * it with one flush. When the reply stage runs on this connection's own event loop (the shared ring
 * layout), none of that hand-over is needed: it copies each response from its ring slot into one pooled
 * buffer for the batch and writes it itself at the batch's end ({@link #flushOnLoop()}), and the
 * connection takes no outbound ring.
 * <p>
 * The event loop alone touches the in-flight count: it grows when a frame is published to the
 * ring and shrinks when its response (or the note that there is none) is flushed (on the loop's own
 * reply stage: when the response goes into the batch's buffer), and reading
 * stops while it is at the limit, so the outbound buffer can never overflow. Reading also stops
 * while the channel is not writable (the peer does not read its responses and Netty's outbound
 * buffer is above its high-water mark), so a peer that sends without reading cannot make the switch
 * buffer without bound; {@link FrameReceiver} closes it if that lasts too long.
 * <p>
 * The outbound ring is taken from the event loop's {@link OutboundRingPool} when a request enters
 * with none in flight and given back once the last response is flushed: an idle connection holds
 * no ring. The reply thread only writes into the ring for a request in flight, and the event loop
 * sets the ring before it publishes that request, so the ring the reply thread sees is the right one.
 * <p>
 * Graceful stop ({@link #stopReading()}): reading stops for good, and once the last request in
 * flight has been answered the connection writes an empty buffer behind its answers and, when that
 * write completes (every answer already handed to Netty is on the socket), ends its output (FIN) and closes.
 */
public final class Connection
{
    private static final int MESSAGE_RESPONSE = 1;
    private static final int MESSAGE_NO_RESPONSE = 2;

    private final int id;
    private final ListenerSettings listener;
    private final Channel channel;
    private final EventLoop eventLoop;
    private final int maxInFlight;
    private final OutboundRingPool rings;
    private final LoopFlusher flusher;
    /** The ring's reply stage runs on this connection's own event loop ({@code ring.threads = shared}). */
    private final boolean repliesOnLoop;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flush;
    private final Runnable stopReadingTask = this::stopReadingNow;
    private final ChannelFutureListener closeAfterAnswers = this::closeAfterAnswers;
    private final ControlledMessageHandler copyToOutput = this::copyToOutput;
    private final UnsafeBuffer outputView = new UnsafeBuffer(0, 0);
    private volatile boolean open = true;

    private OneToOneRingBuffer outbound;
    /** Replies on the loop: the responses of the reply stage's current batch, written at its end. */
    private ByteBuf pending;
    private ByteBuf output;
    private boolean outputFull;
    private int inFlight;
    private boolean readPaused;
    /** Event loop: set by a graceful stop; reading never resumes. */
    private boolean stopped;
    /** Event loop: the closing write has been issued. */
    private boolean closing;

    /** Set and cleared by the reply thread while it batches flushes. */
    private boolean touched;

    Connection(final int id, final ListenerSettings listener, final Channel channel, final int maxInFlight)
    {
        this(id, listener, channel, maxInFlight, new OutboundRingPool(maxInFlight));
    }

    Connection(final int id, final ListenerSettings listener, final Channel channel, final int maxInFlight, final OutboundRingPool rings)
    {
        this(id, listener, channel, maxInFlight, rings, new LoopFlusher(channel.eventLoop()));
    }

    Connection(
        final int id, final ListenerSettings listener, final Channel channel, final int maxInFlight, final OutboundRingPool rings,
        final LoopFlusher flusher)
    {
        this(id, listener, channel, maxInFlight, rings, flusher, false);
    }

    /**
     * @param repliesOnLoop whether the ring's reply stage runs on this connection's event loop (the shared
     *                      layout): then responses go straight from the ring slot into the buffer written to the
     *                      socket at the end of the reply batch, with no outbound ring and no flush task.
     */
    Connection(
        final int id, final ListenerSettings listener, final Channel channel, final int maxInFlight, final OutboundRingPool rings,
        final LoopFlusher flusher, final boolean repliesOnLoop)
    {
        this.repliesOnLoop = repliesOnLoop;
        this.flusher = flusher;
        this.id = id;
        this.listener = listener;
        this.channel = channel;
        this.eventLoop = channel.eventLoop();
        this.maxInFlight = maxInFlight;
        this.rings = rings;
    }

    /**
     * Reply thread: whether this connection is already in the batch's flush list.
     */
    public boolean touchedFlag()
    {
        return touched;
    }

    /**
     * Reply thread: puts the connection in the batch's flush list.
     */
    public void markTouched()
    {
        touched = true;
    }

    /**
     * Reply thread: takes the connection out of the batch's flush list.
     */
    public void clearTouched()
    {
        touched = false;
    }

    public int id()
    {
        return id;
    }

    public ListenerSettings listener()
    {
        return listener;
    }

    public boolean isOpen()
    {
        return open;
    }

    /**
     * Called by the event loop before it publishes a frame of this connection: counts it in flight
     * and pauses reading at the limit.
     *
     * @return {@code false} when the connection is already at its in-flight limit.
     */
    boolean beforePublish()
    {
        if (inFlight >= maxInFlight)
        {
            return false;
        }
        if (outbound == null && !repliesOnLoop)
        {
            outbound = rings.take();
        }
        inFlight++;
        if (inFlight >= maxInFlight)
        {
            pauseReading();
        }
        return true;
    }

    /**
     * Called by the event loop when a counted frame could not enter the ring after all.
     */
    void publishFailed()
    {
        inFlight--;
        if (repliesOnLoop)
        {
            resumeReadingIfBelowLimit();
            return;
        }
        if (inFlight == 0 && outbound != null && outbound.size() == 0)
        {
            rings.give(outbound);
            outbound = null;
        }
    }

    /**
     * Reply thread: queues an encoded response frame.
     *
     * @return {@code false} when the outbound buffer is full (a broken invariant; the caller closes).
     */
    public boolean offerResponse(final MutableDirectBuffer response, final int length)
    {
        if (repliesOnLoop)
        {
            if (pending == null)
            {
                // Room for every response this connection can have in flight, so the buffer never grows mid-batch.
                pending = channel.alloc().directBuffer(Math.max(length, RequestEvent.MAX_RESPONSE_BYTES / 4) * maxInFlight);
            }
            pending.writeBytes(response.byteArray(), 0, length);
            inFlight--;
            return true;
        }
        return outbound.write(MESSAGE_RESPONSE, response, 0, length);
    }

    /**
     * Reply thread: notes that a request of this connection was dropped without a response, so its
     * in-flight count still shrinks.
     */
    public boolean offerNoResponse(final MutableDirectBuffer scratch)
    {
        if (repliesOnLoop)
        {
            inFlight--;
            return true;
        }
        return outbound.write(MESSAGE_NO_RESPONSE, scratch, 0, 0);
    }

    /**
     * @return whether the reply stage runs on this connection's own event loop (see the constructor).
     */
    public boolean repliesOnLoop()
    {
        return repliesOnLoop;
    }

    /**
     * Reply stage on this connection's own event loop, at the end of its batch: writes the batch's
     * responses with one flush, then resumes reading or finishes a graceful stop as a flush would.
     */
    public void flushOnLoop()
    {
        final ByteBuf buffer = pending;
        pending = null;
        if (buffer != null)
        {
            writeOut(buffer);
            return;
        }
        resumeReadingIfBelowLimit();
        closeIfAnswered();
    }

    /**
     * Reply thread: asks the event loop to flush, at most once until it has.
     */
    public void scheduleFlush()
    {
        queueFlush();
        wakeFlusher();
    }

    /**
     * Reply thread, for each connection a batch touched: puts the connection in its event loop's flush
     * queue, at most once until it has been flushed; {@link #wakeFlusher()} then starts the flush.
     */
    public void queueFlush()
    {
        if (flushScheduled.compareAndSet(false, true))
        {
            flusher.queue(this, flushTask);
        }
    }

    /**
     * Reply thread, after {@link #queueFlush()} for every connection of a batch: wakes this connection's
     * event loop, unless a wake-up is already on its way (then it costs one read of a flag).
     */
    public void wakeFlusher()
    {
        flusher.wake();
    }

    /**
     * Event loop, from its {@link LoopFlusher}: the flush.
     */
    void flushNow()
    {
        flush();
    }

    /**
     * Reply thread: closes a connection whose outbound buffer overflowed.
     */
    public void closeFromOutside()
    {
        channel.close();
    }

    void closed()
    {
        open = false;
    }

    /**
     * Any thread, graceful stop: on the event loop, stops reading for good and closes the connection
     * once every request it has in flight is answered and written (at once when none is).
     */
    void stopReading()
    {
        if (eventLoop.inEventLoop())
        {
            stopReadingNow();
        }
        else
        {
            eventLoop.execute(stopReadingTask);
        }
    }

    private void stopReadingNow()
    {
        stopped = true;
        pauseReading();
        closeIfAnswered();
    }

    private void closeIfAnswered()
    {
        if (stopped && !closing && inFlight == 0)
        {
            closing = true;
            // Written behind every answer already queued: it completes once they are all on the socket.
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(closeAfterAnswers);
        }
    }

    /**
     * Event loop, once every answer is on the socket: ends the stream (FIN) behind them, then closes. A
     * plain close with unread requests in the socket would send a reset instead, and a peer's stack may
     * then report the reset before the answers it has not read yet. With TLS, the close sends close_notify.
     */
    private void closeAfterAnswers(final ChannelFuture written)
    {
        if (channel instanceof DuplexChannel duplex && channel.pipeline().get(SslHandler.class) == null)
        {
            duplex.shutdownOutput().addListener(ChannelFutureListener.CLOSE);
        }
        else
        {
            channel.close();
        }
    }

    /**
     * Event loop: the channel crossed a write-buffer water mark. Above the high mark reading stops
     * until the peer has read enough of its responses.
     */
    void writabilityChanged()
    {
        if (!channel.isWritable())
        {
            pauseReading();
        }
        else
        {
            resumeReadingIfBelowLimit();
        }
    }

    /**
     * Event loop: whether reading is paused (in-flight limit or an unwritable channel), so time
     * spent with a partial frame is not the peer's fault.
     */
    boolean readPaused()
    {
        return readPaused;
    }

    private void pauseReading()
    {
        if (!readPaused)
        {
            readPaused = true;
            channel.config().setAutoRead(false);
        }
    }

    private void flush()
    {
        flushScheduled.set(false);
        if (outbound == null)
        {
            // An earlier flush took everything and gave the ring back.
            return;
        }
        final int bytes = outbound.size();
        if (bytes == 0)
        {
            return;
        }
        final ByteBuf buffer = allocateOutput(bytes);
        output = buffer;
        outputFull = false;
        // One read stops at the end of the ring buffer's memory (a pass may consume only the padding
        // record there and count no message), so read again for what wrapped around; two passes cover it.
        int messages = 0;
        for (int pass = 0; pass < 2 && !outputFull && outbound.size() > 0; pass++)
        {
            messages += outbound.controlledRead(copyToOutput);
        }
        output = null;
        inFlight -= messages;
        if (inFlight == 0 && outbound.size() == 0 && open)
        {
            // Nothing in flight: the reply thread has nothing more to write here until the next request takes a ring.
            rings.give(outbound);
            outbound = null;
        }
        if (outputFull || (outbound != null && outbound.size() > 0))
        {
            // Responses that arrived while this batch was copied go in the next flush.
            scheduleFlush();
        }
        writeOut(buffer);
    }

    /**
     * Event loop: writes a batch of responses with one flush (or releases it when the connection has
     * closed or there is nothing in it), then resumes reading or finishes a graceful stop.
     */
    private void writeOut(final ByteBuf buffer)
    {
        if (open && buffer.isReadable())
        {
            channel.writeAndFlush(buffer, channel.voidPromise());
            if (!channel.isWritable())
            {
                pauseReading();
            }
        }
        else
        {
            buffer.release();
        }
        resumeReadingIfBelowLimit();
        closeIfAnswered();
    }

    private ByteBuf allocateOutput(final int bytes)
    {
        final ByteBuf direct = channel.alloc().directBuffer(bytes);
        if (direct.hasMemoryAddress())
        {
            outputView.wrap(direct.memoryAddress(), direct.capacity());
            return direct;
        }
        // Only when the platform gives Netty no memory addresses (no Unsafe): correct, not allocation-free.
        direct.release();
        final ByteBuf heap = channel.alloc().heapBuffer(bytes);
        outputView.wrap(heap.array(), heap.arrayOffset(), heap.capacity());
        return heap;
    }

    private ControlledMessageHandler.Action copyToOutput(
        final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (type == MESSAGE_RESPONSE)
        {
            if (output.writableBytes() < length)
            {
                outputFull = true;
                return ControlledMessageHandler.Action.ABORT;
            }
            final int at = output.writerIndex();
            buffer.getBytes(index, outputView, at, length);
            output.writerIndex(at + length);
        }
        return ControlledMessageHandler.Action.CONTINUE;
    }

    private void resumeReadingIfBelowLimit()
    {
        if (readPaused && open && !stopped && inFlight <= maxInFlight / 2 && channel.isWritable())
        {
            readPaused = false;
            channel.config().setAutoRead(true);
            channel.read();
        }
    }
}
