package org.unicard.listener;

import org.unicard.metrics.SingleWriterCounter;

/**
 * What one event loop's connections met. Each Netty event loop has its own, and is its one writer
 * ({@link SingleWriterCounter}); {@link ListenerServer} sums every loop's for the metrics scrape.
 */
final class ListenerCounters
{
    /** Connections refused over {@code listener.max-connections}. */
    final SingleWriterCounter refused = new SingleWriterCounter();
    /** Connections closed for a zero or oversize frame length. */
    final SingleWriterCounter framingErrors = new SingleWriterCounter();
    /** Requests answered 91 because the ring or the connection was full. */
    final SingleWriterCounter overloads = new SingleWriterCounter();
    /** Connections closed for a failed TLS handshake. */
    final SingleWriterCounter tlsFailures = new SingleWriterCounter();
    /** Connections closed for holding an incomplete frame too long. */
    final SingleWriterCounter partialFrameTimeouts = new SingleWriterCounter();
    /** Connections closed because their peer read no response for too long. */
    final SingleWriterCounter writeStalls = new SingleWriterCounter();
}
