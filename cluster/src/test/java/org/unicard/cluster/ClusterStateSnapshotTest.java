package org.unicard.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.config.ProgramRules;
import org.unicard.journal.ChronicleJournal;
import org.unicard.recovery.JournalReplayer;
import org.unicard.security.Hex;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.snapshot.SnapshotFiles;
import org.unicard.snapshot.StateRecovery;
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
 * The state through a real Aeron publication and image (IPC, a 64 KiB term so that the writer meets
 * back pressure while the reader drains): loaded in place into another member's state it gives an
 * equal {@link StateDigest} and equal tables, and both then decide the same requests the same way;
 * a snapshot of another data set or one cut short is refused with its reason; at pilot size the file
 * snapshot written after the load is what the member's next start recovers from.
 */
class ClusterStateSnapshotTest
{
    private static final TdesKey LMK = TdesKey.of(Hex.parseKey("0123456789ABCDEFFEDCBA9876543210"));
    private static final TdesKey OTHER_LMK = TdesKey.of(Hex.parseKey("1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A"));
    private static final byte[] TPK = Hex.parseKey("3D3D3D3D3D3D3D3D4F4F4F4F4F4F4F4F");
    private static final String CHANNEL = "aeron:ipc?term-length=64k";

    @TempDir
    Path directory;

    private MediaDriver driver;
    private Aeron aeron;
    private int streamId = 1_000;

    @BeforeEach
    void startDriver()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context().threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    @AfterEach
    void stopDriver()
    {
        CloseHelper.closeAll(aeron, driver);
    }

    @Test
    void shouldGiveAnEqualDigestAndDecideTheNextRequestsAsTheWriterDoes() throws Exception
    {
        final AuthorizerHarness live = trafficked();
        final AuthorizerHarness member = AuthorizerHarness.atGenesis();
        final StateDigest.Value before = new StateDigest(member.data, member.authorizer).compute(0);

        final Transfer transfer = transfer(live, member, new ClusterStateSnapshot.SnapshotHeader(
            live.authorizer.sequence() + 3, 7_200_000, true, live.authorizer.sequence(), 123_456, true));

        assertEquals(live.authorizer.sequence() + 3, transfer.header.loggedRequests());
        assertEquals(7_200_000, transfer.header.clockOffsetMs());
        assertTrue(transfer.header.clockOffsetSet());
        assertEquals(123_456, transfer.header.logPosition());
        assertTrue(transfer.header.holdsState());
        assertArrayEquals(COMMANDS, transfer.commands, "the logged commands' section, in fragments, before the state");
        assertEquals(transfer.written, transfer.loaded.bytes(), "bytes written and read");
        assertNull(transfer.loaded.fileSnapshot(), "no snapshot directory: no file snapshot");

        final StateDigest.Value expected = new StateDigest(live.data, live.authorizer).compute(9);
        final StateDigest.Value loaded = new StateDigest(member.data, member.authorizer).compute(9);
        assertEquals(expected, loaded);
        assertTrue(before.digest() != loaded.digest(), "the load changed the member's state");
        assertNull(StateCapture.firstDifference(StateCapture.of(live.data.households()), StateCapture.of(member.data.households())));
        assertNull(StateCapture.firstDifference(StateCapture.of(live.data.cards()), StateCapture.of(member.data.cards())));
        assertNull(PublicFields.firstDifference(live.data.terminals(), member.data.terminals()), "terminals");
        assertNull(PublicFields.firstDifference(live.data.acquirers(), member.data.acquirers()), "acquirers");
        assertTrue(Arrays.equals(live.data.pinVerificationKey(), member.data.pinVerificationKey()), "pvk");
        assertEquals(live.authorizer.window().size(), member.authorizer.window().size());
        assertEquals(live.authorizer.lastTimeMs(), member.authorizer.lastTimeMs());
        assertEquals(live.authorizer.rules(), member.authorizer.rules());
        assertEquals(0, member.authorizer.positions().runs(), "the writer's journal positions are forgotten");

        final AuthOutcome fromMember = new AuthOutcome();
        final RandomTraffic traffic = new RandomTraffic(21, live, request ->
        {
            final AuthOutcome fromLive = live.send(request);
            member.authorizer.authorize(request, fromMember);
            assertNull(fromLive.firstDifference(fromMember), "sequence " + fromLive.sequence);
            return fromLive;
        });
        for (int i = 0; i < 500; i++)
        {
            traffic.step();
        }
        assertEquals(new StateDigest(live.data, live.authorizer).compute(1), new StateDigest(member.data, member.authorizer).compute(1));
    }

