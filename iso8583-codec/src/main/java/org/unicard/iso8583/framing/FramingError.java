package org.unicard.iso8583.framing;

/**
 * Why a byte stream can no longer be framed. Either one closes the connection (interface §1).
 */
public enum FramingError
{
    /**
     * A length prefix of 0.
     */
    ZERO_LENGTH,

    /**
     * A length prefix above {@link Framing#MAX_FRAME_BYTES}.
     */
    TOO_LONG
}
