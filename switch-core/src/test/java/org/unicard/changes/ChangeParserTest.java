package org.unicard.changes;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.state.CardStatus;
import org.unicard.state.Program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeParserTest
{
    static final TdesKey LMK = LocalMasterKey.parse("0123456789ABCDEFFEDCBA9876543210", "test");
    static final String TAK_HEX = "3D3D3D3D3D3D3D3D4F4F4F4F4F4F4F4F";
    static final String HOUSEHOLD = "{\"op\":\"household\",\"household_id\":\"2001\",\"governorate\":\"03\",\"ration_individuals\":\"2\"," +
        "\"bread_individuals\":\"2\",\"cash_support_piasters\":\"0\"}";
    /** A Luhn-valid PAN. */
    static final String PAN = "6036660000010005";

    private final ChangeParser parser = new ChangeParser(LMK);

    static String card(final String pan, final String extra)
    {
        return "{\"op\":\"card\",\"pan\":\"" + pan + "\",\"national_id\":\"28001010300111\",\"household_id\":\"2001\",\"role\":\"head\"," +
            "\"status\":\"collected\",\"issued_on\":\"2026-11-20\",\"expiry\":\"3012\",\"pvv\":\"0123\",\"programs\":\"ration;bread;wallet\"," +
            "\"health_exempt\":\"false\",\"replaces_pan\":\"\",\"mobile\":\"01012345679\"" + extra + "}";
    }

    static String terminal(final String tak)
    {
        return "{\"op\":\"terminal\",\"terminal_id\":\"B0000077\",\"merchant_id\":\"MB0000000000077\",\"type\":\"bakery\"," +
            "\"governorate\":\"03\",\"name\":\"New bakery\",\"tpk_under_lmk\":\"\",\"tak_under_lmk\":\"" + tak + "\",\"status\":\"active\"}";
    }

    private List<ChangeError> errors(final String body)
    {
        final ChangeParser.Result result = parser.parse("b", body.getBytes(StandardCharsets.UTF_8));
        assertNull(result.batch());
        return result.errors();
    }

    private static void assertError(final List<ChangeError> errors, final long line, final String field, final String reasonStart)
    {
        assertTrue(errors.stream().anyMatch(e -> e.line() == line && java.util.Objects.equals(e.field(), field) &&
            e.reason().startsWith(reasonStart)), () -> "expected line=" + line + " field=" + field + " reason=" + reasonStart + "... in " + errors);
    }

    @Test
    void shouldParseEveryOpWithStringsNumbersAndBooleans()
    {
        final String tak = Hex.encode(KeyCipher.encryptUnderLmk(LMK, Hex.parseKey(TAK_HEX)));
        final String body = HOUSEHOLD + "\n\n" +
            card(PAN, ",\"wallet_piasters\":500").replace("\"household_id\":\"2001\"", "\"household_id\":2001")
                .replace("\"health_exempt\":\"false\"", "\"health_exempt\":true") + "\r\n" +
            terminal(tak) + "\n" +
            "{\"op\":\"acquirer\",\"acquirer_id\":12345678901,\"name\":\"Bank\",\"zpk_under_lmk\":\"\",\"status\":\"inactive\"}";
        final ChangeParser.Result result = parser.parse("batch-1", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), result.errors());
        final ChangeBatch batch = result.batch();
        assertEquals(4, batch.size());
        assertEquals(5, batch.lines());
        assertEquals(new ChangeBatch.HouseholdChange(1, 2001, 3, 2, 2, 0), batch.households().getFirst());
        final ChangeBatch.CardChange card = batch.cards().getFirst();
        assertEquals(3, card.line());
        assertEquals(Long.parseLong(PAN), card.pan());
        assertEquals(2001, card.householdId());
        assertEquals(CardStatus.COLLECTED, card.status());
        assertEquals(Program.RATION | Program.BREAD | Program.WALLET, card.programs());
        assertEquals(123, card.pvv());
        assertTrue(card.healthExempt());
        assertEquals(1012345679L, card.mobile());
        assertEquals(500, card.walletPiasters());
        assertArrayEquals(Hex.parseKey(TAK_HEX), batch.terminals().getFirst().macKey());
        assertNull(batch.terminals().getFirst().pinKey());
        assertEquals(12345678901L, batch.acquirers().getFirst().acquirerId());
        assertArrayEquals(ChangeParser.sha256(body.getBytes(StandardCharsets.UTF_8)), batch.sha256());
    }

    @Test
    void shouldLeaveOutWalletAsNone()
    {
        final ChangeParser.Result result = parser.parse("b", (HOUSEHOLD + "\n" + card(PAN, "")).getBytes(StandardCharsets.UTF_8));
        assertEquals(-1, result.batch().cards().getFirst().walletPiasters());
    }

    @Test
    void shouldRefuseMalformedJson()
    {
        final List<ChangeError> errors = errors(HOUSEHOLD + "\n{\"op\":\"household\",\n[1,2]\n" + HOUSEHOLD + " {}\n\"text\"");
        assertError(errors, 2, null, "malformed JSON");
        assertError(errors, 3, null, "expected a JSON object");
        assertError(errors, 4, null, "malformed JSON: more after the object");
        assertError(errors, 5, null, "expected a JSON object");
    }

    @Test
    void shouldRefuseWrongTypes()
    {
        final List<ChangeError> errors = errors(
            HOUSEHOLD.replace("\"ration_individuals\":\"2\"", "\"ration_individuals\":true") + "\n" +
            HOUSEHOLD.replace("2001", "2002").replace("\"bread_individuals\":\"2\"", "\"bread_individuals\":2.5") + "\n" +
            HOUSEHOLD.replace("2001", "2003").replace("\"governorate\":\"03\"", "\"governorate\":null") + "\n" +
            terminal("").replace("\"name\":\"New bakery\"", "\"name\":42") + "\n" +
            HOUSEHOLD.replace("\"household_id\":\"2001\"", "\"household_id\":{\"id\":1}") + "\n" +
            "{\"op\":7}");
        assertError(errors, 1, "ration_individuals", "wrong type: expected a string or a whole number, not a boolean");
        assertError(errors, 2, "bread_individuals", "wrong type: expected a string or a whole number, not a number");
        assertError(errors, 3, "governorate", "wrong type: expected a string or a whole number, not null");
        assertError(errors, 4, "name", "wrong type: expected a string, not a number");
        assertError(errors, 5, "household_id", "wrong type");
        assertError(errors, 6, "op", "wrong type: expected a string or a whole number, not a number".substring(0, 10));
    }

    @Test
    void shouldRefuseUnknownOpsColumnsAndMissingOnes()
    {
        final List<ChangeError> errors = errors(
            "{\"op\":\"merchant\",\"id\":\"1\"}\n" +
            HOUSEHOLD.replace("}", ",\"colour\":\"red\"}") + "\n" +
            HOUSEHOLD.replace(",\"cash_support_piasters\":\"0\"", "") + "\n" +
            "{\"household_id\":\"1\"}\n" +
            HOUSEHOLD.replace("\"governorate\":\"03\"", "\"governorate\":\"03\",\"governorate\":\"04\""));
        assertError(errors, 1, "op", "unknown op \"merchant\"");
        assertError(errors, 2, "colour", "unknown column for op household");
        assertError(errors, 3, "cash_support_piasters", "missing column");
        assertError(errors, 4, "op", "missing");
        assertError(errors, 5, "governorate", "given twice");
    }

    @Test
    void shouldCheckEveryValueAsTheImportDoes()
    {
        final List<ChangeError> errors = errors(
            HOUSEHOLD.replace("\"governorate\":\"03\"", "\"governorate\":\"99\"").replace("\"ration_individuals\":\"2\"", "\"ration_individuals\":\"100\"") + "\n" +
            card("6036660000010008", "") + "\n" +
            card(PAN, ",\"wallet_piasters\":-5").replace("\"role\":\"head\"", "\"role\":\"boss\"").replace("\"expiry\":\"3012\"", "\"expiry\":\"3013\"")
                .replace("\"issued_on\":\"2026-11-20\"", "\"issued_on\":\"2026-02-30\"").replace("\"mobile\":\"01012345679\"", "\"mobile\":\"0201234567\"") + "\n" +
            card("6036660000010013", "").replace("\"role\":\"head\"", "\"role\":\"member\"").replace("\"national_id\":\"28001010300111\"", "\"national_id\":\"28013010300111\"") + "\n" +
            HOUSEHOLD.replace("\"household_id\":\"2001\"", "\"household_id\":\"0\""));
        assertError(errors, 1, "governorate", "expected a 2-digit governorate code");
        assertError(errors, 1, "ration_individuals", "expected 0 to 99");
        assertError(errors, 2, "pan", "fails the Luhn check (603666******0008)");
        assertError(errors, 3, "role", "expected head or member");
        assertError(errors, 3, "expiry", "expected YYMM");
        assertError(errors, 3, "issued_on", "not a calendar date");
        assertError(errors, 3, "mobile", "expected 11 digits starting 01");
        assertError(errors, 3, "wallet_piasters", "expected a whole number of piasters");
        assertError(errors, 4, "programs", "household programs (ration, bread, cash) are only allowed on a head card");
        assertError(errors, 4, "national_id", "digits 2-7 are not a birth date YYMMDD");
        assertError(errors, 5, "household_id", "must not be 0");
        assertTrue(errors.stream().noneMatch(e -> e.reason().contains("6036660000010008")), "never a full PAN in an error");
    }

    @Test
    void shouldRefuseDuplicatesInsideOneBatch()
    {
        final List<ChangeError> errors = errors(HOUSEHOLD + "\n" + card(PAN, "") + "\n" + card(PAN, "") + "\n" + HOUSEHOLD + "\n" +
            terminal("") + "\n" + terminal(""));
        assertError(errors, 3, "pan", "duplicate pan in this batch (line 2)");
        assertError(errors, 4, "household_id", "duplicate household_id in this batch (line 1)");
        assertError(errors, 6, "terminal_id", "duplicate terminal_id in this batch (line 5)");
    }

    @Test
    void shouldRefuseAKeyFailingParityUnderTheLmk()
    {
        final TdesKey otherLmk = LocalMasterKey.parse("FEDCBA98765432100123456789ABCDEF", "other");
        final String underOther = Hex.encode(KeyCipher.encryptUnderLmk(otherLmk, Hex.parseKey(TAK_HEX)));
        final List<ChangeError> errors = errors(terminal(underOther) + "\n" + terminal("12345").replace("B0000077", "B0000078"));
        assertError(errors, 1, "tak_under_lmk", "does not decrypt to an odd-parity key under this LMK");
        assertError(errors, 2, "tak_under_lmk", "expected 32 hex digits");
        assertTrue(errors.stream().noneMatch(e -> e.reason().contains(underOther)), "never a key in an error");
    }

    @Test
    void shouldRefuseAnEmptyBatchAndAReplacementOfItself()
    {
        assertError(errors("\n  \n"), 0, null, "the batch holds no change");
        assertError(errors(card(PAN, "").replace("\"replaces_pan\":\"\"", "\"replaces_pan\":\"" + PAN + "\"")), 1, "replaces_pan",
            "a card cannot replace itself");
    }

    @Test
    void shouldCheckBatchIds()
    {
        assertNull(BatchId.problem("2026-12-03_cards.v1"));
        assertNull(BatchId.problem("a".repeat(64)));
        assertTrue(BatchId.problem(null).startsWith("batch id required"));
        assertTrue(BatchId.problem("").startsWith("batch id required"));
        assertEquals("batch id length=65 max=64", BatchId.problem("a".repeat(65)));
        assertEquals("batch id has a character outside A-Z a-z 0-9 . _ - at index=5", BatchId.problem("batch/1"));
        assertEquals("batch id has a character outside A-Z a-z 0-9 . _ - at index=1", BatchId.problem("bé"));
        assertEquals("batch id must not be . or ..", BatchId.problem(".."));
    }
}
