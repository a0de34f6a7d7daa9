package org.unicard.decode;

import org.unicard.authorizer.AuthRequest;
import org.unicard.iso8583.message.IsoMessageReader;

/**
 * Turns the PIN block of a request (field 52) into the verdict the authorizer decides by:
 * {@link AuthRequest#PIN_ABSENT}, {@link AuthRequest#PIN_CORRECT} or {@link AuthRequest#PIN_WRONG}.
 * Called on the decode thread; must not allocate.
 */
@FunctionalInterface
public interface PinVerifier
{
    /**
     * @param reader  the decoded request.
     * @param request its PAN, source (terminal or acquirer) are filled already.
     * @return the verdict.
     */
    byte verify(IsoMessageReader reader, AuthRequest request);
}
