package org.unicard.changes;

import java.util.List;

/**
 * A change batch that passed every check that needs no live table (syntax, columns, values, key
 * parity, duplicates inside the batch). Keys are held in clear, in memory only; the batch's text
 * (keys under the LMK) is what goes to disk.
 *
 * @param id          the batch id.
 * @param sha256      SHA-256 of the batch's bytes (its content, for exactly-once).
 * @param bodyBytes   length of the batch's bytes.
 * @param lines       lines in the batch (blank ones included).
 * @param households  household changes, in line order.
 * @param cards       card changes, in line order.
 * @param terminals   terminal changes, in line order.
 * @param acquirers   acquirer changes, in line order.
 */
public record ChangeBatch(
    String id,
    byte[] sha256,
    long bodyBytes,
    int lines,
    List<HouseholdChange> households,
    List<CardChange> cards,
    List<TerminalChange> terminals,
    List<AcquirerChange> acquirers)
{
    /**
     * @return the changes in the batch.
     */
    public int size()
    {
        return households.size() + cards.size() + terminals.size() + acquirers.size();
    }

    /** A {@code household} line. */
    public record HouseholdChange(
        int line, long householdId, int governorate, int rationIndividuals, int breadIndividuals, long cashSupportPiasters)
    {
    }

    /**
     * A {@code card} line.
     *
     * @param walletPiasters the opening wallet balance, or -1 when the line gives none (an existing
     *                       card must give none).
     * @param replacesPan    the replaced card's PAN, or 0.
     * @param mobile         without its leading 0, or 0.
     */
    public record CardChange(
        int line, long pan, long nationalId, long householdId, boolean head, byte status, int issuedDay, int expiry, int pvv,
        int programs, boolean healthExempt, long replacesPan, long mobile, long walletPiasters)
    {
    }

    /** A {@code terminal} line; keys in clear, or {@code null}. */
    public record TerminalChange(
        int line, String terminalId, String merchantId, byte type, int governorate, String name, byte[] pinKey, byte[] macKey,
        boolean active)
    {
    }

    /** An {@code acquirer} line; key in clear, or {@code null}. */
    public record AcquirerChange(int line, long acquirerId, String name, byte[] zonePinKey, boolean active)
    {
    }
}
