package org.unicard.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.terminal.LocalPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.unicard.server.JposTerminal.bread;
import static org.unicard.server.JposTerminal.ration;
import static org.unicard.server.JposTerminal.request;
import static org.unicard.server.JposTerminal.withMac;
import static org.unicard.server.JposTerminal.withPin;

/**
 * Spec §6: logs, metrics and operator answers never hold a full PAN, a PIN block, a key or the API
 * token. Runs the real switch as a child process ({@code UnicardMain serve}, log level debug, every
 * byte it writes to stdout and stderr kept in a file) through a full scenario: start, approvals on
 * the terminal listener and the mutual-TLS acquirer listener, a refused client certificate, a
 * plaintext request on the TLS listener, declines, a bad MAC, wrong PINs up to 75, the operator API with good and bad
 * requests, framing errors, an unparseable frame, {@code /metrics}, and SIGTERM. Then searches the
 * log, the metrics text and every operator API body for each secret.
 */
class MaskingWireTest
{
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path directory;

    private Process process;
    private Path keys;
    private int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> pinBlocks = new ArrayList<>();
    private final List<String> apiBodies = new ArrayList<>();

    @AfterEach
    void killLeftovers()
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldKeepPansPinBlocksKeysAndTheTokenOutOfLogsMetricsAndApiAnswers() throws Exception
    {
        WireData.write(directory);
        keys = directory.resolve("keys");
        Files.createDirectories(keys);
        AcquirerTlsWireTest.makeKeystores(keys);
        final int port = LocalPorts.free();
        final int acquirerPort = LocalPorts.free();
        httpPort = LocalPorts.free();
        final Path log = directory.resolve("switch.log");
        process = startSwitch(port, acquirerPort, httpPort, log);
        awaitHealthy(httpPort, log);

        try (JposTerminal terminal = new JposTerminal(port))
        {
            assertEquals("00", terminal.exchange(bread(WireData.HEAD, 2, 1)).getString(39));
            assertEquals("00", terminal.exchange(ration(WireData.HEAD, 1_000, 2)).getString(39));
            assertEquals("00", terminal.exchange(pin(
                request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.HEAD, "009400", 500, "818", 3),
                WireData.PIN, JposTerminal.TPK)).getString(39));
            assertEquals("00", terminal.exchange(withMac(
                request("0200", WireData.GROCER, WireData.MERCHANT_GROCER, WireData.HEAD, "009100", 100, "818", 4), JposTerminal.TAK))
                .getString(39));
            assertEquals("00", terminal.exchange(pin(
                request("0200", WireData.POST, WireData.MERCHANT_POST, WireData.LARGE_HEAD, "019500", 1_000, "818", 5),
                WireData.PIN, JposTerminal.TPK)).getString(39));

            assertEquals("51", terminal.exchange(bread(WireData.HEAD, 9, 10)).getString(39));
            assertEquals("13", terminal.exchange(bread(WireData.LARGE_HEAD, 51, 11)).getString(39));
            assertEquals("41", terminal.exchange(bread(WireData.LOST, 1, 12)).getString(39));
            assertEquals("43", terminal.exchange(bread(WireData.STOLEN, 1, 13)).getString(39));
            assertEquals("62", terminal.exchange(inquiry(WireData.UNCOLLECTED, 14)).getString(39));
            assertEquals("54", terminal.exchange(inquiry(WireData.EXPIRED, 15)).getString(39));
            assertEquals("57", terminal.exchange(bread(WireData.MEMBER, 1, 16)).getString(39));
            assertEquals("14", terminal.exchange(inquiry(WireData.luhn("507803000000099"), 17)).getString(39));
            assertEquals("03", terminal.exchange(
                request("0200", "X0000001", WireData.MERCHANT_BAKERY, WireData.EXEMPT, "009200", 1, "999", 18)).getString(39));
            final ISOMsg noCode = bread(WireData.HEAD, 1, 19);
            noCode.unset(3);
            assertEquals("30", terminal.exchange(noCode).getString(39));

            assertEquals("63", terminal.exchange(
                request("0200", WireData.GROCER, WireData.MERCHANT_GROCER, WireData.HEAD, "009100", 100, "818", 20)).getString(39));
            assertEquals("63", terminal.exchange(withMac(
                request("0200", WireData.GROCER, WireData.MERCHANT_GROCER, WireData.HEAD, "009100", 100, "818", 21), JposTerminal.TPK))
                .getString(39));

            for (int stan = 30; stan < 32; stan++)
            {
                assertEquals("55", terminal.exchange(pin(
                    request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.MEMBER, "009400", 100, "818", stan),
                    WireData.PIN + 1, JposTerminal.TPK)).getString(39));
            }
            assertEquals("75", terminal.exchange(pin(
                request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.MEMBER, "009400", 100, "818", 32),
                WireData.PIN + 1, JposTerminal.TPK)).getString(39));
            final ISOMsg badBlock = request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.EXEMPT, "009400", 100,
                "818", 33);
            badBlock.set(52, HEX.parseHex("0123456789ABCDEF"));
            pinBlocks.add("0123456789ABCDEF");
            assertEquals("55", terminal.exchange(badBlock).getString(39));

            assertEquals(200, api("GET", "/api/cards/" + WireData.MEMBER, WireData.API_TOKEN, null).statusCode());
            assertEquals(200, api("POST", "/api/cards/" + WireData.MEMBER + "/pin-reset", WireData.API_TOKEN, null).statusCode());
            assertEquals(200, api("POST", "/api/cards/" + WireData.HEAD + "/block", WireData.API_TOKEN, "{\"reason\":\"lost\"}").statusCode());
            assertEquals(200, api("POST", "/api/cards/" + WireData.UNCOLLECTED + "/collect", WireData.API_TOKEN, null).statusCode());
            assertEquals(409, api("POST", "/api/cards/" + WireData.HEAD + "/collect", WireData.API_TOKEN, null).statusCode());
            assertEquals(401, api("GET", "/api/cards/" + WireData.HEAD, "not-" + WireData.API_TOKEN, null).statusCode());
            assertEquals(401, api("GET", "/api/cards/" + WireData.HEAD, null, null).statusCode());
            assertEquals(404, api("GET", "/api/cards/5078030000009999", WireData.API_TOKEN, null).statusCode());
            assertEquals(404, api("GET", "/api/cards/" + WireData.HEAD + "/pin-reset/now", WireData.API_TOKEN, null).statusCode());
            assertEquals(404, api("POST", "/api/cards/" + WireData.HEAD + "/unblock", WireData.API_TOKEN, null).statusCode());
            assertEquals(404, api("GET", "/api/accounts/" + WireData.LARGE_HEAD, WireData.API_TOKEN, null).statusCode());
            assertEquals(400, api("POST", "/api/cards/" + WireData.STOLEN + "/block", WireData.API_TOKEN, "{\"reason\":").statusCode());
            assertEquals(400, api("POST", "/api/cards/" + WireData.STOLEN + "/block", WireData.API_TOKEN,
                "{\"reason\":\"" + WireData.STOLEN + "\"}").statusCode());
            assertEquals(400, api("GET", "/api/cards/" + WireData.HEAD + "0000", WireData.API_TOKEN, null).statusCode());
            assertEquals("41", terminal.exchange(bread(WireData.HEAD, 1, 40)).getString(39));
        }

        try (Socket acquirer = AcquirerTlsWireTest.tlsClient(keys, keys.resolve("bank.p12"), acquirerPort))
        {
            final ISOMsg purchase = request("0200", "ATM00001", null, WireData.MEMBER, "009400", 1_000, "818", 50);
            purchase.set(32, Long.toString(WireData.ACQUIRER));
            assertEquals("00", AcquirerTlsWireTest.exchange(acquirer, pin(purchase, WireData.PIN, JposTerminal.ZPK)).getString(39));
            final ISOMsg wrong = request("0200", "ATM00001", null, WireData.EXEMPT, "009400", 100, "818", 51);
            wrong.set(32, Long.toString(WireData.ACQUIRER));
            assertEquals("55", AcquirerTlsWireTest.exchange(acquirer, pin(wrong, WireData.PIN + 7, JposTerminal.ZPK)).getString(39));
        }
        try (Socket stranger = AcquirerTlsWireTest.tlsClient(keys, keys.resolve("stranger.p12"), acquirerPort))
        {
            final ISOMsg purchase = request("0200", "ATM00001", null, WireData.EXEMPT, "009400", 1_000, "818", 52);
            purchase.set(32, Long.toString(WireData.ACQUIRER));
            final ISOMsg signed = pin(purchase, WireData.PIN, JposTerminal.ZPK);
            assertThrows(IOException.class, () -> AcquirerTlsWireTest.exchange(stranger, signed));
        }
        final ISOMsg plaintext = request("0200", "ATM00001", null, WireData.LARGE_HEAD, "009400", 1_000, "818", 53);
        plaintext.set(32, Long.toString(WireData.ACQUIRER));
        pin(plaintext, WireData.PIN, JposTerminal.ZPK);
        plaintext.setPackager(JposTerminal.packager());
        final byte[] packed = plaintext.pack();
        final byte[] framed = new byte[packed.length + 2];
        framed[0] = (byte)(packed.length >> 8);
        framed[1] = (byte)packed.length;
        System.arraycopy(packed, 0, framed, 2, packed.length);
        frame(acquirerPort, framed);

        frame(port, new byte[] {0, 0});
        frame(port, new byte[] {0x10, 0x01});
        frame(port, new byte[] {0, 4, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF});
        try (JposTerminal terminal = new JposTerminal(port))
        {
            assertEquals("00", terminal.exchange(inquiry(WireData.LARGE_HEAD, 60)).getString(39));
        }

        final String metrics = get(httpPort, "/metrics");
        assertTrue(metrics.contains("unicard_framing_errors"), metrics);

        ChildHealth.stopCleanly(process, () -> Files.readString(log));

        final String logText = Files.readString(log);
        assertTrue(logText.contains("event=ready"), logText);
        assertTrue(logText.contains("event=stopped"), logText);
        final Map<String, String> secrets = secrets();
        assertNothingSecret("log", logText, secrets);
        assertNothingSecret("metrics", metrics, secrets);
        for (final String body : apiBodies)
        {
            assertNothingSecret("operator API body", body, secrets);
        }
    }

    private Map<String, String> secrets()
    {
        final Map<String, String> secrets = new LinkedHashMap<>();
        for (final String pan : new String[] {WireData.HEAD, WireData.MEMBER, WireData.LARGE_HEAD, WireData.LOST, WireData.STOLEN,
            WireData.UNCOLLECTED, WireData.EXEMPT, WireData.EXPIRED})
        {
            secrets.put(pan, "a full PAN");
        }
        final TdesKey lmk = LocalMasterKey.parse(WireData.LMK_HEX, "test");
        secrets.put(WireData.LMK_HEX, "the LMK");
        final String[][] keys = {
            {WireData.PVK_HEX, "PVK"}, {WireData.TPK_HEX, "TPK"}, {WireData.TAK_HEX, "TAK"}, {WireData.ZPK_HEX, "ZPK"}};
        for (final String[] key : keys)
        {
            secrets.put(key[0], "the clear " + key[1]);
            secrets.put(Hex.encode(KeyCipher.encryptUnderLmk(lmk, Hex.parseKey(key[0]))), "the " + key[1] + " under the LMK");
        }
        for (final String block : pinBlocks)
        {
            secrets.put(block, "a PIN block");
        }
        secrets.put(WireData.API_TOKEN, "the API token");
        secrets.put(AcquirerTlsWireTest.PASSWORD, "a keystore password");
        return secrets;
    }

    private static void assertNothingSecret(final String where, final String text, final Map<String, String> secrets)
    {
        final String upper = text.toUpperCase(Locale.ROOT);
        for (final Map.Entry<String, String> secret : secrets.entrySet())
        {
            final int at = upper.indexOf(secret.getKey().toUpperCase(Locale.ROOT));
            if (at >= 0)
            {
                fail(where + " holds " + secret.getValue() + " near: " +
                    text.substring(Math.max(0, at - 120), Math.min(text.length(), at + secret.getKey().length() + 40)));
            }
        }
    }

    private ISOMsg pin(final ISOMsg m, final int pin, final TdesKey key) throws Exception
    {
        withPin(m, pin, key);
        pinBlocks.add(HEX.formatHex(m.getBytes(52)));
        return m;
    }

    private static ISOMsg inquiry(final String pan, final int stan) throws Exception
    {
        return request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, pan, "310000", -1, null, stan);
    }

    private HttpResponse<String> api(final String method, final String path, final String token, final String body) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        apiBodies.add(response.body());
        return response;
    }

    private String get(final int httpPort, final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void frame(final int port, final byte[] bytes) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(2_000);
            final OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            socket.shutdownOutput();
            final InputStream in = socket.getInputStream();
            while (in.read() >= 0)
            {
                // Drain until the switch closes, or the timeout says it kept the connection.
            }
        }
        catch (final java.net.SocketTimeoutException ex)
        {
            // An unparseable frame is dropped and the connection stays open: nothing to read.
        }
    }

    private Process startSwitch(final int port, final int acquirerPort, final int httpPort, final Path log) throws IOException
    {
        final Path config = directory.resolve("tls.properties");
        Files.writeString(config,
            "listener.acquirer.tls = true\n" +
            "listener.acquirer.tls.keystore = " + keys.resolve("switch.p12") + "\n" +
            "listener.acquirer.tls.keystore-password = " + AcquirerTlsWireTest.PASSWORD + "\n" +
            "listener.acquirer.tls.client-auth = require\n" +
            "listener.acquirer.tls.truststore = " + keys.resolve("switch-trusts-bank.p12") + "\n" +
            "listener.acquirer.tls.truststore-password = " + AcquirerTlsWireTest.PASSWORD + "\n" +
            "snapshot.after-import = false\n");
        final Path options = CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final ProcessBuilder builder = new ProcessBuilder(
            java, "@" + options, "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
            "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(),
            "--port", Integer.toString(port),
            "--acquirer-port", Integer.toString(acquirerPort),
            "--http-port", Integer.toString(httpPort),
            "--clock", WireData.CLOCK.toString(),
            "--config", config.toString());
        builder.environment().put("UNICARD_LMK", WireData.LMK_HEX);
        builder.environment().put("UNICARD_API_TOKEN", WireData.API_TOKEN);
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        return builder.start();
    }

    private void awaitHealthy(final int httpPort, final Path log) throws Exception
    {
        ChildHealth.awaitHealthy(process, httpPort, () -> Files.readString(log));
    }
}
