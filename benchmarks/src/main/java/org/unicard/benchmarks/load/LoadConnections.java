package org.unicard.benchmarks.load;

import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.iso8583.framing.Framing;
import org.unicard.terminal.TerminalConnection;

/**
 * The load generator's connections, built to cost the machine as little as possible, so that a run
 * on one box measures the switch rather than the generator:
 * <ul>
 *   <li>one event loop, epoll when the platform has it (NIO otherwise);</li>
 *   <li>responses split into frames where they lie in Netty's read buffer and handed on as a view
 *   of it: no frame decoder, no slice or copy per response (only a frame cut by a read boundary is
 *   copied, into a buffer of the connection's own);</li>
 *   <li>requests are queued into one pooled buffer per connection and written from the event loop
 *   itself ({@link #writeQueued()}), each connection flushed once per sweep:
 *   no sender thread and no hand-over between threads.</li>
 * </ul>
 * A closed loop sweeps the windows after the loop's turns that read responses ({@code afterReads});
 * an open loop's sweeps are timed by the loop's scheduler. With {@code spin} the
 * event loop polls its sockets and its timer without ever sleeping, so that a sweep runs within
 * microseconds of its time rather than a kernel timer wake-up later (a whole core for the generator).
 * Nothing is allocated per request: one pooled buffer per connection per batch, and in an open loop
 * one periodic task for the whole run.
 */
final class LoadConnections implements AutoCloseable
{
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final boolean epoll;
    private final Channel[] channels;
    private final ByteBuf[] pending;
    private int count;

