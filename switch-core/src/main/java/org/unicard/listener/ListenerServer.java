package org.unicard.listener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

import javax.net.ssl.SSLException;

import com.lmax.disruptor.RingBuffer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.concurrent.SchedulerSlice;
import org.unicard.iso8583.framing.FramingError;
import org.unicard.metrics.DistinctErrors;
import org.unicard.reply.MacGenerator;
import org.unicard.ring.RequestEvent;
import org.unicard.state.TerminalTable;
import org.unicard.time.BusinessClock;

/**
 * The Netty side of the switch: one event-loop group (epoll when the platform has it) serving the
 * terminal and the acquirer listener. Tracks connections per listener, refuses those beyond the
 * configured maximum, and counts framing errors and overload answers. A listener with a TLS context
 * gets a Netty {@code SslHandler} in front of its frame receiver, so frames are split from the
 * decrypted stream and responses are encrypted on their way out.
 */
public final class ListenerServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ListenerServer.class);

    /** Default of {@code listener.partial-frame-timeout-ms}. */
    public static final long DEFAULT_PARTIAL_FRAME_TIMEOUT_MS = 30_000;
    /** Default of {@code listener.write-stall-timeout-ms}. */
    public static final long DEFAULT_WRITE_STALL_TIMEOUT_MS = 30_000;
    /** Netty's write-buffer water marks per connection: reading pauses above the high one. */
    static final int WRITE_BUFFER_LOW_BYTES = 32 * 1024;
    static final int WRITE_BUFFER_HIGH_BYTES = 64 * 1024;
    /** The longest {@link #close()} waits for the event loops to stop. */
    public static final long EVENT_LOOP_STOP_MS = 2_000;

    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelType;
    private final RingBuffer<RequestEvent> ring;
    private final BusinessClock clock;
    private final int maxInFlightPerConnection;
    private final int maxConnections;
    private final String bindAddress;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final AtomicInteger nextConnectionId = new AtomicInteger();
    private final AtomicInteger[] open = {new AtomicInteger(), new AtomicInteger()};
    private final DistinctErrors connectionErrors = new DistinctErrors(100);
    /** Counts per event loop, each loop the one writer of its own; the getters sum them. */
    private final java.util.concurrent.ConcurrentHashMap<io.netty.channel.EventLoop, ListenerCounters> loopCounters =
        new java.util.concurrent.ConcurrentHashMap<>();
    /** Outbound rings per event loop, each pool used by its own loop only. */
    private final java.util.concurrent.ConcurrentHashMap<io.netty.channel.EventLoop, OutboundRingPool> ringPools =
        new java.util.concurrent.ConcurrentHashMap<>();
    /** Flush queues per event loop: one wake-up per loop per reply batch. */
    private final java.util.concurrent.ConcurrentHashMap<io.netty.channel.EventLoop, LoopFlusher> flushers =
        new java.util.concurrent.ConcurrentHashMap<>();
    private final long partialFrameTimeoutNs;
    private final long writeStallTimeoutNs;
    private final TerminalTable terminals;
    private final MacGenerator macGenerator;
    /** Open connections, for a graceful stop to reach each one. */
    private final java.util.Set<Connection> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Set once by {@link #stopReading()}: no frame read after it enters the ring. */
    private volatile boolean stopping;

    /** Told after an event loop's read published frames into the ring; set before the first bind. */
    private Runnable ringPublished = () -> {};
    /** The event loop that runs the ring's stages (shared layout), or null; set before the first bind. */
    private EventLoop stagesLoop;

    /**
     * @param ioThreads                event-loop threads.
     * @param bindAddress              address the listeners bind.
     * @param ring                     where frames go.
     * @param clock                    stamps each frame's business time.
     * @param maxInFlightPerConnection requests one connection may have in the ring.
     * @param maxConnections           open connections allowed per listener.
     */
    public ListenerServer(
        final int ioThreads,
        final String bindAddress,
        final RingBuffer<RequestEvent> ring,
        final BusinessClock clock,
        final int maxInFlightPerConnection,
        final int maxConnections)
    {
        this(ioThreads, bindAddress, ring, clock, maxInFlightPerConnection, maxConnections, DEFAULT_PARTIAL_FRAME_TIMEOUT_MS,
            DEFAULT_WRITE_STALL_TIMEOUT_MS, null, null);
    }

    /**
     * @param ioThreads                event-loop threads.
     * @param bindAddress              address the listeners bind.
     * @param ring                     where frames go.
     * @param clock                    stamps each frame's business time.
     * @param maxInFlightPerConnection requests one connection may have in the ring.
     * @param maxConnections           open connections allowed per listener.
     * @param partialFrameTimeoutMs    a connection holding an incomplete frame this long is closed.
     * @param writeStallTimeoutMs      a connection whose peer reads none of its responses this long is closed.
     * @param terminals                the terminals, read only, so that a 91 answered on the event loop to a terminal
     *                                 with a MAC key is signed; {@code null}: 91 answers carry no MAC (tests only).
     * @param macGenerator             signs those answers; thread-safe (the event loops share it with the reply thread).
     */
    public ListenerServer(
        final int ioThreads,
        final String bindAddress,
        final RingBuffer<RequestEvent> ring,
        final BusinessClock clock,
        final int maxInFlightPerConnection,
        final int maxConnections,
        final long partialFrameTimeoutMs,
        final long writeStallTimeoutMs,
        final TerminalTable terminals,
        final MacGenerator macGenerator)
    {
        if ((terminals == null) != (macGenerator == null))
        {
            throw new IllegalArgumentException("terminals and macGenerator go together: terminals=" + (terminals != null) +
                " macGenerator=" + (macGenerator != null));
        }
        this.terminals = terminals;
        this.macGenerator = macGenerator;
        this.partialFrameTimeoutNs = TimeUnit.MILLISECONDS.toNanos(partialFrameTimeoutMs);
        this.writeStallTimeoutNs = TimeUnit.MILLISECONDS.toNanos(writeStallTimeoutMs);
        final boolean epoll = Epoll.isAvailable();
        // Netty's own thread names and thread class, each loop asking first for the request path's short slice.
        group = new MultiThreadIoEventLoopGroup(ioThreads, SchedulerSlice.shortening(new DefaultThreadFactory(MultiThreadIoEventLoopGroup.class)),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.bindAddress = bindAddress;
        this.ring = ring;
        this.clock = clock;
        this.maxInFlightPerConnection = maxInFlightPerConnection;
        this.maxConnections = maxConnections;
    }

    /**
     * Before the first {@link #bind}: what an event loop calls after a read that published frames into
     * the ring (the ring's doorbell, {@code SwitchRing#published}).
     */
    public void afterPublish(final Runnable doorbell)
    {
        ringPublished = doorbell;
    }

    /**
     * Before the first {@link #bind}, shared layout only: picks the event loop of this server's group that
     * runs the ring's stages (with {@code listener.io-threads = 1}, the one that reads every connection).
     * Connections on that loop get their responses written by the reply stage itself.
     *
     * @return that loop.
     */
    public EventLoop ringStagesLoop()
    {
        if (stagesLoop == null)
        {
            stagesLoop = group.next();
        }
        return stagesLoop;
    }

    /**
     * Diagnostics: outbound rings the event loops have allocated so far (each loop counts its own; read
     * from another thread the figure is exact once the loops are idle). Connections whose replies are
     * written on their own loop (the shared layout) take none.
     */
    public long outboundRingsAllocated()
    {
        long allocated = 0;
        for (final OutboundRingPool pool : ringPools.values())
        {
            allocated += pool.allocated();
        }
        return allocated;
    }

    /**
     * Event loop, after a read that published frames into the ring.
     */
    void published()
    {
        ringPublished.run();
    }

    /**
     * Binds a listener.
     *
     * @return the port bound (useful when the settings ask for port 0).
     */
    public int bind(final ListenerSettings settings) throws InterruptedException
    {
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(WRITE_BUFFER_LOW_BYTES, WRITE_BUFFER_HIGH_BYTES))
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    if (settings.sslContext() != null)
                    {
                        channel.pipeline().addLast("tls", settings.sslContext().newHandler(channel.alloc()));
                    }
                    channel.pipeline().addLast("frames", new FrameReceiver(ListenerServer.this, settings, ring, clock));
                }
            });
        final Channel channel = bootstrap.bind(new InetSocketAddress(bindAddress, settings.port())).sync().channel();
        serverChannels.add(channel);
        final int port = ((InetSocketAddress)channel.localAddress()).getPort();
        LOG.info("event=listening listener={} address={} port={} packager={} tpdu={} tls={}",
            settings.kind().name().toLowerCase(), bindAddress, port, settings.binary() ? "iso87binary" : "iso87ascii", settings.tpdu(),
            settings.sslContext() != null);
        return port;
    }

    Connection opened(final ListenerSettings settings, final Channel channel)
    {
        final AtomicInteger count = open[settings.kind().ordinal()];
        if (count.incrementAndGet() > maxConnections)
        {
            count.decrementAndGet();
            counters(channel.eventLoop()).refused.increment();
            return null;
        }
        final OutboundRingPool rings = ringPools.computeIfAbsent(channel.eventLoop(), loop -> new OutboundRingPool(maxInFlightPerConnection));
        final LoopFlusher flusher = flushers.computeIfAbsent(channel.eventLoop(), LoopFlusher::new);
        final Connection connection = new Connection(nextConnectionId.incrementAndGet(), settings, channel, maxInFlightPerConnection, rings,
            flusher, stagesLoop != null && channel.eventLoop() == stagesLoop);
        // Added before the stopping flag is read: either stopReading() sees this connection, or this sees the flag.
        connections.add(connection);
        if (stopping)
        {
            connection.stopReading();
        }
        return connection;
    }

    /**
     * Event loop, on a connection's first overload: its 91 responder.
     */
    OverloadResponder newOverloadResponder()
    {
        return new OverloadResponder(terminals, macGenerator);
    }

    void closed(final Connection connection)
    {
        if (connections.remove(connection))
        {
            open[connection.listener().kind().ordinal()].decrementAndGet();
        }
    }

    /**
     * Event loop, for every read: whether a graceful stop has begun, so the bytes are not read into the ring.
     */
    boolean stopping()
    {
        return stopping;
    }

    /**
     * @return the counts of an event loop's connections, to be written on that loop only.
     */
    ListenerCounters counters(final io.netty.channel.EventLoop loop)
    {
        return loopCounters.computeIfAbsent(loop, key -> new ListenerCounters());
    }

    void framingError(final ListenerCounters counters, final FramingError error)
    {
        counters.framingErrors.increment();
    }

    void overloaded(final ListenerCounters counters)
    {
        counters.overloads.increment();
    }

    long partialFrameTimeoutNs()
    {
        return partialFrameTimeoutNs;
    }

    long writeStallTimeoutNs()
    {
        return writeStallTimeoutNs;
    }

    void partialFrameTimedOut(final ListenerCounters counters)
    {
        counters.partialFrameTimeouts.increment();
    }

    void writeStalled(final ListenerCounters counters)
    {
        counters.writeStalls.increment();
    }

    private long sum(final ToLongFunction<ListenerCounters> count)
    {
        long sum = 0;
        for (final ListenerCounters counters : loopCounters.values())
        {
            sum += count.applyAsLong(counters);
        }
        return sum;
    }

    /**
     * @return connections closed because they held an incomplete frame longer than the partial-frame timeout.
     */
    public long partialFrameTimeouts()
    {
        return sum(counters -> counters.partialFrameTimeouts.get());
    }

    /**
     * @return connections closed because their peer read none of their responses for longer than the write-stall timeout.
     */
    public long writeStalls()
    {
        return sum(counters -> counters.writeStalls.get());
    }

    void connectionError(final ListenerCounters counters, final ListenerSettings settings, final Throwable cause)
    {
        if (settings.sslContext() != null && isTlsFailure(cause))
        {
            counters.tlsFailures.increment();
        }
        // Netty's exceptions may carry the peer's bytes (a whole request): only describe() is logged.
        final String kind = describe(cause);
        if (connectionErrors.first(kind))
        {
            LOG.warn("event=connection-error listener={} error=\"{}\" action=closed (logged once; later ones only counted)",
                settings.kind().name().toLowerCase(), kind);
        }
    }

    /**
     * @return connections closed for an I/O or handler error.
     */
    public long connectionErrors()
    {
        return connectionErrors.count();
    }

    private static boolean isTlsFailure(final Throwable cause)
    {
        Throwable link = cause;
        for (int depth = 0; depth < 8 && link != null; depth++)
        {
            if (link instanceof SSLException || link instanceof NotSslRecordException)
            {
                return true;
            }
            link = link.getCause();
        }
        return false;
    }

    /**
     * Names a connection error without the bytes some exceptions carry: Netty's
     * {@code NotSslRecordException} (a plaintext peer on a TLS listener) holds a hex dump of what the
     * peer sent, which may be a whole request with its PAN and PIN block.
     */
    static String describe(final Throwable cause)
    {
        Throwable root = cause;
        for (int depth = 0; depth < 8 && root.getCause() != null && root.getCause() != root; depth++)
        {
            root = root.getCause();
        }
        if (root instanceof NotSslRecordException)
        {
            return "NotSslRecordException: not a TLS record";
        }
        if (root instanceof SSLException || root instanceof IOException)
        {
            return root.toString();
        }
        return root.getClass().getName();
    }

    /**
     * @return open connections of a listener kind.
     */
    public int openConnections(final ListenerKind kind)
    {
        return open[kind.ordinal()].get();
    }

    public long framingErrors()
    {
        return sum(counters -> counters.framingErrors.get());
    }

    public long overloads()
    {
        return sum(counters -> counters.overloads.get());
    }

    public long refusedConnections()
    {
        return sum(counters -> counters.refused.get());
    }

    /**
     * @return connections on TLS listeners closed for a failed handshake: no trusted client
     * certificate, a protocol or cipher the peer and the switch do not share, or a plaintext peer.
     */
    public long tlsFailures()
    {
        return sum(counters -> counters.tlsFailures.get());
    }

    /**
     * Stops accepting new connections; open ones stay until {@link #stopReading()} or {@link #close()}.
     *
     * @param deadlineNs {@link System#nanoTime()} by which to give up waiting for the listening sockets to close.
     * @return whether every listening socket closed in time.
     */
    public boolean stopAccepting(final long deadlineNs)
    {
        boolean closed = true;
        for (final Channel channel : serverChannels)
        {
            closed &= channel.close().awaitUninterruptibly(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return closed;
    }

    /**
     * Graceful stop, after {@link #stopAccepting}: no open connection is read any more (spec §11: stop
     * taking new requests), and each one is closed as soon as every request it already put in the ring
     * has been answered and the answer written to its socket. Returns at once; {@link #awaitConnectionsClosed}
     * waits for the closes.
     */
    public void stopReading()
    {
        stopping = true;
        for (final Connection connection : connections)
        {
            connection.stopReading();
        }
    }

    /**
     * @param deadlineNs {@link System#nanoTime()} by which to give up.
     * @return connections still open at the deadline (0: every accepted request was answered and flushed).
     */
    public int awaitConnectionsClosed(final long deadlineNs)
    {
        while (!connections.isEmpty() && deadlineNs - System.nanoTime() > 0)
        {
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return connections.size();
    }

    /**
     * Closes the listening sockets and every connection still open (their unwritten answers are lost:
     * call {@link #stopReading()} and {@link #awaitConnectionsClosed} first for a graceful stop), and stops
     * the event loops, waiting at most {@link #EVENT_LOOP_STOP_MS} for them.
     */
    @Override
    public void close()
    {
        stopAccepting(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EVENT_LOOP_STOP_MS));
        if (!group.shutdownGracefully(0, EVENT_LOOP_STOP_MS, TimeUnit.MILLISECONDS)
            .awaitUninterruptibly(EVENT_LOOP_STOP_MS + 500, TimeUnit.MILLISECONDS))
        {
            LOG.warn("event=event-loops-not-stopped limit-ms={}", EVENT_LOOP_STOP_MS);
        }
    }
}
