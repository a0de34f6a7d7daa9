package org.unicard.ring;

import com.lmax.disruptor.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.ResponseCode;
import org.unicard.metrics.DistinctErrors;

/**
 * Replaces the Disruptor's fatal default: an exception in a stage is a programmer error, so it is
 * counted, each distinct one is logged once, and the request is declined with 96 instead of
 * stopping the ring.
 */
public final class RingExceptionHandler implements ExceptionHandler<RequestEvent>
{
    private static final Logger LOG = LoggerFactory.getLogger(RingExceptionHandler.class);
    private static final int MAX_DISTINCT = 1_000;

    private final DistinctErrors errors = new DistinctErrors(MAX_DISTINCT);

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final RequestEvent event)
    {
        if (errors.first(ex))
        {
            LOG.error("event=ring-stage-error sequence={} error=\"{}\" (logged once; later ones only counted)", sequence,
                DistinctErrors.kind(ex), ex);
        }
        if (event != null && event.kind == RequestEvent.KIND_FRAME && event.reader != null)
        {
            event.action = RequestEvent.ACTION_REPLY;
            event.directCode = ResponseCode.INTERNAL_ERROR;
        }
        else if (event != null && event.kind == RequestEvent.KIND_FRAME)
        {
            event.action = RequestEvent.ACTION_DROP;
        }
        else if (event != null && event.operator != null)
        {
            event.operator.result().completeExceptionally(ex);
            event.operator = null;
        }
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        LOG.error("event=ring-start-error error=\"{}\"", ex.toString(), ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        LOG.error("event=ring-shutdown-error error=\"{}\"", ex.toString(), ex);
    }

    public long errors()
    {
        return errors.count();
    }
}
