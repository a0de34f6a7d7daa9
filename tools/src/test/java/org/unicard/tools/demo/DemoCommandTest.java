package org.unicard.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.journal.JournalLock;
import org.unicard.tools.ToolsMain;
import picocli.CommandLine;

/**
 * {@code bin/unicard demo} empties its directory first, but not while a switch (another demo's)
 * still writes the journal there: then it exits 1 naming the journal and deletes nothing.
 */
class DemoCommandTest
{
    @TempDir
    Path directory;

    @Test
    void shouldDeleteNothingWhileAnotherSwitchWritesTheJournalThere() throws Exception
    {
        final Path journal = Files.createDirectories(directory.resolve("journal"));
        final Path households = Files.writeString(directory.resolve("households.csv"), "another demo's data\n");
        final StringWriter err = new StringWriter();
        final int code;
        try (JournalLock held = JournalLock.acquire(journal))
        {
            final CommandLine commandLine = ToolsMain.commandLine();
            commandLine.setErr(new PrintWriter(err, true));
            code = commandLine.execute("demo", "--dir", directory.toString(), "--households", "10", "--seconds", "1");
        }

        assertEquals(1, code, err.toString());
        assertTrue(err.toString().startsWith("unicard demo: journal=" + journal + " reason=another process writes this journal: pid="),
            err.toString());
        assertEquals("another demo's data\n", Files.readString(households));
    }
}
