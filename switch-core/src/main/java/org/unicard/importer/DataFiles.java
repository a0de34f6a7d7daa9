package org.unicard.importer;

import java.util.List;

/**
 * Names and columns of the files of a data directory (spec §10), shared by the importer and the
 * generator. The generator writes the columns in exactly this order; the importer accepts them in
 * any order, each exactly once.
 */
public final class DataFiles
{
    public static final String HOUSEHOLDS = "households.csv";
    public static final String CARDS = "cards.csv";
    public static final String TERMINALS = "terminals.csv";
    /** Optional: without it the switch knows no acquirer. */
    public static final String ACQUIRERS = "acquirers.csv";
    public static final String KEYS = "keys.csv";

    public static final List<String> HOUSEHOLDS_COLUMNS = List.of(
        "household_id", "governorate", "ration_individuals", "bread_individuals", "cash_support_piasters");

    public static final List<String> CARDS_COLUMNS = List.of(
        "pan", "national_id", "household_id", "role", "status", "issued_on", "expiry", "pvv", "programs",
        "wallet_piasters", "health_exempt", "replaces_pan", "mobile");

    public static final List<String> TERMINALS_COLUMNS = List.of(
        "terminal_id", "merchant_id", "type", "governorate", "name", "tpk_under_lmk", "tak_under_lmk", "status");

    public static final List<String> ACQUIRERS_COLUMNS = List.of("acquirer_id", "name", "zpk_under_lmk", "status");

    public static final List<String> KEYS_COLUMNS = List.of("name", "key_under_lmk");

    /** The one row name {@code keys.csv} holds: the PIN verification key, PVKI 1. */
    public static final String PVK = "pvk";

    private DataFiles()
    {
    }

    /**
     * @param columns one of the column lists.
     * @return the header row (without its line end).
     */
    public static String header(final List<String> columns)
    {
        return String.join(",", columns);
    }
}
