package org.unicard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.bread;
import static org.unicard.server.JposTerminal.request;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's routes against a running switch: a card's transactions in plain words from its
 * journal chain (the same after a restart that replays the journal), the card's profile and
 * household, the national-id search, the live metrics, the settlement, and the console's files.
 */
class ConsoleApiWireTest
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
        startSwitch();
    }

    private void startSwitch() throws Exception
    {
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
    void shouldListACardsTransactionsNewestFirstInPlainWordsAndKeepThemAcrossARestart() throws Exception
    {
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 4, 1)).getString(39));
        assertEquals("51", terminal.exchange(bread(WireData.HEAD, 7, 2)).getString(39));
        assertEquals("00", terminal.exchange(bread(WireData.LARGE_HEAD, 1, 3)).getString(39));
        assertEquals(200, call("/api/cards/" + WireData.HEAD, WireData.API_TOKEN).statusCode());
        assertEquals("58", terminal.exchange(
            request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.HEAD, "009200", 1, "999", 4)).getString(39));
        assertEquals(200, post("/api/cards/" + WireData.HEAD + "/block", "{\"reason\":\"lost\"}").statusCode());
        assertEquals("41", terminal.exchange(bread(WireData.HEAD, 1, 5)).getString(39));

        final HttpResponse<String> response = call("/api/cards/" + WireData.HEAD + "/transactions?limit=50", WireData.API_TOKEN);

        assertEquals(200, response.statusCode());
        final String body = response.body();
        assertFalse(body.contains(WireData.HEAD), "no full PAN: " + body);
        assertTrue(body.contains("\"more\":false"), body);
        final String[] answers = {
            "\"answer_en\":\"declined: card blocked as lost\"",
            "\"what_en\":\"operator: card blocked as lost\"",
            "\"answer_en\":\"declined: this terminal may not do that\"",
            "\"answer_en\":\"declined: bread quota used up today\"",
            "\"answer_en\":\"approved\""};
        int at = 0;
        for (final String answer : answers)
        {
            final int found = body.indexOf(answer, at);
            assertTrue(found > at || at == 0 && found >= 0, "expected " + answer + " after offset " + at + " in " + body);
            at = found;
        }
        assertEquals(5, count(body, "\"sequence\":"), "the status look-up is not listed, the other card's purchase is not: " + body);
        assertTrue(body.contains("\"what_en\":\"bread purchase, 7 loaves\",\"what_ar\":\"شراء الخبز، 7 رغيف\","), body);
        assertTrue(body.contains("\"answer_ar\":\"مرفوضة: نفدت حصة الخبز اليوم\""), body);
        assertTrue(body.contains("\"terminal\":\"B0000001\""), body);
        assertTrue(body.contains("\"response_code\":\"51\""), body);
        assertTrue(body.contains("\"time\":\"2026-11-23T09:00"), body);

        final HttpResponse<String> two = call("/api/cards/" + WireData.HEAD + "/transactions?limit=2", WireData.API_TOKEN);
        assertEquals(2, count(two.body(), "\"sequence\":"), two.body());
        assertTrue(two.body().contains("\"more\":true"), two.body());

        terminal.close();
        unicard.close();
        startSwitch();
        assertEquals(body, call("/api/cards/" + WireData.HEAD + "/transactions?limit=50", WireData.API_TOKEN).body(),
            "the chain is rebuilt by replay");
    }

    @Test
    void shouldRefuseBadInputOnTheConsoleRoutes() throws Exception
    {
        assertEquals(401, call("/api/cards/" + WireData.HEAD + "/transactions", null).statusCode());
        assertEquals(401, call("/api/live", "wrong").statusCode());
        assertEquals(401, call("/api/citizens/28001010300011/cards", null).statusCode());
        assertEquals(400, call("/api/cards/" + WireData.HEAD + "/transactions?limit=0", WireData.API_TOKEN).statusCode());
        assertEquals(400, call("/api/cards/" + WireData.HEAD + "/transactions?limit=501", WireData.API_TOKEN).statusCode());
        assertEquals(400, call("/api/cards/" + WireData.HEAD + "/transactions?limit=x", WireData.API_TOKEN).statusCode());
        assertEquals(404, call("/api/cards/5078030000009999/transactions", WireData.API_TOKEN).statusCode());
        assertEquals(400, call("/api/citizens/123/cards", WireData.API_TOKEN).statusCode());
        assertEquals(404, call("/api/citizens/28001010399999/cards", WireData.API_TOKEN).statusCode());
        final HttpResponse<String> badDate = call("/api/settlement?date=23-11-2026", WireData.API_TOKEN);
        assertEquals(400, badDate.statusCode());
        assertTrue(badDate.body().contains("date must be YYYY-MM-DD"), badDate.body());
        assertEquals(405, post("/api/cards/" + WireData.HEAD + "/transactions", "{}").statusCode());
        assertEquals(404, call("/console/../pom.xml", null).statusCode());
        assertEquals(404, call("/console/secret.txt", null).statusCode());
    }

    @Test
    void shouldShowAProfileWithTheHouseholdsOtherCardsMaskedAndFindACitizenByNationalId() throws Exception
    {
        final HttpResponse<String> profile = call("/api/cards/" + WireData.HEAD + "/profile", WireData.API_TOKEN);
        assertEquals(200, profile.statusCode());
        final String body = profile.body();
        assertTrue(body.contains("\"status\":\"collected\""), body);
        assertTrue(body.contains("\"role\":\"head\",\"programs\":\"ration;bread;health;wallet\",\"expiry\":\"3012\""), body);
        assertTrue(body.contains("\"household_id\":" + WireData.HOUSEHOLD_SMALL + ",\"governorate\":\"03\",\"ration_individuals\":2"), body);
        final String member = WireData.MEMBER.substring(0, 6) + "******" + WireData.MEMBER.substring(12);
        assertTrue(body.contains("\"other_cards\":[{\"pan\":\"" + member + "\",\"status\":\"collected\",\"role\":\"member\""), body);
        assertFalse(body.contains(WireData.HEAD) || body.contains(WireData.MEMBER), body);

        final HttpResponse<String> citizen = call("/api/citizens/29001010300021/cards", WireData.API_TOKEN);
        assertEquals(200, citizen.statusCode());
        assertTrue(citizen.body().startsWith("{\"cards\":[{\"pan\":\"" + WireData.MEMBER + "\",\"status\":\"collected\",\"role\":\"member\""),
            citizen.body());
    }

    @Test
    void shouldServeLiveMetricsSettlementAndTheConsoleFiles() throws Exception
    {
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 4, 1)).getString(39));
        assertEquals("51", terminal.exchange(bread(WireData.HEAD, 7, 2)).getString(39));

        final String live = call("/api/live", WireData.API_TOKEN).body();
        assertTrue(live.contains("{\"name\":\"unicard_requests_by_governorate_total\",\"labels\":{\"governorate\":\"03\",\"outcome\":\"approved\"},\"value\":1.0}"), live);
        assertTrue(live.contains("{\"name\":\"unicard_requests_by_governorate_total\",\"labels\":{\"governorate\":\"03\",\"outcome\":\"declined\"},\"value\":1.0}"), live);
        assertTrue(live.contains("\"name\":\"unicard_ring_occupancy\""), live);
        assertTrue(live.contains("\"name\":\"unicard_journal_free_bytes\""), live);

        final HttpResponse<String> settlement = call("/api/settlement?date=2026-11-23", WireData.API_TOKEN);
        assertEquals(200, settlement.statusCode());
        assertTrue(settlement.body().contains("{\"terminal_id\":\"B0000001\",\"program\":\"bread\",\"unit\":\"loaves\",\"purchases_count\":1," +
            "\"purchases_total\":4,\"returns_count\":0,\"returns_total\":0,\"reversals_count\":0,\"reversals_total\":0,\"net_total\":4}"),
            settlement.body());
        final HttpResponse<String> csv = call("/api/settlement?date=2026-11-23&format=csv", WireData.API_TOKEN);
        assertEquals("date,terminal_id,acquirer_id,program,unit,purchases_count,purchases_total,returns_count,returns_total," +
            "reversals_count,reversals_total,net_total\n2026-11-23,B0000001,,bread,loaves,1,4,0,0,0,0,4\n", csv.body());
        assertEquals("attachment; filename=\"settlement-2026-11-23.csv\"", csv.headers().firstValue("Content-Disposition").orElse(""));

        final HttpResponse<String> page = call("/console/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"console.js\"></script>"), page.body());
        assertEquals(200, call("/console/console.js", null).statusCode());
        final HttpResponse<String> chart = call("/console/uPlot.iife.min.js", null);
        assertEquals(200, chart.statusCode());
        assertTrue(chart.body().contains("uPlot"), "the webjar's uPlot is served");
    }

    private static int count(final String text, final String part)
    {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1))
        {
            count++;
        }
        return count;
    }

    private HttpResponse<String> call(final String path, final String token) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + unicard.httpPort() + path));
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(final String path, final String body) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + unicard.httpPort() + path))
            .header("Authorization", "Bearer " + WireData.API_TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
