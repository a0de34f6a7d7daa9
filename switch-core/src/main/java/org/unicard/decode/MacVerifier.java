package org.unicard.decode;

import org.unicard.iso8583.message.IsoMessageReader;

/**
 * Checks the MAC of a request from a terminal that has a MAC key (spec §6): field 64, or 128 when
 * the message has a secondary bitmap, over every byte of the message before it. Called on the
 * decode thread; must not allocate and must compare in constant time.
 */
@FunctionalInterface
public interface MacVerifier
{
    /**
     * @param reader   the decoded request.
     * @param terminal the dense index of a terminal that has a MAC key.
     * @return {@code true} when the MAC is present and right.
     */
    boolean verify(IsoMessageReader reader, int terminal);
}
