package org.unicard.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Spec §13, "replace a member": three member processes take traffic, the operator takes a cluster
 * snapshot (ClusterTool, as docs/operations.md §13 says), a follower dies and loses its journal and
 * file snapshots (its {@code --cluster-dir} stays); started with another window capacity it stops,
 * naming the reason; started again as the others it takes its state from the cluster snapshot, catches up the log after it, serves, and its state digest equals the others'; started
 * once more it recovers from its own journal and the file snapshot written after the load.
 */
class ClusterSnapshotRestartTest
{
    private static final int TERMINALS = 9;
    private static final int HOUSEHOLDS = 120;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    @Test
    void shouldStartAMemberWithoutJournalFromTheClusterSnapshot() throws Exception
    {
        ClusterTestData.write(directory.resolve("data"), HOUSEHOLDS, TERMINALS);
        try (ClusterProcesses cluster = new ClusterProcesses(directory, 3))
        {
            cluster.startAll();
            try (ClusterLoad load = new ClusterLoad(cluster, TERMINALS, HOUSEHOLDS, 4, 19))
            {
                run(load, 2_000);
                final int leader = cluster.awaitLeader();
                assertTrue(io.aeron.cluster.ClusterTool.snapshot(directory.resolve("cluster-" + leader).resolve("consensus").toFile(),
                    System.out), "snapshot taken on the leader");
                for (int member = 0; member < 3; member++)
                {
                    final String taken = awaitLine(cluster, member, "event=cluster-snapshot member=");
                    assertNotNull(taken, "member " + member + " wrote its cluster snapshot");
                    System.out.println(taken);
                    final long bytes = Long.parseLong(field(taken, "bytes"));
                    assertTrue(bytes > 1_000_000, "the snapshot holds the state: " + taken);
                }
                run(load, 1_500);

                final int victim = (leader + 1) % 3;
                cluster.kill(victim);
                deleteTree(directory.resolve("journal-" + victim));
                deleteTree(directory.resolve("snapshots-" + victim));
                run(load, 1_500);

                // Bad input first: started with another duplicate window capacity, the snapshot does not fit: it stops, naming why.
                final Path properties = directory.resolve("data").resolve("test.properties");
                final String configuration = Files.readString(properties);
                Files.writeString(properties, configuration.replace("duplicate-window.capacity = 262144", "duplicate-window.capacity = 131072"));
                cluster.start(victim);
                awaitExit(cluster, victim);
                final String refused = cluster.lastLine(victim, "cluster member " + victim + " cannot start: cluster snapshot does not load");
                assertNotNull(refused, "the member stopped, naming why: " + cluster.tail(victim));
                assertTrue(refused.contains("cluster snapshot does not load: snapshot=cluster-snapshot(log-position=")
                    && refused.contains("reason=does not fit: duplicate-window.capacity snapshot=262144 here=131072"), refused);
                assertEquals(null, cluster.lastLine(victim, "event=cluster-snapshot-loaded"), "nothing loaded");
                Files.writeString(properties, configuration);

                cluster.start(victim);
                final long restartedAtMs = System.currentTimeMillis();
                cluster.awaitHealthy(victim, 120_000);
                final String loaded = cluster.lastLine(victim, "event=cluster-snapshot-loaded");
                assertNotNull(loaded, "the member without a journal loaded the cluster snapshot: " + cluster.tail(victim));
                System.out.println(loaded);
                assertEquals("0", field(loaded, "journal-sequence-before"), loaded);
                assertNotEquals("null", field(loaded, "file-snapshot"), loaded);
                load.rebalance();
                run(load, 2_000);
                drain(load);
                assertTrue(load.answered.stream().anyMatch(answer -> answer[4] == victim && answer[5] > restartedAtMs),
                    "the restarted member answered terminals");
                assertTrue(load.problems.isEmpty(), "answers that changed: " + load.problems);
                cluster.assertDigestsEqual();

                // Its next start: from its own journal (decisions from the snapshot's sequence on) and the file snapshot.
                cluster.kill(victim);
                cluster.start(victim);
                cluster.awaitHealthy(victim, 120_000);
                final String recovered = cluster.lastLine(victim, "event=snapshot-loaded");
                assertNotNull(recovered, "the second start loaded the file snapshot: " + cluster.tail(victim));
                assertTrue(recovered.contains("snapshots-" + victim), recovered);
                final String started = cluster.lastLine(victim, "event=cluster-service-started");
                assertNotEquals("0", field(started, "journal-sequence"), started);
                load.rebalance();
                run(load, 1_500);
                drain(load);
                assertTrue(load.problems.isEmpty(), "answers that changed: " + load.problems);
                cluster.assertDigestsEqual();
            }
        }
    }

