package org.unicard.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.unicard.changes.ChangesClient;
import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.terminal.LocalPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.request;
import static org.unicard.server.JposTerminal.withMac;

/**
 * Spec §12 black-box: a real switch process takes change batches over HTTP while it serves, and
 * requests on the wire see them: a new bakery with its own TAK authorizes bread for a new household's
 * card, a replacement card supersedes the old one on first use, a rotated TAK is required on the next
 * request, a refused batch changes nothing, a batch posted again answers its original 200 (409 for
 * other content), and all of it survives kill -9 right after a 200.
 */
class ChangesWireTest
{
    private static final String TAK2_HEX = "6D6D6D6D6D6D6D6D7A7A7A7A7A7A7A7A";
    private static final TdesKey TAK2 = TdesKey.of(Hex.parseKey(TAK2_HEX));
    private static final String NEW_BAKERY = "B0000077";
    private static final String NEW_MERCHANT = "MB0000000000077";
    private static final String NEW_HEAD = WireData.luhn("507803000000011");
    private static final String REPLACEMENT = WireData.luhn("507803000000012");

    /**
     * Under {@code target/} rather than the system's temporary directory: on a machine shared with
     * other builds, files under {@code /tmp/junit-*} were seen removed under a running test.
     */
    private Path directory;

    private Process process;

