/**
 * Framing of the TCP byte stream into ISO 8583 messages: every frame is a 2-byte unsigned
 * big-endian length followed by that many bytes of body (jPOS {@code NACChannel}). When a
 * listener is configured for a TPDU, the TPDU is simply the first {@link
 * org.unicard.iso8583.framing.Framing#TPDU_BYTES} bytes of the body.
 * <p>
 * This package owns the limits a peer may not exceed: a length of 0 or above {@link
 * org.unicard.iso8583.framing.Framing#MAX_FRAME_BYTES} is a {@link
 * org.unicard.iso8583.framing.FramingError} after which the connection is closed. Nothing here
 * allocates once constructed.
 */
package org.unicard.iso8583.framing;
