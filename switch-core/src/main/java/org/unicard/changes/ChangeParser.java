package org.unicard.changes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.unicard.changes.ChangeBatch.AcquirerChange;
import org.unicard.changes.ChangeBatch.CardChange;
import org.unicard.changes.ChangeBatch.HouseholdChange;
import org.unicard.changes.ChangeBatch.TerminalChange;
import org.unicard.importer.CivilDays;
import org.unicard.importer.Governorates;
import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.PanMask;
import org.unicard.security.TdesKey;
import org.unicard.state.AcquirerTable;
import org.unicard.state.CardStatus;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;

/**
 * Parses and validates a change batch (spec §12) off the ring: every line a JSON object with
 * {@code "op"} and the columns of the matching §10 file, the values checked by the rules of the
 * import ({@code org.unicard.importer}) with the same reasons, keys decrypted under the LMK and
 * checked for odd parity, duplicates inside the batch refused. Checks that need the live tables
 * (a card's household, the card a replacement replaces, capacity) are {@link ChangeApplier}'s.
 * <p>
 * Every error is collected (up to {@link #MAX_ERRORS}); a batch with any error is refused whole.
 * JSON is read with Jackson's streaming parser, one line at a time.
 */
public final class ChangeParser
{
    /** Largest batch body (spec §12 asks for at least 64 MiB); larger is answered 413. */
    public static final long MAX_BODY_BYTES = 64L << 20;
    /** Most lines in a batch (spec §12 asks for at least 100,000); more is answered 413. */
    public static final int MAX_LINES = 1_000_000;
    /** Most errors reported for one batch (the rest are counted in a last error). */
    public static final int MAX_ERRORS = 1000;

    static final List<String> HOUSEHOLD_COLUMNS =
        List.of("household_id", "governorate", "ration_individuals", "bread_individuals", "cash_support_piasters");
    static final List<String> CARD_COLUMNS = List.of("pan", "national_id", "household_id", "role", "status", "issued_on", "expiry",
        "pvv", "programs", "health_exempt", "replaces_pan", "mobile", "wallet_piasters");
    static final List<String> TERMINAL_COLUMNS =
        List.of("terminal_id", "merchant_id", "type", "governorate", "name", "tpk_under_lmk", "tak_under_lmk", "status");
    static final List<String> ACQUIRER_COLUMNS = List.of("acquirer_id", "name", "zpk_under_lmk", "status");

    /** Columns that may be a JSON number. */
    private static final Set<String> NUMERIC = Set.of("household_id", "governorate", "ration_individuals", "bread_individuals",
        "cash_support_piasters", "pan", "national_id", "pvv", "expiry", "replaces_pan", "wallet_piasters", "acquirer_id");
    /** Columns that may be a JSON boolean. */
    private static final Set<String> BOOLEAN = Set.of("health_exempt");
    /** Columns a line may leave out. */
    private static final Set<String> OPTIONAL = Set.of("wallet_piasters");

    private static final long MAX_CASH_SUPPORT_PIASTERS = 10_000_000_000L;
    private static final String[] STATUS_NAMES = {"issued", "collected", "blocked_lost", "blocked_stolen", "damaged"};
    private static final byte[] STATUS_CODES = {
        CardStatus.ISSUED, CardStatus.COLLECTED, CardStatus.BLOCKED_LOST, CardStatus.BLOCKED_STOLEN, CardStatus.DAMAGED};
    private static final String[] PROGRAM_NAMES = {"ration", "bread", "health", "wallet", "cash"};
    private static final int[] PROGRAM_BITS = {Program.RATION, Program.BREAD, Program.HEALTH, Program.WALLET, Program.CASH};
    private static final String[] TYPE_NAMES = {"bakery", "grocer", "health", "post"};
    private static final byte[] TYPE_CODES = {TerminalType.BAKERY, TerminalType.GROCER, TerminalType.HEALTH, TerminalType.POST};

