package org.unicard.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.unicard.notify.NotifierPosition;
import org.unicard.security.Hex;
import org.unicard.security.PinVerificationValue;
import org.unicard.security.TdesKey;
import org.unicard.terminal.LocalPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.bread;
import static org.unicard.server.JposTerminal.ration;
import static org.unicard.server.JposTerminal.request;
import static org.unicard.server.JposTerminal.withPin;

/**
 * Citizen notifications end to end (spec §14): the real switch as a child process
 * ({@code serve --notify-url}), real terminals (jPOS) and a real HTTP receiver ({@link RecordingGateway}).
 * Events for every kind of record with their exact amounts, balances, mobiles and texts; the rules
 * (bread folded into the digest, declines only for the listed codes, nothing for retransmissions);
 * bread digests and monthly statements when the day and month end; kill -9 while a batch is in flight
 * and the gateway down and back: nothing lost, a key sent again only with the same event.
 */
class NotifierWireTest
{
    private static final String REPLACEMENT = WireData.luhn("507803000000009");
    private static final String HEAD_MOBILE = "01000000001";
    private static final String MEMBER_MOBILE = "01000000002";
    private static final String LARGE_HEAD_MOBILE = "01000000003";
    private static final String REPLACEMENT_MOBILE = "01000000009";
    private static final String OTHER_MOBILE = "01012345678";

    /**
     * Under the module's {@code target/}, not the system temporary directory: on the shared build
     * machine, directories under {@code /tmp} were seen disappearing in the middle of a test.
     */
    private Path directory;

    private Process process;
    private RecordingGateway gateway;
    private int port;
    private int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void makeDirectory() throws IOException
    {
        directory = Files.createTempDirectory(Files.createDirectories(Path.of("target", "notifier-tests")), "run-").toAbsolutePath();
    }

