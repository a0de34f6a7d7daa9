package org.unicard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.changes.ChangeSubmission;
import org.unicard.config.ProgramRules;
import org.unicard.decode.DecodeCounters;
import org.unicard.decode.RequestDecoder;
import org.unicard.iso8583.framing.Framing;
import org.unicard.listener.Connection;
import org.unicard.listener.EmbeddedConnections;
import org.unicard.listener.ListenerKind;
import org.unicard.listener.ListenerSettings;
import org.unicard.metrics.RequestCounters;
import org.unicard.reply.ResponseEncoder;
import org.unicard.reply.SecurityMacGenerator;
import org.unicard.ring.OperatorCommand;
import org.unicard.ring.ReplyCounters;
import org.unicard.ring.ReplyEventHandler;
import org.unicard.ring.RequestEvent;
import org.unicard.security.Hex;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalRequest;
import org.jpos.iso.ISOMsg;

/**
 * The reply stage holds the responses of a ring batch to sign them together ({@code ResponseBatch}).
 * A control event (an operator command, a change batch) in the middle of a batch completes its caller
 * only after every response before it has been signed and queued on its connection; and every response
 * still leaves once, in ring order, signed with its terminal's key.
 */
class ReplyStageControlEventTest
{
    /** Requests before the operator command: enough for the bitsliced signing (from 24). */
    private static final int BEFORE_COMMAND = 30;
    /** Requests between the command and the change batch, and after the change batch. */
    private static final int BEFORE_CHANGES = 6;
    private static final int AFTER_CHANGES = 4;
    private static final int REQUESTS = BEFORE_COMMAND + BEFORE_CHANGES + AFTER_CHANGES;

    @TempDir
    Path directory;

    @Test
    void shouldQueueEveryHeldResponseBeforeCompletingAControlEvent() throws Exception
    {
        final DataSet data = WireData.imported(directory);
        final Authorizer authorizer = new Authorizer(data, ProgramRules.defaults(), 1 << 12, 1 << 10);
        authorizer.genesis(WireData.CLOCK.toEpochMilli());
        final RequestDecoder decoder = WireData.decoder(data, new DecodeCounters());
        final SecurityMacGenerator macs = new SecurityMacGenerator(data.terminals());
        final ReplyCounters counters = new ReplyCounters();
        final ReplyEventHandler reply = new ReplyEventHandler(new ResponseEncoder(macs), macs::macKey, data.terminals(), counters,
            new RequestCounters(), 64);
        final EmbeddedChannel channel = new EmbeddedChannel();
        final Connection connection = EmbeddedConnections.terminalWithRequestsInFlight(channel, REQUESTS);
        final ListenerSettings listener = new ListenerSettings(ListenerKind.TERMINAL, 0, true, false);

        final List<Long> queuedAtCompletion = new ArrayList<>();
        final OperatorCommand command = OperatorCommand.of(AuthRequest.COMMAND_QUERY, 0, 0);
        command.result().whenComplete((outcome, failure) -> queuedAtCompletion.add(counters.responses.get()));
        final ChangeSubmission changes = new ChangeSubmission(null);
        changes.fail(new IllegalStateException("refused, for the test"));
        changes.result().whenComplete((outcome, failure) -> queuedAtCompletion.add(counters.responses.get()));

        // Ring batch 1: 30 requests, the operator command, 6 requests. Ring batch 2: the change batch, 4 requests.
        long sequence = 0;
        int stan = 1;
        final RequestEvent event = new RequestEvent();
        for (int i = 0; i < BEFORE_COMMAND; i++)
        {
            request(event, listener, connection, stan++, decoder, authorizer);
            reply.onEvent(event, sequence++, false);
        }
        assertEquals(0, counters.responses.get(), "held to be signed together");
        control(event, RequestEvent.KIND_OPERATOR);
        event.operator = command;
        reply.onEvent(event, sequence++, false);
        for (int i = 0; i < BEFORE_CHANGES; i++)
        {
            request(event, listener, connection, stan++, decoder, authorizer);
            reply.onEvent(event, sequence++, i == BEFORE_CHANGES - 1);
        }
        control(event, RequestEvent.KIND_CHANGES);
        event.changes = changes;
        reply.onEvent(event, sequence++, false);
        for (int i = 0; i < AFTER_CHANGES; i++)
        {
            request(event, listener, connection, stan++, decoder, authorizer);
            reply.onEvent(event, sequence++, i == AFTER_CHANGES - 1);
        }

        assertEquals(List.of((long)BEFORE_COMMAND, (long)(BEFORE_COMMAND + BEFORE_CHANGES)), queuedAtCompletion,
            "responses queued when the command and then the change batch completed");
        assertTrue(command.result().isDone());
        assertTrue(changes.result().isCompletedExceptionally());
        assertEquals(REQUESTS, counters.responses.get());
        assertEquals(BEFORE_COMMAND, counters.signedTogether.get(), "the 30 held before the command were signed bitsliced");

        channel.runPendingTasks();
        final byte[] written = drain(channel);
        final byte[] key = Hex.parseKey(WireData.TAK_HEX);
        int offset = 0;
        for (int expectedStan = 1; expectedStan <= REQUESTS; expectedStan++)
        {
            final int length = ((written[offset] & 0xFF) << 8) | (written[offset + 1] & 0xFF);
            final byte[] message = Arrays.copyOfRange(written, offset + Framing.LENGTH_PREFIX_BYTES,
                offset + Framing.LENGTH_PREFIX_BYTES + length);
            offset += Framing.LENGTH_PREFIX_BYTES + length;
            final ISOMsg response = new ISOMsg();
            response.setPackager(JposTerminal.packager());
            response.unpack(message);
            assertEquals(expectedStan, Integer.parseInt(response.getString(11)), "responses in ring order");
            assertEquals("00", response.getString(39), "STAN " + expectedStan);
            assertTrue(JceRetailMac.verifiesLastEightBytes(key, message), "field 64 of STAN " + expectedStan + " verifies");
        }
        assertEquals(written.length, offset, "nothing written twice or left over");
        channel.finishAndReleaseAll();
    }

