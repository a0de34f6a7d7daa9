package org.unicard.ring;

import com.lmax.disruptor.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.Authorizer;

/**
 * Ring stage 2: the one thread that runs the {@link Authorizer}. Once the journal has failed, the
 * in-memory state must not move ahead of it, so nothing more is authorized (answered 96).
 * <p>
 * An exception thrown by the authorizer (a bug, an input it did not expect) may have left its state
 * half changed, ahead of a journal that will never hold that request. A decision is not atomic, so
 * the switch stops deciding instead: the failure is made sticky exactly like a failed journal append
 * (this and every later request answered 96, {@code unicard_journal_failed 1}), and a restart replays
 * the journal, which holds nothing of the faulted request, into a state that agrees with it.
 * <p>
 * This is the one stage that reads {@link JournalHealth#failed()}: a request declined here never
 * reaches the journal stage as one to append, so the journal stage needs only its own failures
 * (see {@link JournalEventHandler}).
 */
public final class AuthorizeEventHandler implements EventHandler<RequestEvent>
{
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizeEventHandler.class);

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
            event.declineInternalError();
            return;
        }
        try
        {
            authorizer.authorize(event.request, event.outcome);
        }
        catch (final Throwable ex)
        {
            journalHealth.fail("authorizer fault: " + ex);
            // Never journaled: its decision may be half made.
            event.declineInternalError();
            LOG.error("event=authorizer-fault sequence={} reason=\"{}\" action=answering-96-until-restart",
                authorizer.sequence(), ex.toString());
            // The ring's exception handler logs the stack once and turns this request into a 96.
            throw ex;
        }
    }
}
