package org.unicard.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.changes.ChangesClient;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalConnection;
import org.unicard.terminal.TerminalRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Spec §12 on a cluster (§13): a change batch posted to one member is a logged command that every
 * member's service applies at the same log position. Three member processes on loopback: a batch that
 * adds a bakery with a MAC key, a household and its card (in three chunks of the log), posted to a follower; bread bought with the
 * new card at the new bakery through another member; the same id again (original 200), the same id
 * with other content (409), one id with two contents posted to two members at once (one 200, one 409), a
 * bad line (422, nothing applied anywhere); equal state digests; and
 * {@code kill -9} of the leader after the 200: the restarted member still has the batch, applied once;
 * then a batch of 65 chunks posted while the leader hangs (SIGSTOP): offered again to the new leader,
 * answered 200, and applied from the log by the hung member once it is restarted.
 */
class ClusterChangesTest
{
    private static final String BAKERY = "B0000001";
    private static final String BAKERY_MERCHANT = "MB0000000000001";
    private static final String TAK_HEX = "3D3D3D3D3D3D3D3D5E5E5E5E5E5E5E5E";
    private static final int HOUSEHOLD = 9001;
    private static final long FIELD_7 = 1123093000L;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    private int stan;

    @Test
    void shouldApplyAChangeBatchOnEveryMemberExactlyOnceAcrossKillNineOfTheLeader() throws Exception
    {
        ClusterTestData.write(directory.resolve("data"), 10, 2);
        final TdesKey lmk = LocalMasterKey.parse(ClusterTestData.LMK_HEX, "test");
        final String newPan = ClusterTestData.pan(HOUSEHOLD);
        final String batch = String.join("\n",
            "{\"op\":\"terminal\",\"terminal_id\":\"" + BAKERY + "\",\"merchant_id\":\"" + BAKERY_MERCHANT + "\",\"type\":\"bakery\"," +
                "\"governorate\":\"03\",\"name\":\"Bakery one\",\"tpk_under_lmk\":\"" + underLmk(lmk, ClusterTestData.TPK_HEX) +
                "\",\"tak_under_lmk\":\"" + underLmk(lmk, TAK_HEX) + "\",\"status\":\"active\"}",
            "{\"op\":\"household\",\"household_id\":" + HOUSEHOLD + ",\"governorate\":\"03\",\"ration_individuals\":2," +
                "\"bread_individuals\":2,\"cash_support_piasters\":0}",
            "{\"op\":\"card\",\"pan\":\"" + newPan + "\",\"national_id\":\"28001010309001\",\"household_id\":" + HOUSEHOLD +
                ",\"role\":\"head\",\"status\":\"collected\",\"issued_on\":\"2026-11-20\",\"expiry\":\"3012\",\"pvv\":\"1234\"," +
                "\"programs\":\"bread\",\"health_exempt\":false,\"replaces_pan\":\"\",\"mobile\":\"\",\"wallet_piasters\":0}") + "\n" +
            // Blank lines (allowed, and counted as lines) make the batch travel in three log entries.
            "\n".repeat(2 * LogMessages.MAX_CHANGE_CHUNK_BYTES + 1_000);
        assertEquals(3, LogMessages.changeChunks(bytes(batch).length));
        final String applied = "{\"batch\":\"bakery-1\",\"applied\":3}";

        try (ClusterProcesses cluster = new ClusterProcesses(directory, 3))
        {
            cluster.startAll();
            final long startedMs = System.currentTimeMillis();
            System.out.println("members healthy");
            final int leader = cluster.awaitLeader();
            final int x = (leader + 1) % 3;
            final int y = (leader + 2) % 3;

            assertEquals("03", bread(cluster, y, newPan, 1).substring(0, 2), "before the batch the bakery is unknown");

            final ChangesClient.Answer bad = client(cluster, y).post(bytes(
                "{\"op\":\"household\",\"household_id\":9002,\"governorate\":\"03\",\"ration_individuals\":1,\"bread_individuals\":1," +
                    "\"cash_support_piasters\":0}\n{\"op\":\"terminal\",\"terminal_id\":\"B0000002\"\n"), "bad-1");
            assertEquals(422, bad.status(), bad.body());
            assertTrue(bad.body().startsWith("{\"batch\":\"bad-1\",\"errors\":[{\"line\":2,\"field\":null,\"reason\":\"malformed JSON"),
                bad.body());

            final ChangesClient.Answer first = client(cluster, x).post(bytes(batch), "bakery-1");
            assertEquals(200, first.status(), first.body());
            assertEquals(applied, first.body(), "posted to a follower: applied once committed");
            assertEquals(1, metric(cluster, x, "unicard_cluster_change_batches_applied"), "the receiving member applied it before its 200");
            for (int member = 0; member < 3; member++)
            {
                awaitMetric(cluster, member, "unicard_cluster_change_batches_applied", 1);
            }

            final String approved = bread(cluster, y, newPan, 2);
            assertEquals("00", approved.substring(0, 2), "the new bakery, its TAK and the new card through another member: " + approved);
            assertTrue(approved.contains("9202999C000000000008"), "10 loaves a day less 2: " + approved);

            final ChangesClient.Answer again = client(cluster, y).post(bytes(batch), "bakery-1");
            assertEquals(200, again.status(), again.body());
            assertEquals(applied, again.body(), "the same id again, to another member: the original 200");
            final ChangesClient.Answer other = client(cluster, leader).post(bytes(batch.replace("\"bread_individuals\":2",
                "\"bread_individuals\":3")), "bakery-1");
            assertEquals(409, other.status(), other.body());

            // One id with two contents, posted to two members at once: one is applied everywhere, the other answered 409.
            final java.util.concurrent.CompletableFuture<ChangesClient.Answer> raceX = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> post(cluster, x, acquirer("Link via x"), "race-1"));
            final java.util.concurrent.CompletableFuture<ChangesClient.Answer> raceY = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> post(cluster, y, acquirer("Link via y"), "race-1"));
            final String raced = raceX.get(60, TimeUnit.SECONDS).status() + "," + raceY.get(60, TimeUnit.SECONDS).status();
            assertTrue(raced.equals("200,409") || raced.equals("409,200"), "statuses of x,y: " + raced + " " + raceX.get().body() + " "
                + raceY.get().body());
            System.out.println("race-1: x,y=" + raced + " repeated on the log (0: the second was answered from the batch memory)="
                + metric(cluster, x, "unicard_cluster_change_batches_repeated"));
            final ChangesClient.Answer winner = raceX.get().status() == 200 ? raceX.get() : raceY.get();
            assertEquals("{\"batch\":\"race-1\",\"applied\":1}", winner.body());
            for (int member = 0; member < 3; member++)
            {
                awaitMetric(cluster, member, "unicard_cluster_change_batches_applied", 2);
            }

