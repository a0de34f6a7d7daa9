package org.unicard.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.changes.ChangeFiles;
import org.unicard.changes.ChangeParser;
import org.unicard.config.ProgramRules;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import org.unicard.recovery.JournalReplayer;
import org.unicard.ring.TableGate;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.snapshot.StateRecovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member's service side of spec §12 batches, without processes: log entries handed to
 * {@link ClusterChangeBatches} as the service would, on a real journal and recovered state.
 */
class ClusterChangeBatchesTest
{
    private static final long TIME_MS = ClusterTestData.CLOCK.toEpochMilli();

    @TempDir
    Path directory;

    private final UnsafeBuffer entry = new UnsafeBuffer(new byte[LogMessages.CHANGE_CHUNK_HEADER_BYTES + LogMessages.MAX_CHANGE_CHUNK_BYTES]);
    private long correlation;

    /** One member's service over its journal. */
    private final class Member implements AutoCloseable
    {
        final ChronicleJournal journal;
        final StateRecovery.Recovered state;
        final ClusterChangeBatches batches;

        Member() throws Exception
        {
            final TdesKey lmk = LocalMasterKey.parse(ClusterTestData.LMK_HEX, "test");
            journal = ChronicleJournal.open(directory.resolve("journal"));
            state = StateRecovery.recover(new StateRecovery.Inputs(directory.resolve("data"), lmk, ProgramRules.defaults(), 4_096, 4_096,
                directory.resolve("snapshots")), journal, JournalReplayer.TO_END, StateRecovery.Listener.NONE);
            final SwitchClusteredService service = new SwitchClusteredService(state.data(), state.authorizer(), journal,
                new PendingDecisions(16), 0, 42L, new ClusterStateSnapshot(state.data(), state.authorizer(), journal, lmk,
                directory.resolve("data"), directory.resolve("snapshots")));
            batches = new ClusterChangeBatches(service, state.data(), state.authorizer(), journal, lmk, new TableGate(1), 0, 42L);
            batches.journaledAfterLastRequest(journal, state.authorizer().positions(), state.authorizer().sequence());
        }

        /** Logs a batch of one chunk from member 1 and applies it. */
        void log(final String id, final String body)
        {
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            final int length = LogMessages.encodeChangeChunk(entry, 1, 7L, ++correlation, id, ChangeParser.sha256(bytes), bytes, 0);
            batches.apply(entry, 0, length, TIME_MS);
        }

        String counts()
        {
            return "applied=" + batches.applied() + " refused=" + batches.refused() + " repeated=" + batches.repeated();
        }

        boolean hasHousehold(final long id)
        {
            return state.data().households().indexOf(id) >= 0;
        }

        @Override
        public void close()
        {
            journal.close();
        }
    }

    @Test
    void shouldApplyRefuseAndRepeatAsEveryMemberDoesAndJournalWhatItApplied() throws Exception
    {
        ClusterTestData.write(directory.resolve("data"), 5, 1);
        try (Member member = new Member())
        {
            member.log("add-9001", household(9001) + card(9001, 9001));
            assertEquals("applied=1 refused=0 repeated=0", member.counts());
            assertTrue(member.hasHousehold(9001));
            assertTrue(member.state.data().cards().indexOf(Long.parseLong(ClusterTestData.pan(9001))) >= 0);

            member.log("card-9100", card(9100, 9100));
            assertEquals("applied=1 refused=1 repeated=0", member.counts(), "a card of a household the tables lack: refused");

            member.log("add-9001", household(9001) + card(9001, 9001));
            member.log("add-9001", household(9002));
            assertEquals("applied=1 refused=1 repeated=2", member.counts(), "an id applied before changes nothing, whatever its content");
            assertTrue(!member.hasHousehold(9002));

            member.log("bad-1", "{\"op\":\"household\"\n");
            assertEquals("applied=1 refused=2 repeated=2", member.counts());

            final byte[] text = (household(9003)).getBytes(StandardCharsets.UTF_8);
            final byte[] wrongSha = ChangeParser.sha256("other".getBytes(StandardCharsets.UTF_8));
            final int length = LogMessages.encodeChangeChunk(entry, 1, 7L, ++correlation, "damaged", wrongSha, text, 0);
            member.batches.apply(entry, 0, length, TIME_MS);
            assertEquals("applied=1 refused=2 repeated=2", member.counts(), "content that is not its SHA-256: nothing at all");
            assertTrue(!member.hasHousehold(9003));

            assertEquals(List.of("GENESIS", "CHANGES add-9001"), records(member.journal));
            final byte[] applied = (household(9001) + card(9001, 9001)).getBytes(StandardCharsets.UTF_8);
            assertTrue(Files.exists(ChangeFiles.file(member.journal.directory(), "add-9001", ChangeParser.sha256(applied))));
        }
    }

    @Test
    void shouldNotApplyAtRestartABatchRefusedBeforeAJournaledBatchThatWouldMakeItPass() throws Exception
    {
        ClusterTestData.write(directory.resolve("data"), 5, 1);
        try (Member member = new Member())
        {
            member.log("card-9100", card(9100, 9100));
            member.log("add-9100", household(9100));
            assertEquals("applied=1 refused=1 repeated=0", member.counts());
        }
        try (Member restarted = new Member())
        {
            assertTrue(restarted.hasHousehold(9100), "the journaled batch is replayed from the journal");
            // The log replays from its start: the same two entries, then a new one.
            restarted.log("card-9100", card(9100, 9100));
            restarted.log("add-9100", household(9100));
            assertEquals("applied=0 refused=0 repeated=0", restarted.counts(),
                "card-9100 was refused the first time: it must not pass now that household 9100 exists");
            assertEquals(-1, restarted.state.data().cards().indexOf(Long.parseLong(ClusterTestData.pan(9100))));
            restarted.log("card-9100", card(9100, 9100));
            assertEquals("applied=1 refused=0 repeated=0", restarted.counts(), "after the journal's tail, a batch is new");
            assertEquals(List.of("GENESIS", "CHANGES add-9100", "CHANGES card-9100"), records(restarted.journal));
        }
    }

    private static List<String> records(final ChronicleJournal journal)
    {
        final List<String> records = new ArrayList<>();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        try (ChronicleJournal.Reader reader = journal.reader())
        {
            while (reader.next(buffer) >= 0)
            {
                final int type = JournalRecord.type(buffer);
                records.add(type == JournalRecord.TYPE_GENESIS ? "GENESIS" : type == JournalRecord.TYPE_CHANGES
                    ? "CHANGES " + JournalRecord.changesBatchId(buffer) : "type=" + type);
            }
        }
        return records;
    }

    private static String household(final long id)
    {
        return "{\"op\":\"household\",\"household_id\":" + id + ",\"governorate\":\"03\",\"ration_individuals\":1,\"bread_individuals\":1," +
            "\"cash_support_piasters\":0}\n";
    }

    private static String card(final int panHousehold, final long household)
    {
        return "{\"op\":\"card\",\"pan\":\"" + ClusterTestData.pan(panHousehold) + "\",\"national_id\":\"2800101030" + panHousehold +
            "\",\"household_id\":" + household + ",\"role\":\"head\",\"status\":\"collected\",\"issued_on\":\"2026-11-20\",\"expiry\":\"3012\"," +
            "\"pvv\":\"1234\",\"programs\":\"bread\",\"health_exempt\":false,\"replaces_pan\":\"\",\"mobile\":\"\",\"wallet_piasters\":0}\n";
    }
}
