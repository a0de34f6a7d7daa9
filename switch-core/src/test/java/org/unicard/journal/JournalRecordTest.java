package org.unicard.journal;

import java.util.Arrays;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.config.ProgramRules;
import org.unicard.testing.PublicFields;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal record layout: round trips field for field, checksums that catch every single flipped
 * bit, and framing errors reported with their numbers.
 */
class JournalRecordTest
{
    private final JournalRecord record = new JournalRecord();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);

    static AuthRequest randomRequest(final Random random)
    {
        final AuthRequest request = new AuthRequest();
        request.mti = random.nextInt();
        request.businessTimeMs = random.nextLong();
        request.sourceType = (byte)random.nextInt();
        request.sourceIndex = random.nextInt();
        request.terminalId = random.nextLong();
        request.stan = random.nextInt();
        request.transmissionDateTime = random.nextLong();
        request.pan = random.nextLong();
        request.panDigits = random.nextInt(20);
        request.processingCode = random.nextInt();
        request.amount = random.nextLong();
        request.currency = random.nextInt();
        request.expiry = random.nextInt();
        request.pinResult = (byte)random.nextInt();
        request.originalMti = random.nextInt();
        request.originalStan = random.nextInt();
        request.originalTransmissionDateTime = random.nextLong();
        request.originalAcquirer = random.nextLong();
        request.contentHash = random.nextLong();
        request.command = (byte)random.nextInt();
        return request;
    }

    static AuthOutcome randomOutcome(final Random random)
    {
        final AuthOutcome outcome = new AuthOutcome();
        outcome.sequence = random.nextLong();
        outcome.responseCode = random.nextInt();
        outcome.authorizationId = random.nextInt();
        outcome.retrievalReference = random.nextLong();
        outcome.duplicateOf = random.nextLong();
        outcome.card = random.nextInt();
        outcome.household = random.nextInt();
        outcome.account = random.nextInt();
        outcome.amountApplied = random.nextLong();
        outcome.supersededCard = random.nextInt();
        outcome.previousOfCard = random.nextLong();
        outcome.balanceAfter = random.nextLong();
        outcome.cardStatus = (byte)random.nextInt();
        outcome.pinTries = (byte)random.nextInt();
        final int balances = random.nextInt(AuthOutcome.MAX_BALANCES + 1);
        for (int i = 0; i < balances; i++)
        {
            outcome.addBalance(random.nextInt(), random.nextLong());
        }
        return outcome;
    }

    @Test
    void shouldRoundTripRandomRequestsAndOutcomesFieldForField()
    {
        final Random random = new Random(20261101);
        assertTrue(PublicFields.count(AuthRequest.class) >= 20);
        for (int i = 0; i < 2_000; i++)
        {
            final AuthRequest request = randomRequest(random);
            final AuthOutcome outcome = randomOutcome(random);
            Arrays.fill(buffer.byteArray(), (byte)random.nextInt());

            final int length = record.encodeRequest(buffer, request, outcome);

            assertEquals(JournalRecord.REQUEST_BYTES, length);
            assertNull(record.verify(buffer, length));
            assertEquals(JournalRecord.TYPE_REQUEST, JournalRecord.type(buffer));
            final AuthRequest decodedRequest = new AuthRequest();
            final AuthOutcome decodedOutcome = new AuthOutcome();
            JournalRecord.decodeRequest(buffer, decodedRequest, decodedOutcome);
            assertNull(PublicFields.firstDifference(request, decodedRequest), "record=" + i);
            assertNull(PublicFields.firstDifference(outcome, decodedOutcome), "record=" + i);
            assertNull(outcome.firstDifference(decodedOutcome));
        }
    }

    @Test
    void shouldWriteTheSameBytesWhateverTheBufferHeldBefore()
    {
        final Random random = new Random(7);
        final AuthRequest request = randomRequest(random);
        final AuthOutcome outcome = randomOutcome(random);
        final UnsafeBuffer other = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        Arrays.fill(buffer.byteArray(), (byte)0x00);
        Arrays.fill(other.byteArray(), (byte)0xFF);

        final int length = record.encodeRequest(buffer, request, outcome);
        record.encodeRequest(other, request, outcome);

        assertArrayEquals(Arrays.copyOf(buffer.byteArray(), length), Arrays.copyOf(other.byteArray(), length));
    }

    @Test
    void shouldRoundTripAGenesisRecord()
    {
        final int length = record.encodeGenesis(buffer, 1_793_512_800_000L, 0x1234_5678_9ABC_DEF0L);

        assertNull(record.verify(buffer, length));
        assertEquals(JournalRecord.TYPE_GENESIS, JournalRecord.type(buffer));
        assertEquals(1_793_512_800_000L, JournalRecord.genesisTimeMs(buffer));
        assertEquals(0x1234_5678_9ABC_DEF0L, JournalRecord.genesisFingerprint(buffer));
    }

    @Test
    void shouldRoundTripARulesRecord()
    {
        final long[] values = ProgramRules.defaults().values();
        values[0] = 5;
        values[values.length - 1] = 123_456;
        final ProgramRules rules = ProgramRules.fromValues(values);

        final int length = record.encodeRules(buffer, rules);

        assertNull(record.verify(buffer, length));
        assertEquals(JournalRecord.TYPE_RULES, JournalRecord.type(buffer));
        assertEquals(rules, JournalRecord.decodeRules(buffer));
    }

    @Test
    void shouldRefuseARulesRecordWithAnotherRuleCount()
    {
        record.encodeRules(buffer, ProgramRules.defaults());
        buffer.putInt(8, ProgramRules.VALUE_COUNT + 1, java.nio.ByteOrder.LITTLE_ENDIAN);

        assertThrows(IllegalStateException.class, () -> JournalRecord.decodeRules(buffer));
    }

    @Test
    void shouldDetectEverySingleFlippedBitOfARequestRecord()
    {
        final Random random = new Random(11);
        final int length = record.encodeRequest(buffer, randomRequest(random), randomOutcome(random));
        assertEveryBitFlipDetected(length);
    }

    @Test
    void shouldDetectEverySingleFlippedBitOfAGenesisRecord()
    {
        assertEveryBitFlipDetected(record.encodeGenesis(buffer, 1_793_512_800_000L, 42));
    }

    @Test
    void shouldDetectEverySingleFlippedBitOfARulesRecord()
    {
        assertEveryBitFlipDetected(record.encodeRules(buffer, ProgramRules.defaults()));
    }

    private void assertEveryBitFlipDetected(final int length)
    {
        final byte[] original = Arrays.copyOf(buffer.byteArray(), length);
        for (int bit = 0; bit < length * 8; bit++)
        {
            final byte[] damaged = Arrays.copyOf(original, JournalRecord.MAX_BYTES);
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));

            assertNotNull(record.verify(new UnsafeBuffer(damaged), length), "undetected flip of bit=" + bit);
        }
    }

    @Test
    void shouldReportARecordShorterThanItsHeader()
    {
        assertEquals("length=7 range=[8,276]", record.verify(buffer, 7));
    }

    @Test
    void shouldReportARecordLongerThanTheLargest()
    {
        assertEquals("length=277 range=[8,276]", record.verify(buffer, 277));
    }

    @Test
    void shouldReportANegativeLength()
    {
        assertEquals("length=-1 range=[8,276]", record.verify(buffer, -1));
    }

    @Test
    void shouldReportALengthOtherThanTheDeclaredOne()
    {
        final int length = record.encodeGenesis(buffer, 1, 2);

        assertEquals("declared length=24 actual=23", record.verify(buffer, length - 1));
        assertEquals("declared length=24 actual=25", record.verify(buffer, length + 1));
    }

    @Test
    void shouldReportTheChecksumsOfADamagedRecord()
    {
        final int length = record.encodeGenesis(buffer, 1, 2);
        buffer.putByte(12, (byte)(buffer.getByte(12) ^ 1));

        final String reason = record.verify(buffer, length);

        assertNotNull(reason);
        assertTrue(reason.startsWith("crc32c expected="), reason);
    }

    @Test
    void shouldFitTheLargestRecordInMaxBytes()
    {
        assertTrue(JournalRecord.REQUEST_BYTES <= JournalRecord.MAX_BYTES);
        assertTrue(16 + ProgramRules.VALUE_COUNT * 8 <= JournalRecord.MAX_BYTES);
    }

    @Test
    void shouldKeepTheBalanceAfterAReversalInTheLastEightBytesOfA276ByteRecord()
    {
        final Random random = new Random(16);
        final AuthOutcome outcome = randomOutcome(random);
        outcome.balanceAfter = 10_000;

        final int length = record.encodeRequest(buffer, randomRequest(random), outcome);

        assertEquals(276, length);
        assertEquals(276, JournalRecord.MAX_BYTES);
        assertEquals(268, JournalRecord.REQUEST_BYTES_BEFORE_BALANCE_AFTER);
        assertEquals(260, JournalRecord.REQUEST_BYTES_BEFORE_HISTORY);
        assertArrayEquals(new byte[] {0x10, 0x27, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(buffer.byteArray(), 268, 276));
        assertEquals(outcome.previousOfCard, buffer.getLong(260, java.nio.ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void shouldReadARequestRecordWrittenBeforeTheHistoryChainAsUnknownPrevious()
    {
        final Random random = new Random(15);
        final AuthRequest request = randomRequest(random);
        final AuthOutcome outcome = randomOutcome(random);
        outcome.previousOfCard = 77;
        record.encodeRequest(buffer, request, outcome);
        // The 260-byte layout of before: the same fields, without the card's previous sequence.
        final int oldLength = JournalRecord.REQUEST_BYTES_BEFORE_HISTORY;
        resealAs(oldLength);
        assertNull(record.verify(buffer, oldLength));

        final AuthRequest decodedRequest = new AuthRequest();
        final AuthOutcome decoded = new AuthOutcome();
        JournalRecord.decodeRequest(buffer, decodedRequest, decoded);

        assertEquals(AuthOutcome.UNKNOWN_PREVIOUS, decoded.previousOfCard);
        assertEquals(AuthOutcome.UNKNOWN_BALANCE, decoded.balanceAfter);
        assertNull(outcome.firstDifference(decoded), "replay of an old record compares every field but the unknown ones");
        assertNull(PublicFields.firstDifference(request, decodedRequest));
        decoded.previousOfCard = 78;
        assertEquals("previousOfCard", outcome.firstDifference(decoded));
    }

    @Test
    void shouldReadARequestRecordWrittenBeforeTheBalanceAfterAReversalAsUnknownBalance()
    {
        final Random random = new Random(17);
        final AuthRequest request = randomRequest(random);
        final AuthOutcome outcome = randomOutcome(random);
        outcome.previousOfCard = 77;
        outcome.balanceAfter = 10_000;
        record.encodeRequest(buffer, request, outcome);
        // The 268-byte layout of before: the same fields, without the balance after a reversal.
        final int oldLength = JournalRecord.REQUEST_BYTES_BEFORE_BALANCE_AFTER;
        resealAs(oldLength);
        assertNull(record.verify(buffer, oldLength));
        assertEquals("declared length=268 actual=276", record.verify(buffer, JournalRecord.REQUEST_BYTES));

        final AuthRequest decodedRequest = new AuthRequest();
        final AuthOutcome decoded = new AuthOutcome();
        JournalRecord.decodeRequest(buffer, decodedRequest, decoded);

        assertEquals(77, decoded.previousOfCard, "the history link is in both layouts");
        assertEquals(AuthOutcome.UNKNOWN_BALANCE, decoded.balanceAfter);
        assertNull(outcome.firstDifference(decoded), "replay of an old record compares every field but the unknown balance");
        assertNull(decoded.firstDifference(outcome), "whichever side is unknown");
        assertNull(PublicFields.firstDifference(request, decodedRequest));
        decoded.balanceAfter = 10_001;
        assertEquals("balanceAfter", outcome.firstDifference(decoded), "a known balance is compared");
        decoded.balanceAfter = AuthOutcome.NO_BALANCE;
        assertEquals("balanceAfter", outcome.firstDifference(decoded), "none is not unknown");
    }

    /** Rewrites the header of the record in {@link #buffer} as if it were {@code length} bytes long. */
    private void resealAs(final int length)
    {
        buffer.putShort(6, (short)length, java.nio.ByteOrder.LITTLE_ENDIAN);
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(Arrays.copyOfRange(buffer.byteArray(), 4, length));
        buffer.putInt(0, (int)crc.getValue(), java.nio.ByteOrder.LITTLE_ENDIAN);
    }
}