            for (int member = 0; member < 3; member++)
            {
                assertEquals(2, metric(cluster, member, "unicard_cluster_change_batches_applied"), "member " + member + " applied each once");
                assertEquals(0, metric(cluster, member, "unicard_cluster_change_batches_refused"), "member " + member);
            }
            for (int member = 0; member < 3; member++)
            {
                final ChangesClient.Answer probe = client(cluster, member).post(bytes("{\"op\":\"card\",\"pan\":\"" +
                    ClusterTestData.pan(9002) + "\",\"national_id\":\"28001010309002\",\"household_id\":9002,\"role\":\"head\"," +
                    "\"status\":\"collected\",\"issued_on\":\"2026-11-20\",\"expiry\":\"3012\",\"pvv\":\"1234\",\"programs\":\"bread\"," +
                    "\"health_exempt\":false,\"replaces_pan\":\"\",\"mobile\":\"\",\"wallet_piasters\":0}\n"), "probe-" + member);
                assertEquals("422 {\"batch\":\"probe-" + member + "\",\"errors\":[{\"line\":1,\"field\":\"household_id\",\"reason\":" +
                    "\"no such household 9002 (neither in the switch nor in this batch)\"}]}", probe.status() + " " + probe.body(),
                    "nothing of the refused batch applied on member " + member);
            }
            final String digest = cluster.assertDigestsEqual();

            cluster.kill(leader);
            System.out.println("killed the leader, member " + leader + " at +" + (System.currentTimeMillis() - startedMs) + " ms");
            final int survivor = cluster.awaitLeader();
            assertEquals("00", bread(cluster, survivor == x ? y : x, newPan, 1).substring(0, 2), "the survivors serve the batch");
            cluster.start(leader);
            cluster.awaitHealthy(leader, 120_000);

            final ChangesClient.Answer afterRestart = client(cluster, leader).post(bytes(batch), "bakery-1");
            assertEquals(200, afterRestart.status(), afterRestart.body());
            assertEquals(applied, afterRestart.body(), "the batch memory survives kill -9 of the leader");
            final String restarted = bread(cluster, leader, newPan, 2);
            assertEquals("00", restarted.substring(0, 2), "the restarted member has the bakery and the card: " + restarted);
            assertTrue(restarted.contains("9202999C000000000005"), "10 - 2 - 1 - 2 loaves left: " + restarted);
            assertEquals(0, metric(cluster, leader, "unicard_cluster_change_batches_applied"),
                "the restarted member recovered the batch from its journal, it did not apply it again");
            final String after = cluster.assertDigestsEqual();
            assertTrue(!after.equals(digest), "requests after the restart changed the state: " + after);

