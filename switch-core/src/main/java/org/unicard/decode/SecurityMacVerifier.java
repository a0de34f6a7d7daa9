package org.unicard.decode;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.iso8583.message.IsoFields;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.security.RetailMac;
import org.unicard.security.RetailMacBatch;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;
import org.unicard.state.TerminalTable;

/**
 * Verifies request MACs (spec §6): ISO 9797-1 algorithm 3 with the terminal's MAC key over every
 * byte of the message before field 64 (or 128 with a secondary bitmap), compared in constant time.
 * Key schedules are built once; verification allocates nothing.
 */
public final class SecurityMacVerifier implements MacVerifier
{
    private static final int MAC_BYTES = 8;

    private final TdesKey[] macKeys;
    private final TerminalTable terminals;
    private final UnsafeBuffer mac = new UnsafeBuffer(new byte[MAC_BYTES]);

    public SecurityMacVerifier(final DataSet data)
    {
        terminals = data.terminals();
        // Room for the terminals a live change adds (spec §12).
        macKeys = new TdesKey[terminals.capacity()];
        for (int i = 0; i < terminals.size(); i++)
        {
            macKeys[i] = terminals.macKey[i] == null ? null : TdesKey.of(terminals.macKey[i]);
        }
    }

    /**
     * Builds a terminal's key schedule again after a live change added it or rotated its key (called
     * while the ring waits between two requests).
     */
    public void refreshTerminal(final int terminal)
    {
        macKeys[terminal] = terminals.macKey[terminal] == null ? null : TdesKey.of(terminals.macKey[terminal]);
    }

    @Override
    public boolean verify(final IsoMessageReader reader, final int terminal)
    {
        final int field = macField(reader);
        if (field < 0)
        {
            return false;
        }
        reader.copyBinary(field, mac, 0);
        final int start = reader.messageOffset();
        return RetailMac.verify(macKeys[terminal], reader.buffer(), start, reader.fieldStart(field) - start, mac, 0);
    }

    @Override
    public int add(final RetailMacBatch batch, final IsoMessageReader reader, final int terminal)
    {
        final int field = macField(reader);
        if (field < 0)
        {
            return -1;
        }
        final int start = reader.messageOffset();
        return batch.add(macKeys[terminal], reader.buffer(), start, reader.fieldStart(field) - start);
    }

    /** The request's MAC field (64, or 128 with a secondary bitmap), or -1 when it has none of 8 bytes. */
    private static int macField(final IsoMessageReader reader)
    {
        final int field = IsoFields.macField(reader.hasSecondaryBitmap());
        return reader.hasField(field) && reader.valueLength(field) == MAC_BYTES ? field : -1;
    }

    @Override
    public boolean verify(final RetailMacBatch batch, final int lane, final IsoMessageReader reader)
    {
        reader.copyBinary(IsoFields.macField(reader.hasSecondaryBitmap()), mac, 0);
        return batch.verify(lane, mac, 0);
    }
}
