package org.unicard.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.function.LongConsumer;

import org.unicard.authorizer.Authorizer;
import org.unicard.security.KeyCipher;
import org.unicard.security.TdesKey;
import org.unicard.state.AcquirerTable;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;

/**
 * Writes the switch's current master data as a data set in the formats of spec §10, for a fresh
 * journal at a month boundary and for audits: every household, card, terminal and acquirer with the
 * live changes applied, each card's current status and wallet balance, the keys encrypted under the
 * LMK again. What §10 has no column for is not carried (see docs/operations.md, "Month boundary"):
 * it is listed in {@code not-carried.csv} (each household's cash-support balance, which a new data
 * set's first business day does not give back), so nothing is lost silently.
 * <p>
 * Statuses the §10 files cannot hold are written as the status that answers the same: a card
 * superseded by its replacement as {@code damaged} (both answer 62), a destroyed (uncollected) card
 * as {@code issued} with its issue day (destroyed again by the same rule).
 */
public final class DataSetExporter
{
    /** File listing what §10 has no column for. */
    public static final String NOT_CARRIED = "not-carried.csv";

    private DataSetExporter()
    {
    }

    /** What was written. */
    public record Summary(long households, long cards, long terminals, long acquirers, long cashNotCarriedPiasters)
    {
    }

    /**
     * @param data       the recovered tables.
     * @param authorizer the recovered authorizer; its households are brought up to its last business time
     *                   (the state is a copy recovered for the export, never the live switch's).
     * @param lmk        the key the exported keys are encrypted under.
     * @param out        a directory that does not exist yet, or an empty one.
     * @param rows       told the rows written so far.
     * @return counts.
     */
    public static Summary export(final DataSet data, final Authorizer authorizer, final TdesKey lmk, final Path out, final LongConsumer rows)
        throws IOException
    {
        Files.createDirectories(out);
        try (var entries = Files.list(out))
        {
            if (entries.findAny().isPresent())
            {
                throw new IOException("out=" + out + " reason=not empty: the export writes a new data directory");
            }
        }
        long written = 0;
        long cashNotCarried = 0;
        final HouseholdTable households = data.households();
        // Cycles roll lazily: credit what is due up to the last business time, so the cash balances are current.
        if (authorizer.hasGenesis())
        {
            authorizer.changeTime(authorizer.lastTimeMs());
            for (int h = 0; h < households.size(); h++)
            {
                authorizer.settleHousehold(h);
            }
        }
        try (BufferedWriter csv = open(out.resolve("households.csv"));
            BufferedWriter notCarried = open(out.resolve(NOT_CARRIED)))
        {
            csv.write("household_id,governorate,ration_individuals,bread_individuals,cash_support_piasters\n");
            notCarried.write("household_id,what,amount\n");
            for (int h = 0; h < households.size(); h++)
            {
                csv.write(households.householdId(h) + "," + twoDigits(households.governorate(h)) + "," + households.rationIndividuals(h) + "," +
                    households.breadIndividuals(h) + "," + households.cashSupportMonthlyPiasters(h) + "\n");
                final long cash = households.cashBalancePiasters(h);
                if (cash != 0)
                {
                    notCarried.write(households.householdId(h) + ",cash_balance_piasters," + cash + "\n");
                    cashNotCarried += cash;
                }
                report(++written, rows);
            }
        }
        final CardTable cards = data.cards();
        try (BufferedWriter csv = open(out.resolve("cards.csv")))
        {
            csv.write("pan,national_id,household_id,role,status,issued_on,expiry,pvv,programs,wallet_piasters,health_exempt,replaces_pan,mobile\n");
            for (int c = 0; c < cards.size(); c++)
            {
                final int replaced = cards.replacesCard(c);
                final long mobile = cards.mobile(c);
                csv.write(cards.pan(c) + "," + String.format("%014d", cards.nationalId(c)) + "," +
                    households.householdId(cards.household(c)) + "," + (cards.hasFlag(c, CardTable.FLAG_HEAD) ? "head" : "member") + "," +
                    exportedStatus(cards.status(c)) + "," + LocalDate.ofEpochDay(cards.issuedDay(c)) + "," +
                    String.format("%04d", cards.expiryYyMm(c)) + "," + String.format("%04d", cards.pvv(c)) + "," +
                    Program.names(cards.programs(c)) + "," + cards.walletBalancePiasters(c) + "," +
                    cards.hasFlag(c, CardTable.FLAG_HEALTH_EXEMPT) + "," + (replaced == CardTable.NO_CARD ? "" : Long.toString(cards.pan(replaced))) +
                    "," + (mobile == 0 ? "" : "0" + mobile) + "\n");
                report(++written, rows);
            }
        }
        final TerminalTable terminals = data.terminals();
        try (BufferedWriter csv = open(out.resolve("terminals.csv")))
        {
            csv.write("terminal_id,merchant_id,type,governorate,name,tpk_under_lmk,tak_under_lmk,status\n");
            for (int t = 0; t < terminals.size(); t++)
            {
                csv.write(TerminalTable.unpackTerminalId(terminals.terminalId[t]) + "," +
                    new String(terminals.merchantId[t], StandardCharsets.US_ASCII).stripTrailing() + "," + TerminalType.name(terminals.type[t]) + "," +
                    twoDigits(terminals.governorate[t]) + "," + quoted(terminals.name[t]) + "," + key(lmk, terminals.pinKey[t]) + "," +
                    key(lmk, terminals.macKey[t]) + "," + (terminals.active[t] ? "active" : "inactive") + "\n");
                report(++written, rows);
            }
        }
        final AcquirerTable acquirers = data.acquirers();
        try (BufferedWriter csv = open(out.resolve("acquirers.csv")))
        {
            csv.write("acquirer_id,name,zpk_under_lmk,status\n");
            for (int a = 0; a < acquirers.size(); a++)
            {
                csv.write(acquirers.acquirerId[a] + "," + quoted(acquirers.name[a]) + "," + key(lmk, acquirers.zonePinKey[a]) + "," +
                    (acquirers.active[a] ? "active" : "inactive") + "\n");
                report(++written, rows);
            }
        }
        try (Writer csv = open(out.resolve("keys.csv")))
        {
            csv.write("name,key_under_lmk\npvk," + key(lmk, data.pinVerificationKey()) + "\n");
        }
        rows.accept(written);
        return new Summary(households.size(), cards.size(), terminals.size(), acquirers.size(), cashNotCarried);
    }

    static String exportedStatus(final byte status)
    {
        return switch (status)
        {
            case CardStatus.SUPERSEDED -> "damaged";
            case CardStatus.DESTROYED -> "issued";
            default -> CardStatus.name(status);
        };
    }

    private static String twoDigits(final int code)
    {
        return code < 10 ? "0" + code : Integer.toString(code);
    }

    private static String key(final TdesKey lmk, final byte[] clear)
    {
        return clear == null ? "" : KeyCipher.encryptUnderLmkHex(lmk, clear);
    }

    private static String quoted(final String value)
    {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0)
        {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static void report(final long written, final LongConsumer rows)
    {
        if ((written & 0xFFFF) == 0)
        {
            rows.accept(written);
        }
    }

    private static BufferedWriter open(final Path file) throws IOException
    {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
}
