package org.unicard.snapshot;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.config.ProgramRules;
import org.unicard.recovery.JournalReplayer;
import org.unicard.security.Hex;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.PublicFields;
import org.unicard.testing.RandomTraffic;
import org.unicard.testing.StateCapture;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot written from a state built by the real authorizer (a seeded random stream over the
 * test data set) loads back into a state equal in every column, index slot and counter; damage of
 * any kind is refused with a message naming the file and the reason.
 */
class SnapshotRoundTripTest
{
    private static final TdesKey LMK = TdesKey.of(Hex.parseKey("0123456789ABCDEFFEDCBA9876543210"));
    private static final TdesKey OTHER_LMK = TdesKey.of(Hex.parseKey("1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A"));
    private static final byte[] TPK = Hex.parseKey("3D3D3D3D3D3D3D3D4F4F4F4F4F4F4F4F");

    @TempDir
    Path directory;

    private AuthorizerHarness live;
    private JournalReplayer.Position position;
    private DataFilesStamp stamp;

    @BeforeEach
    void buildState()
    {
        live = AuthorizerHarness.atGenesis();
        Arrays.fill(live.data.pinVerificationKey(), (byte)0x01);
        live.data.terminals().pinKey[TestData.GROCER] = TPK.clone();
        live.data.terminals().macKey[TestData.BAKERY] = TPK.clone();
        live.data.acquirers().zonePinKey[TestData.BANK] = TPK.clone();
        final RandomTraffic traffic = new RandomTraffic(11, live, live::send);
        for (int i = 0; i < 2_000; i++)
        {
            traffic.step();
        }
        position = new JournalReplayer.Position();
        position.lastIndex = 0x4D2_0000_0123L;
        position.records = 2_345;
        position.lastRecordCrc = 0xCAFEBABE;
        stamp = new DataFilesStamp(List.of(new DataFilesStamp.Entry("households.csv", 123, 456, 789),
            new DataFilesStamp.Entry("acquirers.csv", -1, 0, 0)));
    }

    private Path write() throws IOException
    {
        return SnapshotWriter.write(directory, live.data, live.authorizer, position, stamp, LMK, 0);
    }

    @Test
    void shouldLoadEveryFieldOfEveryTableWindowLedgerAndCounterBack() throws Exception
    {
        assertTrue(live.authorizer.window().size() > 50, "the stream filled the window: " + live.authorizer.window().size());
        final Path file = write();
        assertEquals("snapshot-00000000000000002345.usnap", file.getFileName().toString());
        assertEquals(List.of(), SnapshotFiles.unfinished(directory));

        final SnapshotReader.Loaded loaded;
        final SnapshotMeta meta;
        try (SnapshotReader reader = SnapshotReader.open(file, (read, total) -> { }))
        {
            meta = reader.meta();
            loaded = reader.load(LMK, ProgramRules.defaults());
        }

        assertEquals(position.lastIndex, meta.journalIndex());
        assertEquals(position.records, meta.journalRecords());
        assertEquals(position.lastRecordCrc, meta.lastRecordCrc());
        assertEquals(stamp, meta.stamp());
        assertEquals(TestData.FINGERPRINT, meta.fingerprint());
        assertEquals(LMK.checkValue(), meta.lmkCheckValue());
        assertEquals(live.authorizer.sequence(), meta.sequence());
        final DataSet data = loaded.data();
        assertNull(StateCapture.firstDifference(StateCapture.of(live.data.households()), StateCapture.of(data.households())), "households");
        assertNull(StateCapture.firstDifference(StateCapture.of(live.data.cards()), StateCapture.of(data.cards())), "cards");
        assertNull(PublicFields.firstDifference(live.data.terminals(), data.terminals()), "terminals");
        assertNull(PublicFields.firstDifference(live.data.acquirers(), data.acquirers()), "acquirers");
        assertArrayEquals(TPK, data.terminals().pinKey[TestData.GROCER]);
        assertNull(data.terminals().pinKey[TestData.BAKERY]);
        final List<Object> expected = StateCapture.of(live.data, live.authorizer);
        assertNull(StateCapture.firstDifference(expected, StateCapture.of(data, loaded.authorizer())));
        assertTrue(expected.size() > 35, "captured items: " + expected.size());
        assertEquals(live.authorizer.rules(), loaded.authorizer().rules());
        assertEquals(live.authorizer.rulesJournaled(), loaded.authorizer().rulesJournaled());
        assertEquals(live.authorizer.lastTimeMs(), loaded.authorizer().lastTimeMs());
        assertEquals(live.authorizer.firstBusinessDay(), loaded.authorizer().firstBusinessDay());
        for (int card = 0; card < TestData.CARD_COUNT; card++)
        {
            assertEquals(card, data.cards().indexOf(TestData.pan(card)), "PAN index of card " + card);
        }
    }

