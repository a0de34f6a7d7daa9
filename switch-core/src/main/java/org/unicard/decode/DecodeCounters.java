package org.unicard.decode;

import org.unicard.metrics.SingleWriterCounter;

/**
 * What the decode stage turned away. Written by the decode thread only; read by the metrics
 * scrape ({@link SingleWriterCounter}: release stores, acquire loads).
 */
public final class DecodeCounters
{
    /** Frames that could not be parsed, or lacked a required field (answered 30 when possible). */
    public final SingleWriterCounter malformed = new SingleWriterCounter();
    /** Frames dropped without an answer (no readable MTI and field 11, or a response MTI). */
    public final SingleWriterCounter dropped = new SingleWriterCounter();
    /** Requests from unknown or inactive terminals or acquirers (answered 03). */
    public final SingleWriterCounter unknownSource = new SingleWriterCounter();
    /** Requests with a missing or wrong MAC (answered 63). */
    public final SingleWriterCounter macFailures = new SingleWriterCounter();
    /**
     * Request MACs verified bitsliced, {@code RetailMacBatch.BITSLICED_FROM} or more read ahead in the
     * ring at once (a backlog).
     */
    public final SingleWriterCounter macsVerifiedTogether = new SingleWriterCounter();
}
