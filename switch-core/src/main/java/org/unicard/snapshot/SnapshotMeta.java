package org.unicard.snapshot;

/**
 * The first section of a snapshot: what it was built from and where it stands, read and checked
 * before the large sections are loaded.
 *
 * @param createdAtMs        wall-clock time the snapshot was written.
 * @param fingerprint        the data set's fingerprint (as the importer computed it, and GENESIS records).
 * @param stamp              the data files it was built from.
 * @param lmkCheckValue      check value of the LMK its keys are stored under.
 * @param journalIndex       queue index of the last journal record included, or -1 when none.
 * @param journalRecords     journal records included, from the first.
 * @param lastRecordCrc      CRC-32C stored in the record at {@code journalIndex}.
 * @param sequence           the authorizer's sequence.
 * @param householdCapacity  household table capacity.
 * @param cardCapacity       card table capacity.
 * @param terminalCapacity   terminal table capacity.
 * @param acquirerCapacity   acquirer table capacity.
 * @param windowCapacity     duplicate window capacity (entries).
 * @param ledgerCapacity     spend ledger capacity (slots).
 */
public record SnapshotMeta(
    long createdAtMs,
    long fingerprint,
    DataFilesStamp stamp,
    String lmkCheckValue,
    long journalIndex,
    long journalRecords,
    int lastRecordCrc,
    long sequence,
    int householdCapacity,
    int cardCapacity,
    int terminalCapacity,
    int acquirerCapacity,
    int windowCapacity,
    int ledgerCapacity)
{
}
