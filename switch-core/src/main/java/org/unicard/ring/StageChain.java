package org.unicard.ring;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;

/**
 * Several consecutive ring stages run by one thread: each event goes through every stage in order
 * before the next event starts, so the order the ring guarantees holds (a response is encoded only
 * after its journal record is appended). Used when the machine has fewer cores than the ring has
 * stages (see {@link SwitchRing}).
 * <p>
 * An exception in one stage goes to the ring's exception handler and the event goes on to the next
 * stage, exactly as when each stage has its own thread (the handler turns the request into a 96
 * answer, which the reply stage still sends).
 */
public final class StageChain implements EventHandler<RequestEvent>
{
    private final ExceptionHandler<RequestEvent> exceptionHandler;
    private final EventHandler<RequestEvent>[] stages;

    /**
     * @param exceptionHandler told of an exception in any stage.
     * @param stages           the stages, in ring order.
     */
    @SafeVarargs
    public StageChain(final ExceptionHandler<RequestEvent> exceptionHandler, final EventHandler<RequestEvent>... stages)
    {
        this.exceptionHandler = exceptionHandler;
        this.stages = stages.clone();
    }

    /**
     * Hands the chain's progress to its stages (the decode stage reports progress before it applies
     * a change batch).
     */
    @Override
    public void setSequenceCallback(final com.lmax.disruptor.Sequence sequenceCallback)
    {
        for (final EventHandler<RequestEvent> stage : stages)
        {
            stage.setSequenceCallback(sequenceCallback);
        }
    }

    @Override
    public void onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
    {
        for (final EventHandler<RequestEvent> stage : stages)
        {
            try
            {
                stage.onEvent(event, sequence, endOfBatch);
            }
            catch (final Throwable ex)
            {
                exceptionHandler.handleEventException(ex, sequence, event);
            }
        }
    }
}
