package org.unicard.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.server.WireDataAccess;
import org.unicard.snapshot.StateRecovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The context's recovery preamble: GENESIS and the rules journaled by the first writer and never again
 * unless the rules change; a reader recovers without creating or writing a journal.
 */
class SwitchContextRecoveryTest
{
    private static final String LMK_HEX = "0123456789ABCDEFFEDCBA9876543210";
    private static final long GENESIS_MS = 1_795_000_000_000L;

    @TempDir
    Path directory;

    private Path config;

    @BeforeEach
    void writeDataSet() throws IOException
    {
        WireDataAccess.write(directory);
        config = Files.writeString(directory.resolve("small.properties"),
            "duplicate-window.capacity = 4096\nspend-ledger.capacity = 4096\nsnapshot.interval-records = 0\nsnapshot.interval-minutes = 0\n");
    }

    @Test
    void shouldJournalGenesisAndRulesOnTheFirstStartOnly() throws Exception
    {
        try (SwitchContext.Recovery first = context(config).recover(SwitchContext.JournalAccess.SWITCH, StateRecovery.Listener.NONE))
        {
            assertEquals("import", first.from());
            first.bootstrap(() -> GENESIS_MS);
            assertEquals(2, first.journal().appended(), "GENESIS and RULES");
            assertTrue(first.state().authorizer().hasGenesis());
        }
        try (SwitchContext.Recovery second = context(config).recover(SwitchContext.JournalAccess.SWITCH, StateRecovery.Listener.NONE))
        {
            assertEquals(2, second.state().replayed());
            second.bootstrap(() -> 0);
            assertEquals(0, second.journal().appended(), "nothing owed");
        }
    }

    @Test
    void shouldJournalTheRulesAgainWhenTheyChange() throws Exception
    {
        try (SwitchContext.Recovery first = context(config).recover(SwitchContext.JournalAccess.SWITCH, StateRecovery.Listener.NONE))
        {
            first.bootstrap(() -> GENESIS_MS);
        }
        final Path changed = Files.writeString(directory.resolve("changed.properties"), Files.readString(config) + "pin.max-tries = 5\n");

        try (SwitchContext.Recovery second = context(changed).recover(SwitchContext.JournalAccess.SWITCH, StateRecovery.Listener.NONE))
        {
            second.bootstrap(() -> 0);

            assertEquals(1, second.journal().appended(), "RULES only");
            assertEquals(5, second.state().authorizer().rules().pinMaxTries);
        }
    }

    @Test
    void shouldRecoverAsAReaderWithoutCreatingAJournal() throws Exception
    {
        try (SwitchContext.Recovery reader = context(config).recover(SwitchContext.JournalAccess.READ_ONLY, StateRecovery.Listener.NONE))
        {
            assertNull(reader.journal());
            assertEquals(0, reader.state().replayed());
            assertFalse(reader.state().authorizer().hasGenesis());
        }
        assertFalse(Files.exists(directory.resolve("journal")));
    }

    @Test
    void shouldLeaveNoJournalBehindWhenTheImportFails() throws Exception
    {
        Files.writeString(directory.resolve("cards.csv"), "not,a,card,file\n");

        final Exception failed = assertThrows(Exception.class,
            () -> context(config).recover(SwitchContext.JournalAccess.SWITCH, StateRecovery.Listener.NONE));

        assertTrue(failed.getMessage().startsWith("cards.csv"), failed.getMessage());
        assertFalse(Files.exists(directory.resolve("journal")));
    }

    private SwitchContext context(final Path configFile)
    {
        return new SwitchContext().dataDirectory(directory).configFile(configFile).lmkHex(LMK_HEX).conclude();
    }
}
