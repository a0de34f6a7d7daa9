package org.unicard.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.RecordPositions;

class ChronicleJournalLookupsTest
{
    @TempDir
    Path directory;

    @Test
    void shouldForgetALookupOnceItIsClosed()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            final JournalLookup first = journal.lookup(new RecordPositions());
            final JournalLookup second = journal.lookup(new RecordPositions());
            assertEquals(2, journal.openLookups());

            first.close();
            assertEquals(1, journal.openLookups(), "a closed lookup is no longer held by the journal");

            first.close();
            assertEquals(1, journal.openLookups(), "closing twice forgets nothing else");

            second.close();
            assertEquals(0, journal.openLookups());
        }
    }

    @Test
    void shouldCloseTheLookupsStillOpenWithTheJournal()
    {
        final JournalLookup lookup;
        final ChronicleJournal journal = ChronicleJournal.open(directory);
        lookup = journal.lookup(new RecordPositions());
        journal.close();

        assertEquals(0, journal.openLookups());
        lookup.close();
    }
}
