package org.unicard.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ResponseCode;
import org.unicard.security.PanMask;
import org.unicard.settlement.SettlementLine;
import org.unicard.settlement.SettlementReport;
import org.unicard.journal.ChronicleJournal;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;

/**
 * The operator API's console routes under {@code /api} (docs/operations.md, "Operators' console"),
 * in front of {@link OperatorApi}, with the same bearer token:
 * <ul>
 * <li>{@code GET /api/cards/{pan}/transactions?limit=N}: the card's recent records, newest first, in
 * plain words (English and Arabic);</li>
 * <li>{@code GET /api/cards/{pan}/profile}: programs, role, expiry, household and its other cards
 * (masked);</li>
 * <li>{@code GET /api/citizens/{national_id}/cards}: a citizen's cards (the agent looks them up, so
 * their PANs are given in full);</li>
 * <li>{@code GET /api/live}: the switch's metrics as JSON for the live page;</li>
 * <li>{@code GET /api/settlement?date=YYYY-MM-DD[&format=csv]}: a day's per-terminal settlement.</li>
 * </ul>
 * Anything else goes to {@link OperatorApi}. Runs on the operator workers, never on the HTTP
 * server's thread. Card state that the authorizer changes (status, PIN tries, balances) is read
 * only through the ring (a status query); the columns read here directly (PAN, national id,
 * household, role, programs, expiry, the household's individuals and governorate) are set at import
 * and read as they are.
 */
public final class ConsoleApi implements HttpHandler
{
    /** Default and largest {@code limit} of the transactions route. */
    public static final int DEFAULT_LIMIT = 50;
    /** Most cards a search or a household listing returns. */
    public static final int MAX_CARDS = 16;

    private static final long TIMEOUT_MS = 5_000;
    private static final ZoneId CAIRO = ZoneId.of("Africa/Cairo");

    private final OperatorApi operatorApi;
    private final OperatorApi.CommandGateway gateway;
    private final CardTable cards;
    private final HouseholdTable households;
    private final TerminalTable terminals;
    private final CardHistory history;
    private final Supplier<String> metricsText;
    private final ChronicleJournal journal;
    private final JsonFactory json = new JsonFactory();

