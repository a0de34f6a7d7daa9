package org.unicard.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ResponseCode;
import org.unicard.security.PanMask;
import org.unicard.state.CardStatus;
import org.unicard.state.Program;

/**
 * The operator API under {@code /api} (spec §11): card status, block, collect and PIN reset, for a
 * hotline that must act within seconds. Every call needs {@code Authorization: Bearer <token>}
 * (the token from {@code UNICARD_API_TOKEN}, compared in constant time; 401 otherwise). Every call,
 * the status query included, travels through the ring and the journal — this thread never touches
 * the authorizer's state — and is answered once journaled. PANs appear masked in every answer.
 */
public final class OperatorApi implements HttpHandler
{
    /** Environment variable holding the bearer token; without it the API is off. */
    public static final String TOKEN_VARIABLE = "UNICARD_API_TOKEN";

    private static final int MAX_BODY_BYTES = 4096;
    private static final long TIMEOUT_MS = 5_000;

    /** Sends a command through the ring; completes once journaled. */
    @FunctionalInterface
    public interface CommandGateway
    {
        CompletableFuture<AuthOutcome> command(byte command, long pan, int panDigits);
    }

    private final byte[] token;
    private final CommandGateway gateway;
    private final JsonFactory json = new JsonFactory();

    /**
     * @param token   the bearer token, or {@code null}/empty to switch the API off.
     * @param gateway where commands go.
     */
    public OperatorApi(final String token, final CommandGateway gateway)
    {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.gateway = gateway;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            if (admit(exchange))
            {
                route(exchange);
            }
        }
    }

    /**
     * Checks the bearer token, answering 404 (API off) or 401 when it does not admit the call.
     *
     * @return whether the call may proceed.
     */
    public boolean admit(final HttpExchange exchange) throws IOException
    {
        if (token == null)
        {
            error(exchange, 404, "the operator API is off: start the switch with " + TOKEN_VARIABLE + " set");
            return false;
        }
        if (!authorized(exchange.getRequestHeaders().getFirst("Authorization")))
        {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            error(exchange, 401, "missing or wrong bearer token");
            return false;
        }
        return true;
    }

    private boolean authorized(final String header)
    {
        final String prefix = "Bearer ";
        final byte[] presented = header != null && header.startsWith(prefix) ?
            header.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        return MessageDigest.isEqual(presented, token);
    }

    private void route(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getPath();
        final String[] parts = path.split("/");
        // "", "api", "cards", "{pan}" [, action]
        if (parts.length < 4 || parts.length > 5 || !"api".equals(parts[1]) || !"cards".equals(parts[2]))
        {
            error(exchange, 404, "no such resource: " + path);
            return;
        }
        final String panText = parts[3];
        if (!panText.matches("[0-9]{12,19}"))
        {
            error(exchange, 400, "a PAN is 12 to 19 digits");
            return;
        }
        final long pan;
        try
        {
            pan = Long.parseLong(panText);
        }
        catch (final NumberFormatException ex)
        {
            error(exchange, 404, "no card " + PanMask.masked(panText));
            return;
        }
        final String action = parts.length == 5 ? parts[4] : "";
        final byte command = command(exchange, action);
        if (command == AuthRequest.COMMAND_NONE)
        {
            return;
        }
        final AuthOutcome outcome = submit(exchange, command, pan, panText.length());
        if (outcome != null)
        {
            answer(exchange, panText, action, outcome);
        }
    }

    /**
     * @return the command an action names, checked against the request's method (and, for a block,
     * its body); {@link AuthRequest#COMMAND_NONE} when the request was answered with an error.
     */
    private byte command(final HttpExchange exchange, final String action) throws IOException
    {
        final String method = exchange.getRequestMethod();
        switch (action)
        {
            case "" ->
            {
                if (!"GET".equals(method))
                {
                    error(exchange, 405, "use GET for a card's status");
                    return AuthRequest.COMMAND_NONE;
                }
                return AuthRequest.COMMAND_QUERY;
            }
            case "block" ->
            {
                if (!"POST".equals(method))
                {
                    error(exchange, 405, "use POST to block a card");
                    return AuthRequest.COMMAND_NONE;
                }
                final String reason = reason(exchange);
                if (reason == null)
                {
                    return AuthRequest.COMMAND_NONE;
                }
                return switch (reason)
                {
                    case "lost" -> AuthRequest.COMMAND_BLOCK_LOST;
                    case "stolen" -> AuthRequest.COMMAND_BLOCK_STOLEN;
                    default -> AuthRequest.COMMAND_BLOCK_DAMAGED;
                };
            }
            case "collect", "pin-reset" ->
            {
                if (!"POST".equals(method))
                {
                    error(exchange, 405, "use POST for " + action);
                    return AuthRequest.COMMAND_NONE;
                }
                return "collect".equals(action) ? AuthRequest.COMMAND_COLLECT : AuthRequest.COMMAND_PIN_RESET;
            }
            default ->
            {
                error(exchange, 404, "no such action: " + action);
                return AuthRequest.COMMAND_NONE;
            }
        }
    }

    /**
     * Sends the command through the ring and waits for it to be journaled.
     *
     * @return the outcome, or {@code null} when the switch could not take it in time (answered 503).
     */
    private AuthOutcome submit(final HttpExchange exchange, final byte command, final long pan, final int panDigits)
        throws IOException
    {
        try
        {
            return gateway.command(command, pan, panDigits).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            error(exchange, 503, "the switch could not take the command: " + ex.getCause().getMessage());
        }
        catch (final TimeoutException ex)
        {
            error(exchange, 503, "the switch did not answer within " + TIMEOUT_MS + " ms");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            error(exchange, 503, "interrupted");
        }
        return null;
    }

    private void answer(final HttpExchange exchange, final String panText, final String action, final AuthOutcome outcome)
        throws IOException
    {
        if (outcome.responseCode == ResponseCode.INVALID_CARD_NUMBER)
        {
            error(exchange, 404, "no card " + PanMask.masked(panText));
            return;
        }
        if (outcome.responseCode == ResponseCode.INTERNAL_ERROR)
        {
            error(exchange, 503, "the journal refused the command; the switch needs a restart");
            return;
        }
        if (outcome.responseCode != ResponseCode.APPROVED)
        {
            card(exchange, 409, panText, outcome, "the card's status does not allow " + action);
            return;
        }
        card(exchange, 200, panText, outcome, null);
    }

    /**
     * Reads {@code {"reason":"lost|stolen|damaged"}}; answers 400 and returns {@code null} when the
     * body is not that.
     */
    private String reason(final HttpExchange exchange) throws IOException
    {
        final byte[] body = readBody(exchange.getRequestBody());
        if (body == null)
        {
            error(exchange, 400, "body larger than " + MAX_BODY_BYTES + " bytes");
            return null;
        }
        String reason = null;
        try (JsonParser parser = json.createParser(body))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                error(exchange, 400, "expected a JSON object like {\"reason\":\"lost\"}");
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME)
            {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                if (!"reason".equals(name))
                {
                    error(exchange, 400, "unknown field \"" + name + "\"; expected only \"reason\"");
                    return null;
                }
                if (value != JsonToken.VALUE_STRING)
                {
                    error(exchange, 400, "\"reason\" must be a string: lost, stolen or damaged");
                    return null;
                }
                reason = parser.getText();
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null)
            {
                error(exchange, 400, "expected one JSON object like {\"reason\":\"lost\"}");
                return null;
            }
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            error(exchange, 400, "bad JSON: " + ex.getOriginalMessage());
            return null;
        }
        if (reason == null)
        {
            error(exchange, 400, "missing \"reason\": lost, stolen or damaged");
            return null;
        }
        if (!reason.equals("lost") && !reason.equals("stolen") && !reason.equals("damaged"))
        {
            error(exchange, 400, "unknown reason \"" + reason + "\": expected lost, stolen or damaged");
            return null;
        }
        return reason;
    }

    private static byte[] readBody(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final byte[] chunk = new byte[1024];
        int read;
        while ((read = in.read(chunk)) >= 0)
        {
            body.write(chunk, 0, read);
            if (body.size() > MAX_BODY_BYTES)
            {
                return null;
            }
        }
        return body.toByteArray();
    }

    private void card(final HttpExchange exchange, final int status, final String pan, final AuthOutcome outcome, final String error)
        throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator out = json.createGenerator(body))
        {
            out.writeStartObject();
            if (error != null)
            {
                out.writeStringField("error", error);
            }
            out.writeStringField("pan", PanMask.masked(pan));
            out.writeStringField("status", CardStatus.name(outcome.cardStatus));
            out.writeNumberField("pin_tries", outcome.pinTries);
            out.writeObjectFieldStart("balances");
            for (int i = 0; i < outcome.balanceCount; i++)
            {
                out.writeNumberField(balanceName(outcome.balanceAccount[i]), outcome.balanceAmount[i]);
            }
            out.writeEndObject();
            out.writeEndObject();
        }
        send(exchange, status, body.toByteArray());
    }

    static String balanceName(final int account)
    {
        return switch (account)
        {
            case Program.ACCOUNT_RATION -> "ration_piasters";
            case Program.ACCOUNT_BREAD -> "bread_loaves_left_today";
            case Program.ACCOUNT_HEALTH -> "health_piasters";
            case Program.ACCOUNT_WALLET -> "wallet_piasters";
            case Program.ACCOUNT_CASH -> "cash_support_piasters";
            default -> "account_" + account;
        };
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
        send(exchange, status, body.toByteArray());
    }

    private static void send(final HttpExchange exchange, final int status, final byte[] body) throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }
}
