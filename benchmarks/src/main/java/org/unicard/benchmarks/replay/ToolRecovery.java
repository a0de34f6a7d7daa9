package org.unicard.benchmarks.replay;

import java.io.IOException;
import java.io.PrintWriter;

import org.unicard.context.SwitchContext;
import org.unicard.importer.ImportException;
import org.unicard.journal.JournalLockedException;
import org.unicard.snapshot.StateRecovery;

/**
 * The state a measuring tool works on: recovered as the switch recovers it, with the journal taken as
 * a tool takes it (one writer at a time, {@link SwitchContext.JournalAccess#TOOL}).
 */
final class ToolRecovery
{
    private ToolRecovery()
    {
    }

    /**
     * @param command the command's name, for the error line.
     * @param err     where a held journal is reported.
     * @return the recovery, or {@code null} when a switch (or another tool) holds the journal; it is said on {@code err}.
     */
    static SwitchContext.Recovery recover(final SwitchContext context, final String command, final PrintWriter err)
        throws ImportException, IOException
    {
        try
        {
            return context.recover(SwitchContext.JournalAccess.TOOL, StateRecovery.Listener.NONE);
        }
        catch (final JournalLockedException ex)
        {
            err.println("unicard " + command + ": " + ex.getMessage());
            return null;
        }
    }
}