    /**
     * @param operatorApi  answers the routes this class does not, and checks the token.
     * @param gateway      sends status queries through the ring.
     * @param cards        the card table (import-time columns only).
     * @param households   the household table (import-time columns only).
     * @param terminals    terminal ids and names.
     * @param history      walks a card's chain.
     * @param metricsText  the Prometheus text of {@code /metrics}.
     * @param journal      read from its start for a settlement.
     */
    public ConsoleApi(
        final OperatorApi operatorApi,
        final OperatorApi.CommandGateway gateway,
        final CardTable cards,
        final HouseholdTable households,
        final TerminalTable terminals,
        final CardHistory history,
        final Supplier<String> metricsText,
        final ChronicleJournal journal)
    {
        this.operatorApi = operatorApi;
        this.gateway = gateway;
        this.cards = cards;
        this.households = households;
        this.terminals = terminals;
        this.history = history;
        this.metricsText = metricsText;
        this.journal = journal;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getPath();
        final String[] parts = path.split("/");
        final boolean cardRoute = parts.length == 5 && "cards".equals(parts[2]) &&
            ("transactions".equals(parts[4]) || "profile".equals(parts[4]));
        final boolean citizenRoute = parts.length == 5 && "citizens".equals(parts[2]) && "cards".equals(parts[4]);
        final boolean liveRoute = parts.length == 3 && "live".equals(parts[2]);
        final boolean settlementRoute = parts.length == 3 && "settlement".equals(parts[2]);
        if (!cardRoute && !citizenRoute && !liveRoute && !settlementRoute)
        {
            operatorApi.handle(exchange);
            return;
        }
        try (exchange)
        {
            if (!operatorApi.admit(exchange))
            {
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod()))
            {
                error(exchange, 405, "use GET for " + path);
                return;
            }
            if (liveRoute)
            {
                send(exchange, 200, "application/json", LiveMetrics.json(metricsText.get(), System.currentTimeMillis()));
            }
            else if (settlementRoute)
            {
                settlement(exchange);
            }
            else if (citizenRoute)
            {
                citizen(exchange, parts[3]);
            }
            else if ("transactions".equals(parts[4]))
            {
                transactions(exchange, parts[3]);
            }
            else
            {
                profile(exchange, parts[3]);
            }
        }
    }

    private void transactions(final HttpExchange exchange, final String panText) throws IOException
    {
        final int limit = limit(exchange);
        if (limit < 0)
        {
            return;
        }
        final AuthOutcome head = query(exchange, panText);
        if (head == null)
        {
            return;
        }
        final CardHistory.Walk walk = history.walk(head.previousOfCard, head.card, limit);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator out = json.createGenerator(body))
        {
            out.writeStartObject();
            out.writeStringField("pan", PanMask.masked(panText));
            out.writeNumberField("limit", limit);
            out.writeBooleanField("more", walk.more());
            if (walk.stoppedBecause() != null)
            {
                out.writeStringField("stopped", walk.stoppedBecause());
            }
            out.writeArrayFieldStart("transactions");
            for (final CardHistory.Entry entry : walk.entries())
            {
                transaction(out, entry.request(), entry.outcome());
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        send(exchange, 200, "application/json", body.toByteArray());
    }

    private void transaction(final JsonGenerator out, final AuthRequest request, final AuthOutcome outcome) throws IOException
    {
        out.writeStartObject();
        out.writeNumberField("sequence", outcome.sequence);
        out.writeStringField("time", Instant.ofEpochMilli(request.businessTimeMs).atZone(CAIRO).toOffsetDateTime().toString());
        final boolean operator = request.sourceType == AuthRequest.SOURCE_OPERATOR;
        out.writeStringField("source", operator ? "operator" : request.sourceType == AuthRequest.SOURCE_ACQUIRER ? "acquirer" : "terminal");
        if (!operator)
        {
            out.writeStringField("terminal", TerminalTable.unpackTerminalId(request.terminalId).trim());
            out.writeStringField("mti", String.format("%04d", request.mti));
            out.writeStringField("processing_code", String.format("%06d", request.processingCode));
            out.writeNumberField("amount", request.amount);
            out.writeNumberField("currency", request.currency);
            if (request.sourceType == AuthRequest.SOURCE_TERMINAL && request.sourceIndex >= 0 && request.sourceIndex < terminals.size())
            {
                out.writeStringField("terminal_name", terminals.name[request.sourceIndex]);
            }
        }
        out.writeStringField("response_code", ResponseCode.text(outcome.responseCode));
        final PlainWords.Text action = PlainWords.action(request);
        final PlainWords.Text answer = PlainWords.answer(request, outcome);
        out.writeStringField("what_en", action.english());
        out.writeStringField("what_ar", action.arabic());
        out.writeStringField("answer_en", answer.english());
        out.writeStringField("answer_ar", answer.arabic());
        out.writeEndObject();
    }

    private void profile(final HttpExchange exchange, final String panText) throws IOException
    {
        final AuthOutcome head = query(exchange, panText);
        if (head == null)
        {
            return;
        }
        final int card = head.card;
        final int household = cards.household(card);
        final List<Integer> others = new ArrayList<>();
        final int size = cards.size();
        for (int other = 0; other < size && others.size() < MAX_CARDS; other++)
        {
            if (other != card && cards.household(other) == household)
            {
                others.add(other);
            }
        }
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator out = json.createGenerator(body))
        {
            out.writeStartObject();
            out.writeStringField("pan", PanMask.masked(panText));
            out.writeStringField("status", CardStatus.name(head.cardStatus));
            out.writeNumberField("pin_tries", head.pinTries);
            balances(out, head);
            cardColumns(out, card);
            out.writeObjectFieldStart("household");
            out.writeNumberField("household_id", households.householdId(household));
            out.writeStringField("governorate", String.format("%02d", households.governorate(household)));
            out.writeNumberField("ration_individuals", households.rationIndividuals(household));
            out.writeNumberField("bread_individuals", households.breadIndividuals(household));
            out.writeNumberField("cash_support_piasters", households.cashSupportMonthlyPiasters(household));
            out.writeArrayFieldStart("other_cards");
            for (final int other : others)
            {
                final AuthOutcome state = gateway.command(AuthRequest.COMMAND_QUERY, cards.pan(other), digits(cards.pan(other)))
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                out.writeStartObject();
                out.writeStringField("pan", PanMask.masked(cards.pan(other)));
                out.writeStringField("status", CardStatus.name(state.cardStatus));
                cardColumns(out, other);
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
            out.writeEndObject();
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            error(exchange, 503, "the switch did not answer a household card's status in time");
            return;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            error(exchange, 503, "interrupted");
            return;
        }
        send(exchange, 200, "application/json", body.toByteArray());
    }

    private void cardColumns(final JsonGenerator out, final int card) throws IOException
    {
        out.writeStringField("role", cards.hasFlag(card, CardTable.FLAG_HEAD) ? "head" : "member");
        out.writeStringField("programs", Program.names(cards.programs(card)));
        out.writeStringField("expiry", String.format("%04d", cards.expiryYyMm(card)));
        out.writeStringField("issued_on", LocalDate.ofEpochDay(cards.issuedDay(card)).toString());
        out.writeBooleanField("health_exempt", cards.hasFlag(card, CardTable.FLAG_HEALTH_EXEMPT));
    }

    private static void balances(final JsonGenerator out, final AuthOutcome outcome) throws IOException
    {
        out.writeObjectFieldStart("balances");
        for (int i = 0; i < outcome.balanceCount; i++)
        {
            out.writeNumberField(OperatorApi.balanceName(outcome.balanceAccount[i]), outcome.balanceAmount[i]);
        }
        out.writeEndObject();
    }

    /**
     * A citizen's cards by national id: a scan of the card table's national-id column on this worker
     * (no index: an index of 64 million national ids would cost about 512 MiB; the scan reads one
     * word per card record, docs/operations.md).
     */
    private void citizen(final HttpExchange exchange, final String nationalIdText) throws IOException
    {
        if (!nationalIdText.matches("[0-9]{14}"))
        {
            error(exchange, 400, "a national id is 14 digits");
            return;
        }
        final long nationalId = Long.parseLong(nationalIdText);
        final List<Integer> found = new ArrayList<>();
        final int size = cards.size();
        for (int card = 0; card < size && found.size() < MAX_CARDS; card++)
        {
            if (cards.nationalId(card) == nationalId)
            {
                found.add(card);
            }
        }
        if (found.isEmpty())
        {
            error(exchange, 404, "no card for that national id");
            return;
        }
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator out = json.createGenerator(body))
        {
            out.writeStartObject();
            out.writeArrayFieldStart("cards");
            for (final int card : found)
            {
                final long pan = cards.pan(card);
                final AuthOutcome state = gateway.command(AuthRequest.COMMAND_QUERY, pan, digits(pan)).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                out.writeStartObject();
                out.writeStringField("pan", Long.toString(pan));
                out.writeStringField("status", CardStatus.name(state.cardStatus));
                cardColumns(out, card);
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            error(exchange, 503, "the switch did not answer a card's status in time");
            return;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            error(exchange, 503, "interrupted");
            return;
        }
        send(exchange, 200, "application/json", body.toByteArray());
    }

    private void settlement(final HttpExchange exchange) throws IOException
    {
        final String date = parameter(exchange, "date");
        final LocalDate day;
        try
        {
            day = LocalDate.parse(date == null ? "" : date);
        }
        catch (final DateTimeParseException ex)
        {
            error(exchange, 400, "date must be YYYY-MM-DD, e.g. ?date=2026-12-03");
            return;
        }
        final SettlementReport report = SettlementReport.of(journal, day, records -> { });
        if ("csv".equals(parameter(exchange, "format")))
        {
            final ByteArrayOutputStream csv = new ByteArrayOutputStream();
            try (Writer out = new OutputStreamWriter(csv, StandardCharsets.UTF_8))
            {
                report.writeCsv(out);
            }
            exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"settlement-" + day + ".csv\"");
            send(exchange, 200, "text/csv; charset=utf-8", csv.toByteArray());
            return;
        }
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator out = json.createGenerator(body))
        {
            out.writeStartObject();
            out.writeStringField("date", day.toString());
            out.writeNumberField("records_read", report.recordsRead());
            out.writeArrayFieldStart("lines");
            for (final SettlementLine line : report.lines())
            {
                out.writeStartObject();
                out.writeStringField("terminal_id", line.terminalId());
                if (line.acquirerId() >= 0)
                {
                    out.writeNumberField("acquirer_id", line.acquirerId());
                }
                out.writeStringField("program", PlainWords.program(line.account()).english());
                out.writeStringField("unit", line.account() == Program.ACCOUNT_BREAD ? "loaves" : "piasters");
                out.writeNumberField("purchases_count", line.purchases());
                out.writeNumberField("purchases_total", line.purchasesTotal());
                out.writeNumberField("returns_count", line.returns());
                out.writeNumberField("returns_total", line.returnsTotal());
                out.writeNumberField("reversals_count", line.reversals());
                out.writeNumberField("reversals_total", line.reversalsTotal());
                out.writeNumberField("net_total", line.net());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        send(exchange, 200, "application/json", body.toByteArray());
    }

    /**
     * Sends a status query for a PAN through the ring.
     *
     * @return the outcome (the card's state and its chain's head), or {@code null} when answered with an error.
     */
    private AuthOutcome query(final HttpExchange exchange, final String panText) throws IOException
    {
        if (!panText.matches("[0-9]{12,19}"))
        {
            error(exchange, 400, "a PAN is 12 to 19 digits");
            return null;
        }
        final long pan;
        try
        {
            pan = Long.parseLong(panText);
        }
        catch (final NumberFormatException ex)
        {
            error(exchange, 404, "no card " + PanMask.masked(panText));
            return null;
        }
        final AuthOutcome outcome;
        try
        {
            outcome = gateway.command(AuthRequest.COMMAND_QUERY, pan, panText.length()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            error(exchange, 503, "the switch could not take the command: " + ex.getCause().getMessage());
            return null;
        }
        catch (final TimeoutException ex)
        {
            error(exchange, 503, "the switch did not answer within " + TIMEOUT_MS + " ms");
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            error(exchange, 503, "interrupted");
            return null;
        }
        if (outcome.responseCode == ResponseCode.INVALID_CARD_NUMBER || outcome.card < 0)
        {
            error(exchange, 404, "no card " + PanMask.masked(panText));
            return null;
        }
        if (outcome.responseCode != ResponseCode.APPROVED)
        {
            error(exchange, 503, "the journal refused the query; the switch needs a restart");
            return null;
        }
        return outcome;
    }

    /**
     * @return the {@code limit} parameter (default {@link #DEFAULT_LIMIT}), or -1 when answered 400.
     */
    private int limit(final HttpExchange exchange) throws IOException
    {
        final String text = parameter(exchange, "limit");
        if (text == null)
        {
            return DEFAULT_LIMIT;
        }
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > CardHistory.MAX_LIMIT)
        {
            error(exchange, 400, "limit must be 1 to " + CardHistory.MAX_LIMIT);
            return -1;
        }
        return Integer.parseInt(text);
    }

    private static String parameter(final HttpExchange exchange, final String name)
    {
        final String query = exchange.getRequestURI().getRawQuery();
        if (query == null)
        {
            return null;
        }
        for (final String pair : query.split("&"))
        {
            final int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name))
            {
                return java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static int digits(final long pan)
    {
        return Long.toString(pan).length();
    }

    private void error(final HttpExchange exchange, final int status, final String message) throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator out = json.createGenerator(body))
        {
            out.writeStartObject();
            out.writeStringField("error", PanMask.maskedDigitRuns(message));
            out.writeEndObject();
        }
        send(exchange, status, "application/json", body.toByteArray());
    }

    static void send(final HttpExchange exchange, final int status, final String contentType, final byte[] body) throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }
}
