package org.unicard.iso8583.framing;

import org.agrona.DirectBuffer;

/**
 * Receives each complete frame found by a {@link FrameSplitter}.
 */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * Called once per complete frame. The bytes are only valid for the duration of the call: copy
     * them to keep them.
     *
     * @param buffer holding the frame body.
     * @param offset of the body, just after the 2-byte length (the TPDU, when the link has one, is
     *               the first {@link Framing#TPDU_BYTES} bytes of the body).
     * @param length of the body, 1 to {@link Framing#MAX_FRAME_BYTES}.
     */
    void onFrame(DirectBuffer buffer, int offset, int length);
}
