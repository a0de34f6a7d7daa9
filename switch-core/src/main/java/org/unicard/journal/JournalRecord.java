package org.unicard.journal;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.config.ProgramRules;

/**
 * Layout of one journal record, little-endian:
 * <pre>
 *   0                   4         6          8
 *   +-------------------+---------+----------+------------------------------+
 *   | CRC-32C of [4,len)| type u16| len u16  | body (by type)               |
 *   +-------------------+---------+----------+------------------------------+
 *
 *   GENESIS  body: business time ms (i64), data-set fingerprint (i64)
 *   RULES    body: rule count (i32), pad (i32), rule values (i64 each, ProgramRules order)
 *   REQUEST  body: the AuthRequest then the AuthOutcome, at the offsets below (276 bytes in all):
 *            260  sequence of the card's previous record, its history chain (i64)
 *            268  balance after a reversal that moved an account, in its unit (i64; see
 *                 AuthOutcome.balanceAfter); AuthOutcome.NO_BALANCE on every other record
 *            The layout only grows at its end, and the length says which fields a record holds:
 *            a record of 260 bytes (written before the history chain) decodes with an unknown
 *            previous record, one of 260 or 268 bytes (before the balance after a reversal) with
 *            an unknown balance; replay compares every field but the unknown ones.
 *   CHANGES  body (a change batch applied, spec §12; 176 bytes in all):
 *              8  business time ms the batch was applied at (i64)
 *             16  changes applied (i32)          20  lines in the batch (i32)
 *             24  batch bytes (i64)
 *             32  SHA-256 of the batch bytes (32 bytes)
 *             64  households added, changed; cards added, changed; terminals added, changed;
 *                 acquirers added, changed (8 x i32)
 *             96  batch id length (u8), then the id, ASCII, zero-padded to 64 bytes (97..160)
 *            161  pad to 176
 *            The batch itself (JSON Lines as posted, keys under the LMK) is the file
 *            {@code changes/<id>-<first 16 hex digits of the SHA-256>.jsonl} in the journal
 *            directory, written and forced to disk before this record is appended; replay reads
 *            it there, checks its SHA-256, and applies it again at this point among the requests.
 * </pre>
 * Encoding and decoding allocate nothing; the CRC is computed with a reused {@link CRC32C}, so an
 * instance belongs to one thread.
 */
public final class JournalRecord
{
    public static final int TYPE_GENESIS = 1;
    public static final int TYPE_RULES = 2;
    public static final int TYPE_REQUEST = 3;
    /** A change batch applied (spec §12); see the class comment for its layout. */
    public static final int TYPE_CHANGES = 4;

    public static final int HEADER_BYTES = 8;
    /**
     * Largest record of any type: the REQUEST record (276 bytes since the balance after a reversal;
     * a RULES record is 16 + 8 per rule).
     */
    public static final int MAX_BYTES = 276;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int CRC_OFFSET = 0;
    private static final int TYPE_OFFSET = 4;
    private static final int LENGTH_OFFSET = 6;

    private static final int GENESIS_TIME = 8;
    private static final int GENESIS_FINGERPRINT = 16;
    private static final int GENESIS_BYTES = 24;

    private static final int RULES_COUNT = 8;
    private static final int RULES_VALUES = 16;

