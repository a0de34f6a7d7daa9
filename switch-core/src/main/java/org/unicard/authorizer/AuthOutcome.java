package org.unicard.authorizer;

/**
 * What the authorizer decided for one request: the response code and identifiers of the
 * response, the balances for field 54, and the state change it made. One instance lives in each
 * ring slot and is reused; the journal records it next to its request, replay recomputes it and
 * compares, and the reply stage encodes the response from it.
 */
public final class AuthOutcome
{
    /** Most balance blocks in field 54: one per account (spec §5). */
    public static final int MAX_BALANCES = 5;
    public static final int NONE = -1;

    /** The authorizer's sequence number of the request (1, 2, ...). */
    public long sequence;
    public int responseCode;
    /** Field 38 on approvals, 0..999999; {@link #NONE} otherwise. */
    public int authorizationId;
    /** Field 37 assigned by the switch (12 digits). */
    public long retrievalReference;
    /** When the request is a retransmission: the sequence of the original; else {@link #NONE}. */
    public long duplicateOf;
    public int card;
    public int household;
    /** The account changed (91..95), or 0 when nothing changed. */
    public int account;
    /** The signed change to that account's balance (piasters or loaves). */
    public long amountApplied;
    /**
     * For a reversal that undid an approved original: the original's sequence (set even when the
     * credit lapsed with its cycle, because the merchant's settlement is still reversed); else
     * {@link #NONE}.
     */
    public long reversalOf;
    /**
     * For a reversal that undid an approved original: how much of the original's amount it took
     * back from the merchant (the original's amount, less what returns at that terminal had already
     * given back; spec §8), whether or not the card's credit had lapsed; else 0.
     */
    public long reversedAmount;
    /**
     * The sequence of the record before this one that names the same card (0 when none, or when the
     * record names no card): the card's history chain, walked backwards from the card's last record.
     */
    public long previousOfCard;
    /** {@link #previousOfCard} of a record journaled before records held it (260-byte REQUEST records). */
    public static final long UNKNOWN_PREVIOUS = -1;
    /**
     * For a reversal that moved an account ({@link #amountApplied} not 0): that account's balance after
     * the reversal, in its unit, as field 54 would name it (piasters; loaves left today for bread; the
     * wallet's for a health co-payment given back, which the wallet paid); else {@link #NO_BALANCE}.
     * Purchases, returns and withdrawals keep theirs in the balances of field 54 instead.
     */
    public long balanceAfter = NO_BALANCE;
    /** {@link #balanceAfter} when none applies. */
    public static final long NO_BALANCE = Long.MIN_VALUE;
    /** {@link #balanceAfter} of a record journaled before records held it (REQUEST records of 268 bytes or fewer). */
    public static final long UNKNOWN_BALANCE = Long.MIN_VALUE + 1;
    /** The old card superseded by this approval, or {@link #NONE}. */
    public int supersededCard;
    /** The card's status after the request (operator commands, supersede). */
    public byte cardStatus;
    /** The card's consecutive wrong PINs after the request. */
    public byte pinTries;
    public int balanceCount;
    public final int[] balanceAccount = new int[MAX_BALANCES];
    public final long[] balanceAmount = new long[MAX_BALANCES];

    /** Resets to an undecided outcome. */
    public void clear()
    {
        sequence = 0;
        responseCode = ResponseCode.NONE;
        authorizationId = NONE;
        retrievalReference = 0;
        duplicateOf = NONE;
        reversalOf = NONE;
        reversedAmount = 0;
        balanceAfter = NO_BALANCE;
        card = NONE;
        household = NONE;
        account = 0;
        amountApplied = 0;
        previousOfCard = 0;
        supersededCard = NONE;
        cardStatus = 0;
        pinTries = 0;
        balanceCount = 0;
    }

    /**
     * @param accountType an account 91..95.
     * @param amount      the available amount.
     */
    public void addBalance(final int accountType, final long amount)
    {
        balanceAccount[balanceCount] = accountType;
        balanceAmount[balanceCount] = amount;
        balanceCount++;
    }

    /**
     * @param other the outcome to copy from.
     */
    public void copyFrom(final AuthOutcome other)
    {
        sequence = other.sequence;
        responseCode = other.responseCode;
        authorizationId = other.authorizationId;
        retrievalReference = other.retrievalReference;
        duplicateOf = other.duplicateOf;
        reversalOf = other.reversalOf;
        reversedAmount = other.reversedAmount;
        balanceAfter = other.balanceAfter;
        card = other.card;
        household = other.household;
        account = other.account;
        amountApplied = other.amountApplied;
        previousOfCard = other.previousOfCard;
        supersededCard = other.supersededCard;
        cardStatus = other.cardStatus;
        pinTries = other.pinTries;
        balanceCount = other.balanceCount;
        System.arraycopy(other.balanceAccount, 0, balanceAccount, 0, MAX_BALANCES);
        System.arraycopy(other.balanceAmount, 0, balanceAmount, 0, MAX_BALANCES);
    }

    /**
     * @param other another outcome.
     * @return the name of the first field that differs, or {@code null} when they are equal.
     */
    public String firstDifference(final AuthOutcome other)
    {
        if (sequence != other.sequence)
        {
            return "sequence";
        }
        if (responseCode != other.responseCode)
        {
            return "responseCode";
        }
        if (authorizationId != other.authorizationId)
        {
            return "authorizationId";
        }
        if (retrievalReference != other.retrievalReference)
        {
            return "retrievalReference";
        }
        if (duplicateOf != other.duplicateOf)
        {
            return "duplicateOf";
        }
        if (reversalOf != other.reversalOf || reversedAmount != other.reversedAmount)
        {
            return "reversalOf";
        }
        if (card != other.card || household != other.household)
        {
            return "card";
        }
        if (account != other.account || amountApplied != other.amountApplied)
        {
            return "amountApplied";
        }
        if (balanceAfter != other.balanceAfter && balanceAfter != UNKNOWN_BALANCE && other.balanceAfter != UNKNOWN_BALANCE)
        {
            return "balanceAfter";
        }
        if (previousOfCard != other.previousOfCard && previousOfCard != UNKNOWN_PREVIOUS && other.previousOfCard != UNKNOWN_PREVIOUS)
        {
            return "previousOfCard";
        }
        if (supersededCard != other.supersededCard || cardStatus != other.cardStatus || pinTries != other.pinTries)
        {
            return "cardState";
        }
        if (balanceCount != other.balanceCount)
        {
            return "balances";
        }
        // At most five blocks: a plain loop, where a ranged Arrays.equals checks its bounds first
        // (replay compares every record).
        for (int i = 0; i < balanceCount; i++)
        {
            if (balanceAccount[i] != other.balanceAccount[i] || balanceAmount[i] != other.balanceAmount[i])
            {
                return "balances";
            }
        }
        return null;
    }
}
