package org.unicard.ring;

import com.lmax.disruptor.EventHandler;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.ResponseCode;

/**
 * Ring stage 2: the one thread that runs the {@link Authorizer}. Once the journal has failed, the
 * in-memory state must not move ahead of it, so nothing more is authorized (answered 96).
 */
public final class AuthorizeEventHandler implements EventHandler<RequestEvent>
{
    private final Authorizer authorizer;
    private final JournalHealth journalHealth;

    public AuthorizeEventHandler(final Authorizer authorizer, final JournalHealth journalHealth)
    {
        this.authorizer = authorizer;
        this.journalHealth = journalHealth;
    }

    @Override
    public void onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.action != RequestEvent.ACTION_AUTHORIZE)
        {
            return;
        }
        if (journalHealth.failed())
        {
            event.action = RequestEvent.ACTION_REPLY;
            event.directCode = ResponseCode.INTERNAL_ERROR;
            return;
        }
        authorizer.authorize(event.request, event.outcome);
    }
}