    @Test
    void shouldRefuseAnotherDataSetBeforeChangingAnything() throws Exception
    {
        final AuthorizerHarness live = trafficked();
        final Path data = directory.resolve("data");
        ClusterTestData.write(data, 20, 2);
        final TdesKey lmk = LocalMasterKey.parse(ClusterTestData.LMK_HEX, "test");
        final StateRecovery.Recovered other = StateRecovery.recover(
            new StateRecovery.Inputs(data, lmk, ProgramRules.defaults(), 4_096, 4_096, directory.resolve("snapshots")), null,
            JournalReplayer.TO_END, StateRecovery.Listener.NONE);
        final List<Object> untouched = StateCapture.of(other.data(), other.authorizer());

        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> transfer(live,
            new ClusterStateSnapshot(other.data(), other.authorizer(), null, OTHER_LMK, null, null),
            new ClusterStateSnapshot.SnapshotHeader(1, 0, false, live.authorizer.sequence(), 1, true)));
        assertTrue(refused.getMessage().contains("reason=written under another LMK"), refused.getMessage());

        final IllegalStateException otherData = assertThrows(IllegalStateException.class, () -> transfer(live,
            new ClusterStateSnapshot(other.data(), other.authorizer(), null, lmk, null, null),
            new ClusterStateSnapshot.SnapshotHeader(1, 0, false, live.authorizer.sequence(), 1, true)));
        assertTrue(otherData.getMessage().startsWith("cluster snapshot does not load: snapshot=cluster-snapshot(log-position=1) "
            + "reason=another data set: snapshot fingerprint=" + Long.toHexString(TestData.FINGERPRINT)), otherData.getMessage());
        assertTrue(otherData.getMessage().contains("action=this member stops"), otherData.getMessage());
        assertNull(StateCapture.firstDifference(untouched, StateCapture.of(other.data(), other.authorizer())), "nothing changed");
    }

    @Test
    void shouldRefuseASnapshotWhoseStateIsCutShort() throws Exception
    {
        final AuthorizerHarness live = trafficked();
        final AuthorizerHarness member = AuthorizerHarness.atGenesis();
        final int id = streamId++;
        try (Subscription subscription = aeron.addSubscription(CHANNEL, id);
            ExclusivePublication publication = aeron.addExclusivePublication(CHANNEL, id))
        {
            final Image image = awaitImage(subscription, publication);
            final IdleStrategy idle = new BackoffIdleStrategy();
            // A header and the first 10,000 bytes of a real snapshot's state, then the publication closes.
            final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            org.unicard.snapshot.SnapshotWriter.write(java.nio.channels.Channels.newChannel(bytes), live.data, live.authorizer,
                new JournalReplayer.Position(), new org.unicard.snapshot.DataFilesStamp(List.of()), LMK);
            final org.agrona.concurrent.UnsafeBuffer header = new org.agrona.concurrent.UnsafeBuffer(new byte[48]);
            header.putLong(0, ClusterStateSnapshot.MAGIC);
            header.putLong(8, 5);
            header.putLong(24, live.authorizer.sequence());
            header.putLong(40, 77);
            offer(publication, header, 0, 48, ClusterStateSnapshot.KIND_HEADER);
            final org.agrona.concurrent.UnsafeBuffer state = new org.agrona.concurrent.UnsafeBuffer(bytes.toByteArray());
            for (int at = 0; at < 10_000; at += 1_000)
            {
                offer(publication, state, at, 1_000, ClusterStateSnapshot.KIND_STATE);
            }
            final CompletableFuture<Void> closer = CompletableFuture.runAsync(() ->
            {
                sleep(300);
                publication.close();
            });
            final IllegalStateException refused = assertThrows(IllegalStateException.class, () ->
            {
                final ClusterStateSnapshot.SnapshotHeader read = ClusterStateSnapshot.readHeader(image, idle);
                new ClusterStateSnapshot(member.data, member.authorizer, null, LMK, null, null).load(image, idle, read);
            });
            assertTrue(refused.getMessage().contains("snapshot=cluster-snapshot(log-position=77) reason=cannot read: the snapshot ended after"),
                refused.getMessage());
            closer.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Pilot size (42,000 households of one card each, 402 terminals, the default configuration's
     * window and ledger): bytes and times, and the file snapshot the member's next start recovers from.
     */
    @Test
    void shouldWriteAFileSnapshotThatTheNextStartRecoversFromAtPilotSize() throws Exception
    {
        final Path data = directory.resolve("data");
        ClusterTestData.write(data, 42_000, 402);
        final TdesKey lmk = LocalMasterKey.parse(ClusterTestData.LMK_HEX, "test");
        final StateRecovery.Inputs inputs = new StateRecovery.Inputs(data, lmk, ProgramRules.defaults(),
            org.unicard.config.SwitchSettings.AUTO, 1_048_576, directory.resolve("snapshots-writer"));
        final StateRecovery.Recovered writer = StateRecovery.recover(inputs, null, JournalReplayer.TO_END, StateRecovery.Listener.NONE);
        writer.authorizer().genesis(ClusterTestData.CLOCK.toEpochMilli());
        for (int household = 0; household < 42_000; household += 7)
        {
            writer.data().households().cashBalancePiasters(household, 1_000 + household);
            writer.data().cards().walletBalancePiasters(household, 5_000 + household);
        }
        final Path memberSnapshots = directory.resolve("snapshots-member");
        final StateRecovery.Inputs memberInputs = new StateRecovery.Inputs(data, lmk, ProgramRules.defaults(),
            org.unicard.config.SwitchSettings.AUTO, 1_048_576, memberSnapshots);
        final StateRecovery.Recovered member = StateRecovery.recover(memberInputs, null, JournalReplayer.TO_END,
            StateRecovery.Listener.NONE);
        try (ChronicleJournal journal = ChronicleJournal.open(directory.resolve("journal-member")))
        {
            final long[] writeMs = new long[3];
            final long[] loadMs = new long[3];
            final long[] fileMs = new long[3];
            long bytes = 0;
            for (int run = 0; run < 3; run++)
            {
                // Baseline in the same run: the same state as a file snapshot (unbounded rate, fsync included).
                final long fileStart = System.nanoTime();
                org.unicard.snapshot.SnapshotWriter.write(directory.resolve("baseline"), writer.data(), writer.authorizer(),
                    new JournalReplayer.Position(), org.unicard.snapshot.DataFilesStamp.of(data), lmk, 0);
                fileMs[run] = (System.nanoTime() - fileStart) / 1_000_000;
                final ClusterStateSnapshot target = new ClusterStateSnapshot(member.data(), member.authorizer(), journal, lmk, data,
                    memberSnapshots);
                final Transfer transfer = transfer(new ClusterStateSnapshot(writer.data(), writer.authorizer(), null, lmk, null, null),
                    target, new ClusterStateSnapshot.SnapshotHeader(0, 0, false, 0, 0, true));
                writeMs[run] = transfer.writeNanos / 1_000_000;
                loadMs[run] = transfer.loaded.loadNanos() / 1_000_000;
                bytes = transfer.written;
                assertTrue(Files.exists(transfer.loaded.fileSnapshot()), "file snapshot written: " + transfer.loaded.fileSnapshot());
            }
            Arrays.sort(writeMs);
            Arrays.sort(loadMs);
            Arrays.sort(fileMs);
            System.out.printf("cluster-state-snapshot pilot households=42000 cards=42000 terminals=402 window=%d ledger=%d bytes=%d "
                    + "write-ms=%s load-ms=%s file-snapshot-ms=%s (medians %d / %d / %d, write/file %.2f) load-average=%s%n",
                writer.authorizer().window().capacity(), writer.authorizer().ledger().capacity(), bytes, Arrays.toString(writeMs),
                Arrays.toString(loadMs), Arrays.toString(fileMs), writeMs[1], loadMs[1], fileMs[1], (double)writeMs[1] / Math.max(1, fileMs[1]),
                Files.readString(Path.of("/proc/loadavg")).trim());
            assertEquals(new StateDigest(writer.data(), writer.authorizer()).compute(0),
                new StateDigest(member.data(), member.authorizer()).compute(0));

            // The member's next start: its (empty) journal and the file snapshot written after the load.
            assertEquals(1, SnapshotFiles.newestFirst(memberSnapshots).size(), "one file snapshot, rewritten at the same journal position");
            final StateRecovery.Recovered restarted = StateRecovery.recover(memberInputs, journal, JournalReplayer.TO_END,
                StateRecovery.Listener.NONE);
            assertEquals(SnapshotFiles.newestFirst(memberSnapshots).get(0), restarted.snapshot(), "recovered from the file snapshot");
            assertTrue(restarted.refused().isEmpty(), "no snapshot refused: " + restarted.refused());
            assertEquals(new StateDigest(writer.data(), writer.authorizer()).compute(0),
                new StateDigest(restarted.data(), restarted.authorizer()).compute(0));
            assertEquals(writer.authorizer().sequence(), restarted.authorizer().sequence());
        }
    }

    private static void offer(final ExclusivePublication publication, final org.agrona.DirectBuffer buffer, final int offset,
        final int length, final long kind)
    {
        final long deadline = System.currentTimeMillis() + 10_000;
        while (publication.offer(buffer, offset, length, (termBuffer, termOffset, frameLength) -> kind) < 0)
        {
            assertTrue(System.currentTimeMillis() < deadline, "offer within 10 s");
            Thread.onSpinWait();
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static AuthorizerHarness trafficked()
    {
        final AuthorizerHarness live = AuthorizerHarness.atGenesis();
        Arrays.fill(live.data.pinVerificationKey(), (byte)0x01);
        live.data.terminals().pinKey[TestData.GROCER] = TPK.clone();
        live.data.acquirers().zonePinKey[TestData.BANK] = TPK.clone();
        final RandomTraffic traffic = new RandomTraffic(11, live, live::send);
        for (int i = 0; i < 2_000; i++)
        {
            traffic.step();
        }
        assertTrue(live.authorizer.sequence() > 1_000, "sequence " + live.authorizer.sequence());
        // Where the writer's journal put its last record: a position the loading member must not take over.
        live.authorizer.positions().recorded(live.authorizer.sequence(), 4_242);
        return live;
    }

    private record Transfer(ClusterStateSnapshot.SnapshotHeader header, byte[] commands, long written, long writeNanos,
        ClusterStateSnapshot.Loaded loaded)
    {
    }

    /** What the logged commands hold, as a batch in assembly would: more than one fragment of the test's 64 KiB term. */
    private static final byte[] COMMANDS = commands();

    private static byte[] commands()
    {
        final byte[] bytes = new byte[100_000];
        new java.util.Random(5).nextBytes(bytes);
        return bytes;
    }

    private Transfer transfer(final AuthorizerHarness from, final AuthorizerHarness to, final ClusterStateSnapshot.SnapshotHeader header)
        throws Exception
    {
        return transfer(new ClusterStateSnapshot(from.data, from.authorizer, null, LMK, null, null),
            new ClusterStateSnapshot(to.data, to.authorizer, null, LMK, null, null), header);
    }

    private Transfer transfer(final AuthorizerHarness from, final ClusterStateSnapshot to, final ClusterStateSnapshot.SnapshotHeader header)
        throws Exception
    {
        return transfer(new ClusterStateSnapshot(from.data, from.authorizer, null, LMK, null, null), to, header);
    }

    /** Writes on another thread, reads on this one, through a 64 KiB term. */
    private Transfer transfer(final ClusterStateSnapshot from, final ClusterStateSnapshot to, final ClusterStateSnapshot.SnapshotHeader header)
        throws Exception
    {
        final int id = streamId++;
        try (Subscription subscription = aeron.addSubscription(CHANNEL, id);
            ExclusivePublication publication = aeron.addExclusivePublication(CHANNEL, id))
        {
            final Image image = awaitImage(subscription, publication);
            final CompletableFuture<long[]> writer = CompletableFuture.supplyAsync(() ->
            {
                final long start = System.nanoTime();
                final long bytes = from.write(publication, new BackoffIdleStrategy(), header, COMMANDS);
                return new long[] {bytes, System.nanoTime() - start};
            });
            try
            {
                final IdleStrategy idle = new BackoffIdleStrategy();
                final ClusterStateSnapshot.SnapshotHeader read = ClusterStateSnapshot.readHeader(image, idle);
                final byte[] commands = ClusterStateSnapshot.readCommands(image, idle);
                final ClusterStateSnapshot.Loaded loaded = to.load(image, idle, read);
                final long[] written = writer.get(60, TimeUnit.SECONDS);
                return new Transfer(read, commands, written[0], written[1], loaded);
            }
            finally
            {
                publication.close();
                writer.handle((result, error) -> null).get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static Image awaitImage(final Subscription subscription, final ExclusivePublication publication) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 10_000;
        while (!publication.isConnected() || subscription.imageCount() == 0)
        {
            assertTrue(System.currentTimeMillis() < deadline, "no image within 10 s");
            Thread.sleep(1);
        }
        return subscription.imageAtIndex(0);
    }
}