            // A batch of 65 chunks posted while the leader hangs: offered to it in vain, offered whole again to the new leader.
            final int hung = cluster.awaitLeader();
            final int poster = (hung + 1) % 3;
            // The last record of every journal now: a batch after the last request (the hung member's restart meets it again).
            assertEquals("200 {\"batch\":\"tail-0\",\"applied\":1}", post(cluster, poster, acquirer("Link three")
                .replace("12345678901", "12345678903"), "tail-0").status() + " " + post(cluster, poster, acquirer("Link three")
                .replace("12345678901", "12345678903"), "tail-0").body());
            for (int member = 0; member < 3; member++)
            {
                awaitMetric(cluster, member, "unicard_cluster_change_batches_applied", member == leader ? 1 : 3);
            }
            System.out.println("pausing the leader at +" + (System.currentTimeMillis() - startedMs) + " ms");
            cluster.pause(hung);
            final String big = acquirer("Link two").replace("12345678901", "12345678902") + (" ".repeat(4095) + "\n").repeat(1024);
            final ChangesClient.Answer bigAnswer = client(cluster, poster).post(bytes(big), "big-1");
            assertEquals("200 {\"batch\":\"big-1\",\"applied\":1}", bigAnswer.status() + " " + bigAnswer.body());
            System.out.println("big-1 answered by member " + poster + " while member " + hung + " hung: "
                + cluster.lastLine(poster, "event=cluster-new-leader"));
            System.out.println("big-1 answered at +" + (System.currentTimeMillis() - startedMs) + " ms");
            cluster.kill(hung);
            cluster.start(hung);
            cluster.awaitHealthy(hung, 120_000);
            System.out.println("restarted at +" + (System.currentTimeMillis() - startedMs) + " ms");
            awaitMetric(cluster, hung, "unicard_cluster_change_batches_applied", 1);
            final String tail = cluster.lastLine(hung, "event=changes-journal-tail");
            assertTrue(tail != null && tail.contains("batches=[tail-0]"), "the restart read tail-0 after its journal's last request: "
                + tail);
            assertEquals("200 {\"batch\":\"big-1\",\"applied\":1}", post(cluster, hung, big, "big-1").status() + " "
                + post(cluster, hung, big, "big-1").body(), "the hung member caught up from the log: big-1 applied there once, tail-0 not again");
            assertEquals("00", bread(cluster, hung, newPan, 1).substring(0, 2));
            cluster.assertDigestsEqual();
        }
    }

    private static String acquirer(final String name)
    {
        return "{\"op\":\"acquirer\",\"acquirer_id\":\"12345678901\",\"name\":\"" + name + "\",\"zpk_under_lmk\":\"\",\"status\":\"active\"}\n";
    }

    private static ChangesClient.Answer post(final ClusterProcesses cluster, final int member, final String batch, final String id)
    {
        try
        {
            return client(cluster, member).post(bytes(batch), id);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static ChangesClient client(final ClusterProcesses cluster, final int member)
    {
        return new ChangesClient("http://127.0.0.1:" + cluster.httpPort(member), ClusterProcesses.API_TOKEN);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String underLmk(final TdesKey lmk, final String clearHex)
    {
        return Hex.encode(KeyCipher.encryptUnderLmk(lmk, Hex.parseKey(clearHex)));
    }

    /**
     * Buys {@code loaves} of bread with {@code pan} at the new bakery through {@code member}.
     *
     * @return field 39, a colon and field 54.
     */
    private String bread(final ClusterProcesses cluster, final int member, final String pan, final int loaves) throws Exception
    {
        final Map<Integer, String> answers = new ConcurrentHashMap<>();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try
        {
            final TerminalConnection connection = TerminalConnection.connect(group, "127.0.0.1", cluster.terminalPort(member),
                (buffer, offset, length) ->
                {
                    final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY).wrap(buffer, offset, length);
                    final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
                    final String code = new String(new char[]{(char)reader.charAt(39, 0), (char)reader.charAt(39, 1)});
                    final int n = reader.hasField(54) ? reader.copyChars(54, out, 0) : 0;
                    answers.put((int)reader.numeric(11), code + ":" + out.getStringWithoutLengthAscii(0, n));
                });
            final TerminalRequest request = new TerminalRequest();
            request.clear();
            request.mti = 200;
            request.processingCode = 9200;
            request.amount = loaves;
            request.currency = 999;
            request.stan = ++stan;
            request.transmissionDateTime = FIELD_7 + stan;
            request.terminalId = BAKERY;
            request.merchantId = BAKERY_MERCHANT;
            request.pan = pan;
            request.macKey = TdesKey.of(Hex.parseKey(TAK_HEX));
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
            connection.send(frame, new RequestBuilder().build(request, frame));
            final long deadline = System.currentTimeMillis() + 15_000;
            while (!answers.containsKey(stan) && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(2);
            }
            connection.close();
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        final String answer = answers.get(stan);
        if (answer == null)
        {
            fail("no answer from member " + member + " to stan=" + stan + ": " + cluster.tail(member));
        }
        return answer;
    }

    private static long metric(final ClusterProcesses cluster, final int member, final String name) throws Exception
    {
        final Matcher matcher = Pattern.compile("(?m)^" + name + "(?:_total)?(?:\\{[^}]*})? (\\S+)$").matcher(cluster.metrics(member));
        if (!matcher.find())
        {
            fail("member " + member + " has no metric " + name);
        }
        return (long)Double.parseDouble(matcher.group(1));
    }

    private static void awaitMetric(final ClusterProcesses cluster, final int member, final String name, final long value) throws Exception
    {
        final long deadline = System.currentTimeMillis() + 20_000;
        long now;
        while ((now = metric(cluster, member, name)) != value)
        {
            if (System.currentTimeMillis() > deadline)
            {
                fail("member " + member + ": " + name + "=" + now + " expected=" + value);
            }
            Thread.sleep(50);
        }
    }
}