    @Test
    void shouldKeepTheTablesAChangeBatchChangedAndTheBatchMemory() throws Exception
    {
        final String tak = Hex.encode(org.unicard.security.KeyCipher.encryptUnderLmk(LMK, TPK));
        final long newPan = TestData.withCheckDigit(603_666_000_009_001L);
        final byte[] body = String.join("\n",
            "{\"op\":\"household\",\"household_id\":3001,\"governorate\":\"03\",\"ration_individuals\":2,\"bread_individuals\":2," +
                "\"cash_support_piasters\":100}",
            "{\"op\":\"card\",\"pan\":\"" + newPan + "\",\"national_id\":\"28001010300111\",\"household_id\":3001,\"role\":\"head\"," +
                "\"status\":\"collected\",\"issued_on\":\"2026-11-01\",\"expiry\":\"2812\",\"pvv\":\"0123\",\"programs\":\"ration;bread;cash\"," +
                "\"health_exempt\":false,\"replaces_pan\":\"\",\"mobile\":\"01012345679\",\"wallet_piasters\":0}",
            "{\"op\":\"terminal\",\"terminal_id\":\"BAK00077\",\"merchant_id\":\"BAKERY000000077\",\"type\":\"bakery\",\"governorate\":\"03\"," +
                "\"name\":\"New bakery\",\"tpk_under_lmk\":\"\",\"tak_under_lmk\":\"" + tak + "\",\"status\":\"active\"}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final org.unicard.changes.ChangeParser.Result parsed = new org.unicard.changes.ChangeParser(LMK).parse("snap-1", body);
        assertEquals(List.of(), parsed.errors());
        assertTrue(new org.unicard.changes.ChangeApplier(live.data, live.authorizer).apply(parsed.batch(), live.nowMs()).applied());

        final SnapshotReader.Loaded loaded;
        try (SnapshotReader reader = SnapshotReader.open(write(), (read, total) -> { }))
        {
            loaded = reader.load(LMK, ProgramRules.defaults());
        }
        final DataSet data = loaded.data();
        assertNull(StateCapture.firstDifference(StateCapture.of(live.data, live.authorizer), StateCapture.of(data, loaded.authorizer())));
        assertNull(PublicFields.firstDifference(live.data.terminals(), data.terminals()), "terminals");
        assertEquals(live.data.terminals().capacity(), data.terminals().capacity(), "the headroom is kept");
        final int terminal = data.terminals().indexOf(org.unicard.state.TerminalTable.packTerminalId("BAK00077"));
        assertArrayEquals(TPK, data.terminals().macKey[terminal]);
        assertEquals(TestData.CARD_COUNT, data.cards().indexOf(newPan));
        assertEquals(3, loaded.authorizer().batches().find("snap-1").applied());
        assertArrayEquals(parsed.batch().sha256(), loaded.authorizer().batches().find("snap-1").sha256());
    }

    @Test
    void shouldDecideTheNextRequestsAsTheLiveAuthorizerDoes() throws Exception
    {
        final Path file = write();
        final SnapshotReader.Loaded loaded = read(file);
        assertDecidesAsTheLiveAuthorizer(loaded, 12);
    }

    @Test
    void shouldRefuseAFlippedByteInAnySectionNamingFileAndSection() throws Exception
    {
        final Path file = write();
        final long size = Files.size(file);
        for (final long at : new long[] {40, size / 3, size / 2, size - 30})
        {
            final Path copy = directory.resolve("flipped-" + at + ".usnap");
            Files.copy(file, copy);
            flip(copy, at);
            final SnapshotException refused = assertThrows(SnapshotException.class, () -> load(copy), "flipped byte at " + at);
            assertTrue(refused.getMessage().startsWith("snapshot=" + copy + " reason="), refused.getMessage());
            assertTrue(refused.getMessage().contains("crc32c mismatch") || refused.getMessage().contains("META") ||
                refused.getMessage().contains("column") || refused.getMessage().contains("section"), refused.getMessage());
        }
    }

    @Test
    void shouldRefuseATruncatedFile() throws Exception
    {
        final Path file = write();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(raf.length() - 1_000);
        }
        final SnapshotException refused = assertThrows(SnapshotException.class, () -> load(file));
        assertTrue(refused.getMessage().contains("reason=truncated: the file ends at byte"), refused.getMessage());
    }

