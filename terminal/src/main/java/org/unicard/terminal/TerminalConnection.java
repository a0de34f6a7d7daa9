package org.unicard.terminal;

import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.iso8583.framing.Framing;

/**
 * One TCP connection of a simulated terminal: sends framed requests (pipelined, without waiting)
 * and hands every response frame to a listener on the connection's event loop.
 */
public final class TerminalConnection implements AutoCloseable
{
    /** Told about each response frame (the message, after the length prefix). */
    @FunctionalInterface
    public interface ResponseListener
    {
        void onResponse(DirectBuffer buffer, int offset, int length);
    }

    private final Channel channel;
    private ByteBuf pending;

    private TerminalConnection(final Channel channel)
    {
        this.channel = channel;
    }

    /**
     * Connects and waits until connected.
     */
    public static TerminalConnection connect(
        final EventLoopGroup group, final String host, final int port, final ResponseListener listener) throws InterruptedException
    {
        final Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline()
                        .addLast(new LengthFieldBasedFrameDecoder(Framing.MAX_FRAME_BYTES + Framing.LENGTH_PREFIX_BYTES, 0, 2, 0, 2))
                        .addLast(new SimpleChannelInboundHandler<ByteBuf>()
                        {
                            private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
                            private byte[] copy = new byte[Framing.MAX_FRAME_BYTES];

                            @Override
                            public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
                            {
                                // A terminal whose switch went away (a restart, a crash drill) just closes.
                                ctx.close();
                            }

                            @Override
                            protected void channelRead0(final ChannelHandlerContext ctx, final ByteBuf frame)
                            {
                                final int length = frame.readableBytes();
                                frame.getBytes(frame.readerIndex(), copy, 0, length);
                                view.wrap(copy, 0, length);
                                listener.onResponse(view, 0, length);
                            }
                        });
                }
            });
        return new TerminalConnection(bootstrap.connect(host, port).sync().channel());
    }

    /**
     * Sends one frame (length prefix included); flushes.
     */
    public void send(final DirectBuffer frame, final int length)
    {
        final ByteBuf buffer = channel.alloc().buffer(length);
        buffer.writeBytes(frame.byteArray(), 0, length);
        channel.writeAndFlush(buffer, channel.voidPromise());
    }

    /**
     * Queues a frame to go with the next {@link #flush()}: a sender outside the event loop pays one
     * hand-over per flush instead of one per frame.
     */
    public void queue(final DirectBuffer frame, final int length)
    {
        if (pending == null)
        {
            pending = channel.alloc().buffer(4096);
        }
        pending.writeBytes(frame.byteArray(), 0, length);
    }

    /**
     * Sends every queued frame in one write.
     */
    public void flush()
    {
        if (pending != null)
        {
            final ByteBuf batch = pending;
            pending = null;
            channel.writeAndFlush(batch, channel.voidPromise());
        }
    }

    public boolean isActive()
    {
        return channel.isActive();
    }

    @Override
    public void close()
    {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
