package org.unicard.listener;

import io.netty.handler.ssl.SslContext;

/**
 * How one listener is configured.
 *
 * @param kind       terminal or acquirer links.
 * @param port       TCP port (0 = any free port, for tests).
 * @param binary     {@code true} for jPOS iso87binary, {@code false} for iso87ascii.
 * @param tpdu       whether every frame starts with a 5-byte TPDU.
 * @param sslContext the TLS server context when the listener speaks TLS, or {@code null} for plaintext.
 */
public record ListenerSettings(ListenerKind kind, int port, boolean binary, boolean tpdu, SslContext sslContext)
{
    /**
     * A plaintext listener.
     */
    public ListenerSettings(final ListenerKind kind, final int port, final boolean binary, final boolean tpdu)
    {
        this(kind, port, binary, tpdu, null);
    }
}