    private static final int SEQUENCE = 8;
    private static final int TIME = 16;
    private static final int MTI = 24;
    private static final int SOURCE_TYPE = 28;
    private static final int PIN_RESULT = 29;
    private static final int COMMAND = 30;
    private static final int PAN_DIGITS = 31;
    private static final int SOURCE_INDEX = 32;
    private static final int STAN = 36;
    private static final int TERMINAL_ID = 40;
    private static final int TRANSMISSION = 48;
    private static final int PAN = 56;
    private static final int PROCESSING_CODE = 64;
    private static final int CURRENCY = 68;
    private static final int AMOUNT = 72;
    private static final int EXPIRY = 80;
    private static final int ORIGINAL_MTI = 84;
    private static final int ORIGINAL_STAN = 88;
    private static final int ORIGINAL_TRANSMISSION = 96;
    private static final int ORIGINAL_ACQUIRER = 104;
    private static final int CONTENT_HASH = 112;
    private static final int RESPONSE_CODE = 120;
    private static final int AUTHORIZATION_ID = 124;
    private static final int RETRIEVAL_REFERENCE = 128;
    private static final int DUPLICATE_OF = 136;
    private static final int CARD = 144;
    private static final int HOUSEHOLD = 148;
    private static final int ACCOUNT = 152;
    private static final int SUPERSEDED_CARD = 156;
    private static final int AMOUNT_APPLIED = 160;
    private static final int CARD_STATUS = 168;
    private static final int PIN_TRIES = 169;
    private static final int BALANCE_COUNT = 170;
    private static final int REVERSAL_OF = 176;
    private static final int BALANCES = 184;
    private static final int BALANCE_BYTES = 12;
    private static final int ACQUIRER_ID = BALANCES + AuthOutcome.MAX_BALANCES * BALANCE_BYTES;
    private static final int REVERSED_AMOUNT = ACQUIRER_ID + 8;
    private static final int PREVIOUS_OF_CARD = REVERSED_AMOUNT + 8;
    private static final int BALANCE_AFTER = PREVIOUS_OF_CARD + 8;
    /** Length of a REQUEST record written before the history chain: it ends before {@code previous-of-card}. */
    public static final int REQUEST_BYTES_BEFORE_HISTORY = PREVIOUS_OF_CARD;
    /** Length of a REQUEST record written before the balance after a reversal: it ends before that balance. */
    public static final int REQUEST_BYTES_BEFORE_BALANCE_AFTER = BALANCE_AFTER;
    /** Length of a REQUEST record. */
    public static final int REQUEST_BYTES = BALANCE_AFTER + 8;

    private static final int CHANGES_TIME = 8;
    private static final int CHANGES_APPLIED = 16;
    private static final int CHANGES_LINES = 20;
    private static final int CHANGES_BODY_BYTES = 24;
    private static final int CHANGES_SHA256 = 32;
    private static final int CHANGES_COUNTS = 64;
    private static final int CHANGES_ID_LENGTH = 96;
    private static final int CHANGES_ID = 97;
    private static final int CHANGES_ID_MAX = 64;
    /** Length of a CHANGES record. */
    public static final int CHANGES_BYTES = 176;

    private final CRC32C crc = new CRC32C();
    private final byte[] crcScratch = new byte[MAX_BYTES];

    /**
     * @return the length of the GENESIS record written.
     */
    public int encodeGenesis(final MutableDirectBuffer buffer, final long businessTimeMs, final long fingerprint)
    {
        buffer.putLong(GENESIS_TIME, businessTimeMs, ORDER);
        buffer.putLong(GENESIS_FINGERPRINT, fingerprint, ORDER);
        return seal(buffer, TYPE_GENESIS, GENESIS_BYTES);
    }

    /**
     * @return the length of the RULES record written.
     */
    public int encodeRules(final MutableDirectBuffer buffer, final ProgramRules rules)
    {
        final long[] values = rules.values();
        buffer.putInt(RULES_COUNT, values.length, ORDER);
        buffer.putInt(RULES_COUNT + 4, 0, ORDER);
        for (int i = 0; i < values.length; i++)
        {
            buffer.putLong(RULES_VALUES + i * 8, values[i], ORDER);
        }
        return seal(buffer, TYPE_RULES, RULES_VALUES + values.length * 8);
    }

