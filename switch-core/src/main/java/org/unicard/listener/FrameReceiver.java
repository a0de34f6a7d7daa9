package org.unicard.listener;

import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.iso8583.framing.FrameHandler;
import org.unicard.iso8583.framing.FrameSplitter;
import org.unicard.iso8583.framing.FramingError;
import org.unicard.ring.RequestEvent;
import org.unicard.time.BusinessClock;

/**
 * The inbound end of one connection, on its event loop: splits the byte stream into frames and
 * copies each frame into the next ring slot, stamped with its arrival and business time. No
 * parsing happens here. The ByteBuf is released in {@code finally}; nothing of Netty's enters the
 * ring. A frame of length 0 or above 4,096 closes the connection (spec §1); a full ring or a
 * connection at its in-flight limit gets a 91 answer.
 * <p>
 * Two deadlines close a connection whose peer misbehaves (slowloris, or sending without reading):
 * an incomplete frame held longer than the partial-frame timeout, and a channel that stays
 * unwritable longer than the write-stall timeout. Time during which the switch itself paused
 * reading does not count against a partial frame. A connection with neither stays open however
 * long it is idle (terminals keep connections for days). One timer per connection is armed only
 * while a deadline is pending, so steady traffic of whole frames schedules nothing.
 * <p>
 * Once a graceful stop has begun ({@link ListenerServer#stopReading()}), bytes still delivered are
 * released unread: no frame read after the stop enters the ring.
 */
final class FrameReceiver extends ChannelInboundHandlerAdapter implements FrameHandler
{
    private final ListenerServer server;
    private final ListenerSettings settings;
    private final RingBuffer<RequestEvent> ring;
    private final BusinessClock clock;
    private final FrameSplitter splitter = new FrameSplitter();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private OverloadResponder overloadResponder;
    private Connection connection;
    private ChannelHandlerContext context;
    /** This channel's event loop's counts, written on that loop only. */
    private ListenerCounters counters;
    private final Runnable deadlineCheck = this::checkDeadlines;
    private boolean timerArmed;
    private long timerDueNs;
    private int framesThisRead;
    /** Whether the clocks were read for this read's frames: every frame of one read arrived together. */
    private boolean readClocksTaken;
    /** When this read's first frame was published (monotonic, and business time). */
    private long readArrivalNs;
    private long readBusinessTimeMs;
    /** When the incomplete frame now held started, or 0 when the stream is at a frame boundary. */
    private long partialSinceNs;
    /** When the channel became unwritable, or 0 while it is writable. */
    private long unwritableSinceNs;

