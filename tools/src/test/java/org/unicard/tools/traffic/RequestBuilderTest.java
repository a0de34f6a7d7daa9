package org.unicard.tools.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.iso8583.message.IsoMessageWriter;
import org.unicard.security.RetailMac;
import org.unicard.security.TdesKey;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalRequest;

/**
 * The terminal's request encoder writes its fields straight into the frame; these check its bytes
 * against the same message staged by {@link IsoMessageWriter#reset}/{@code encode} and MAC'd
 * afterwards, for a primary-bitmap purchase (MAC in field 64) and a reversal with a secondary
 * bitmap (field 90, MAC in field 128).
 */
class RequestBuilderTest
{
    private static final TdesKey MAC_KEY = TdesKey.of(new byte[]
    {
        0x01, 0x23, 0x45, 0x67, (byte)0x89, (byte)0xAB, (byte)0xCD, (byte)0xEF,
        (byte)0xFE, (byte)0xDC, (byte)0xBA, (byte)0x98, 0x76, 0x54, 0x32, 0x10,
    });

    @Test
    void shouldEncodeAPurchaseAsTheStagedWriterDoesWithItsMacInField64()
    {
        final TerminalRequest request = start(new TerminalRequest());
        Purchases.ration(request, 4_500);

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        final int length = new RequestBuilder().build(request, frame);

        final IsoMessageWriter staged = new IsoMessageWriter(IsoDialect.BINARY).reset(200)
            .putNumeric(2, Long.parseLong(request.pan)).putNumeric(3, request.processingCode).putNumeric(4, 4_500)
            .putNumeric(7, request.transmissionDateTime).putNumeric(11, request.stan).putChars(41, request.terminalId)
            .putChars(42, request.merchantId).putChars(49, "818").putBinary(64, new UnsafeBuffer(new byte[8]), 0, 8);
        assertSameFrame(staged, 64, frame, length);
    }

    @Test
    void shouldEncodeAReversalWithASecondaryBitmapAsTheStagedWriterDoesWithItsMacInField128()
    {
        final TerminalRequest request = start(new TerminalRequest());
        Purchases.bread(request, 3);
        request.mti = 400;
        request.originalMti = 200;
        request.originalStan = 41;
        request.originalTransmissionDateTime = 1204_101459L;

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        final int length = new RequestBuilder().build(request, frame);

        final UnsafeBuffer field90 = new UnsafeBuffer(("0200" + "000041" + "1204101459" + "0".repeat(22)).getBytes(StandardCharsets.US_ASCII));
        final IsoMessageWriter staged = new IsoMessageWriter(IsoDialect.BINARY).reset(400)
            .putNumeric(2, Long.parseLong(request.pan)).putNumeric(3, request.processingCode).putNumeric(4, 3)
            .putNumeric(7, request.transmissionDateTime).putNumeric(11, request.stan).putChars(41, request.terminalId)
            .putChars(42, request.merchantId).putChars(49, "999").putDigits(90, field90, 0, 42)
            .putBinary(128, new UnsafeBuffer(new byte[8]), 0, 8);
        assertSameFrame(staged, 128, frame, length);

        final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY)
            .wrap(frame, Framing.LENGTH_PREFIX_BYTES, length - Framing.LENGTH_PREFIX_BYTES);
        assertTrue(reader.isValid(), reader.error().toString());
        assertTrue(reader.hasField(90) && reader.hasField(128) && !reader.hasField(64));
    }

    private static TerminalRequest start(final TerminalRequest request)
    {
        request.clear();
        request.pan = "6281000012345678";
        request.stan = 42;
        request.transmissionDateTime = 1204_101500L;
        request.terminalId = "BK000042";
        request.merchantId = "MERCHANT0000042";
        request.macKey = MAC_KEY;
        return request;
    }

    /** The builder's frame is the staged message with its length prefix and the MAC of all that precedes the MAC field. */
    private static void assertSameFrame(final IsoMessageWriter staged, final int macField, final UnsafeBuffer frame, final int length)
    {
        final UnsafeBuffer expected = new UnsafeBuffer(new byte[512]);
        final int messageLength = staged.encode(expected, Framing.LENGTH_PREFIX_BYTES);
        final int macStart = staged.encodedFieldStart(macField);
        RetailMac.compute(MAC_KEY, expected, Framing.LENGTH_PREFIX_BYTES, macStart - Framing.LENGTH_PREFIX_BYTES,
            expected, staged.encodedValueOffset(macField));
        Framing.writeLength(expected, 0, messageLength);

        assertEquals(Framing.LENGTH_PREFIX_BYTES + messageLength, length);
        for (int i = 0; i < length; i++)
        {
            assertEquals(expected.getByte(i), frame.getByte(i), "byte " + i);
        }
        assertTrue(expected.getLong(staged.encodedValueOffset(macField)) != 0, "the MAC was written");
    }
}
