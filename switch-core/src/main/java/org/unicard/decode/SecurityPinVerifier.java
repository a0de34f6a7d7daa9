package org.unicard.decode;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthRequest;
import org.unicard.iso8583.message.IsoFields;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.security.PinBlock;
import org.unicard.security.PinVerificationValue;
import org.unicard.security.TdesKey;
import org.unicard.state.AcquirerTable;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.TerminalTable;

/**
 * Verifies field 52 (spec §6): decrypts the ISO 9564 format-0 PIN block under the terminal's PIN
 * key (or the acquirer's zone PIN key on acquirer links), and checks the PIN against the card's
 * Visa PVV under the PIN verification key (PVKI 1). A PIN block that cannot be decrypted to a
 * well-formed PIN, or that arrives from a link without a PIN key, counts as a wrong PIN.
 * Key schedules are built once; verification allocates nothing.
 */
public final class SecurityPinVerifier implements PinVerifier
{
    private static final int PVKI = 1;

    private final CardTable cards;
    private final TdesKey[] terminalPinKeys;
    private final TdesKey[] acquirerPinKeys;
    private final TerminalTable terminals;
    private final AcquirerTable acquirers;
    private final TdesKey pinVerificationKey;
    private final byte[] block = new byte[8];
    private final UnsafeBuffer blockBuffer = new UnsafeBuffer(block);
    private final byte[] scratch = new byte[8];

    public SecurityPinVerifier(final DataSet data)
    {
        cards = data.cards();
        terminals = data.terminals();
        // Room for the terminals and acquirers a live change adds (spec §12).
        terminalPinKeys = new TdesKey[terminals.capacity()];
        for (int i = 0; i < terminals.size(); i++)
        {
            terminalPinKeys[i] = terminals.pinKey[i] == null ? null : TdesKey.of(terminals.pinKey[i]);
        }
        acquirers = data.acquirers();
        acquirerPinKeys = new TdesKey[acquirers.capacity()];
        for (int i = 0; i < acquirers.size(); i++)
        {
            acquirerPinKeys[i] = acquirers.zonePinKey[i] == null ? null : TdesKey.of(acquirers.zonePinKey[i]);
        }
        pinVerificationKey = TdesKey.of(data.pinVerificationKey());
    }

    /**
     * Builds a terminal's PIN key schedule again after a live change (called while the ring waits
     * between two requests).
     */
    public void refreshTerminal(final int terminal)
    {
        terminalPinKeys[terminal] = terminals.pinKey[terminal] == null ? null : TdesKey.of(terminals.pinKey[terminal]);
    }

    /**
     * Builds an acquirer's zone PIN key schedule again after a live change.
     */
    public void refreshAcquirer(final int acquirer)
    {
        acquirerPinKeys[acquirer] = acquirers.zonePinKey[acquirer] == null ? null : TdesKey.of(acquirers.zonePinKey[acquirer]);
    }

    @Override
    public byte verify(final IsoMessageReader reader, final AuthRequest request)
    {
        if (!reader.hasField(IsoFields.PIN_BLOCK))
        {
            return AuthRequest.PIN_ABSENT;
        }
        final TdesKey key = request.sourceType == AuthRequest.SOURCE_ACQUIRER ?
            acquirerPinKeys[request.sourceIndex] : terminalPinKeys[request.sourceIndex];
        final int card = cards.indexOf(request.pan);
        if (key == null || card < 0 || reader.valueLength(IsoFields.PIN_BLOCK) != block.length)
        {
            return AuthRequest.PIN_WRONG;
        }
        reader.copyBinary(IsoFields.PIN_BLOCK, blockBuffer, 0);
        final long pin = PinBlock.decryptAndDecode(key, block, 0, request.pan, request.panDigits, scratch);
        if (pin < 0)
        {
            return AuthRequest.PIN_WRONG;
        }
        final int pinLength = (int)(pin >>> 32);
        final int pinValue = (int)pin;
        final int pvv = PinVerificationValue.compute(pinVerificationKey, request.pan, request.panDigits, PVKI, pinValue, pinLength);
        return pvv == cards.pvv(card) ? AuthRequest.PIN_CORRECT : AuthRequest.PIN_WRONG;
    }
}