    FrameReceiver(
        final ListenerServer server, final ListenerSettings settings, final RingBuffer<RequestEvent> ring, final BusinessClock clock)
    {
        this.server = server;
        this.settings = settings;
        this.ring = ring;
        this.clock = clock;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        counters = server.counters(ctx.channel().eventLoop());
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        context = ctx;
        connection = server.opened(settings, ctx.channel());
        if (connection == null)
        {
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (connection != null)
        {
            connection.closed();
            server.closed(connection);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        final ByteBuf bytes = (ByteBuf)message;
        framesThisRead = 0;
        readClocksTaken = false;
        try
        {
            if (connection == null || !connection.isOpen() || server.stopping())
            {
                // After a graceful stop began, nothing more is taken from the peer (spec §11).
                return;
            }
            final FramingError error = feed(bytes);
            if (error != null)
            {
                server.framingError(counters, error);
                connection.closed();
                ctx.close();
                return;
            }
            notePartialFrame();
        }
        finally
        {
            bytes.release();
            if (framesThisRead > 0)
            {
                server.published();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (connection != null)
        {
            connection.writabilityChanged();
            if (ctx.channel().isWritable())
            {
                unwritableSinceNs = 0;
            }
            else if (unwritableSinceNs == 0)
            {
                unwritableSinceNs = nonZero(nanoTime());
                armTimer(server.writeStallTimeoutNs());
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        server.connectionError(counters, settings, cause);
        ctx.close();
    }

    private FramingError feed(final ByteBuf bytes)
    {
        final int readable = bytes.readableBytes();
        if (bytes.hasMemoryAddress())
        {
            view.wrap(bytes.memoryAddress() + bytes.readerIndex(), readable);
            return splitter.onBytes(view, 0, readable, this);
        }
        if (bytes.hasArray())
        {
            view.wrap(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), readable);
            return splitter.onBytes(view, 0, readable, this);
        }
        final byte[] copy = new byte[readable];
        bytes.getBytes(bytes.readerIndex(), copy);
        view.wrap(copy);
        return splitter.onBytes(view, 0, readable, this);
    }

    private void notePartialFrame()
    {
        if (splitter.bufferedBytes() == 0)
        {
            partialSinceNs = 0;
            return;
        }
        if (partialSinceNs == 0 || framesThisRead > 0)
        {
            partialSinceNs = nonZero(nanoTime());
            armTimer(server.partialFrameTimeoutNs());
        }
    }

    /**
     * Schedules a deadline check unless one is already due no later (a later one that this replaces
     * finds nothing to do when it fires).
     */
    private void armTimer(final long delayNs)
    {
        final long dueNs = nanoTime() + delayNs;
        if (context == null || (timerArmed && dueNs - timerDueNs >= 0))
        {
            return;
        }
        timerArmed = true;
        timerDueNs = dueNs;
        context.executor().schedule(deadlineCheck, delayNs, TimeUnit.NANOSECONDS);
    }

    /**
     * Event loop, when the connection's timer fires: closes it if a deadline has passed, otherwise
     * re-arms the timer for the nearest pending deadline.
     */
    private void checkDeadlines()
    {
        if (timerArmed && nanoTime() - timerDueNs < -1_000_000)
        {
            // A check replaced by an earlier one, which has already run and re-armed.
            return;
        }
        timerArmed = false;
        if (connection == null || !connection.isOpen() || !context.channel().isActive())
        {
            return;
        }
        final long now = nanoTime();
        long nextNs = Long.MAX_VALUE;
        if (partialSinceNs != 0)
        {
            if (connection.readPaused())
            {
                // The switch stopped reading (in-flight limit, or the peer not reading its responses, which the
                // write-stall timeout covers): the rest of the frame may be waiting in the socket.
                partialSinceNs = nonZero(now);
            }
            final long dueNs = partialSinceNs + server.partialFrameTimeoutNs();
            if (now - dueNs >= 0)
            {
                server.partialFrameTimedOut(counters);
                closeForDeadline();
                return;
            }
            nextNs = dueNs - now;
        }
        if (unwritableSinceNs != 0)
        {
            final long dueNs = unwritableSinceNs + server.writeStallTimeoutNs();
            if (now - dueNs >= 0)
            {
                server.writeStalled(counters);
                closeForDeadline();
                return;
            }
            nextNs = Math.min(nextNs, dueNs - now);
        }
        if (nextNs != Long.MAX_VALUE)
        {
            armTimer(nextNs);
        }
    }

    private void closeForDeadline()
    {
        connection.closed();
        context.close();
    }

    /**
     * The connection's deadlines read the clock of its event loop (Netty's {@code Ticker}): the
     * system clock on a real loop, and one a test moves on an {@code EmbeddedChannel}
     * ({@code freezeTime}, {@code advanceTimeBy}), so the timeouts are tested without sleeping.
     */
    private long nanoTime()
    {
        return context != null ? context.executor().ticker().nanoTime() : System.nanoTime();
    }

    private static long nonZero(final long nanoTime)
    {
        return nanoTime == 0 ? 1 : nanoTime;
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        framesThisRead++;
        if (!connection.beforePublish())
        {
            overload(buffer, offset, length);
            return;
        }
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            connection.publishFailed();
            overload(buffer, offset, length);
            return;
        }
        final RequestEvent event = ring.get(sequence);
        try
        {
            event.reset();
            event.kind = RequestEvent.KIND_FRAME;
            buffer.getBytes(offset, event.frame, 0, length);
            event.frameLength = length;
            if (!readClocksTaken)
            {
                readClocksTaken = true;
                readArrivalNs = System.nanoTime();
                readBusinessTimeMs = clock.nowMs();
            }
            event.arrivalNs = readArrivalNs;
            event.businessTimeMs = readBusinessTimeMs;
            event.connection = connection;
            event.listener = settings;
        }
        finally
        {
            ring.publish(sequence);
        }
    }

    private void overload(final DirectBuffer buffer, final int offset, final int length)
    {
        if (overloadResponder == null)
        {
            overloadResponder = server.newOverloadResponder();
        }
        server.overloaded(counters);
        overloadResponder.answer(context, settings, buffer, offset, length);
    }
}
