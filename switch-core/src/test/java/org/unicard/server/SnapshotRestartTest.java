package org.unicard.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.cli.UnicardMain;
import org.unicard.config.ProgramRules;
import org.unicard.config.SwitchSettings;
import org.unicard.journal.ChronicleJournal;
import org.unicard.recovery.JournalReplayer;
import org.unicard.security.LocalMasterKey;
import org.unicard.snapshot.SnapshotFiles;
import org.unicard.snapshot.StateRecovery;
import org.unicard.testing.CiSetup;
import org.unicard.testing.StateCapture;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.bread;
import static org.unicard.server.JposTerminal.ration;
import static org.unicard.server.JposTerminal.request;
import static org.unicard.server.JposTerminal.withPin;

/**
 * Restart from a snapshot plus the journal's tail gives exactly the state of a full import and
 * replay, and answers a retransmission with its original 38 and 37; a damaged or mismatching
 * snapshot is refused with its file and reason and the next older one (or the import) is used.
 * The switches run in-process; the snapshots are written by {@code unicard snapshot} (in-process too).
 */
class SnapshotRestartTest
{
    @TempDir
    static Path directory;

    private static Path config;
    private static Path snapshots;
    private static Path older;
    private static Path newer;
    private static long recordsAfterFirstRun;
    private static List<Object> fullReplayState;
    private static final List<ISOMsg> ANSWERED = new ArrayList<>();
    private static final StringWriter COMMAND_OUTPUT = new StringWriter();

    @BeforeAll
    static void runTwiceWithASnapshotAfterEach() throws Exception
    {
        CiSetup.requireSetUp(LocalMasterKey.fromEnvironment().isEmpty(), "UNICARD_LMK is set in this environment: the snapshot command would use it, not the test's LMK; unset it");
        WireData.write(directory);
        config = WireData.writeSnapshotTestConfig(directory);
        snapshots = directory.resolve("snapshots");

        try (UnicardSwitch first = start(snapshots))
        {
            assertNull(first.recovery().snapshot(), "no snapshot yet: imported");
            try (JposTerminal terminal = new JposTerminal(first.terminalPort()))
            {
                for (int stan = 1; stan <= 12; stan++)
                {
                    final ISOMsg response = terminal.exchange(ration(WireData.HEAD, 100, stan));
                    assertEquals("00", response.getString(39));
                    ANSWERED.add(response);
                }
                for (int stan = 13; stan <= 14; stan++)
                {
                    final ISOMsg wrong = withPin(
                        request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.MEMBER, "009400", 100, "818", stan),
                        WireData.PIN + 1, JposTerminal.TPK);
                    assertEquals("55", terminal.exchange(wrong).getString(39));
                }
            }
        }
        assertEquals(0, snapshotCommand(), COMMAND_OUTPUT.toString());
        assertTrue(COMMAND_OUTPUT.toString().contains("from=import"), COMMAND_OUTPUT.toString());
        older = SnapshotFiles.newestFirst(snapshots).getFirst();

