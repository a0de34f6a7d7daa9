package org.unicard.tools.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewaySimulatorTest
{
    private static final String PURCHASE = event("81604378624-0", "purchase", "01000000001");
    private static final String DIGEST = event("bread-digest-1001-2026-11-30", "bread-digest", "01000000001");

    @TempDir
    Path directory;

    private GatewaySimulator simulator;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception
    {
        simulator = new GatewaySimulator(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), directory.resolve("events.jsonl"));
    }

    @AfterEach
    void stop() throws Exception
    {
        simulator.close();
    }

    @Test
    void shouldRecordEachKeyOnceAndDropDuplicates() throws Exception
    {
        assertEquals(200, post("[" + PURCHASE + "," + DIGEST + "]").statusCode());
        final HttpResponse<String> again = post("[" + PURCHASE + "]");
        assertEquals(200, again.statusCode());
        assertEquals("{\"accepted\":0,\"duplicates\":1}", again.body());
        assertEquals(2, simulator.accepted());
        assertEquals(1, simulator.duplicates());
        assertEquals(Map.of("bread-digest", 1L, "purchase", 1L), simulator.byKind());
        assertEquals(2, Files.readAllLines(directory.resolve("events.jsonl"), StandardCharsets.UTF_8).size());
        assertTrue(simulator.summaryJson().contains("\"text_ar\" : \"تم صرف\""), simulator.summaryJson());
    }

    @Test
    void shouldRejectABodyThatBreaksTheContractNamingTheEventAndField() throws Exception
    {
        final HttpResponse<String> noMobile = post("[" + PURCHASE + "," + DIGEST.replace("\"mobile\":\"01000000001\",", "") + "]");
        assertEquals(400, noMobile.statusCode());
        assertEquals("{\"error\":\"event=1 field=mobile reason=missing\"}", noMobile.body());
        assertEquals(400, post("[" + PURCHASE.replace("01000000001", "1000000001") + "]").statusCode());
        assertEquals(400, post("[" + PURCHASE.replace("\"card_last4\":\"0011\"", "\"card_last4\":\"5078030000000011\"") + "]").statusCode());
        assertEquals(400, post("{\"key\":\"x\"}").statusCode());
        assertEquals(400, post("not json").statusCode());
        assertEquals(0, simulator.accepted(), "nothing of a rejected body is recorded");
    }

    @Test
    void shouldFailOrHangWhenToldAndRecordNothingThen() throws Exception
    {
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + "/control?mode=fail"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(503, post("[" + PURCHASE + "]").statusCode());
        simulator.mode(GatewaySimulator.Mode.HANG);
        final HttpRequest hanging = HttpRequest.newBuilder(URI.create(simulator.url())).timeout(Duration.ofMillis(500))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[" + PURCHASE + "]")).build();
        assertThrows(HttpTimeoutException.class, () -> http.send(hanging, HttpResponse.BodyHandlers.ofString()));
        assertEquals(0, simulator.accepted());
        simulator.mode(GatewaySimulator.Mode.ACCEPT);
        assertEquals(200, post("[" + PURCHASE + "]").statusCode());
        assertEquals(List.of("81604378624-0"), simulator.recorded().stream().map(event -> event.get("key").asText()).toList());
    }

    private HttpResponse<String> post(final String body) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(simulator.url())).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String event(final String key, final String kind, final String mobile)
    {
        return "{\"key\":\"" + key + "\",\"time\":\"2026-11-23T09:00:01.250+02:00\",\"mobile\":\"" + mobile + "\"," +
            "\"card_last4\":\"0011\",\"household_id\":\"1001\",\"kind\":\"" + kind + "\",\"program\":\"ration\"," +
            "\"amount\":3000,\"balance\":7000,\"text_ar\":\"تم صرف\",\"text_en\":\"Ration of 30.00 EGP\"}";
    }
}
