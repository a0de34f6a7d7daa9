package org.unicard.reply;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.message.IsoFields;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.iso8583.message.IsoMessageWriter;
import org.unicard.iso8583.message.Mti;
import org.unicard.state.Program;

/**
 * Encodes a response frame (length prefix, TPDU when the listener has one, message) from the
 * request and its outcome: MTI + 10; fields 2, 3, 4, 7, 11, 12, 13, 32, 41, 42, 49 and 70 echoed when
 * the request had them; 37 echoed or assigned; 38 on approval; 39 always; 54 with the balances on
 * approved 0110/0210 and on 51 (spec §5); 64 when the terminal has a MAC key. One instance per
 * thread; allocation-free; each field is written once, straight into the frame.
 */
public final class ResponseEncoder
{
    private static final long ECHOED_BEFORE_RRN = IsoMessageWriter.fieldMask(
        IsoFields.PAN, IsoFields.PROCESSING_CODE, IsoFields.AMOUNT, IsoFields.TRANSMISSION_DATE_TIME, IsoFields.STAN,
        IsoFields.LOCAL_TIME, IsoFields.LOCAL_DATE, IsoFields.ACQUIRER);
    private static final long ECHOED_AFTER_RESPONSE_CODE = IsoMessageWriter.fieldMask(
        IsoFields.TERMINAL, IsoFields.MERCHANT, IsoFields.CURRENCY);
    private static final int BALANCE_BLOCK = 20;
    /** The ASCII digits of 00 to 99, tens in the low byte: a little-endian short writes them in order. */
    private static final short[] DIGIT_PAIRS = new short[100];

    static
    {
        for (int pair = 0; pair < DIGIT_PAIRS.length; pair++)
        {
            DIGIT_PAIRS[pair] = (short)(('0' + pair / 10) | (('0' + pair % 10) << 8));
        }
    }

