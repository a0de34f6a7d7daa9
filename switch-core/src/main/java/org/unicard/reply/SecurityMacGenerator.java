package org.unicard.reply;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.unicard.security.RetailMac;
import org.unicard.security.TdesKey;
import org.unicard.state.TerminalTable;

/**
 * Signs responses to terminals that have a MAC key (spec §6, ISO 9797-1 algorithm 3). Key
 * schedules are built once; generation allocates nothing.
 * <p>
 * Thread-safe: it holds only the immutable key schedules and writes the MAC straight into the
 * caller's buffer, with no scratch of its own, so the reply thread and the event loops (which sign
 * their 91 answers) share one instance.
 */
public final class SecurityMacGenerator implements MacGenerator
{
    private final TdesKey[] macKeys;

    public SecurityMacGenerator(final TerminalTable terminals)
    {
        macKeys = new TdesKey[terminals.size()];
        for (int i = 0; i < terminals.size(); i++)
        {
            macKeys[i] = terminals.macKey[i] == null ? null : TdesKey.of(terminals.macKey[i]);
        }
    }

    @Override
    public void generate(
        final int terminal, final DirectBuffer message, final int offset, final int length, final MutableDirectBuffer out, final int macOffset)
    {
        RetailMac.compute(macKeys[terminal], message, offset, length, out, macOffset);
    }
}
