package org.unicard.tools.traffic;

import java.nio.charset.StandardCharsets;

import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.security.TdesKey;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;
import org.unicard.terminal.TerminalRequest;

/**
 * One terminal of the data set as a simulator sends from it: its terminal id (field 41), merchant
 * id (field 42) and clear PIN and MAC keys, read once from the terminal table. Every generator
 * starts each request here, so a request is signed and addressed the same way everywhere.
 */
public final class SimulatedTerminal
{
    private final int index;
    private final byte type;
    private final String terminalId;
    private final byte[] terminalIdBytes;
    private final String merchantId;
    private final TdesKey pinKey;
    private final TdesKey macKey;

    /**
     * @param terminals the terminal table.
     * @param index     the terminal's index in it.
     */
    public SimulatedTerminal(final TerminalTable terminals, final int index)
    {
        this.index = index;
        this.type = terminals.type[index];
        this.terminalId = TerminalTable.unpackTerminalId(terminals.terminalId[index]);
        this.terminalIdBytes = terminalId.getBytes(StandardCharsets.US_ASCII);
        this.merchantId = new String(terminals.merchantId[index], StandardCharsets.US_ASCII).stripTrailing();
        this.pinKey = terminals.pinKey[index] == null ? null : TdesKey.of(terminals.pinKey[index]);
        this.macKey = terminals.macKey[index] == null ? null : TdesKey.of(terminals.macKey[index]);
    }

    /**
     * Clears the request and fills what this terminal puts in every request: STAN, field 7, fields
     * 41 and 42, and its MAC key (so the request is MAC-signed when the terminal has one).
     *
     * @param request              reused by the caller.
     * @param stan                 field 11.
     * @param transmissionDateTime field 7, MMDDhhmmss.
     * @return the request, for the purchase to be filled in.
     */
    public TerminalRequest start(final TerminalRequest request, final int stan, final long transmissionDateTime)
    {
        request.clear();
        request.stan = stan;
        request.transmissionDateTime = transmissionDateTime;
        request.terminalId = terminalId;
        request.merchantId = merchantId;
        request.macKey = macKey;
        return request;
    }

    /**
     * @param response a valid response holding field 41.
     * @return whether its field 41 names this terminal.
     */
    public boolean isAddressee(final IsoMessageReader response)
    {
        for (int i = 0; i < terminalIdBytes.length; i++)
        {
            if (response.charAt(41, i) != terminalIdBytes[i])
            {
                return false;
            }
        }
        return true;
    }

    public int index()
    {
        return index;
    }

    public boolean isBakery()
    {
        return type == TerminalType.BAKERY;
    }

    public String terminalId()
    {
        return terminalId;
    }

    /**
     * @return the terminal's PIN key, or {@code null} when it has none (it then sends no PINs).
     */
    public TdesKey pinKey()
    {
        return pinKey;
    }
}
