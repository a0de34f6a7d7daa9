package org.unicard.terminal;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.message.IsoMessageWriter;
import org.unicard.security.PinBlock;
import org.unicard.security.RetailMac;

/**
 * Encodes a {@link TerminalRequest} as a framed jPOS iso87binary message, the way a bakery or
 * grocer terminal would: PIN block (ISO 9564 format 0, TDES under the terminal's PIN key) and
 * MAC (ISO 9797-1 algorithm 3, field 64) when the request carries keys. One instance per thread.
 */
public final class RequestBuilder
{
    private final IsoMessageWriter writer = new IsoMessageWriter(IsoDialect.BINARY);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
    private final byte[] block = new byte[8];
    private final byte[] encrypted = new byte[8];
    private final byte[] mac = new byte[8];

    /**
     * @param request what to send.
     * @param out     receives the frame (2-byte length prefix, then the message) at offset 0.
     * @return the frame's length.
     */
    public int build(final TerminalRequest request, final MutableDirectBuffer out)
    {
        // Fields are put in ascending order, straight into the frame: nothing is staged and copied.
        writer.wrap(out, Framing.LENGTH_PREFIX_BYTES, request.mti);
        if (request.pan != null)
        {
            final int digits = scratch.putStringWithoutLengthAscii(0, request.pan);
            writer.putDigits(2, scratch, 0, digits);
        }
        if (request.mti != 800)
        {
            writer.putNumeric(3, request.processingCode);
        }
        if (request.amount >= 0)
        {
            writer.putNumeric(4, request.amount);
        }
        writer.putNumeric(7, request.transmissionDateTime);
        writer.putNumeric(11, request.stan);
        if (request.expiry >= 0)
        {
            writer.putNumeric(14, request.expiry);
        }
        if (request.acquirerId >= 0)
        {
            writer.putNumeric(32, request.acquirerId);
        }
        writer.putChars(41, request.terminalId);
        if (request.merchantId != null)
        {
            writer.putChars(42, request.merchantId);
        }
        if (request.currency >= 0)
        {
            putDecimal(scratch, 0, request.currency, 3);
            writer.putChars(49, scratch, 0, 3);
        }
        if (request.pin >= 0)
        {
            final long pan = Long.parseLong(request.pan);
            PinBlock.encodeFormat0(request.pin, request.pinLength, pan, request.pan.length(), block, 0);
            request.pinKey.encryptBlock(block, 0, encrypted, 0);
            scratch.putBytes(0, encrypted);
            writer.putBinary(52, scratch, 0, 8);
        }
        if (request.networkCode >= 0)
        {
            writer.putNumeric(70, request.networkCode);
        }
        if (request.originalMti >= 0)
        {
            putDecimal(scratch, 0, request.originalMti, 4);
            putDecimal(scratch, 4, request.originalStan, 6);
            putDecimal(scratch, 10, request.originalTransmissionDateTime, 10);
            putDecimal(scratch, 20, 0, 11);
            putDecimal(scratch, 31, 0, 11);
            writer.putDigits(90, scratch, 0, 42);
        }
        // Fields above 64 (70, 90) mean a secondary bitmap, and then the MAC is field 128.
        final int macField = request.networkCode >= 0 || request.originalMti >= 0 ? 128 : 64;
        if (request.macKey != null)
        {
            scratch.setMemory(0, 8, (byte)0);
            writer.putBinary(macField, scratch, 0, 8);
        }
        final int length = writer.finish();
        if (request.macKey != null)
        {
            final int macStart = writer.encodedFieldStart(macField);
            RetailMac.compute(request.macKey, out, Framing.LENGTH_PREFIX_BYTES, macStart - Framing.LENGTH_PREFIX_BYTES, mac, 0);
            out.putBytes(writer.encodedValueOffset(macField), mac);
        }
        Framing.writeLength(out, 0, length);
        return Framing.LENGTH_PREFIX_BYTES + length;
    }

    /**
     * @param epochMs an instant.
     * @return field 7 (MMDDhhmmss, UTC) for it.
     */
    public static long transmissionDateTime(final long epochMs)
    {
        final ZonedDateTime time = java.time.Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC);
        return time.getMonthValue() * 100_000_000L + time.getDayOfMonth() * 1_000_000L + time.getHour() * 10_000L +
            time.getMinute() * 100L + time.getSecond();
    }

    /**
     * Writes {@code value} as {@code width} ASCII digits, zero-padded on the left.
     */
    private static void putDecimal(final MutableDirectBuffer buffer, final int offset, final long value, final int width)
    {
        long rest = value;
        for (int i = width - 1; i >= 0; i--)
        {
            buffer.putByte(offset + i, (byte)('0' + rest % 10));
            rest /= 10;
        }
    }
}