    /**
     * @param connections how many connections will be opened.
     * @param spin        whether the event loop polls (never blocks in the kernel) instead of sleeping until
     *                    its next socket event or timer.
     */
    LoadConnections(final int connections, final boolean spin)
    {
        epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("loadgen-io"), ioHandler(epoll, spin));
        loop = group.next();
        channels = new Channel[connections];
        pending = new ByteBuf[connections];
    }

    /**
     * A spinning loop's strategy answers every turn with a non-blocking poll ({@code epoll_wait} or
     * {@code selectNow} with no timeout) instead of {@link SelectStrategy#SELECT}; the loop then runs its due
     * timers and tasks and polls again.
     */
    private static IoHandlerFactory ioHandler(final boolean epoll, final boolean spin)
    {
        if (!spin)
        {
            return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        }
        final SelectStrategyFactory polling = () -> (selectNow, hasTasks) -> selectNow.get();
        return epoll ? EpollIoHandler.newFactory(0, polling) : NioIoHandler.newFactory(SelectorProvider.provider(), polling);
    }

    /**
     * @return whether the connections use epoll.
     */
    boolean epoll()
    {
        return epoll;
    }

    /**
     * Connects connection {@code index} and waits until it is connected.
     *
     * @param afterReads run on the event loop after each batch of reads from this connection (its
     *                   responses all handed to {@code listener}), or {@code null}: the closed loop
     *                   queues its sweep there.
     */
    void connect(
        final int index,
        final String host,
        final int port,
        final TerminalConnection.ResponseListener listener,
        final Runnable afterReads)
        throws InterruptedException
    {
        final Bootstrap bootstrap = new Bootstrap()
            .group(loop)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
            .handler(new ChannelInitializer<>()
            {
                @Override
                protected void initChannel(final Channel channel)
                {
                    channel.pipeline().addLast(new FrameSplitter(listener, afterReads));
                }
            });
        channels[index] = bootstrap.connect(host, port).sync().channel();
        count = Math.max(count, index + 1);
    }

    /**
     * On the event loop: queues a frame (length prefix included) on a connection, for the next
     * {@link #writeQueued()}: {@code length} bytes of {@code frames} from {@code offset}.
     */
    void queue(final int index, final byte[] frames, final int offset, final int length)
    {
        ByteBuf buffer = pending[index];
        if (buffer == null)
        {
            buffer = ByteBufAllocator.DEFAULT.directBuffer(Math.max(4096, length));
            pending[index] = buffer;
        }
        buffer.writeBytes(frames, offset, length);
    }

    /**
     * @return the event loop of every connection (the open loop's sweeps run on it).
     */
    EventLoop loop()
    {
        return loop;
    }

    /**
     * On the event loop: writes and flushes every queued buffer at once (no hand-over).
     */
    void writeQueued()
    {
        for (int i = 0; i < count; i++)
        {
            final ByteBuf buffer = pending[i];
            if (buffer != null)
            {
                pending[i] = null;
                channels[i].writeAndFlush(buffer, channels[i].voidPromise());
            }
        }
    }

    @Override
    public void close()
    {
        for (int i = 0; i < count; i++)
        {
            if (pending[i] != null)
            {
                pending[i].release();
                pending[i] = null;
            }
            channels[i].close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Splits the length-prefixed response frames of one connection where they lie in each read buffer.
     */
    static final class FrameSplitter extends ChannelInboundHandlerAdapter
    {
        private final TerminalConnection.ResponseListener listener;
        private final Runnable afterReads;
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        private final byte[] partial = new byte[Framing.LENGTH_PREFIX_BYTES + Framing.MAX_FRAME_BYTES];
        private final UnsafeBuffer partialView = new UnsafeBuffer(partial);
        private int partialLength;

        FrameSplitter(final TerminalConnection.ResponseListener listener)
        {
            this(listener, null);
        }

        FrameSplitter(final TerminalConnection.ResponseListener listener, final Runnable afterReads)
        {
            this.listener = listener;
            this.afterReads = afterReads;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object message)
        {
            final ByteBuf buffer = (ByteBuf)message;
            try
            {
                split(buffer);
            }
            finally
            {
                buffer.release();
            }
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx)
        {
            if (afterReads != null)
            {
                afterReads.run();
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }

        /**
         * Hands on every whole frame; keeps a frame cut by the end of the buffer for the next read.
         */
        void split(final ByteBuf buffer)
        {
            int at = buffer.readerIndex();
            final int end = buffer.writerIndex();
            if (partialLength > 0)
            {
                at = completePartial(buffer, at, end);
                if (partialLength > 0)
                {
                    return;
                }
            }
            final boolean direct = buffer.hasMemoryAddress();
            while (end - at >= Framing.LENGTH_PREFIX_BYTES)
            {
                final int length = buffer.getUnsignedShort(at);
                if (length > Framing.MAX_FRAME_BYTES)
                {
                    throw new IllegalStateException("response frame too long: length=" + length);
                }
                if (end - at - Framing.LENGTH_PREFIX_BYTES < length)
                {
                    break;
                }
                final int message = at + Framing.LENGTH_PREFIX_BYTES;
                if (direct)
                {
                    view.wrap(buffer.memoryAddress() + message, length);
                    listener.onResponse(view, 0, length);
                }
                else
                {
                    buffer.getBytes(message, partial, 0, length);
                    listener.onResponse(partialView, 0, length);
                }
                at = message + length;
            }
            if (at < end)
            {
                buffer.getBytes(at, partial, 0, end - at);
                partialLength = end - at;
            }
        }

        private int completePartial(final ByteBuf buffer, final int start, final int end)
        {
            int at = start;
            if (partialLength < Framing.LENGTH_PREFIX_BYTES)
            {
                final int take = Math.min(Framing.LENGTH_PREFIX_BYTES - partialLength, end - at);
                buffer.getBytes(at, partial, partialLength, take);
                partialLength += take;
                at += take;
                if (partialLength < Framing.LENGTH_PREFIX_BYTES)
                {
                    return at;
                }
            }
            final int length = (partial[0] & 0xFF) << 8 | partial[1] & 0xFF;
            if (length > Framing.MAX_FRAME_BYTES)
            {
                throw new IllegalStateException("response frame too long: length=" + length);
            }
            final int missing = Framing.LENGTH_PREFIX_BYTES + length - partialLength;
            final int take = Math.min(missing, end - at);
            buffer.getBytes(at, partial, partialLength, take);
            partialLength += take;
            at += take;
            if (take == missing)
            {
                partialLength = 0;
                listener.onResponse(partialView, Framing.LENGTH_PREFIX_BYTES, length);
            }
            return at;
        }
    }
}
