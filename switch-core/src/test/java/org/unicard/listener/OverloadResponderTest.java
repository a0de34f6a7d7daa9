package org.unicard.listener;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.reply.SecurityMacGenerator;
import org.unicard.security.Hex;
import org.unicard.security.RetailMac;
import org.unicard.security.TdesKey;
import org.unicard.server.WireData;
import org.unicard.server.WireDataAccess;
import org.unicard.state.DataSet;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 91 answered on the event loop: signed with the terminal's MAC key when it has one (spec §6),
 * unsigned otherwise, and allocation-free once warm (the event loop's overload path).
 */
class OverloadResponderTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final TdesKey TAK = TdesKey.of(Hex.parseKey(WireData.TAK_HEX));
    private static final ListenerSettings TERMINALS = new ListenerSettings(ListenerKind.TERMINAL, 0, true, false);
    private static final ListenerSettings ACQUIRERS = new ListenerSettings(ListenerKind.ACQUIRER, 0, true, false);

    @TempDir
    Path directory;

    @Test
    void shouldSignThe91OfATerminalWithAMacKeyAndOnlyThat() throws Exception
    {
        final OverloadResponder responder = responder();
        final UnsafeBuffer signed = frame(WireData.GROCER, WireData.MERCHANT_GROCER, TAK, 1);
        final IsoMessageReader response = new IsoMessageReader(IsoDialect.BINARY);

        final int length = responder.encode(TERMINALS, signed, Framing.LENGTH_PREFIX_BYTES, signed.capacity() - Framing.LENGTH_PREFIX_BYTES);
        response.wrap(responder.response(), Framing.LENGTH_PREFIX_BYTES, length - Framing.LENGTH_PREFIX_BYTES);
        assertEquals(210, response.mti());
        assertEquals("91", code(response));
        assertTrue(response.hasField(64));
        assertTrue(RetailMac.verify(TAK, responder.response(), Framing.LENGTH_PREFIX_BYTES,
            response.fieldStart(64) - Framing.LENGTH_PREFIX_BYTES, responder.response(), response.valueOffset(64)));

        final UnsafeBuffer noKey = frame(WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, null, 2);
        final int unsigned = responder.encode(TERMINALS, noKey, Framing.LENGTH_PREFIX_BYTES, noKey.capacity() - Framing.LENGTH_PREFIX_BYTES);
        response.wrap(responder.response(), Framing.LENGTH_PREFIX_BYTES, unsigned - Framing.LENGTH_PREFIX_BYTES);
        assertEquals("91", code(response));
        assertFalse(response.hasField(64), "a terminal without a MAC key gets no MAC");

        final int acquirer = responder.encode(ACQUIRERS, signed, Framing.LENGTH_PREFIX_BYTES, signed.capacity() - Framing.LENGTH_PREFIX_BYTES);
        response.wrap(responder.response(), Framing.LENGTH_PREFIX_BYTES, acquirer - Framing.LENGTH_PREFIX_BYTES);
        assertFalse(response.hasField(64), "field 41 on an acquirer link names no terminal of ours");
    }

    @Test
    void shouldAllocateNothingSigningA91OnceWarm() throws Exception
    {
        final OverloadResponder responder = responder();
        final UnsafeBuffer frame = frame(WireData.GROCER, WireData.MERCHANT_GROCER, TAK, 3);
        final int length = frame.capacity() - Framing.LENGTH_PREFIX_BYTES;
        final long[] allocated = new long[12];
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < allocated.length; round++)
        {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2_000; i++)
            {
                if (responder.encode(TERMINALS, frame, Framing.LENGTH_PREFIX_BYTES, length) <= 0)
                {
                    throw new AssertionError("no answer");
                }
            }
            allocated[round] = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (round >= 4)
            {
                fewest = Math.min(fewest, allocated[round]);
            }
        }
        assertEquals(0, fewest, "bytes allocated per round of 2,000 signed 91s: " + java.util.Arrays.toString(allocated));
    }

    private static String code(final IsoMessageReader response)
    {
        final int at = response.valueOffset(39);
        return "" + (char)response.buffer().getByte(at) + (char)response.buffer().getByte(at + 1);
    }

    private OverloadResponder responder() throws Exception
    {
        final DataSet data = WireDataAccess.imported(directory);
        return new OverloadResponder(data.terminals(), new SecurityMacGenerator(data.terminals()));
    }

    private static UnsafeBuffer frame(final String terminal, final String merchant, final TdesKey macKey, final int stan)
    {
        final TerminalRequest request = new TerminalRequest();
        request.clear();
        request.stan = stan;
        request.transmissionDateTime = 1123070000L;
        request.terminalId = terminal;
        request.merchantId = merchant;
        request.macKey = macKey;
        request.pan = WireData.HEAD;
        request.processingCode = 9100;
        request.amount = 1;
        request.currency = 818;
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
        final int length = new RequestBuilder().build(request, out);
        final byte[] frame = new byte[length];
        out.getBytes(0, frame);
        return new UnsafeBuffer(frame);
    }
}