    private final TdesKey lmk;
    private final JsonFactory json = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).maxStringLength(4096).maxNumberLength(32).build())
        .build();

    /**
     * @param lmk the local master key the batch's keys are encrypted under.
     */
    public ChangeParser(final TdesKey lmk)
    {
        this.lmk = lmk;
    }

    /** The outcome of parsing: a batch, or the errors that refuse it. */
    public record Result(ChangeBatch batch, List<ChangeError> errors)
    {
        public boolean ok()
        {
            return errors.isEmpty();
        }
    }

    /**
     * @param id   the batch id (already checked with {@link BatchId#problem}).
     * @param body the batch, UTF-8 JSON Lines.
     * @return the batch, or every error found.
     */
    public Result parse(final String id, final byte[] body)
    {
        final Lines state = new Lines();
        int start = 0;
        int line = 0;
        while (start < body.length)
        {
            int end = start;
            while (end < body.length && body[end] != '\n')
            {
                end++;
            }
            line++;
            int last = end;
            if (last > start && body[last - 1] == '\r')
            {
                last--;
            }
            if (!isBlank(body, start, last))
            {
                parseLine(state, line, body, start, last - start);
            }
            start = end + 1;
        }
        if (state.changes == 0 && state.errors.isEmpty())
        {
            state.error(0, null, "the batch holds no change");
        }
        if (state.dropped > 0)
        {
            state.errors.add(new ChangeError(0, null, state.dropped + " more errors not listed (max=" + MAX_ERRORS + ")"));
        }
        if (!state.errors.isEmpty())
        {
            return new Result(null, List.copyOf(state.errors));
        }
        return new Result(new ChangeBatch(id, sha256(body), body.length, line, List.copyOf(state.households), List.copyOf(state.cards),
            List.copyOf(state.terminals), List.copyOf(state.acquirers)), List.of());
    }

    /**
     * @return SHA-256 of the bytes.
     */
    public static byte[] sha256(final byte[] body)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(body);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", ex);
        }
    }

    private void parseLine(final Lines state, final int line, final byte[] body, final int offset, final int length)
    {
        final Map<String, String> values = readObject(state, line, body, offset, length);
        if (values == null)
        {
            return;
        }
        final String op = values.remove("op");
        if (op == null)
        {
            state.error(line, "op", values.containsKey("op") ? "wrong type: expected a string" : "missing: every line needs \"op\"");
            return;
        }
        final List<String> columns = switch (op)
        {
            case "household" -> HOUSEHOLD_COLUMNS;
            case "card" -> CARD_COLUMNS;
            case "terminal" -> TERMINAL_COLUMNS;
            case "acquirer" -> ACQUIRER_COLUMNS;
            default -> null;
        };
        if (columns == null)
        {
            state.error(line, "op", "unknown op \"" + printable(op) + "\": expected household, card, terminal or acquirer");
            return;
        }
        final Line row = new Line(state, line, values);
        for (final String name : values.keySet())
        {
            if (!columns.contains(name))
            {
                row.fail(name, "unknown column for op " + op + " (columns: " + String.join(",", columns) + ")");
            }
        }
        for (final String name : columns)
        {
            if (!values.containsKey(name) && !OPTIONAL.contains(name))
            {
                row.fail(name, "missing column");
            }
        }
        if (row.failed)
        {
            return;
        }
        switch (op)
        {
            case "household" -> household(row);
            case "card" -> card(row);
            case "terminal" -> terminal(row);
            default -> acquirer(row);
        }
    }

    /**
     * Reads one line's JSON object: field names and their values as text (a value of the wrong type is
     * kept as {@code null}, so the caller can tell it from a missing field).
     *
     * @return the values, or {@code null} when the line is not one JSON object (the error is recorded).
     */
    private Map<String, String> readObject(final Lines state, final int line, final byte[] body, final int offset, final int length)
    {
        final Map<String, String> values = new LinkedHashMap<>();
        try (JsonParser parser = json.createParser(body, offset, length))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                state.error(line, null, "expected a JSON object");
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME)
            {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                final String text = switch (value)
                {
                    case VALUE_STRING -> parser.getText();
                    case VALUE_NUMBER_INT -> NUMERIC.contains(name) ? numberText(name, parser.getText()) : null;
                    case VALUE_TRUE, VALUE_FALSE -> BOOLEAN.contains(name) ? parser.getText() : null;
                    default -> null;
                };
                if (text == null)
                {
                    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY)
                    {
                        parser.skipChildren();
                    }
                    state.error(line, name, "wrong type: " + expectedType(name) + ", not " + tokenName(value));
                    values.put(name, null);
                    continue;
                }
                if (values.containsKey(name))
                {
                    state.error(line, name, "given twice");
                    continue;
                }
                values.put(name, text);
            }
            if (token != JsonToken.END_OBJECT)
            {
                state.error(line, null, "malformed JSON: expected a field name or }");
                return null;
            }
            if (parser.nextToken() != null)
            {
                state.error(line, null, "malformed JSON: more after the object (one change per line)");
                return null;
            }
        }
        catch (final JsonParseException ex)
        {
            state.error(line, null, "malformed JSON: " + ex.getOriginalMessage());
            return null;
        }
        catch (final IOException ex)
        {
            state.error(line, null, "malformed JSON: " + ex.getMessage());
            return null;
        }
        return values;
    }

    private static void household(final Line row)
    {
        final long id = row.digits("household_id", 1, 15, "expected 1 to 15 digits");
        if (id == 0)
        {
            row.fail("household_id", "must not be 0");
        }
        final int governorate = row.governorate("governorate");
        final int ration = (int)row.digits("ration_individuals", 1, 2, "expected 0 to 99");
        final int bread = (int)row.digits("bread_individuals", 1, 2, "expected 0 to 99");
        final long cash = row.digits("cash_support_piasters", 1, 11, "expected 0 to " + MAX_CASH_SUPPORT_PIASTERS);
        if (cash > MAX_CASH_SUPPORT_PIASTERS)
        {
            row.fail("cash_support_piasters", "expected 0 to " + MAX_CASH_SUPPORT_PIASTERS);
        }
        if (row.failed)
        {
            return;
        }
        final Integer earlier = row.state.householdLines.putIfAbsent(id, row.line);
        if (earlier != null)
        {
            row.fail("household_id", "duplicate household_id in this batch (line " + earlier + ")");
            return;
        }
        row.state.households.add(new HouseholdChange(row.line, id, governorate, ration, bread, cash));
        row.state.changes++;
    }

    private static void card(final Line row)
    {
        final long pan = row.pan("pan");
        final long nationalId = nationalId(row);
        final long householdId = row.digits("household_id", 1, 15, "expected 1 to 15 digits");
        if (householdId == 0)
        {
            row.fail("household_id", "no such household");
        }
        boolean head = false;
        final String role = row.required("role");
        if (role != null)
        {
            if ("head".equals(role))
            {
                head = true;
            }
            else if (!"member".equals(role))
            {
                row.fail("role", "expected head or member");
            }
        }
        byte status = -1;
        final String statusText = row.required("status");
        if (statusText != null)
        {
            for (int i = 0; i < STATUS_NAMES.length; i++)
            {
                if (STATUS_NAMES[i].equals(statusText))
                {
                    status = STATUS_CODES[i];
                }
            }
            if (status < 0)
            {
                row.fail("status", "expected issued, collected, blocked_lost, blocked_stolen or damaged");
            }
        }
        final int issuedDay = issuedDay(row);
        final int expiry = (int)row.digits("expiry", 4, 4, "expected YYMM");
        if (expiry >= 0 && (expiry % 100 < 1 || expiry % 100 > 12))
        {
            row.fail("expiry", "expected YYMM");
        }
        final int pvv = (int)row.digits("pvv", 4, 4, "expected 4 digits");
        final int programs = programs(row, head, role != null);
        boolean healthExempt = false;
        final String exempt = row.required("health_exempt");
        if (exempt != null)
        {
            if ("true".equals(exempt))
            {
                healthExempt = true;
            }
            else if (!"false".equals(exempt))
            {
                row.fail("health_exempt", "expected true or false");
            }
        }
        final long replacesPan = row.isEmpty("replaces_pan") ? 0 : row.pan("replaces_pan");
        if (replacesPan != 0 && replacesPan == pan)
        {
            row.fail("replaces_pan", "a card cannot replace itself");
        }
        long mobile = 0;
        if (!row.isEmpty("mobile"))
        {
            final String text = row.values.get("mobile");
            if (text.length() != 11 || !allDigits(text) || !text.startsWith("01"))
            {
                row.fail("mobile", "expected 11 digits starting 01");
            }
            else
            {
                mobile = Long.parseLong(text);
            }
        }
        final long wallet = row.isEmpty("wallet_piasters") ? -1 :
            row.digits("wallet_piasters", 1, 18, "expected a whole number of piasters, 0 or more, at most 18 digits");
        if (row.failed)
        {
            return;
        }
        final Integer earlier = row.state.panLines.putIfAbsent(pan, row.line);
        if (earlier != null)
        {
            row.fail("pan", "duplicate pan in this batch (line " + earlier + ")");
            return;
        }
        row.state.cards.add(new CardChange(row.line, pan, nationalId, householdId, head, status, issuedDay, expiry, pvv, programs,
            healthExempt, replacesPan, mobile, wallet));
        row.state.changes++;
    }

    private void terminal(final Line row)
    {
        final String terminalId = row.printableId("terminal_id", TerminalTable.TERMINAL_ID_LENGTH);
        final String merchantId = row.printableId("merchant_id", TerminalTable.MERCHANT_ID_LENGTH);
        byte type = -1;
        final String typeText = row.required("type");
        if (typeText != null)
        {
            for (int i = 0; i < TYPE_NAMES.length; i++)
            {
                if (TYPE_NAMES[i].equals(typeText))
                {
                    type = TYPE_CODES[i];
                }
            }
            if (type < 0)
            {
                row.fail("type", "expected bakery, grocer, health or post");
            }
        }
        final int governorate = row.governorate("governorate");
        final String name = row.name("name");
        final byte[] pinKey = key(row, "tpk_under_lmk");
        final byte[] macKey = key(row, "tak_under_lmk");
        final boolean active = row.active("status");
        if (row.failed)
        {
            return;
        }
        final Integer earlier = row.state.terminalLines.putIfAbsent(terminalId, row.line);
        if (earlier != null)
        {
            row.fail("terminal_id", "duplicate terminal_id in this batch (line " + earlier + ")");
            return;
        }
        row.state.terminals.add(new TerminalChange(row.line, terminalId, merchantId, type, governorate, name, pinKey, macKey, active));
        row.state.changes++;
    }

    private void acquirer(final Line row)
    {
        final long id = row.digits("acquirer_id", 1, AcquirerTable.MAX_ID_DIGITS, "expected 1 to " + AcquirerTable.MAX_ID_DIGITS + " digits");
        final String name = row.name("name");
        final byte[] zonePinKey = key(row, "zpk_under_lmk");
        final boolean active = row.active("status");
        if (row.failed)
        {
            return;
        }
        final Integer earlier = row.state.acquirerLines.putIfAbsent(id, row.line);
        if (earlier != null)
        {
            row.fail("acquirer_id", "duplicate acquirer_id in this batch (line " + earlier + ")");
            return;
        }
        row.state.acquirers.add(new AcquirerChange(row.line, id, name, zonePinKey, active));
        row.state.changes++;
    }

    /**
     * The import's rule: 32 hex digits, decrypting under the LMK to a key of odd parity; empty: no key.
     */
    private byte[] key(final Line row, final String column)
    {
        if (row.isEmpty(column))
        {
            return null;
        }
        final String text = row.values.get(column);
        if (text.length() != 32 || !allHex(text))
        {
            row.fail(column, "expected 32 hex digits");
            return null;
        }
        final byte[] clear = KeyCipher.decryptUnderLmk(lmk, Hex.parseKey(text));
        if (!KeyCipher.hasOddParity(clear))
        {
            row.fail(column, "does not decrypt to an odd-parity key under this LMK (was it written under another UNICARD_LMK?)");
            return null;
        }
        return clear;
    }

    private static long nationalId(final Line row)
    {
        final long id = row.digits("national_id", 14, 14, "expected 14 digits");
        if (id < 0)
        {
            return id;
        }
        final String text = row.values.get("national_id");
        final int century = text.charAt(0) - '0';
        if (century != 2 && century != 3)
        {
            row.fail("national_id", "first digit (century) must be 2 or 3");
            return -1;
        }
        final int year = (century == 2 ? 1900 : 2000) + Integer.parseInt(text.substring(1, 3));
        final int month = Integer.parseInt(text.substring(3, 5));
        final int day = Integer.parseInt(text.substring(5, 7));
        if (month < 1 || month > 12 || day < 1 || day > CivilDays.daysInMonth(year, month))
        {
            row.fail("national_id", "digits 2-7 are not a birth date YYMMDD");
            return -1;
        }
        if (!Governorates.isValid(Integer.parseInt(text.substring(7, 9))))
        {
            row.fail("national_id", "digits 8-9 are not a governorate code");
            return -1;
        }
        return id;
    }

    private static int issuedDay(final Line row)
    {
        final String text = row.required("issued_on");
        if (text == null)
        {
            return -1;
        }
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-' || !allDigits(text.substring(0, 4)) ||
            !allDigits(text.substring(5, 7)) || !allDigits(text.substring(8, 10)))
        {
            row.fail("issued_on", "expected YYYY-MM-DD");
            return -1;
        }
        final int year = Integer.parseInt(text.substring(0, 4));
        final int month = Integer.parseInt(text.substring(5, 7));
        final int day = Integer.parseInt(text.substring(8, 10));
        if (year < 1900 || year > 2099)
        {
            row.fail("issued_on", "year outside 1900..2099");
            return -1;
        }
        if (month < 1 || month > 12 || day < 1 || day > CivilDays.daysInMonth(year, month))
        {
            row.fail("issued_on", "not a calendar date");
            return -1;
        }
        return CivilDays.toDay(year, month, day);
    }

    private static int programs(final Line row, final boolean head, final boolean roleKnown)
    {
        final String text = row.required("programs");
        if (text == null)
        {
            return 0;
        }
        int mask = 0;
        for (final String part : text.split(";", -1))
        {
            int bit = 0;
            for (int p = 0; p < PROGRAM_NAMES.length; p++)
            {
                if (PROGRAM_NAMES[p].equals(part))
                {
                    bit = PROGRAM_BITS[p];
                }
            }
            if (bit == 0)
            {
                row.fail("programs", "expected ;-separated programs of ration, bread, health, wallet, cash");
                return 0;
            }
            if ((mask & bit) != 0)
            {
                row.fail("programs", "a program is listed twice");
                return 0;
            }
            mask |= bit;
        }
        if (roleKnown && !head && (mask & Program.HOUSEHOLD_PROGRAMS) != 0)
        {
            row.fail("programs", "household programs (ration, bread, cash) are only allowed on a head card");
        }
        return mask;
    }

    private static String numberText(final String name, final String text)
    {
        // A governorate written as a number loses its leading zero: 3 is "03".
        return "governorate".equals(name) && text.length() == 1 ? "0" + text : text;
    }

    private static String expectedType(final String name)
    {
        if (BOOLEAN.contains(name))
        {
            return "expected a string or a boolean";
        }
        return NUMERIC.contains(name) ? "expected a string or a whole number" : "expected a string";
    }

    private static String tokenName(final JsonToken token)
    {
        return switch (token)
        {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> token.toString();
        };
    }

    private static boolean isBlank(final byte[] body, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (body[i] != ' ' && body[i] != '\t')
            {
                return false;
            }
        }
        return true;
    }

    static boolean allDigits(final String text)
    {
        if (text.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) < '0' || text.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    private static boolean allHex(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (Character.digit(text.charAt(i), 16) < 0 || text.charAt(i) > 0x7F)
            {
                return false;
            }
        }
        return true;
    }

    private static String printable(final String text)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 32; i++)
        {
            final char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? c : '?');
        }
        return out.toString();
    }

    /** What the lines so far hold. */
    private static final class Lines
    {
        final List<ChangeError> errors = new ArrayList<>();
        final List<HouseholdChange> households = new ArrayList<>();
        final List<CardChange> cards = new ArrayList<>();
        final List<TerminalChange> terminals = new ArrayList<>();
        final List<AcquirerChange> acquirers = new ArrayList<>();
        final Map<Long, Integer> householdLines = new HashMap<>();
        final Map<Long, Integer> panLines = new HashMap<>();
        final Map<String, Integer> terminalLines = new HashMap<>();
        final Map<Long, Integer> acquirerLines = new HashMap<>();
        int changes;
        long dropped;

        void error(final long line, final String field, final String reason)
        {
            if (errors.size() < MAX_ERRORS)
            {
                errors.add(new ChangeError(line, field, reason));
            }
            else
            {
                dropped++;
            }
        }
    }

    /** One object line's values as CSV text, with the import's value rules. */
    private static final class Line
    {
        final Lines state;
        final int line;
        final Map<String, String> values;
        boolean failed;

        Line(final Lines state, final int line, final Map<String, String> values)
        {
            this.state = state;
            this.line = line;
            this.values = values;
        }

        void fail(final String field, final String reason)
        {
            failed = true;
            state.error(line, field, reason);
        }

        boolean isEmpty(final String column)
        {
            final String value = values.get(column);
            return value == null || value.isEmpty();
        }

        String required(final String column)
        {
            if (!values.containsKey(column))
            {
                return null;
            }
            final String value = values.get(column);
            if (value == null)
            {
                return null;
            }
            if (value.isEmpty())
            {
                fail(column, "value required");
                return null;
            }
            return value;
        }

        long digits(final String column, final int minDigits, final int maxDigits, final String reason)
        {
            final String value = required(column);
            if (value == null)
            {
                return -1;
            }
            if (value.length() < minDigits || value.length() > maxDigits || !allDigits(value))
            {
                fail(column, reason);
                return -1;
            }
            return Long.parseLong(value);
        }

        int governorate(final String column)
        {
            final int code = (int)digits(column, 2, 2, "expected a 2-digit governorate code");
            if (code >= 0 && !Governorates.isValid(code))
            {
                fail(column, "expected a 2-digit governorate code");
                return -1;
            }
            return code;
        }

        long pan(final String column)
        {
            final String value = required(column);
            if (value == null)
            {
                return 0;
            }
            if (value.length() < 16 || value.length() > 19 || !allDigits(value))
            {
                fail(column, "expected 16 to 19 digits");
                return 0;
            }
            if (value.charAt(0) == '0')
            {
                fail(column, "must not start with 0");
                return 0;
            }
            if (value.length() == 19 && value.compareTo(Long.toString(Long.MAX_VALUE)) > 0)
            {
                fail(column, "above " + Long.MAX_VALUE + ", the largest PAN supported");
                return 0;
            }
            final long pan = Long.parseLong(value);
            if (!org.unicard.state.Luhn.isValid(pan))
            {
                fail(column, "fails the Luhn check (" + PanMask.masked(pan) + ")");
                return 0;
            }
            return pan;
        }

        String name(final String column)
        {
            final String value = required(column);
            if (value == null)
            {
                return null;
            }
            if (value.isBlank())
            {
                fail(column, "value required");
                return null;
            }
            for (int i = 0; i < value.length(); i++)
            {
                if (Character.isISOControl(value.charAt(i)))
                {
                    fail(column, "control character in a name");
                    return null;
                }
            }
            return value;
        }

        String printableId(final String column, final int maxLength)
        {
            final String value = required(column);
            if (value == null)
            {
                return null;
            }
            final String reason = "expected 1 to " + maxLength + " printable ASCII characters without leading or trailing spaces";
            if (value.length() > maxLength || value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ')
            {
                fail(column, reason);
                return null;
            }
            for (int i = 0; i < value.length(); i++)
            {
                if (value.charAt(i) < 0x20 || value.charAt(i) > 0x7E)
                {
                    fail(column, reason);
                    return null;
                }
            }
            return value;
        }

        boolean active(final String column)
        {
            final String value = required(column);
            if (value == null)
            {
                return false;
            }
            if ("active".equals(value))
            {
                return true;
            }
            if (!"inactive".equals(value))
            {
                fail(column, "expected active or inactive");
            }
            return false;
        }
    }

    static String utf8(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
