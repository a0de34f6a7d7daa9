package org.unicard.reply;

import java.nio.ByteOrder;

import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.state.TerminalTable;

/**
 * Which terminal's MAC key signs a response that was decided before the request's terminal was
 * identified: a 30 for a request missing a field, a 03 for an inactive terminal or another merchant,
 * and a 91 answered on the event loop (spec §3, §6: every response to a terminal with a MAC key
 * carries a MAC). On a terminal listener, field 41, when the request has it with its 8 bytes, names
 * the terminal; the response is signed when that terminal is in the table with a MAC key. Reads the
 * table only (it does not change while the switch runs), so any thread may call it; allocation-free.
 */
public final class MacTerminals
{
    private static final int FIELD_TERMINAL = 41;

    private MacTerminals()
    {
    }

    /**
     * @param terminals the terminal table.
     * @param request   a request on a terminal listener, decoded as far as it could be.
     * @return the dense index of the terminal named by field 41 when it has a MAC key, else -1.
     */
    public static int byTerminalId(final TerminalTable terminals, final IsoMessageReader request)
    {
        if (!request.hasField(FIELD_TERMINAL) || request.valueBytes(FIELD_TERMINAL) != TerminalTable.TERMINAL_ID_LENGTH)
        {
            return -1;
        }
        final int terminal = terminals.indexOf(request.buffer().getLong(request.valueOffset(FIELD_TERMINAL), ByteOrder.BIG_ENDIAN));
        return terminal >= 0 && terminals.macKey[terminal] != null ? terminal : -1;
    }
}