    @Test
    void shouldLoadTheFormatBeforeRebuildingTheWindowIndexAndDecideAsTheLiveAuthorizerDoes() throws Exception
    {
        final Path file = write();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(8);
            raf.write(SnapshotFormat.OLDEST_READABLE);
        }
        final SnapshotReader.Loaded loaded = read(file);
        // The rebuilt index is the one the live window holds: linear probing with backward-shift
        // deletion leaves each slot where inserting the live entries, oldest first, puts it.
        assertNull(StateCapture.firstDifference(StateCapture.of(live.data, live.authorizer), StateCapture.of(loaded.data(), loaded.authorizer())));
        assertDecidesAsTheLiveAuthorizer(loaded, 13);
    }

    @Test
    void shouldRefuseAnotherFormatVersionOrNoMagic() throws Exception
    {
        final Path file = write();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(8);
            raf.write(1);
        }
        final SnapshotException version = assertThrows(SnapshotException.class, () -> load(file));
        assertTrue(version.getMessage().contains("reason=format version=1, this build reads version=" + SnapshotFormat.VERSION), version.getMessage());

        flip(file, 0);
        final SnapshotException magic = assertThrows(SnapshotException.class, () -> load(file));
        assertTrue(magic.getMessage().contains("reason=not a snapshot"), magic.getMessage());
    }

    @Test
    void shouldRefuseAnotherLmk() throws Exception
    {
        final Path file = write();
        try (SnapshotReader reader = SnapshotReader.open(file, (read, total) -> { }))
        {
            final SnapshotException refused = assertThrows(SnapshotException.class, () -> reader.load(OTHER_LMK, ProgramRules.defaults()));
            assertTrue(refused.getMessage().contains("written under another LMK"), refused.getMessage());
        }
    }

    @Test
    void shouldRefuseADamagedMetaSectionBeforeUsingItsCapacities() throws Exception
    {
        final Path file = write();
        final long metaCapacityOffset = findHouseholdCapacity(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(metaCapacityOffset);
            raf.write(16);
        }
        final SnapshotException refused = assertThrows(SnapshotException.class, () -> load(file));
        assertTrue(refused.getMessage().contains("section META crc32c mismatch"), refused.getMessage());
    }

    @Test
    void shouldWriteAtTheBoundedRate() throws Exception
    {
        final long started = System.nanoTime();
        final Path file = SnapshotWriter.write(directory, live.data, live.authorizer, position, stamp, LMK, 2_000_000);
        final double seconds = (System.nanoTime() - started) / 1e9;
        final long size = Files.size(file);
        assertTrue(seconds >= size / 2_000_000.0 * 0.9, "bytes=" + size + " seconds=" + seconds);
    }

    private static SnapshotReader.Loaded read(final Path file) throws SnapshotException
    {
        try (SnapshotReader reader = SnapshotReader.open(file, (read, total) -> { }))
        {
            return reader.load(LMK, ProgramRules.defaults());
        }
    }

    /** 500 random requests decided by the live authorizer and the loaded one: same answers, then the same state. */
    private void assertDecidesAsTheLiveAuthorizer(final SnapshotReader.Loaded loaded, final long seed)
    {
        final AuthOutcome fromLoaded = new AuthOutcome();
        final RandomTraffic traffic = new RandomTraffic(seed, live, request ->
        {
            final AuthOutcome fromLive = live.send(request);
            loaded.authorizer().authorize(request, fromLoaded);
            assertNull(fromLive.firstDifference(fromLoaded), "sequence " + fromLive.sequence);
            return fromLive;
        });
        for (int i = 0; i < 500; i++)
        {
            traffic.step();
        }
        assertNull(StateCapture.firstDifference(StateCapture.of(live.data, live.authorizer), StateCapture.of(loaded.data(), loaded.authorizer())));
    }

    private static void load(final Path file) throws SnapshotException
    {
        try (SnapshotReader reader = SnapshotReader.open(file, (read, total) -> { }))
        {
            reader.load(LMK, ProgramRules.defaults());
        }
    }

    private static void flip(final Path file, final long at) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(at);
            final int value = raf.read();
            raf.seek(at);
            raf.write(value ^ 0x20);
        }
    }

    /** META holds the household capacity (8 in the test data set) as an int; finds its offset. */
    private long findHouseholdCapacity(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        // households 8, cards 32, terminals 16, acquirers 4 as consecutive little-endian ints.
        final byte[] pattern = {8, 0, 0, 0, 32, 0, 0, 0, 16, 0, 0, 0, 4, 0, 0, 0};
        for (int at = 0; at + pattern.length < bytes.length; at++)
        {
            if (Arrays.equals(bytes, at, at + pattern.length, pattern, 0, pattern.length))
            {
                return at;
            }
        }
        throw new AssertionError("capacities not found in META");
    }
}
