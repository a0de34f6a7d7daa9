package org.unicard.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.reply.MacGenerator;
import org.unicard.reply.MacTerminals;
import org.unicard.reply.ResponseEncoder;
import org.unicard.ring.RequestEvent;
import org.unicard.state.TerminalTable;

/**
 * Answers 91 on the event loop when a request cannot enter the ring (the ring is full, or its
 * connection is at its in-flight limit). Created per connection on its first overload only.
 * <p>
 * A 91 to a terminal with a MAC key carries a MAC (spec §3, §6), as every other response to it
 * does: on a terminal listener, field 41 names the terminal, and when it is known and has a
 * MAC key the answer is signed with that key, here on the event loop ({@link MacTerminals}). The request's own MAC is not
 * checked first (overload comes before every check, spec §7), as the ring's 63 answers are signed
 * without a good request MAC. The key schedules are the shared, immutable ones of the
 * {@link MacGenerator}; this responder's reader, encoder and response buffer are its own, so
 * nothing mutable is shared with the reply thread. Encoding and signing allocate nothing.
 */
final class OverloadResponder
{
    private static final int FIELD_STAN = 11;
    private static final MacGenerator NO_MAC = (terminal, message, offset, length, mac, macOffset) ->
    {
        throw new IllegalStateException("terminal=" + terminal + " signed without a MAC generator");
    };

    private final IsoMessageReader binaryReader = new IsoMessageReader(IsoDialect.BINARY);
    private final IsoMessageReader asciiReader = new IsoMessageReader(IsoDialect.ASCII);
    private final TerminalTable terminals;
    private final ResponseEncoder encoder;
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[RequestEvent.MAX_RESPONSE_BYTES]);
    private long sequence;

    /**
     * @param terminals    the terminals (read only), or {@code null}: no answer is signed.
     * @param macGenerator signs answers to terminals with a MAC key; thread-safe; {@code null} only with no terminals.
     */
    OverloadResponder(final TerminalTable terminals, final MacGenerator macGenerator)
    {
        this.terminals = terminals;
        this.encoder = new ResponseEncoder(macGenerator != null ? macGenerator : NO_MAC);
    }

    void answer(
        final ChannelHandlerContext context, final ListenerSettings settings, final DirectBuffer frame, final int offset, final int length)
    {
        final int responseLength = encode(settings, frame, offset, length);
        if (responseLength <= 0)
        {
            return;
        }
        final ByteBuf out = context.alloc().directBuffer(responseLength);
        out.writeBytes(response.byteArray(), 0, responseLength);
        context.writeAndFlush(out, context.voidPromise());
    }

    /**
     * Encodes the 91 answer to a frame into {@link #response()}.
     *
     * @return the answer's length, or 0 when the frame gets none (no readable request MTI and STAN).
     */
    int encode(final ListenerSettings settings, final DirectBuffer frame, final int offset, final int length)
    {
        final int tpduBytes = settings.tpdu() ? Framing.TPDU_BYTES : 0;
        if (length <= tpduBytes)
        {
            return 0;
        }
        final IsoMessageReader reader = settings.binary() ? binaryReader : asciiReader;
        reader.wrap(frame, offset + tpduBytes, length - tpduBytes);
        if (reader.mti() < 0 || !reader.hasField(FIELD_STAN) || ((reader.mti() / 10) % 10) % 2 != 0)
        {
            return 0;
        }
        return encoder.encode(reader, tpduBytes, ResponseCode.SYSTEM_UNAVAILABLE, null, ++sequence, macTerminal(settings, reader), response);
    }

    UnsafeBuffer response()
    {
        return response;
    }

    /**
     * @return the dense index of the terminal whose MAC key signs the answer, or -1: on a terminal
     * listener, the terminal field 41 names when it has a MAC key ({@link MacTerminals}).
     */
    private int macTerminal(final ListenerSettings settings, final IsoMessageReader reader)
    {
        return terminals == null || settings.kind() != ListenerKind.TERMINAL ? -1 : MacTerminals.byTerminalId(terminals, reader);
    }
}