        try (UnicardSwitch second = start(snapshots))
        {
            assertEquals(older, second.recovery().snapshot());
            assertEquals(0, second.recovery().replayed());
            recordsAfterFirstRun = second.recovery().position().records;
            try (JposTerminal terminal = new JposTerminal(second.terminalPort()))
            {
                for (int stan = 21; stan <= 28; stan++)
                {
                    assertEquals("00", terminal.exchange(ration(WireData.LARGE_HEAD, 250, stan)).getString(39));
                }
                assertEquals("00", terminal.exchange(bread(WireData.HEAD, 3, 29)).getString(39));
                final ISOMsg third = withPin(
                    request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.MEMBER, "009400", 100, "818", 30),
                    WireData.PIN + 1, JposTerminal.TPK);
                assertEquals("75", terminal.exchange(third).getString(39), "the two wrong PINs before the snapshot still count");
            }
        }
        assertEquals(0, snapshotCommand(), COMMAND_OUTPUT.toString());
        assertTrue(COMMAND_OUTPUT.toString().contains("from=" + older + " replayed=10"), COMMAND_OUTPUT.toString());
        newer = SnapshotFiles.newestFirst(snapshots).getFirst();
        assertTrue(!newer.equals(older), "a second snapshot");

        final StateRecovery.Recovered full = recover(directory.resolve("no-snapshots"));
        assertNull(full.snapshot());
        assertEquals(recordsAfterFirstRun + 10, full.position().records);
        fullReplayState = StateCapture.of(full.data(), full.authorizer());
    }

    @Test
    void shouldRestartFromTheOlderSnapshotPlusTailIntoTheStateOfAFullReplay() throws Exception
    {
        final Path only = copyOf(List.of(older), "only-older");
        final StateRecovery.Recovered recovered = recover(only);
        assertEquals(only.resolve(older.getFileName()), recovered.snapshot());
        assertEquals(10, recovered.replayed());
        assertEquals(List.of(), recovered.refused());
        assertNull(StateCapture.firstDifference(fullReplayState, StateCapture.of(recovered.data(), recovered.authorizer())));
    }

    @Test
    void shouldServeFromTheNewestSnapshotAndAnswerARetransmissionWithTheOriginal3837() throws Exception
    {
        final Path both = copyOf(List.of(older, newer), "serve");
        // A copy of the journal, so the retransmission journaled here does not reach the other tests' journal.
        final Path journalCopy = directory.resolve("journal-copy");
        Files.createDirectories(journalCopy);
        try (Stream<Path> files = Files.list(directory.resolve("journal")))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, journalCopy.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        try (UnicardSwitch restarted = new UnicardSwitchRun(journalCopy, both).start())
        {
            assertEquals(both.resolve(newer.getFileName()), restarted.recovery().snapshot());
            assertEquals(0, restarted.recovery().replayed());
            assertNull(StateCapture.firstDifference(fullReplayState,
                StateCapture.of(restarted.recovery().data(), restarted.recovery().authorizer())));
            try (JposTerminal terminal = new JposTerminal(restarted.terminalPort()))
            {
                final ISOMsg again = terminal.exchange(ration(WireData.HEAD, 100, 7));
                assertEquals("00", again.getString(39));
                assertEquals(ANSWERED.get(6).getString(38), again.getString(38));
                assertEquals(ANSWERED.get(6).getString(37), again.getString(37));
            }
        }
    }

    @Test
    void shouldFallBackToTheOlderSnapshotWhenTheNewerHasAFlippedByte() throws Exception
    {
        final Path copy = copyOf(List.of(older, newer), "flipped");
        final Path damaged = copy.resolve(newer.getFileName());
        try (RandomAccessFile raf = new RandomAccessFile(damaged.toFile(), "rw"))
        {
            raf.seek(raf.length() / 2);
            final int value = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(value ^ 0x01);
        }
        assertFellBackToOlder(copy, damaged, "crc32c mismatch");
    }

    @Test
    void shouldFallBackToTheOlderSnapshotWhenTheNewerIsTruncated() throws Exception
    {
        final Path copy = copyOf(List.of(older, newer), "truncated");
        final Path damaged = copy.resolve(newer.getFileName());
        try (RandomAccessFile raf = new RandomAccessFile(damaged.toFile(), "rw"))
        {
            raf.setLength(raf.length() - 100);
        }
        assertFellBackToOlder(copy, damaged, "reason=truncated");
    }

    @Test
    void shouldFallBackToTheOlderSnapshotWhenTheNewerHasAnotherFormatVersion() throws Exception
    {
        final Path copy = copyOf(List.of(older, newer), "version");
        final Path damaged = copy.resolve(newer.getFileName());
        try (RandomAccessFile raf = new RandomAccessFile(damaged.toFile(), "rw"))
        {
            raf.seek(8);
            raf.write(9);
        }
        assertFellBackToOlder(copy, damaged, "reason=format version=9, this build reads version=6");
    }

    @Test
    void shouldImportAndReplayEverythingWhenTheDataFilesChanged() throws Exception
    {
        final Path copy = copyOf(List.of(older, newer), "data-changed");
        final Path cards = directory.resolve("cards.csv");
        final FileTime modified = Files.getLastModifiedTime(cards);
        Files.setLastModifiedTime(cards, FileTime.fromMillis(modified.toMillis() + 60_000));
        final StateRecovery.Recovered recovered;
        try
        {
            recovered = recover(copy);
        }
        finally
        {
            Files.setLastModifiedTime(cards, modified);
        }
        assertNull(recovered.snapshot(), "imported");
        assertEquals(2, recovered.refused().size(), recovered.refused().toString());
        assertTrue(recovered.refused().get(0).startsWith("snapshot=" + copy.resolve(newer.getFileName()) +
            " reason=built from other data files: cards.csv modified"), recovered.refused().get(0));
        assertTrue(recovered.refused().get(1).startsWith("snapshot=" + copy.resolve(older.getFileName())), recovered.refused().get(1));
        assertNull(StateCapture.firstDifference(fullReplayState, StateCapture.of(recovered.data(), recovered.authorizer())));
    }

    @Test
    void shouldRefuseASnapshotOfAnotherJournal() throws Exception
    {
        final Path copy = copyOf(List.of(newer), "other-journal-snapshots");
        final Path otherJournal = directory.resolve("other-journal");
        try (UnicardSwitch other = new UnicardSwitchRun(otherJournal, copy).start())
        {
            assertNull(other.recovery().snapshot(), "the snapshot includes records an empty journal lacks: imported");
            assertEquals(1, other.recovery().refused().size());
            assertTrue(other.recovery().refused().getFirst().endsWith("reason=there is no journal, the snapshot includes 26 records"),
                other.recovery().refused().getFirst());
            try (JposTerminal terminal = new JposTerminal(other.terminalPort()))
            {
                for (int stan = 1; stan <= 30; stan++)
                {
                    terminal.exchange(ration(WireData.LARGE_HEAD, 50, stan));
                }
            }
        }
        try (UnicardSwitch other = new UnicardSwitchRun(otherJournal, copy).start())
        {
            assertNull(other.recovery().snapshot(), "the journal holds other records at the snapshot's index: imported");
            final String refused = other.recovery().refused().getFirst();
            assertTrue(refused.startsWith("snapshot=" + copy.resolve(newer.getFileName()) + " reason=the journal record at index "), refused);
            assertTrue(refused.endsWith("is not the one the snapshot includes (another journal)"), refused);
        }
    }

    @Test
    void shouldRefuseASnapshotOfAnotherWindowCapacity() throws Exception
    {
        final Path copy = copyOf(List.of(newer), "window");
        try (ChronicleJournal journal = ChronicleJournal.open(directory.resolve("journal")))
        {
            final StateRecovery.Recovered recovered = StateRecovery.recover(
                new StateRecovery.Inputs(directory, LocalMasterKey.parse(WireData.LMK_HEX, "test"), ProgramRules.defaults(), 8192, 4096, copy),
                journal, JournalReplayer.TO_END, StateRecovery.Listener.NONE);
            assertNull(recovered.snapshot());
            assertTrue(recovered.refused().getFirst().endsWith("reason=duplicate-window.capacity snapshot=4096 configured=8192"),
                recovered.refused().getFirst());
        }
    }

    @Test
    void shouldRefuseASnapshotOfAnotherLedgerCapacityNamingWhatAutoSizesItTo() throws Exception
    {
        final Path copy = copyOf(List.of(newer), "ledger");
        try (ChronicleJournal journal = ChronicleJournal.open(directory.resolve("journal")))
        {
            final StateRecovery.Recovered recovered = StateRecovery.recover(
                new StateRecovery.Inputs(directory, LocalMasterKey.parse(WireData.LMK_HEX, "test"), ProgramRules.defaults(), 4096,
                    SwitchSettings.AUTO, copy),
                journal, JournalReplayer.TO_END, StateRecovery.Listener.NONE);
            assertNull(recovered.snapshot());
            // auto gives a small data set the least, 1,048,576 pairs in as many slots; the snapshot was taken with 4,096.
            assertTrue(recovered.refused().getFirst().endsWith("reason=spend-ledger.capacity snapshot=4096 configured=1048576"),
                recovered.refused().getFirst());
            assertEquals(1_048_576, recovered.authorizer().ledger().capacity(), "imported with the ledger auto sizes");
        }
    }

    private static void assertFellBackToOlder(final Path snapshotDirectory, final Path damaged, final String reason) throws Exception
    {
        final StateRecovery.Recovered recovered = recover(snapshotDirectory);
        assertEquals(snapshotDirectory.resolve(older.getFileName()), recovered.snapshot());
        assertEquals(10, recovered.replayed());
        assertEquals(1, recovered.refused().size(), recovered.refused().toString());
        assertTrue(recovered.refused().getFirst().startsWith("snapshot=" + damaged + " reason="), recovered.refused().getFirst());
        assertTrue(recovered.refused().getFirst().contains(reason), recovered.refused().getFirst());
        assertNull(StateCapture.firstDifference(fullReplayState, StateCapture.of(recovered.data(), recovered.authorizer())));
    }

    private static StateRecovery.Recovered recover(final Path snapshotDirectory) throws Exception
    {
        try (ChronicleJournal journal = ChronicleJournal.open(directory.resolve("journal")))
        {
            return StateRecovery.recover(
                new StateRecovery.Inputs(directory, LocalMasterKey.parse(WireData.LMK_HEX, "test"), ProgramRules.defaults(), 4096, 4096,
                    snapshotDirectory),
                journal, JournalReplayer.TO_END, StateRecovery.Listener.NONE);
        }
    }

    private static Path copyOf(final List<Path> files, final String name) throws IOException
    {
        final Path copy = directory.resolve(name);
        Files.createDirectories(copy);
        for (final Path file : files)
        {
            Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return copy;
    }

    private static UnicardSwitch start(final Path snapshotDirectory) throws Exception
    {
        return new UnicardSwitchRun(null, snapshotDirectory).start();
    }

    private static int snapshotCommand()
    {
        final CommandLine command = UnicardMain.commandLine();
        command.setOut(new PrintWriter(COMMAND_OUTPUT, true));
        command.setErr(new PrintWriter(COMMAND_OUTPUT, true));
        return command.execute("snapshot", "--data", directory.toString(), "--config", config.toString(), "--snapshots", snapshots.toString(),
            "--rate-mb", "0");
    }

    private record UnicardSwitchRun(Path journal, Path snapshotDirectory)
    {
        UnicardSwitch start() throws Exception
        {
            return UnicardSwitch.start(new SwitchOptions(directory, journal, config, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null,
                snapshotDirectory));
        }
    }
}
