package org.unicard.ring;

/**
 * What the reply stage did. Written by the reply thread only; read by the metrics thread.
 */
public final class ReplyCounters
{
    public long responses;
    /** Responses whose connection closed before they were ready (the journal still has them). */
    public long toClosedConnections;
    /** Responses that found their connection's outbound buffer full (a broken invariant). */
    public long outboundOverflows;
}