    /**
     * docs/operations.md section 13, "Replace a member": a member whose disk is lost (journal, snapshots and
     * cluster directory gone) gets a copy of a running follower's journal and snapshots, taken while that
     * follower serves, and starts from it: it recovers from the copy, replays the log after it, serves, and
     * its state equals the others'.
     */
    @Test
    void shouldStartAReplacementFromACopyOfARunningFollowersJournal() throws Exception
    {
        ClusterTestData.write(directory.resolve("data"), HOUSEHOLDS, TERMINALS);
        try (ClusterProcesses cluster = new ClusterProcesses(directory, 3))
        {
            cluster.startAll();
            try (ClusterLoad load = new ClusterLoad(cluster, TERMINALS, HOUSEHOLDS, 4, 23))
            {
                run(load, 2_000);
                final int leader = cluster.awaitLeader();
                final int victim = (leader + 1) % 3;
                final int donor = (leader + 2) % 3;
                cluster.kill(victim);
                deleteTree(directory.resolve("journal-" + victim));
                deleteTree(directory.resolve("snapshots-" + victim));
                deleteTree(directory.resolve("cluster-" + victim));
                run(load, 1_500);

                // The copy is taken while the donor decides: the leader and the donor are the majority.
                copyTree(directory.resolve("snapshots-" + donor), directory.resolve("snapshots-" + victim));
                copyTree(directory.resolve("journal-" + donor), directory.resolve("journal-" + victim));
                run(load, 1_000);

                cluster.start(victim);
                final long restartedAtMs = System.currentTimeMillis();
                cluster.awaitHealthy(victim, 120_000);
                final String started = cluster.lastLine(victim, "event=cluster-service-started");
                assertNotNull(started, cluster.tail(victim));
                assertNotEquals("0", field(started, "journal-sequence"), "it recovered from the copied journal: " + started);
                assertEquals(null, cluster.lastLine(victim, "event=member-lacks-history"), cluster.tail(victim));
                load.rebalance();
                run(load, 2_000);
                drain(load);
                assertTrue(load.answered.stream().anyMatch(answer -> answer[4] == victim && answer[5] > restartedAtMs),
                    "the replacement answered terminals");
                assertTrue(load.problems.isEmpty(), "answers that changed: " + load.problems);
                cluster.assertDigestsEqual();
            }
        }
    }

    /** Copies a directory tree file by file, as an operator's copy of a live member's directory reads it. */
    private static void copyTree(final Path from, final Path to) throws IOException
    {
        if (!Files.exists(from))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(from))
        {
            for (final Path path : paths.toList())
            {
                final Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void awaitExit(final ClusterProcesses cluster, final int member) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 90_000;
        while (cluster.isRunning(member))
        {
            if (System.currentTimeMillis() > deadline)
            {
                fail("member " + member + " still running 90 s after a start that must fail: " + cluster.tail(member));
            }
            Thread.sleep(100);
        }
    }

    private static String awaitLine(final ClusterProcesses cluster, final int member, final String text) throws Exception
    {
        final long deadline = System.currentTimeMillis() + 20_000;
        String line;
        while ((line = cluster.lastLine(member, text)) == null && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(100);
        }
        return line;
    }

    private static String field(final String line, final String name)
    {
        final int at = line.indexOf(" " + name + "=");
        assertTrue(at >= 0, name + " in " + line);
        final int start = at + name.length() + 2;
        final int end = line.indexOf(' ', start);
        return line.substring(start, end < 0 ? line.length() : end);
    }

    private static void run(final ClusterLoad load, final long forMs) throws InterruptedException
    {
        final long end = System.currentTimeMillis() + forMs;
        while (System.currentTimeMillis() < end)
        {
            load.step(2, true);
            Thread.sleep(5);
        }
    }

    private static void drain(final ClusterLoad load) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        while (load.outstanding() > 0 && System.currentTimeMillis() < deadline)
        {
            load.step(0, false);
            Thread.sleep(20);
        }
        assertEquals(0, load.outstanding(), "requests never answered");
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