    /**
     * @return the length of the REQUEST record written.
     */
    public int encodeRequest(final MutableDirectBuffer buffer, final AuthRequest request, final AuthOutcome outcome)
    {
        buffer.putLong(SEQUENCE, outcome.sequence, ORDER);
        buffer.putLong(TIME, request.businessTimeMs, ORDER);
        buffer.putInt(MTI, request.mti, ORDER);
        buffer.putByte(SOURCE_TYPE, request.sourceType);
        buffer.putByte(PIN_RESULT, request.pinResult);
        buffer.putByte(COMMAND, request.command);
        buffer.putByte(PAN_DIGITS, (byte)request.panDigits);
        buffer.putInt(SOURCE_INDEX, request.sourceIndex, ORDER);
        buffer.putInt(STAN, request.stan, ORDER);
        buffer.putLong(TERMINAL_ID, request.terminalId, ORDER);
        buffer.putLong(TRANSMISSION, request.transmissionDateTime, ORDER);
        buffer.putLong(PAN, request.pan, ORDER);
        buffer.putInt(PROCESSING_CODE, request.processingCode, ORDER);
        buffer.putInt(CURRENCY, request.currency, ORDER);
        buffer.putLong(AMOUNT, request.amount, ORDER);
        buffer.putInt(EXPIRY, request.expiry, ORDER);
        buffer.putInt(ORIGINAL_MTI, request.originalMti, ORDER);
        buffer.putInt(ORIGINAL_STAN, request.originalStan, ORDER);
        buffer.putInt(ORIGINAL_STAN + 4, 0, ORDER);
        buffer.putLong(ORIGINAL_TRANSMISSION, request.originalTransmissionDateTime, ORDER);
        buffer.putLong(ORIGINAL_ACQUIRER, request.originalAcquirer, ORDER);
        buffer.putLong(CONTENT_HASH, request.contentHash, ORDER);
        buffer.putLong(ACQUIRER_ID, request.acquirerId, ORDER);

        buffer.putInt(RESPONSE_CODE, outcome.responseCode, ORDER);
        buffer.putInt(AUTHORIZATION_ID, outcome.authorizationId, ORDER);
        buffer.putLong(RETRIEVAL_REFERENCE, outcome.retrievalReference, ORDER);
        buffer.putLong(DUPLICATE_OF, outcome.duplicateOf, ORDER);
        buffer.putInt(CARD, outcome.card, ORDER);
        buffer.putInt(HOUSEHOLD, outcome.household, ORDER);
        buffer.putInt(ACCOUNT, outcome.account, ORDER);
        buffer.putInt(SUPERSEDED_CARD, outcome.supersededCard, ORDER);
        buffer.putLong(AMOUNT_APPLIED, outcome.amountApplied, ORDER);
        buffer.putByte(CARD_STATUS, outcome.cardStatus);
        buffer.putByte(PIN_TRIES, outcome.pinTries);
        buffer.putByte(BALANCE_COUNT, (byte)outcome.balanceCount);
        buffer.setMemory(BALANCE_COUNT + 1, REVERSAL_OF - BALANCE_COUNT - 1, (byte)0);
        buffer.putLong(REVERSAL_OF, outcome.reversalOf, ORDER);
        buffer.putLong(REVERSED_AMOUNT, outcome.reversedAmount, ORDER);
        buffer.putLong(PREVIOUS_OF_CARD, outcome.previousOfCard, ORDER);
        buffer.putLong(BALANCE_AFTER, outcome.balanceAfter, ORDER);
        for (int i = 0; i < AuthOutcome.MAX_BALANCES; i++)
        {
            final int at = BALANCES + i * BALANCE_BYTES;
            final boolean used = i < outcome.balanceCount;
            buffer.putInt(at, used ? outcome.balanceAccount[i] : 0, ORDER);
            buffer.putLong(at + 4, used ? outcome.balanceAmount[i] : 0, ORDER);
        }
        return seal(buffer, TYPE_REQUEST, REQUEST_BYTES);
    }

    /**
     * Encodes a CHANGES record (allocates nothing; a batch is not on the hot path anyway).
     *
     * @param counts eight counts: households added, changed, cards added, changed, terminals added,
     *               changed, acquirers added, changed.
     * @return the length of the record written.
     */
    public int encodeChanges(
        final MutableDirectBuffer buffer,
        final long businessTimeMs,
        final int applied,
        final int lines,
        final long bodyBytes,
        final byte[] sha256,
        final int[] counts,
        final String batchId)
    {
        if (batchId.length() > CHANGES_ID_MAX || sha256.length != 32 || counts.length != 8)
        {
            throw new IllegalArgumentException("batch id length=" + batchId.length() + " sha256=" + sha256.length + " counts=" + counts.length);
        }
        buffer.putLong(CHANGES_TIME, businessTimeMs, ORDER);
        buffer.putInt(CHANGES_APPLIED, applied, ORDER);
        buffer.putInt(CHANGES_LINES, lines, ORDER);
        buffer.putLong(CHANGES_BODY_BYTES, bodyBytes, ORDER);
        buffer.putBytes(CHANGES_SHA256, sha256);
        for (int i = 0; i < 8; i++)
        {
            buffer.putInt(CHANGES_COUNTS + i * 4, counts[i], ORDER);
        }
        buffer.putByte(CHANGES_ID_LENGTH, (byte)batchId.length());
        buffer.setMemory(CHANGES_ID, CHANGES_BYTES - CHANGES_ID, (byte)0);
        for (int i = 0; i < batchId.length(); i++)
        {
            buffer.putByte(CHANGES_ID + i, (byte)batchId.charAt(i));
        }
        return seal(buffer, TYPE_CHANGES, CHANGES_BYTES);
    }