    @AfterEach
    void stopAll() throws IOException
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
        }
        if (gateway != null)
        {
            gateway.close();
        }
        if (process != null)
        {
            process.onExit().join();
        }
        try (var paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void shouldSendOneEventForEachKindOfRecordWithItsAmountBalanceAndMobile() throws Exception
    {
        writeData();
        gateway = new RecordingGateway();
        start("first", WireData.CLOCK.toString());
        try (JposTerminal terminal = new JposTerminal(port))
        {
            assertEquals("00", terminal.exchange(ration(WireData.HEAD, 3_000, 1)).getString(39));
            assertEquals("00", terminal.exchange(bread(WireData.HEAD, 3, 2)).getString(39));
            assertEquals("00", terminal.exchange(withPin(request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2,
                WireData.MEMBER, "009400", 100, "818", 3), WireData.PIN, JposTerminal.TPK)).getString(39));
            assertEquals("00", terminal.exchange(request("0200", WireData.HEALTH, WireData.MERCHANT_HEALTH, WireData.MEMBER,
                "009300", 500, "818", 4)).getString(39));
            assertEquals("00", terminal.exchange(request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.HEAD,
                "209100", 1_000, "818", 5)).getString(39));
            final ISOMsg reversal = ration(WireData.HEAD, 3_000, 6);
            reversal.setMTI("0400");
            reversal.set(90, "0200" + "000001" + "1123070000" + "0".repeat(22));
            assertEquals("00", terminal.exchange(reversal).getString(39));
            assertEquals("51", terminal.exchange(ration(WireData.HEAD, 20_000, 7)).getString(39));
            assertEquals("41", terminal.exchange(withPin(request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2,
                WireData.LOST, "009400", 100, "818", 8), WireData.PIN, JposTerminal.TPK)).getString(39));
            assertEquals("55", terminal.exchange(withPin(request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2,
                WireData.MEMBER, "009400", 100, "818", 9), WireData.PIN + 1, JposTerminal.TPK)).getString(39));
            assertEquals("00", terminal.exchange(withPin(request("0200", WireData.POST, WireData.MERCHANT_POST, WireData.LARGE_HEAD,
                "019500", 10_000, "818", 10), WireData.PIN, JposTerminal.TPK)).getString(39));
            assertEquals("00", terminal.exchange(ration(WireData.HEAD, 3_000, 1)).getString(39), "a retransmission");
            assertEquals("00", terminal.exchange(ration(REPLACEMENT, 500, 12)).getString(39));
            assertEquals("62", terminal.exchange(ration(WireData.LARGE_HEAD, 100, 13)).getString(39));
            final ISOMsg walletReversal = request("0400", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.MEMBER,
                "009400", 100, "818", 14);
            walletReversal.set(90, "0200" + "000003" + "1123070000" + "0".repeat(22));
            assertEquals("00", terminal.exchange(walletReversal).getString(39));
        }
        final HttpResponse<String> blocked = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/api/cards/" + WireData.MEMBER + "/block"))
            .header("Authorization", "Bearer " + WireData.API_TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"stolen\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, blocked.statusCode(), blocked.body());

        final Map<String, Map<String, String>> events = gateway.await(received -> received.size() >= 13, 30_000);
        Thread.sleep(1_000);
        final List<Map<String, String>> sorted = inJournalOrder(gateway.byKey());
        assertEquals(13, sorted.size(), "one event for each record that makes one: " + sorted);

        assertEvent(sorted.get(0), "purchase", "ration", "3000", "7000", null, HEAD_MOBILE, WireData.HEAD, WireData.HOUSEHOLD_SMALL);
        assertEquals("Ration of 30.00 EGP at Grocer two. Ration credit left this month: 70.00 EGP.", sorted.get(0).get("text_en"));
        assertEquals("تم صرف تموين بقيمة ٣٠٫٠٠ جنيه من Grocer two. المتبقي من رصيد التموين هذا الشهر ٧٠٫٠٠ جنيه.",
            sorted.get(0).get("text_ar"));
        assertTrue(sorted.get(0).get("time").startsWith("2026-11-23T09:00:"), sorted.get(0).get("time"));
        assertTrue(sorted.get(0).get("time").endsWith("+02:00"), sorted.get(0).get("time"));
        assertTrue(sorted.get(0).get("key").endsWith("-0"), sorted.get(0).get("key"));

        assertEvent(sorted.get(1), "purchase", "wallet", "100", "4900", null, MEMBER_MOBILE, WireData.MEMBER, WireData.HOUSEHOLD_SMALL);
        assertEvent(sorted.get(2), "purchase", "health", "500", "4400", null, MEMBER_MOBILE, WireData.MEMBER, WireData.HOUSEHOLD_SMALL);
        assertEquals("Health co-payment of 5.00 EGP at Clinic, paid from your wallet. Wallet balance: 44.00 EGP.",
            sorted.get(2).get("text_en"));
        assertEvent(sorted.get(3), "return", "ration", "1000", "8000", null, HEAD_MOBILE, WireData.HEAD, WireData.HOUSEHOLD_SMALL);
        // The purchase of 30.00 less the return of 10.00 given back: the credit is whole again (the 51 below says so too).
        assertEvent(sorted.get(4), "reversal", "ration", "2000", "10000", null, HEAD_MOBILE, WireData.HEAD, WireData.HOUSEHOLD_SMALL);
        assertEquals("Cancelled at Grocer two: 20.00 EGP given back to your ration credit. Balance now: 100.00 EGP.", sorted.get(4).get("text_en"));
        assertEvent(sorted.get(5), "decline", "ration", "20000", "10000", "51", HEAD_MOBILE, WireData.HEAD, WireData.HOUSEHOLD_SMALL);
        assertEvent(sorted.get(6), "decline", "wallet", "100", null, "41", OTHER_MOBILE, WireData.LOST, WireData.HOUSEHOLD_LARGE);
        assertTrue(sorted.get(6).get("text_ar").contains("مفقودة"), sorted.get(6).get("text_ar"));
        assertEvent(sorted.get(7), "withdrawal", "cash", "10000", "40000", null, LARGE_HEAD_MOBILE, WireData.LARGE_HEAD,
            WireData.HOUSEHOLD_LARGE);
        assertEvent(sorted.get(8), "purchase", "ration", "500", "24500", null, REPLACEMENT_MOBILE, REPLACEMENT, WireData.HOUSEHOLD_LARGE);
        assertEvent(sorted.get(9), "card-replaced", null, null, null, null, REPLACEMENT_MOBILE, REPLACEMENT, WireData.HOUSEHOLD_LARGE);
        assertEquals(sorted.get(8).get("key").replace("-0", "-1"), sorted.get(9).get("key"), "the second event of the same record");
        assertEquals("Your new card ending " + last4(REPLACEMENT) + " is now in use; the old card ending " + last4(WireData.LARGE_HEAD) +
            " no longer works.", sorted.get(9).get("text_en"));
        assertEvent(sorted.get(10), "decline", "ration", "100", null, "62", LARGE_HEAD_MOBILE, WireData.LARGE_HEAD,
            WireData.HOUSEHOLD_LARGE);
        // The wallet payment of 1.00 given back after the 5.00 co-payment: 50.00 - 1.00 - 5.00 + 1.00.
        assertEvent(sorted.get(11), "reversal", "wallet", "100", "4500", null, MEMBER_MOBILE, WireData.MEMBER, WireData.HOUSEHOLD_SMALL);
        assertEvent(sorted.get(12), "block", null, null, null, null, MEMBER_MOBILE, WireData.MEMBER, WireData.HOUSEHOLD_SMALL);
        assertEquals("Your card ending " + last4(WireData.MEMBER) + " has been blocked (stolen). It can no longer be used.",
            sorted.get(12).get("text_en"));

        assertTrue(gateway.contentTypes().stream().allMatch("application/json"::equals), gateway.contentTypes().toString());
        assertNoSecretIn(gateway.received().toString());
        final String health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(health.startsWith("ready\nnotifier="), health);
        assertTrue(health.contains("delivered=13"), health);
        final String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("unicard_notify_events_delivered_total 13.0"), metrics);
        assertTrue(metrics.contains("unicard_notify_bread_folded_total 1.0"), metrics);

        ChildHealth.stopCleanly(process, () -> Files.readString(log("first")));
        assertNoSecretIn(Files.readString(log("first")));
    }

    /**
     * The bread digest goes to the household's head, found through the notifier's head index: a
     * household and head card added by a change batch while the notifier runs must come into it.
     * The business clock runs 30 times faster from 23:55, so the day ends within seconds.
     */
    @Test
    void shouldSendTheDigestOfAHouseholdAddedByAChangeBatchToTheMobileTheBatchGave() throws Exception
    {
        writeData();
        gateway = new RecordingGateway();
        final long startNs = System.nanoTime();
        start("changes", "2026-11-30T23:55:00+02:00", "--clock-rate", "30");
        final String newHead = WireData.luhn("507803000000077");
        final String batch = String.join("\n",
            "{\"op\":\"household\",\"household_id\":\"1077\",\"governorate\":\"03\",\"ration_individuals\":2," +
                "\"bread_individuals\":2,\"cash_support_piasters\":0}",
            "{\"op\":\"card\",\"pan\":\"" + newHead + "\",\"national_id\":\"27001010300077\",\"household_id\":\"1077\"," +
                "\"role\":\"head\",\"status\":\"collected\",\"issued_on\":\"2026-11-01\",\"expiry\":\"3012\"," +
                "\"pvv\":\"1234\",\"programs\":\"ration;bread\",\"health_exempt\":false,\"replaces_pan\":\"\"," +
                "\"mobile\":\"01000000077\",\"wallet_piasters\":0}",
            "");
        final HttpResponse<String> applied = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/api/changes?batch=new-family"))
            .header("Authorization", "Bearer " + WireData.API_TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(batch)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, applied.statusCode(), applied.body());
        try (JposTerminal terminal = new JposTerminal(port))
        {
            assertEquals("00", terminal.exchange(bread(newHead, 4, 1)).getString(39));
            // 23:55 + 30 x 12 s = 00:01 on 1 December: the next record closes 30 November.
            Thread.sleep(Math.max(0, 12_000 - (System.nanoTime() - startNs) / 1_000_000));
            assertEquals("00", terminal.exchange(ration(WireData.HEAD, 100, 2)).getString(39));
        }

        final Map<String, Map<String, String>> events =
            gateway.await(received -> received.containsKey("bread-digest-1077-2026-11-30"), 30_000);
        final Map<String, String> digest = events.get("bread-digest-1077-2026-11-30");
        assertEquals("4", digest.get("amount"), digest.toString());
        assertEquals("01000000077", digest.get("mobile"), "the head the batch added: " + digest);
        ChildHealth.stopCleanly(process, () -> Files.readString(log("changes")));
    }

    @Test
    void shouldSendBreadDigestsAndMonthlyStatementsOnceTheDayAndMonthEndAcrossARestart() throws Exception
    {
        writeData();
        gateway = new RecordingGateway();
        start("november", "2026-11-30T20:00:00+02:00");
        try (JposTerminal terminal = new JposTerminal(port))
        {
            assertEquals("00", terminal.exchange(bread(WireData.HEAD, 3, 1)).getString(39));
            assertEquals("00", terminal.exchange(bread(WireData.HEAD, 2, 2)).getString(39));
            assertEquals("00", terminal.exchange(bread(WireData.LARGE_HEAD, 10, 3)).getString(39));
            assertEquals("00", terminal.exchange(ration(WireData.HEAD, 1_000, 4)).getString(39));
        }
        gateway.await(received -> received.size() >= 1, 30_000);
        ChildHealth.stopCleanly(process, () -> Files.readString(log("november")));

        start("december", "2026-12-01T09:00:00+02:00");
        try (JposTerminal terminal = new JposTerminal(port))
        {
            assertEquals("00", terminal.exchange(ration(WireData.HEAD, 100, 5)).getString(39));
        }
        final Map<String, Map<String, String>> events = gateway.await(received -> received.size() >= 6, 30_000);
        Thread.sleep(1_000);
        assertEquals(6, gateway.byKey().size(), gateway.byKey().toString());

        final Map<String, String> small = events.get("bread-digest-" + WireData.HOUSEHOLD_SMALL + "-2026-11-30");
        assertEquals("5", small.get("amount"));
        assertEquals("5", small.get("balance"), "2 bread individuals x 5 loaves, 5 taken");
        assertEquals(HEAD_MOBILE, small.get("mobile"));
        assertEquals("2026-12-01T00:00:00.000+02:00", small.get("time"));
        assertEquals("Bread on 2026-11-30: your household took 5 loaves of its 10 daily loaves.", small.get("text_en"));
        assertEquals("خبز يوم ٢٠٢٦-١١-٣٠: صرفت أسرتك ٥ أرغفة من حصة يومية ١٠ أرغفة.", small.get("text_ar"));
        final Map<String, String> large = events.get("bread-digest-" + WireData.HOUSEHOLD_LARGE + "-2026-11-30");
        assertEquals("10", large.get("amount"));
        assertEquals(LARGE_HEAD_MOBILE, large.get("mobile"));

        final Map<String, String> smallMonth = events.get("monthly-statement-" + WireData.HOUSEHOLD_SMALL + "-2026-11");
        assertEquals("Statement for 2026-11: ration used 10.00 EGP, bread taken 5 loaves, bread points earned 0.50 EGP " +
            "(added to next month's ration), cash support credited 0.00 EGP.", smallMonth.get("text_en"));
        assertEquals(HEAD_MOBILE, smallMonth.get("mobile"));
        final Map<String, String> largeMonth = events.get("monthly-statement-" + WireData.HOUSEHOLD_LARGE + "-2026-11");
        assertEquals("Statement for 2026-11: ration used 0.00 EGP, bread taken 10 loaves, bread points earned 2.00 EGP " +
            "(added to next month's ration), cash support credited 500.00 EGP.", largeMonth.get("text_en"));

        final Map<String, String> december = inJournalOrder(events).getLast();
        assertEvent(december, "purchase", "ration", "100", "9950", null, HEAD_MOBILE, WireData.HEAD, WireData.HOUSEHOLD_SMALL);
        assertEquals(1, gateway.received().stream().filter(event -> event.get("key").equals(small.get("key"))).count(),
            "the restart did not send the delivered November events again");

        final NotifierPosition position = NotifierPosition.read(directory.resolve("journal"));
        assertEquals(java.time.LocalDate.of(2026, 11, 30).toEpochDay(), position.digestDay, "the 30th's digests are delivered");
        assertEquals(2026 * 12 + 10, position.statementMonth, "November's statements are delivered");

        final String positionText = Files.readString(directory.resolve("journal").resolve(NotifierPosition.FILE_NAME));
        assertEquals(1, notifyReplay("2026-11-30T00:00:00+02:00"), "refused while the switch holds the journal");
        assertEquals(positionText, Files.readString(directory.resolve("journal").resolve(NotifierPosition.FILE_NAME)));
        ChildHealth.stopCleanly(process, () -> Files.readString(log("december")));

        final int before = gateway.received().size();
        assertEquals(0, notifyReplay("2026-11-30T00:00:00+02:00"));
        start("replay", "2026-12-01T10:00:00+02:00");
        final long deadline = System.currentTimeMillis() + 30_000;
        while (gateway.received().size() < before + 6)
        {
            assertTrue(System.currentTimeMillis() < deadline, "the replay sent " + (gateway.received().size() - before) + " of 6");
            Thread.sleep(50);
        }
        Thread.sleep(500);
        assertEquals(before + 6, gateway.received().size(), "every event from the 30th on, once more");
        assertEquals(6, gateway.byKey().size(), "with the same keys and the same content");
        ChildHealth.stopCleanly(process, () -> Files.readString(log("replay")));
    }

    private int notifyReplay(final String from)
    {
        final java.io.StringWriter output = new java.io.StringWriter();
        final picocli.CommandLine command = org.unicard.cli.UnicardMain.commandLine();
        command.setOut(new java.io.PrintWriter(output, true));
        command.setErr(new java.io.PrintWriter(output, true));
        final int exit = command.execute("notify-replay", "--data", directory.toString(),
            "--config", directory.resolve("notify.properties").toString(), "--from", from);
        System.out.println("notify-replay: " + output);
        return exit;
    }

    @Test
    void shouldLoseNoEventWhenKilledMidBatchWithTheGatewayDownAndBack() throws Exception
    {
        writeData();
        gateway = new RecordingGateway();
        gateway.mode(RecordingGateway.Mode.FAIL);
        start("first", WireData.CLOCK.toString());
        final int purchases = 40;
        final long startNs = System.nanoTime();
        try (JposTerminal terminal = new JposTerminal(port))
        {
            for (int stan = 1; stan <= purchases; stan++)
            {
                assertEquals("00", terminal.exchange(ration(WireData.HEAD, 10, stan)).getString(39));
            }
        }
        final long answeredMs = (System.nanoTime() - startNs) / 1_000_000;
        assertTrue(answeredMs < 20_000, "the switch answers while the gateway fails: ms=" + answeredMs);
        final String health = awaitHealthContaining("notifier=retrying");
        assertTrue(health.contains("last-error=\"status=503\""), health);
        // Nothing delivered since the start: the lag in seconds is counted from the oldest record waiting, not shown as 0.
        awaitHealthMatching(java.util.regex.Pattern.compile("lag-records=[1-9][0-9]* lag-seconds=[1-9]"));

        gateway.acceptThen(1, RecordingGateway.Mode.HANG);
        final long deadline = System.currentTimeMillis() + 30_000;
        while (gateway.posts() < 3 || gateway.received().size() <= 1)
        {
            assertTrue(System.currentTimeMillis() < deadline, "the notifier sent no batch after the first accepted one");
            Thread.sleep(50);
        }
        process.destroyForcibly();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, process.exitValue(), "killed by SIGKILL");
        final int beforeRestart = gateway.byKey().size();
        assertTrue(beforeRestart < purchases, "some events were still undelivered at the kill: " + beforeRestart);

        gateway.mode(RecordingGateway.Mode.ACCEPT);
        start("second", WireData.CLOCK.toString());
        final Map<String, Map<String, String>> events = gateway.await(received -> received.size() >= purchases, 60_000);
        Thread.sleep(500);
        assertEquals(purchases, gateway.byKey().size());
        final List<Map<String, String>> sorted = inJournalOrder(events);
        long balance = 10_000;
        for (final Map<String, String> event : sorted)
        {
            balance -= 10;
            assertEvent(event, "purchase", "ration", "10", Long.toString(balance), null, HEAD_MOBILE, WireData.HEAD,
                WireData.HOUSEHOLD_SMALL);
        }
        assertTrue(gateway.received().size() > purchases, "the batch in flight at the kill was sent again, with the same keys");
        ChildHealth.stopCleanly(process, () -> Files.readString(log("second")));
    }

    private void assertEvent(
        final Map<String, String> event, final String kind, final String program, final String amount, final String balance,
        final String code, final String mobile, final String pan, final long household)
    {
        final String context = event.toString();
        assertEquals(kind, event.get("kind"), context);
        assertEquals(program, event.get("program"), context);
        assertEquals(amount, event.get("amount"), context);
        assertEquals(balance, event.get("balance"), context);
        assertEquals(code, event.get("code"), context);
        assertEquals(mobile, event.get("mobile"), context);
        assertEquals(last4(pan), event.get("card_last4"), context);
        assertEquals(Long.toString(household), event.get("household_id"), context);
        assertFalse(event.get("text_en").isBlank(), context);
        assertFalse(event.get("text_ar").isBlank(), context);
    }

    private static List<Map<String, String>> inJournalOrder(final Map<String, Map<String, String>> events)
    {
        return events.values().stream()
            .filter(event -> Character.isDigit(event.get("key").charAt(0)))
            .sorted((a, b) -> compareKeys(a.get("key"), b.get("key")))
            .collect(Collectors.toCollection(ArrayList::new));
    }

    private static int compareKeys(final String a, final String b)
    {
        final String[] x = a.split("-");
        final String[] y = b.split("-");
        final int byIndex = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return byIndex != 0 ? byIndex : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    private static String last4(final String pan)
    {
        return pan.substring(pan.length() - 4);
    }

    private static void assertNoSecretIn(final String text)
    {
        for (final String pan : List.of(WireData.HEAD, WireData.MEMBER, WireData.LARGE_HEAD, WireData.LOST, REPLACEMENT))
        {
            assertFalse(text.contains(pan), "a full PAN in: " + text);
        }
        for (final String nationalId : List.of("28001010300011", "29001010300021", "27001010300031"))
        {
            assertFalse(text.contains(nationalId), "a national id in: " + text);
        }
        assertFalse(text.contains(WireData.TPK_HEX) || text.contains(WireData.LMK_HEX), "a key in: " + text);
    }

    private String awaitHealthContaining(final String text) throws Exception
    {
        return awaitHealthMatching(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(text)));
    }

    private String awaitHealthMatching(final java.util.regex.Pattern pattern) throws Exception
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        String body = "";
        while (System.currentTimeMillis() < deadline)
        {
            body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            if (pattern.matcher(body).find())
            {
                return body;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/health never showed " + pattern + ": " + body);
    }

    /**
     * The wire data set with a mobile of its own for each of the cards the events go to, and a
     * replacement for the large household's head card.
     */
    private void writeData() throws IOException
    {
        WireData.write(directory);
        final Path cards = directory.resolve("cards.csv");
        final TdesKey pvk = TdesKey.of(Hex.parseKey(WireData.PVK_HEX));
        final int pvv = PinVerificationValue.compute(pvk, Long.parseLong(REPLACEMENT), REPLACEMENT.length(), 1, WireData.PIN, 4);
        final StringBuilder text = new StringBuilder();
        for (final String line : Files.readAllLines(cards, StandardCharsets.UTF_8))
        {
            text.append(mobileFor(line)).append('\n');
        }
        text.append(String.format("%s,27001010300091,%d,head,collected,2026-10-01,3012,%04d,ration;bread;health;wallet;cash,0,false,%s,%s%n",
            REPLACEMENT, WireData.HOUSEHOLD_LARGE, pvv, WireData.LARGE_HEAD, REPLACEMENT_MOBILE));
        Files.writeString(cards, text.toString(), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("notify.properties"), String.join("\n",
            "snapshot.after-import = false",
            "notifications.linger-ms = 20",
            "notifications.batch-max-events = 10",
            "notifications.timeout-ms = 2000",
            "notifications.retry-initial-ms = 100",
            "notifications.retry-max-ms = 400",
            ""));
    }

    private static String mobileFor(final String line)
    {
        if (line.startsWith(WireData.HEAD + ","))
        {
            return line.replace(OTHER_MOBILE, HEAD_MOBILE);
        }
        if (line.startsWith(WireData.MEMBER + ","))
        {
            return line.replace(OTHER_MOBILE, MEMBER_MOBILE);
        }
        if (line.startsWith(WireData.LARGE_HEAD + ","))
        {
            return line.replace(OTHER_MOBILE, LARGE_HEAD_MOBILE);
        }
        return line;
    }

    private void start(final String name, final String clock, final String... extra) throws Exception
    {
        if (port == 0)
        {
            port = LocalPorts.free();
            httpPort = LocalPorts.free();
        }
        final Path options = CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final ProcessBuilder builder = new ProcessBuilder(
            java, "@" + options, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(),
            "--config", directory.resolve("notify.properties").toString(),
            "--port", Integer.toString(port),
            "--acquirer-port", Integer.toString(LocalPorts.free()),
            "--http-port", Integer.toString(httpPort),
            "--clock", clock,
            "--notify-url", gateway.url());
        builder.command().addAll(List.of(extra));
        builder.environment().put("UNICARD_LMK", WireData.LMK_HEX);
        builder.environment().put("UNICARD_API_TOKEN", WireData.API_TOKEN);
        builder.redirectErrorStream(true);
        builder.redirectOutput(log(name).toFile());
        process = builder.start();
        ChildHealth.awaitHealthy(process, httpPort, () -> Files.exists(log(name)) ? Files.readString(log(name)) :
            "no log; directory holds " + Files.list(directory).toList());
    }

    private Path log(final String name)
    {
        return directory.resolve("switch-" + name + ".log");
    }
}
