package org.unicard.reply;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Computes the MAC of a response to a terminal that has a MAC key (spec §6), over every byte of the
 * message before the MAC field. Called on the reply thread; must not allocate.
 */
@FunctionalInterface
public interface MacGenerator
{
    /**
     * @param terminal  the dense index of a terminal that has a MAC key.
     * @param message   the encoded message.
     * @param offset    where the message starts.
     * @param length    bytes before the MAC field.
     * @param mac       receives the 8-byte MAC.
     * @param macOffset where in {@code mac}.
     */
    void generate(int terminal, DirectBuffer message, int offset, int length, MutableDirectBuffer mac, int macOffset);
}
