package org.unicard.state;

/**
 * Everything imported from a data directory (spec §10): the four tables and the clear PIN
 * verification key. The importer builds it whole or not at all.
 *
 * @param households    households.csv.
 * @param cards         cards.csv.
 * @param terminals     terminals.csv.
 * @param acquirers     acquirers.csv (empty when the file is absent).
 * @param pinVerificationKey the clear PVK (PVKI 1) from keys.csv.
 * @param fingerprint   a digest of the imported files' bytes, recorded in the journal so a restart
 *                      can refuse a journal that belongs to another data set.
 */
public record DataSet(
    HouseholdTable households,
    CardTable cards,
    TerminalTable terminals,
    AcquirerTable acquirers,
    byte[] pinVerificationKey,
    long fingerprint)
{
}
