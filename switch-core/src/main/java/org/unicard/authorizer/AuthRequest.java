package org.unicard.authorizer;

/**
 * Everything the authorizer decides a request by, as primitive fields: the decoded message, the
 * business time stamped when the frame arrived, where it came from, and the verdicts of the ring
 * stages before the authorizer (the PIN check). One instance lives in each ring slot and is
 * reused; the journal records it field by field and replay reads it back.
 * <p>
 * Absent optional values are {@link #ABSENT} (or {@code 0} digits for the PAN).
 */
public final class AuthRequest
{
    public static final int ABSENT = -1;

    /** A request from a terminal link; {@link #sourceIndex} is the terminal's dense index. */
    public static final byte SOURCE_TERMINAL = 1;
    /** A request from an acquirer link; {@link #sourceIndex} is the acquirer's dense index. */
    public static final byte SOURCE_ACQUIRER = 2;
    /** A command from the operator API; {@link #sourceIndex} is unused. */
    public static final byte SOURCE_OPERATOR = 3;

    public static final byte PIN_ABSENT = 0;
    public static final byte PIN_CORRECT = 1;
    public static final byte PIN_WRONG = 2;

    public static final byte COMMAND_NONE = 0;
    public static final byte COMMAND_QUERY = 1;
    public static final byte COMMAND_BLOCK_LOST = 2;
    public static final byte COMMAND_BLOCK_STOLEN = 3;
    public static final byte COMMAND_BLOCK_DAMAGED = 4;
    public static final byte COMMAND_COLLECT = 5;
    public static final byte COMMAND_PIN_RESET = 6;

    /** Message type, e.g. 200; for operator commands 0. */
    public int mti;
    public long businessTimeMs;
    public byte sourceType;
    public int sourceIndex;
    /** Field 41 as a big-endian long (eight ASCII characters). */
    public long terminalId;
    /** Field 11. */
    public int stan;
    /** Field 7, MMDDhhmmss as a number. */
    public long transmissionDateTime;
    /** PAN from field 2 or track 2; 0 when absent or not a number. */
    public long pan;
    public int panDigits;
    /** Field 3 as a number: type, account, 00 — e.g. 9200 for "009200" (00/92), 319100 for 31/91. */
    public int processingCode;
    /** Field 4, or {@link #ABSENT}. */
    public long amount;
    /** Field 49, or {@link #ABSENT}. */
    public int currency;
    /** Expiry YYMM sent in field 14 or track 2, or {@link #ABSENT}. */
    public int expiry;
    public byte pinResult;
    /** Field 32 on acquirer links, or {@link #ABSENT}. */
    public long acquirerId;
    /** Field 90 (reversals): original MTI, STAN, field 7 and acquirer; {@link #ABSENT} otherwise. */
    public int originalMti;
    public int originalStan;
    public long originalTransmissionDateTime;
    public long originalAcquirer;
    /**
     * A digest of the fields that must be equal in a retransmission and between a reversal and
     * its original: PAN, processing code, amount, currency, terminal, merchant and acquirer.
     */
    public long contentHash;
    /** Operator command for {@link #SOURCE_OPERATOR}. */
    public byte command;
    /**
     * Where the card of {@link #pan} is believed to be, or {@link #ABSENT}: replay sets it from the
     * card its journal record names. Never trusted: the authorizer uses it only when the card there
     * has this PAN (PANs are unique and a card's PAN never changes), and looks the PAN up otherwise,
     * so a decision is the same with any hint; a right one saves the PAN index's random read.
     */
    public int cardHint = ABSENT;

    /** Sets every field to its absent value. */
    public void clear()
    {
        mti = 0;
        businessTimeMs = 0;
        sourceType = 0;
        sourceIndex = ABSENT;
        terminalId = 0;
        stan = ABSENT;
        transmissionDateTime = ABSENT;
        pan = 0;
        panDigits = 0;
        processingCode = ABSENT;
        amount = ABSENT;
        currency = ABSENT;
        expiry = ABSENT;
        pinResult = PIN_ABSENT;
        acquirerId = ABSENT;
        originalMti = ABSENT;
        originalStan = ABSENT;
        originalTransmissionDateTime = ABSENT;
        originalAcquirer = ABSENT;
        contentHash = 0;
        command = COMMAND_NONE;
        cardHint = ABSENT;
    }

    /**
     * @param other the request to copy from.
     */
    public void copyFrom(final AuthRequest other)
    {
        mti = other.mti;
        businessTimeMs = other.businessTimeMs;
        sourceType = other.sourceType;
        sourceIndex = other.sourceIndex;
        terminalId = other.terminalId;
        stan = other.stan;
        transmissionDateTime = other.transmissionDateTime;
        pan = other.pan;
        panDigits = other.panDigits;
        processingCode = other.processingCode;
        amount = other.amount;
        currency = other.currency;
        expiry = other.expiry;
        pinResult = other.pinResult;
        acquirerId = other.acquirerId;
        originalMti = other.originalMti;
        originalStan = other.originalStan;
        originalTransmissionDateTime = other.originalTransmissionDateTime;
        originalAcquirer = other.originalAcquirer;
        contentHash = other.contentHash;
        command = other.command;
        cardHint = other.cardHint;
    }
}