    /** A signed one-piaster ration purchase from the grocer, decoded and decided as the earlier stages do. */
    private static void request(
        final RequestEvent event, final ListenerSettings listener, final Connection connection, final int stan,
        final RequestDecoder decoder, final Authorizer authorizer)
    {
        final TerminalRequest request = new TerminalRequest();
        WireData.grocerRequest(request, stan, true, TdesKey.of(Hex.parseKey(WireData.TAK_HEX)),
            TdesKey.of(Hex.parseKey(WireData.TPK_HEX)));
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
        final int length = new RequestBuilder().build(request, out);
        event.reset();
        event.kind = RequestEvent.KIND_FRAME;
        event.listener = listener;
        event.connection = connection;
        event.frame.putBytes(0, out, Framing.LENGTH_PREFIX_BYTES, length - Framing.LENGTH_PREFIX_BYTES);
        event.frameLength = length - Framing.LENGTH_PREFIX_BYTES;
        event.businessTimeMs = WireData.CLOCK.toEpochMilli() + stan;
        event.arrivalNs = System.nanoTime();
        decoder.decode(event);
        assertEquals(RequestEvent.ACTION_AUTHORIZE, event.action, "STAN " + stan + " decoded: code " + event.directCode);
        authorizer.authorize(event.request, event.outcome);
        assertEquals(ResponseCode.APPROVED, event.outcome.responseCode, "STAN " + stan);
    }

    private static void control(final RequestEvent event, final byte kind)
    {
        event.reset();
        event.kind = kind;
    }

    private static byte[] drain(final EmbeddedChannel channel)
    {
        final java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null)
        {
            final byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            buffer.release();
            all.writeBytes(bytes);
        }
        assertNull(channel.readOutbound());
        return all.toByteArray();
    }
}
