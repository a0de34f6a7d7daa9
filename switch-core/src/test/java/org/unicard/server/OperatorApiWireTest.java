package org.unicard.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.bread;
import static org.unicard.server.JposTerminal.request;
import static org.unicard.server.JposTerminal.withPin;

/**
 * The operator API of spec §11 against a running switch: the bearer token, card status, block,
 * collect and PIN reset, each taking effect on the very next terminal request.
 */
class OperatorApiWireTest
{
    @TempDir
    Path directory;

    private UnicardSwitch unicard;
    private JposTerminal terminal;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception
    {
        WireData.write(directory);
        unicard = UnicardSwitch.start(new SwitchOptions(directory, null, null, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, WireData.API_TOKEN));
        terminal = new JposTerminal(unicard.terminalPort());
    }

    @AfterEach
    void stop() throws Exception
    {
        terminal.close();
        unicard.close();
    }

    @Test
    void shouldRefuseMissingAndWrongTokens() throws Exception
    {
        assertEquals(401, call("GET", "/api/cards/" + WireData.HEAD, null, null).statusCode());
        assertEquals(401, call("GET", "/api/cards/" + WireData.HEAD, "wrong-token", null).statusCode());
    }

    @Test
    void shouldShowACardMaskedWithItsBalances() throws Exception
    {
        final HttpResponse<String> response = call("GET", "/api/cards/" + WireData.HEAD, WireData.API_TOKEN, null);

        assertEquals(200, response.statusCode());
        final String masked = WireData.HEAD.substring(0, 6) + "******" + WireData.HEAD.substring(12);
        assertEquals("{\"pan\":\"" + masked + "\",\"status\":\"collected\",\"pin_tries\":0,\"balances\":{" +
            "\"ration_piasters\":10000,\"bread_loaves_left_today\":10,\"health_piasters\":0,\"wallet_piasters\":20000}}",
            response.body());
        assertFalse(response.body().contains(WireData.HEAD));
    }

    @Test
    void shouldBlockALostCardForTheNextRequest() throws Exception
    {
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 1)).getString(39));
        final HttpResponse<String> blocked = call("POST", "/api/cards/" + WireData.HEAD + "/block", WireData.API_TOKEN, "{\"reason\":\"lost\"}");
        assertEquals(200, blocked.statusCode());
        assertTrue(blocked.body().contains("\"status\":\"blocked_lost\""), blocked.body());
        assertEquals("41", terminal.exchange(bread(WireData.HEAD, 1, 2)).getString(39));
    }

    @Test
    void shouldCollectAnIssuedCard() throws Exception
    {
        final ISOMsg before = request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.UNCOLLECTED, "310000", -1, null, 3);
        assertEquals("62", terminal.exchange(before).getString(39));
        final HttpResponse<String> collected = call("POST", "/api/cards/" + WireData.UNCOLLECTED + "/collect", WireData.API_TOKEN, null);
        assertEquals(200, collected.statusCode());
        final ISOMsg after = request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.UNCOLLECTED, "310000", -1, null, 4);
        assertEquals("00", terminal.exchange(after).getString(39));
    }

    @Test
    void shouldResetABlockedPin() throws Exception
    {
        for (int stan = 10; stan < 13; stan++)
        {
            terminal.exchange(withPin(
                request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.MEMBER, "009400", 100, "818", stan),
                WireData.PIN + 1, JposTerminal.TPK));
        }
        assertTrue(call("GET", "/api/cards/" + WireData.MEMBER, WireData.API_TOKEN, null).body().contains("\"pin_tries\":3"));
        assertEquals(200, call("POST", "/api/cards/" + WireData.MEMBER + "/pin-reset", WireData.API_TOKEN, null).statusCode());
        final ISOMsg right = withPin(
            request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.MEMBER, "009400", 100, "818", 13),
            WireData.PIN, JposTerminal.TPK);
        assertEquals("00", terminal.exchange(right).getString(39));
    }

    @Test
    void shouldAnswer404ForAnUnknownCardAnd400ForBadInput() throws Exception
    {
        assertEquals(404, call("GET", "/api/cards/5078030000009999", WireData.API_TOKEN, null).statusCode());
        final HttpResponse<String> badJson = call("POST", "/api/cards/" + WireData.HEAD + "/block", WireData.API_TOKEN, "{\"reason\":");
        assertEquals(400, badJson.statusCode());
        assertTrue(badJson.body().contains("bad JSON"), badJson.body());
        final HttpResponse<String> badReason = call("POST", "/api/cards/" + WireData.HEAD + "/block", WireData.API_TOKEN, "{\"reason\":\"borrowed\"}");
        assertEquals(400, badReason.statusCode());
        assertTrue(badReason.body().contains("unknown reason \\\"borrowed\\\""), badReason.body());
        assertEquals(400, call("GET", "/api/cards/12ab", WireData.API_TOKEN, null).statusCode());
    }

    private HttpResponse<String> call(final String method, final String path, final String token, final String body) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + unicard.httpPort() + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