    public static long changesTimeMs(final DirectBuffer buffer)
    {
        return buffer.getLong(CHANGES_TIME, ORDER);
    }

    public static int changesApplied(final DirectBuffer buffer)
    {
        return buffer.getInt(CHANGES_APPLIED, ORDER);
    }

    public static int changesLines(final DirectBuffer buffer)
    {
        return buffer.getInt(CHANGES_LINES, ORDER);
    }

    public static long changesBodyBytes(final DirectBuffer buffer)
    {
        return buffer.getLong(CHANGES_BODY_BYTES, ORDER);
    }

    public static byte[] changesSha256(final DirectBuffer buffer)
    {
        final byte[] hash = new byte[32];
        buffer.getBytes(CHANGES_SHA256, hash);
        return hash;
    }

    /**
     * @return the eight counts (see {@link #encodeChanges}).
     */
    public static int[] changesCounts(final DirectBuffer buffer)
    {
        final int[] counts = new int[8];
        for (int i = 0; i < 8; i++)
        {
            counts[i] = buffer.getInt(CHANGES_COUNTS + i * 4, ORDER);
        }
        return counts;
    }

    /**
     * @return the cards the batch added (the third of {@link #changesCounts}), without allocating.
     */
    public static int changesCardsAdded(final DirectBuffer buffer)
    {
        return buffer.getInt(CHANGES_COUNTS + 2 * 4, ORDER);
    }

