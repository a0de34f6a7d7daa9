package org.unicard.decode;

/**
 * What the decode stage turned away. Written by the decode thread only; read by the metrics
 * thread (a plain read of a counter that only grows).
 */
public final class DecodeCounters
{
    /** Frames that could not be parsed, or lacked a required field (answered 30 when possible). */
    public long malformed;
    /** Frames dropped without an answer (no readable MTI and field 11, or a response MTI). */
    public long dropped;
    /** Requests from unknown or inactive terminals or acquirers (answered 03). */
    public long unknownSource;
    /** Requests with a missing or wrong MAC (answered 63). */
    public long macFailures;
}
