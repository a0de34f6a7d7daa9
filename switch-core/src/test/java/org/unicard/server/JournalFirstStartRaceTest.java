package org.unicard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalException;

/**
 * Two first starts on a journal that does not exist yet: each imports before it creates the
 * journal, so the lock cannot keep the second out before its import. A switch that finds, once it
 * holds the lock, that another one created and wrote the journal meanwhile stops before appending:
 * its state holds none of those records.
 */
class JournalFirstStartRaceTest
{
    @TempDir
    Path directory;

    private Path config;

    @Test
    void shouldRefuseAJournalAnotherSwitchCreatedWhileThisOneImported() throws Exception
    {
        WireData.write(directory);
        config = WireData.writeSnapshotTestConfig(directory);
        final Path journal = directory.resolve("journal");
        final boolean[] otherRan = {false};
        final UnicardSwitch.StartListener otherStartsMeanwhile = new UnicardSwitch.StartListener()
        {
            @Override
            public void onProgress(final String fileName, final long rowsRead, final long rowsTotal)
            {
                if (otherRan[0])
                {
                    return;
                }
                otherRan[0] = true;
                try (UnicardSwitch other = UnicardSwitch.start(options()))
                {
                    assertEquals(2, other.journal().appended(), "GENESIS and RULES");
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            }

            @Override
            public void onReplay(final long replayed, final long total)
            {
            }
        };

        final JournalException refused = assertThrows(JournalException.class, () -> UnicardSwitch.start(options(), otherStartsMeanwhile));

        assertTrue(otherRan[0]);
        assertEquals("journal=" + journal + " reason=did not exist when this switch started, and another process wrote it meanwhile" +
            " (only one switch may write a journal): start again", refused.getMessage());
        try (ChronicleJournal read = ChronicleJournal.openReadOnly(journal))
        {
            assertEquals(2, read.records(), "only the other switch's GENESIS and RULES");
        }
        try (UnicardSwitch again = UnicardSwitch.start(options()))
        {
            assertEquals(2, again.recovery().replayed(), "started again, it replays the journal");
        }
    }

    private SwitchOptions options()
    {
        return new SwitchOptions(directory, null, config, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null);
    }
}
