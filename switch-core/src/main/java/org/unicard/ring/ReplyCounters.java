package org.unicard.ring;

import org.unicard.metrics.SingleWriterCounter;

/**
 * What the reply stage did. Written by the reply thread only; read by the metrics scrape
 * ({@link SingleWriterCounter}: release stores, acquire loads).
 */
public final class ReplyCounters
{
    /** Responses queued on their connection. */
    public final SingleWriterCounter responses = new SingleWriterCounter();
    /** Responses whose connection closed before they were ready (the journal still has them). */
    public final SingleWriterCounter toClosedConnections = new SingleWriterCounter();
    /** Responses whose MACs were computed bitsliced, {@code RetailMacBatch.BITSLICED_FROM} or more of one ring batch at once. */
    public final SingleWriterCounter signedTogether = new SingleWriterCounter();
    /** Responses that found their connection's outbound buffer full (a broken invariant). */
    public final SingleWriterCounter outboundOverflows = new SingleWriterCounter();
}
