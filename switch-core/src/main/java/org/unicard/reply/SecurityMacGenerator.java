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
    private final TerminalTable terminals;

    public SecurityMacGenerator(final TerminalTable terminals)
    {
        this.terminals = terminals;
        // Room for the terminals a live change adds (spec §12).
        macKeys = new TdesKey[terminals.capacity()];
        for (int i = 0; i < terminals.size(); i++)
        {
            macKeys[i] = terminals.macKey[i] == null ? null : TdesKey.of(terminals.macKey[i]);
        }
    }

    /**
     * Builds a terminal's key schedule again after a live change added it or rotated its key (called
     * while every ring stage waits between two requests; an event loop's 91 answer signed at that
     * very moment may use the old key, see docs/design.md "Live data changes").
     */
    public void refreshTerminal(final int terminal)
    {
        macKeys[terminal] = terminals.macKey[terminal] == null ? null : TdesKey.of(terminals.macKey[terminal]);
    }

    /**
     * @param terminal the dense index of a terminal that has a MAC key.
     * @return its MAC key, for signing several responses at once ({@code RetailMacBatch}).
     */
    public TdesKey macKey(final int terminal)
    {
        return macKeys[terminal];
    }

    @Override
    public void generate(
        final int terminal, final DirectBuffer message, final int offset, final int length, final MutableDirectBuffer out, final int macOffset)
    {
        RetailMac.compute(macKeys[terminal], message, offset, length, out, macOffset);
    }
}
