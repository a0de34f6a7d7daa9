package org.unicard.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.reply.ResponseEncoder;
import org.unicard.ring.RequestEvent;

/**
 * Answers 91 on the event loop when a request cannot enter the ring (the ring is full, or its
 * connection is at its in-flight limit). Created per connection on its first overload only.
 * Responses to terminals with a MAC key carry no MAC here: the terminal will retry.
 */
final class OverloadResponder
{
    private final IsoMessageReader binaryReader = new IsoMessageReader(IsoDialect.BINARY);
    private final IsoMessageReader asciiReader = new IsoMessageReader(IsoDialect.ASCII);
    private final ResponseEncoder encoder = new ResponseEncoder((terminal, message, offset, length, mac, macOffset) ->
    {
        throw new IllegalStateException("no MAC on overload answers");
    });
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[RequestEvent.MAX_RESPONSE_BYTES]);
    private long sequence;

    void answer(
        final ChannelHandlerContext context, final ListenerSettings settings, final DirectBuffer frame, final int offset, final int length)
    {
        final int tpduBytes = settings.tpdu() ? Framing.TPDU_BYTES : 0;
        if (length <= tpduBytes)
        {
            return;
        }
        final IsoMessageReader reader = settings.binary() ? binaryReader : asciiReader;
        reader.wrap(frame, offset + tpduBytes, length - tpduBytes);
        if (reader.mti() < 0 || !reader.hasField(11) || ((reader.mti() / 10) % 10) % 2 != 0)
        {
            return;
        }
        final int responseLength = encoder.encode(reader, tpduBytes, ResponseCode.SYSTEM_UNAVAILABLE, null, ++sequence, -1, response);
        final ByteBuf out = context.alloc().directBuffer(responseLength);
        out.writeBytes(response.byteArray(), 0, responseLength);
        context.writeAndFlush(out, context.voidPromise());
    }
}
