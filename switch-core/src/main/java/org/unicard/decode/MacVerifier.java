package org.unicard.decode;

import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.security.RetailMacBatch;

/**
 * Checks the MAC of a request from a terminal that has a MAC key (spec §6): field 64, or 128 when
 * the message has a secondary bitmap, over every byte of the message before it. Called on the
 * decode thread; must not allocate and must compare in constant time.
 */
public interface MacVerifier
{
    /**
     * @param reader   the decoded request.
     * @param terminal the dense index of a terminal that has a MAC key.
     * @return {@code true} when the MAC is present and right.
     */
    boolean verify(IsoMessageReader reader, int terminal);

    /**
     * Adds a request's MAC to a batch, to be verified with others ({@link RetailMacBatch#compute()}).
     *
     * @param batch    the batch (not full).
     * @param reader   the decoded request.
     * @param terminal the dense index of a terminal that has a MAC key.
     * @return the request's lane, or -1 when it carries no 8-byte MAC field (its MAC is wrong).
     */
    int add(RetailMacBatch batch, IsoMessageReader reader, int terminal);

    /**
     * @param batch  the batch, computed.
     * @param lane   the lane {@link #add} gave the request.
     * @param reader the decoded request.
     * @return {@code true} when the request's MAC is the one computed, compared in constant time.
     */
    boolean verify(RetailMacBatch batch, int lane, IsoMessageReader reader);
}