    public static String changesBatchId(final DirectBuffer buffer)
    {
        final int length = Math.min(CHANGES_ID_MAX, buffer.getByte(CHANGES_ID_LENGTH) & 0xFF);
        final byte[] id = new byte[length];
        buffer.getBytes(CHANGES_ID, id);
        return new String(id, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Checks a record's framing and checksum.
     *
     * @param buffer holding the record at offset 0.
     * @param length the bytes the journal entry holds.
     * @return {@code null} when the record is whole and its checksum matches, else the reason.
     */
    public String verify(final DirectBuffer buffer, final int length)
    {
        if (length < HEADER_BYTES || length > MAX_BYTES)
        {
            return "length=" + length + " range=[" + HEADER_BYTES + "," + MAX_BYTES + "]";
        }
        final int declared = buffer.getShort(LENGTH_OFFSET, ORDER) & 0xFFFF;
        if (declared != length)
        {
            return "declared length=" + declared + " actual=" + length;
        }
        final int expected = buffer.getInt(CRC_OFFSET, ORDER);
        final int actual = checksum(buffer, length);
        if (expected != actual)
        {
            return "crc32c expected=" + Integer.toHexString(expected) + " actual=" + Integer.toHexString(actual);
        }
        return null;
    }

    public static int type(final DirectBuffer buffer)
    {
        return buffer.getShort(TYPE_OFFSET, ORDER) & 0xFFFF;
    }

    public static long genesisTimeMs(final DirectBuffer buffer)
    {
        return buffer.getLong(GENESIS_TIME, ORDER);
    }

    public static long genesisFingerprint(final DirectBuffer buffer)
    {
        return buffer.getLong(GENESIS_FINGERPRINT, ORDER);
    }

    /**
     * @return the rules of a RULES record.
     */
    public static ProgramRules decodeRules(final DirectBuffer buffer)
    {
        final int count = buffer.getInt(RULES_COUNT, ORDER);
        if (count != ProgramRules.VALUE_COUNT)
        {
            throw new IllegalStateException("journal RULES record has count=" + count + " expected=" + ProgramRules.VALUE_COUNT);
        }
        final long[] values = new long[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = buffer.getLong(RULES_VALUES + i * 8, ORDER);
        }
        return ProgramRules.fromValues(values);
    }

    /**
     * Reads a REQUEST record into a request and its recorded outcome.
     */
    public static void decodeRequest(final DirectBuffer buffer, final AuthRequest request, final AuthOutcome outcome)
    {
        request.businessTimeMs = buffer.getLong(TIME, ORDER);
        request.mti = buffer.getInt(MTI, ORDER);
        request.sourceType = buffer.getByte(SOURCE_TYPE);
        request.pinResult = buffer.getByte(PIN_RESULT);
        request.command = buffer.getByte(COMMAND);
        request.panDigits = buffer.getByte(PAN_DIGITS);
        request.sourceIndex = buffer.getInt(SOURCE_INDEX, ORDER);
        request.stan = buffer.getInt(STAN, ORDER);
        request.terminalId = buffer.getLong(TERMINAL_ID, ORDER);
        request.transmissionDateTime = buffer.getLong(TRANSMISSION, ORDER);
        request.pan = buffer.getLong(PAN, ORDER);
        request.processingCode = buffer.getInt(PROCESSING_CODE, ORDER);
        request.currency = buffer.getInt(CURRENCY, ORDER);
        request.amount = buffer.getLong(AMOUNT, ORDER);
        request.expiry = buffer.getInt(EXPIRY, ORDER);
        request.originalMti = buffer.getInt(ORIGINAL_MTI, ORDER);
        request.originalStan = buffer.getInt(ORIGINAL_STAN, ORDER);
        request.originalTransmissionDateTime = buffer.getLong(ORIGINAL_TRANSMISSION, ORDER);
        request.originalAcquirer = buffer.getLong(ORIGINAL_ACQUIRER, ORDER);
        request.contentHash = buffer.getLong(CONTENT_HASH, ORDER);
        request.acquirerId = buffer.getLong(ACQUIRER_ID, ORDER);

        outcome.sequence = buffer.getLong(SEQUENCE, ORDER);
        outcome.responseCode = buffer.getInt(RESPONSE_CODE, ORDER);
        outcome.authorizationId = buffer.getInt(AUTHORIZATION_ID, ORDER);
        outcome.retrievalReference = buffer.getLong(RETRIEVAL_REFERENCE, ORDER);
        outcome.duplicateOf = buffer.getLong(DUPLICATE_OF, ORDER);
        outcome.card = buffer.getInt(CARD, ORDER);
        outcome.household = buffer.getInt(HOUSEHOLD, ORDER);
        outcome.account = buffer.getInt(ACCOUNT, ORDER);
        outcome.supersededCard = buffer.getInt(SUPERSEDED_CARD, ORDER);
        outcome.amountApplied = buffer.getLong(AMOUNT_APPLIED, ORDER);
        outcome.cardStatus = buffer.getByte(CARD_STATUS);
        outcome.pinTries = buffer.getByte(PIN_TRIES);
        outcome.reversalOf = buffer.getLong(REVERSAL_OF, ORDER);
        outcome.reversedAmount = buffer.getLong(REVERSED_AMOUNT, ORDER);
        // Records written before the history chain, or before the balance after a reversal, end before
        // that field: it is unknown.
        final int length = buffer.getShort(LENGTH_OFFSET, ORDER) & 0xFFFF;
        outcome.previousOfCard = length >= REQUEST_BYTES_BEFORE_BALANCE_AFTER ?
            buffer.getLong(PREVIOUS_OF_CARD, ORDER) : AuthOutcome.UNKNOWN_PREVIOUS;
        outcome.balanceAfter = length >= REQUEST_BYTES ? buffer.getLong(BALANCE_AFTER, ORDER) : AuthOutcome.UNKNOWN_BALANCE;
        outcome.balanceCount = 0;
        final int count = buffer.getByte(BALANCE_COUNT);
        for (int i = 0; i < count; i++)
        {
            final int at = BALANCES + i * BALANCE_BYTES;
            outcome.addBalance(buffer.getInt(at, ORDER), buffer.getLong(at + 4, ORDER));
        }
    }

    private int seal(final MutableDirectBuffer buffer, final int type, final int length)
    {
        buffer.putShort(TYPE_OFFSET, (short)type, ORDER);
        buffer.putShort(LENGTH_OFFSET, (short)length, ORDER);
        buffer.putInt(CRC_OFFSET, checksum(buffer, length), ORDER);
        return length;
    }

    private int checksum(final DirectBuffer buffer, final int length)
    {
        buffer.getBytes(TYPE_OFFSET, crcScratch, 0, length - TYPE_OFFSET);
        crc.reset();
        crc.update(crcScratch, 0, length - TYPE_OFFSET);
        return (int)crc.getValue();
    }
}
