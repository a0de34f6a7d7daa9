package org.unicard.ring;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.ResponseCode;
import org.unicard.journal.ChronicleJournal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal that refuses a record never lets an approval out: that request and every later one
 * are answered 96, and the authorizer stops deciding, because its memory would run ahead of the
 * journal.
 */
class JournalFailureTest
{
    @TempDir
    Path directory;

    @Test
    void shouldAnswer96FromTheFirstFailedAppendOn()
    {
        final ChronicleJournal journal = ChronicleJournal.open(directory.resolve("journal"));
        journal.close();
        final JournalHealth health = new JournalHealth();
        final JournalEventHandler handler = new JournalEventHandler(journal, health, new org.unicard.authorizer.RecordPositions());

        final RequestEvent first = authorized();
        handler.onEvent(first, 1, true);

        assertTrue(health.failed());
        assertEquals(RequestEvent.ACTION_REPLY, first.action);
        assertEquals(ResponseCode.INTERNAL_ERROR, first.directCode);

        final RequestEvent later = authorized();
        new AuthorizeEventHandler(null, health).onEvent(later, 2, true);
        assertEquals(RequestEvent.ACTION_REPLY, later.action, "the authorizer is not asked once the journal failed");
        assertEquals(ResponseCode.INTERNAL_ERROR, later.directCode);
    }

    @Test
    void shouldNotAppendWhatWasAuthorizedBeforeTheFailureWasSeen()
    {
        final ChronicleJournal journal = ChronicleJournal.open(directory.resolve("journal"));
        journal.close();
        final JournalHealth health = new JournalHealth();
        final JournalEventHandler handler = new JournalEventHandler(journal, health, new org.unicard.authorizer.RecordPositions());
        handler.onEvent(authorized(), 1, false);

        // With one thread per stage, the authorizer may have decided this one before the append above failed.
        final RequestEvent decidedEarlier = authorized();
        handler.onEvent(decidedEarlier, 2, true);

        assertEquals(RequestEvent.ACTION_REPLY, decidedEarlier.action);
        assertEquals(ResponseCode.INTERNAL_ERROR, decidedEarlier.directCode);
        assertEquals(2, health.declinedRequests());
    }

    @Test
    void shouldAnswerAnOperatorCommand96OnceTheJournalFailed()
    {
        final JournalHealth health = new JournalHealth();
        health.fail("test");
        final RequestEvent command = authorized();
        command.kind = RequestEvent.KIND_OPERATOR;
        command.outcome.clear();

        new AuthorizeEventHandler(null, health).onEvent(command, 1, true);

        assertEquals(ResponseCode.INTERNAL_ERROR, command.outcome.responseCode);
        assertEquals(RequestEvent.ACTION_REPLY, command.action, "never handed to the journal stage");
    }

    private static RequestEvent authorized()
    {
        final RequestEvent event = new RequestEvent();
        event.reset();
        event.kind = RequestEvent.KIND_FRAME;
        event.action = RequestEvent.ACTION_AUTHORIZE;
        event.outcome.responseCode = ResponseCode.APPROVED;
        return event;
    }
}