    @org.junit.jupiter.api.BeforeEach
    void makeDirectory() throws IOException
    {
        Files.createDirectories(Path.of("target"));
        directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "changes-wire-");
    }

    @AfterEach
    void killLeftovers() throws IOException
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
        }
        try (var files = Files.walk(directory))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void shouldApplyBatchesOnTheWireExactlyOnceAcrossKillNine() throws Exception
    {
        WireData.write(directory);
        final TdesKey lmk = LocalMasterKey.parse(WireData.LMK_HEX, "test");
        final String tpk = underLmk(lmk, WireData.TPK_HEX);
        final int port = LocalPorts.free();
        final int httpPort = LocalPorts.free();
        process = startSwitch(port, LocalPorts.free(), httpPort, "first");
        ChildHealth.awaitHealthy(process, httpPort, this::log);
        final ChangesClient client = new ChangesClient("http://127.0.0.1:" + httpPort, WireData.API_TOKEN);

        final String first = String.join("\n",
            terminal(NEW_BAKERY, NEW_MERCHANT, tpk, underLmk(lmk, WireData.TAK_HEX)),
            "{\"op\":\"household\",\"household_id\":2001,\"governorate\":\"03\",\"ration_individuals\":1,\"bread_individuals\":1," +
                "\"cash_support_piasters\":0}",
            card(NEW_HEAD, "28001010300111", 2001, "", "0"),
            card(REPLACEMENT, "28001010300112", WireData.HOUSEHOLD_SMALL, WireData.HEAD, "")) + "\n";
        final ChangesClient.Answer applied = client.post(bytes(first), "batch-1");
        assertEquals(200, applied.status(), applied.body());
        assertEquals("{\"batch\":\"batch-1\",\"applied\":4}", applied.body());

        try (JposTerminal terminal = new JposTerminal(port))
        {
            final ISOMsg bread = terminal.exchange(withMac(
                request("0200", NEW_BAKERY, NEW_MERCHANT, NEW_HEAD, "009200", 2, "999", 1), JposTerminal.TAK));
            assertEquals("00", bread.getString(39), "the new bakery, its TAK and the new household's card are live");
            assertEquals("9102818C000000005000" + "9202999C000000000003", bread.getString(54),
                "a new household starts with full entitlements: 5 loaves less 2, a full month of ration");

            assertEquals("00", terminal.exchange(JposTerminal.bread(WireData.HEAD, 1, 2)).getString(39), "the old card works until the new one is used");
            assertEquals("00", terminal.exchange(JposTerminal.bread(REPLACEMENT, 1, 3)).getString(39));
            assertEquals("62", terminal.exchange(JposTerminal.bread(WireData.HEAD, 1, 4)).getString(39), "superseded on the new card's first use");
        }
        final java.net.http.HttpResponse<String> operator = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + "/api/cards/" + NEW_HEAD))
                .header("Authorization", "Bearer " + WireData.API_TOKEN).GET().build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, operator.statusCode(), operator.body());
        assertEquals("{\"pan\":\"" + org.unicard.security.PanMask.masked(NEW_HEAD) + "\",\"status\":\"collected\",\"pin_tries\":0," +
            "\"balances\":{\"ration_piasters\":5000,\"bread_loaves_left_today\":3}}", operator.body(), "the operator API shows an added card");
        try (org.unicard.journal.ChronicleJournal journal = org.unicard.journal.ChronicleJournal.openReadOnly(directory.resolve("journal")))
        {
            final java.io.StringWriter csv = new java.io.StringWriter();
            org.unicard.settlement.SettlementReport.of(journal, java.time.LocalDate.of(2026, 11, 23), records -> { }).writeCsv(csv);
            assertTrue(csv.toString().contains("\n2026-11-23," + NEW_BAKERY + ",,"), "the settlement shows the added bakery:\n" + csv);
        }

        assertEquals(401, new ChangesClient("http://127.0.0.1:" + httpPort, "wrong-token").post(bytes(first), "batch-x").status(),
            "a wrong token");
        assertEquals(401, new ChangesClient("http://127.0.0.1:" + httpPort, "").post(bytes(first), "batch-x").status(), "no token");
        final ChangesClient.Answer tooManyLines = client.post("\n".repeat(1_000_001).getBytes(StandardCharsets.UTF_8), "batch-big");
        assertEquals(413, tooManyLines.status(), tooManyLines.body());
        assertTrue(tooManyLines.body().contains("max-lines=1000000"), tooManyLines.body());
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", httpPort))
        {
            socket.getOutputStream().write(("POST /api/changes?batch=batch-huge HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                WireData.API_TOKEN + "\r\nContent-Length: 67108865\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            final String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", answer, "a body over 64 MiB is refused from its Content-Length, before it is read");
        }
        final ChangesClient.Answer badId = client.post(bytes(first), "batch/../x");
        assertEquals(400, badId.status());
        assertEquals("{\"error\":\"batch id has a character outside A-Z a-z 0-9 . _ - at index=5\"}", badId.body());

        final ChangesClient.Answer malformed = client.post(bytes(
            terminal("B0000078", "MB0000000000078", tpk, "") + "\n{\"op\":\"terminal\",\"terminal_id\":\"B0000079\"\n"), "batch-bad");
        assertEquals(422, malformed.status(), malformed.body());
        assertTrue(malformed.body().startsWith("{\"batch\":\"batch-bad\",\"errors\":[{\"line\":2,\"field\":null,\"reason\":\"malformed JSON"),
            malformed.body());
        final ChangesClient.Answer unknownHousehold = client.post(bytes(terminal("B0000078", "MB0000000000078", tpk, "") + "\n" +
            card(WireData.luhn("507803000000013"), "28001010300113", 9999, "", "0") + "\n"), "batch-bad");
        assertEquals(422, unknownHousehold.status(), unknownHousehold.body());
        assertEquals("{\"batch\":\"batch-bad\",\"errors\":[{\"line\":2,\"field\":\"household_id\",\"reason\":" +
            "\"no such household 9999 (neither in the switch nor in this batch)\"}]}", unknownHousehold.body(),
            "checked against the live tables on the ring, before any change");

        final ChangesClient.Answer rotated = client.post(bytes(terminal(NEW_BAKERY, NEW_MERCHANT, tpk, underLmk(lmk, TAK2_HEX)) + "\n"),
            "rotate-1");
        assertEquals("{\"batch\":\"rotate-1\",\"applied\":1}", rotated.body());
        try (JposTerminal terminal = new JposTerminal(port))
        {
            assertEquals("63", terminal.exchange(withMac(
                request("0200", NEW_BAKERY, NEW_MERCHANT, NEW_HEAD, "009200", 1, "999", 5), JposTerminal.TAK)).getString(39),
                "the old TAK is refused from the next request on");
            assertEquals("00", terminal.exchange(withMac(
                request("0200", NEW_BAKERY, NEW_MERCHANT, NEW_HEAD, "009200", 1, "999", 6), TAK2)).getString(39));
            assertEquals("03", terminal.exchange(
                request("0200", "B0000078", "MB0000000000078", NEW_HEAD, "009200", 1, "999", 7)).getString(39),
                "nothing of the refused batch applied");
        }

        assertEquals(applied.body(), client.post(bytes(first), "batch-1").body(), "posted again: the original 200");
        final ChangesClient.Answer reused = client.post(bytes(first.replace("\"ration_individuals\":1", "\"ration_individuals\":2")), "batch-1");
        assertEquals(409, reused.status(), reused.body());

        process.destroyForcibly();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        process = startSwitch(port, LocalPorts.free(), httpPort, "second");
        ChildHealth.awaitHealthy(process, httpPort, this::log);

        final ChangesClient.Answer again = client.post(bytes(terminal(NEW_BAKERY, NEW_MERCHANT, tpk, underLmk(lmk, TAK2_HEX)) + "\n"),
            "rotate-1");
        assertEquals(200, again.status());
        assertEquals(rotated.body(), again.body(), "the batch memory survives kill -9");
        try (JposTerminal terminal = new JposTerminal(port))
        {
            final ISOMsg bread = terminal.exchange(withMac(
                request("0200", NEW_BAKERY, NEW_MERCHANT, NEW_HEAD, "009200", 1, "999", 8), TAK2));
            assertEquals("00", bread.getString(39), "the rotated key and the new card survive kill -9");
            assertEquals("9102818C000000005000" + "9202999C000000000001", bread.getString(54), "5 - 2 - 1 - 1 loaves left today");
            assertEquals("62", terminal.exchange(JposTerminal.bread(WireData.HEAD, 1, 9)).getString(39), "still superseded");
        }
        ChildHealth.stopCleanly(process, this::log);
    }

    static String terminal(final String id, final String merchant, final String tpk, final String tak)
    {
        return "{\"op\":\"terminal\",\"terminal_id\":\"" + id + "\",\"merchant_id\":\"" + merchant + "\",\"type\":\"bakery\"," +
            "\"governorate\":\"03\",\"name\":\"New bakery\",\"tpk_under_lmk\":\"" + tpk + "\",\"tak_under_lmk\":\"" + tak +
            "\",\"status\":\"active\"}";
    }

    private static String card(final String pan, final String nationalId, final long household, final String replaces, final String wallet)
    {
        return "{\"op\":\"card\",\"pan\":\"" + pan + "\",\"national_id\":\"" + nationalId + "\",\"household_id\":" + household +
            ",\"role\":\"head\",\"status\":\"collected\",\"issued_on\":\"2026-11-20\",\"expiry\":\"3012\",\"pvv\":\"1234\"," +
            "\"programs\":\"ration;bread\",\"health_exempt\":false,\"replaces_pan\":\"" + replaces + "\",\"mobile\":\"01012345679\"" +
            (wallet.isEmpty() ? "" : ",\"wallet_piasters\":" + wallet) + "}";
    }

    static String underLmk(final TdesKey lmk, final String clearHex)
    {
        return Hex.encode(KeyCipher.encryptUnderLmk(lmk, Hex.parseKey(clearHex)));
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Process startSwitch(final int port, final int acquirerPort, final int httpPort, final String name) throws IOException
    {
        final Path options = CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final Path config = directory.resolve("no-snapshot-after-import.properties");
        Files.writeString(config, "snapshot.after-import = false\n");
        final ProcessBuilder builder = new ProcessBuilder(
            java, "@" + options, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(),
            "--config", config.toString(),
            "--port", Integer.toString(port),
            "--acquirer-port", Integer.toString(acquirerPort),
            "--http-port", Integer.toString(httpPort),
            "--clock", WireData.CLOCK.toString());
        builder.environment().put("UNICARD_LMK", WireData.LMK_HEX);
        builder.environment().put("UNICARD_API_TOKEN", WireData.API_TOKEN);
        builder.redirectErrorStream(true);
        builder.redirectOutput(directory.resolve("switch-" + name + ".log").toFile());
        return builder.start();
    }

    private String log() throws IOException
    {
        final Path second = directory.resolve("switch-second.log");
        return Files.readString(Files.exists(second) ? second : directory.resolve("switch-first.log"));
    }
}
