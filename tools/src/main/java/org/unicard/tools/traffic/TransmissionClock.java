package org.unicard.tools.traffic;

import org.unicard.terminal.RequestBuilder;

/**
 * Field 7 (transmission date and time, MMDDhhmmss UTC) as a sending loop stamps its requests:
 * read from the wall clock on every sweep, worked out again only when the second changes. One
 * instance per sending thread.
 */
public final class TransmissionClock
{
    private long second = Long.MIN_VALUE;
    private long transmissionDateTime;

    /**
     * @return field 7 for the current second.
     */
    public long now()
    {
        final long nowMs = System.currentTimeMillis();
        if (nowMs / 1_000 != second)
        {
            second = nowMs / 1_000;
            transmissionDateTime = RequestBuilder.transmissionDateTime(nowMs);
        }
        return transmissionDateTime;
    }
}
