package org.unicard.ring;

import java.util.ArrayList;
import java.util.List;

import com.lmax.disruptor.EventHandler;
import org.junit.jupiter.api.Test;
import org.unicard.authorizer.ResponseCode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stages sharing a thread run in ring order for each event, and an exception in one stage is
 * handled as the ring handles it (a 96 answer) without skipping the later stages: the reply stage
 * must still answer.
 */
class StageChainTest
{
    @Test
    void shouldRunEveryStageInOrderEvenAfterAnException()
    {
        final List<String> calls = new ArrayList<>();
        final EventHandler<RequestEvent> decode = (event, sequence, endOfBatch) ->
        {
            calls.add("decode " + sequence + " " + endOfBatch);
            event.reader = event.binaryReader;
            throw new IllegalStateException("broken decoder");
        };
        final EventHandler<RequestEvent> journal = (event, sequence, endOfBatch) -> calls.add("journal " + sequence);
        final EventHandler<RequestEvent> reply = (event, sequence, endOfBatch) ->
            calls.add("reply " + sequence + " action=" + event.action + " code=" + event.directCode);
        final RingExceptionHandler exceptions = new RingExceptionHandler();
        final RequestEvent event = new RequestEvent();
        event.reset();
        event.kind = RequestEvent.KIND_FRAME;

        new StageChain(exceptions, decode, journal, reply).onEvent(event, 7, true);

        assertEquals(List.of("decode 7 true", "journal 7", "reply 7 action=" + RequestEvent.ACTION_REPLY + " code=" + ResponseCode.INTERNAL_ERROR),
            calls);
        assertEquals(1, exceptions.errors());
    }
}
