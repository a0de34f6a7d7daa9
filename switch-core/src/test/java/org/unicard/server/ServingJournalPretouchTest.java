package org.unicard.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving switch reads its journal ahead of the appender (the {@code journal-pretouch} thread,
 * docs/design.md "Journal and recovery") from its start to its stop.
 */
class ServingJournalPretouchTest
{
    @TempDir
    Path directory;

    @Test
    void shouldPretouchTheJournalWhileServingAndStopWithTheSwitch() throws Exception
    {
        WireData.write(directory);
        final UnicardSwitch unicard = UnicardSwitch.start(
            new SwitchOptions(directory, null, null, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, WireData.API_TOKEN));
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!pretouchThreadAlive())
            {
                assertTrue(System.nanoTime() < deadline, "no journal-pretouch thread while serving");
                LockSupport.parkNanos(1_000_000);
            }
        }
        finally
        {
            unicard.close();
        }
        assertFalse(pretouchThreadAlive(), "the pretouch thread stops with the switch");
    }

    private static boolean pretouchThreadAlive()
    {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("journal-pretouch") && t.isAlive());
    }
}
