package org.unicard.listener;

import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Connections over Netty's {@link EmbeddedChannel}, for tests outside this package that drive a ring
 * stage by hand: what a listener does when it accepts a connection and publishes its requests.
 */
public final class EmbeddedConnections
{
    private EmbeddedConnections()
    {
    }

    /**
     * @param channel  the connection's channel; what the connection writes is read with {@code readOutbound()}.
     * @param inFlight how many requests the connection has published and awaits answers to.
     * @return a terminal connection (binary, no TPDU) flushed on its channel's event loop.
     */
    public static Connection terminalWithRequestsInFlight(final EmbeddedChannel channel, final int inFlight)
    {
        final Connection connection = new Connection(1, new ListenerSettings(ListenerKind.TERMINAL, 0, true, false), channel,
            inFlight, new OutboundRingPool(inFlight), new LoopFlusher(channel.eventLoop()));
        for (int i = 0; i < inFlight; i++)
        {
            if (!connection.beforePublish())
            {
                throw new IllegalStateException("request " + i + " refused by the in-flight limit");
            }
        }
        return connection;
    }
}
