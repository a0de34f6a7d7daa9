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
