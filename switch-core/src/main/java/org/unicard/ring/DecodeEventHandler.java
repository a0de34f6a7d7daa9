package org.unicard.ring;

import com.lmax.disruptor.EventHandler;
import org.unicard.authorizer.AuthRequest;
import org.unicard.decode.RequestDecoder;

/**
 * Ring stage 1: decode and verify. Frames become {@link AuthRequest}s (or direct answers);
 * operator commands become requests from the operator source.
 */
public final class DecodeEventHandler implements EventHandler<RequestEvent>
{
    private final RequestDecoder decoder;

    public DecodeEventHandler(final RequestDecoder decoder)
    {
        this.decoder = decoder;
    }

    @Override
    public void onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.kind == RequestEvent.KIND_OPERATOR)
        {
            final AuthRequest request = event.request;
            request.sourceType = AuthRequest.SOURCE_OPERATOR;
            request.businessTimeMs = event.businessTimeMs;
            request.command = event.operator.command();
            request.pan = event.operator.pan();
            request.panDigits = event.operator.panDigits();
            event.action = RequestEvent.ACTION_AUTHORIZE;
            return;
        }
        decoder.decode(event);
    }
}
