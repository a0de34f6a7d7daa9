package org.unicard.benchmarks.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.generate.DataSetGenerator;
import org.unicard.generate.GenerationListener;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalLock;
import org.unicard.security.LocalMasterKey;
import picocli.CommandLine;

/**
 * {@code bin/unicard fill-journal} (benchmarks jar): appends the requests it was asked for, decided
 * by the real authorizer, after GENESIS and RULES; and, as a writer, refuses a journal whose writer
 * lock another writer holds, leaving it unchanged.
 */
class FillJournalCommandTest
{
    private static final String LMK = "0123456789ABCDEFFEDCBA9876543210";

    @TempDir
    Path directory;

    @Test
    void shouldAppendTheRequestedRequestsAfterGenesisAndRules() throws Exception
    {
        final Path config = dataSet();
        final StringWriter out = new StringWriter();

        assertEquals(0, run(out, "--data", directory.toString(), "--config", config.toString(), "--requests", "500"), out.toString());

        assertTrue(out.toString().contains("event=filled requests=500 "), out.toString());
        try (ChronicleJournal journal = ChronicleJournal.openReadOnly(directory.resolve("journal")))
        {
            assertEquals(502, journal.records());
        }
    }

    @Test
    void shouldRefuseAJournalAnotherWriterHolds() throws Exception
    {
        final Path config = dataSet();
        final Path journal = directory.resolve("journal");
        Files.createDirectories(journal);
        final StringWriter out = new StringWriter();
        try (JournalLock held = JournalLock.acquire(journal))
        {
            assertEquals(1, run(out, "--data", directory.toString(), "--config", config.toString(), "--requests", "10"));
        }

        assertTrue(out.toString().contains("journal=" + journal + " reason=another process writes this journal: pid=" +
            ProcessHandle.current().pid()), out.toString());
        try (var files = Files.list(journal))
        {
            assertEquals(java.util.List.of(journal.resolve(JournalLock.FILE_NAME)), files.toList(), "nothing but the lock file");
        }
    }

    private Path dataSet() throws Exception
    {
        DataSetGenerator.of(200, 7).generate(directory, LocalMasterKey.parse(LMK, "test"), GenerationListener.NONE);
        final Path config = directory.resolve("test.properties");
        Files.writeString(config, "security.lmk = " + LMK + "\nduplicate-window.capacity = 4096\nspend-ledger.capacity = 4096\n");
        return config;
    }

    private static int run(final StringWriter out, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new FillJournalCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));
        return commandLine.execute(args);
    }
}