    private final IsoMessageWriter binaryWriter = new IsoMessageWriter(IsoDialect.BINARY);
    private final IsoMessageWriter asciiWriter = new IsoMessageWriter(IsoDialect.ASCII);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[AuthOutcome.MAX_BALANCES * BALANCE_BLOCK]);
    private final UnsafeBuffer zeros = new UnsafeBuffer(new byte[8]);
    private final MacGenerator macGenerator;
    private int macDataLength = -1;
    private int macValueOffset = -1;

    /**
     * @param macGenerator computes response MACs.
     */
    public ResponseEncoder(final MacGenerator macGenerator)
    {
        this.macGenerator = macGenerator;
    }

    /**
     * @param reader        the decoded request (fields decoded before a fault are still echoed).
     * @param tpduBytes     0, or the TPDU length when the frame starts with one.
     * @param code          the response code.
     * @param outcome       the authorizer's outcome, or {@code null} for answers given before it.
     * @param assignedRrn   field 37 when the request has none.
     * @param macTerminal   the dense index of the terminal whose MAC key signs the response, or -1.
     * @param out           receives the frame at offset 0.
     * @return the frame's length.
     */
    public int encode(
        final IsoMessageReader reader,
        final int tpduBytes,
        final int code,
        final AuthOutcome outcome,
        final long assignedRrn,
        final int macTerminal,
        final MutableDirectBuffer out)
    {
        final int length = encodeUnsigned(reader, tpduBytes, code, outcome, assignedRrn, macTerminal, out);
        if (macDataLength >= 0)
        {
            macGenerator.generate(macTerminal, out, macDataOffset(tpduBytes), macDataLength, out, macValueOffset);
        }
        return length;
    }

    /**
     * Encodes the response as {@link #encode} does, but leaves its MAC field (when the terminal has a
     * key) zero, for the caller to sign later, several responses at once: the bytes to MAC are
     * {@link #macDataLength()} bytes from {@link #macDataOffset(int)}, the MAC goes at
     * {@link #macValueOffset()}.
     *
     * @return the frame's length.
     */
    public int encodeUnsigned(
        final IsoMessageReader reader,
        final int tpduBytes,
        final int code,
        final AuthOutcome outcome,
        final long assignedRrn,
        final int macTerminal,
        final MutableDirectBuffer out)
    {
        final boolean binary = reader.dialect() == IsoDialect.BINARY;
        final IsoMessageWriter writer = binary ? binaryWriter : asciiWriter;
        final int mti = reader.mti();
        final int messageOffset = macDataOffset(tpduBytes);
        if (tpduBytes > 0)
        {
            // The response's TPDU swaps the request's destination and source addresses.
            final int tpdu = reader.messageOffset() - tpduBytes;
            out.putByte(Framing.LENGTH_PREFIX_BYTES, reader.buffer().getByte(tpdu));
            out.putByte(Framing.LENGTH_PREFIX_BYTES + 1, reader.buffer().getByte(tpdu + 3));
            out.putByte(Framing.LENGTH_PREFIX_BYTES + 2, reader.buffer().getByte(tpdu + 4));
            out.putByte(Framing.LENGTH_PREFIX_BYTES + 3, reader.buffer().getByte(tpdu + 1));
            out.putByte(Framing.LENGTH_PREFIX_BYTES + 4, reader.buffer().getByte(tpdu + 2));
        }

        // Direct mode: every field goes straight into the frame, in ascending field order.
        writer.wrap(out, messageOffset, Mti.responseTo(mti));
        writer.putFieldsFrom(reader, ECHOED_BEFORE_RRN);
        if (reader.hasField(IsoFields.RRN))
        {
            writer.putFieldFrom(reader, IsoFields.RRN);
        }
        else
        {
            putDecimal(scratch, 0, assignedRrn, 12);
            writer.putChars(IsoFields.RRN, scratch, 0, 12);
        }
        if (code == ResponseCode.APPROVED && outcome != null && outcome.authorizationId >= 0)
        {
            putDecimal(scratch, 0, outcome.authorizationId, 6);
            writer.putChars(IsoFields.AUTHORIZATION_ID, scratch, 0, 6);
        }
        putDecimal(scratch, 0, code, 2);
        writer.putChars(IsoFields.RESPONSE_CODE, scratch, 0, 2);
        writer.putFieldsFrom(reader, ECHOED_AFTER_RESPONSE_CODE);
        if (outcome != null && outcome.balanceCount > 0 && (mti == Mti.AUTHORIZATION_REQUEST || mti == Mti.FINANCIAL_REQUEST) &&
            (code == ResponseCode.APPROVED || code == ResponseCode.INSUFFICIENT_FUNDS))
        {
            writer.putChars(IsoFields.BALANCES, scratch, 0, writeBalances(outcome));
        }
        // A response with a field above 64 (field 70 of an 0810) has a secondary bitmap: its MAC is field 128.
        final boolean secondary = reader.hasField(IsoFields.NETWORK_CODE);
        final int macField = IsoFields.macField(secondary);
        if (macTerminal >= 0 && !secondary)
        {
            writer.putBinary(IsoFields.MAC, zeros, 0, 8);
        }
        if (secondary)
        {
            writer.putFieldFrom(reader, IsoFields.NETWORK_CODE);
            if (macTerminal >= 0)
            {
                writer.putBinary(IsoFields.MAC_SECONDARY, zeros, 0, 8);
            }
        }
        final int messageLength = writer.finish();
        macDataLength = macTerminal >= 0 ? writer.encodedFieldStart(macField) - messageOffset : -1;
        macValueOffset = macTerminal >= 0 ? writer.encodedValueOffset(macField) : -1;
        Framing.writeLength(out, 0, tpduBytes + messageLength);
        return Framing.LENGTH_PREFIX_BYTES + tpduBytes + messageLength;
    }

    /**
     * @param tpduBytes the last encode's TPDU length.
     * @return where in the frame the bytes the MAC covers start (the message, after the length prefix
     *         and the TPDU).
     */
    public static int macDataOffset(final int tpduBytes)
    {
        return Framing.LENGTH_PREFIX_BYTES + tpduBytes;
    }

    /**
     * @return how many bytes the last encoded response's MAC covers, or -1 when it has no MAC field.
     */
    public int macDataLength()
    {
        return macDataLength;
    }

    /**
     * @return where in the frame the last encoded response's MAC goes, or -1 when it has no MAC field.
     */
    public int macValueOffset()
    {
        return macValueOffset;
    }

    private int writeBalances(final AuthOutcome outcome)
    {
        int at = 0;
        for (int i = 0; i < outcome.balanceCount; i++)
        {
            final int account = outcome.balanceAccount[i];
            final long amount = outcome.balanceAmount[i];
            putDecimal(scratch, at, account, 2);
            scratch.putByte(at + 2, (byte)'0');
            scratch.putByte(at + 3, (byte)'2');
            putDecimal(scratch, at + 4, account == Program.ACCOUNT_BREAD ? Authorizer.CURRENCY_NONE : Authorizer.CURRENCY_EGP, 3);
            scratch.putByte(at + 7, (byte)(amount < 0 ? 'D' : 'C'));
            putDecimal(scratch, at + 8, Math.abs(amount), 12);
            at += BALANCE_BLOCK;
        }
        return at;
    }

    /**
     * Writes a non-negative number as zero-padded ASCII digits (its {@code width} lowest digits), two
     * digits at a time from {@link #DIGIT_PAIRS}: half the divisions in the chain, and half the stores.
     */
    public static void putDecimal(final MutableDirectBuffer buffer, final int offset, final long value, final int width)
    {
        long rest = value;
        int at = width;
        while (at >= 2)
        {
            at -= 2;
            buffer.putShort(offset + at, DIGIT_PAIRS[(int)(rest % 100)], ByteOrder.LITTLE_ENDIAN);
            rest /= 100;
        }
        if (at == 1)
        {
            buffer.putByte(offset, (byte)('0' + rest % 10));
        }
    }
}
