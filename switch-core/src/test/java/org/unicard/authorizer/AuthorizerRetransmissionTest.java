package org.unicard.authorizer;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.unicard.state.Program;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.Requests;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.unicard.testing.AuthorizerHarness.balance;
import static org.unicard.testing.TestData.BANK;
import static org.unicard.testing.TestData.GROCER;
import static org.unicard.testing.TestData.GROCER_2;
import static org.unicard.testing.TestData.HEAD;
import static org.unicard.testing.TestData.HEALTH;
import static org.unicard.testing.TestData.POST_BANK;
import static org.unicard.testing.TestData.SMALL;
import static org.unicard.testing.TestData.pan;

/**
 * Spec §8 retransmissions: the key is source + terminal id + STAN + field 7 + message class.
 */
class AuthorizerRetransmissionTest
{
    private static final long WINDOW_MS = Duration.ofHours(48).toMillis();

    private final AuthorizerHarness h = AuthorizerHarness.atGenesis();

    private AuthRequest rationPurchase(final long piasters)
    {
        return h.financial(GROCER).card(pan(HEAD)).code(9100).egp(piasters).build();
    }

    @Test
    void shouldAnswerARetransmissionWithTheOriginalAnswer()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        final AuthOutcome original = h.send(purchase);
        h.advance(Duration.ofMinutes(5));
        h.buyRation(HEAD, 500);

        final AuthOutcome again = h.send(h.again(purchase));

        assertEquals(ResponseCode.APPROVED, again.responseCode);
        assertEquals(original.authorizationId, again.authorizationId);
        assertEquals(original.retrievalReference, again.retrievalReference);
        assertEquals(original.sequence, again.duplicateOf);
        assertEquals(original.card, again.card);
        assertEquals(original.balanceCount, again.balanceCount);
        assertArrayEquals(original.balanceAccount, again.balanceAccount);
        assertArrayEquals(original.balanceAmount, again.balanceAmount);
        assertEquals(13_500, balance(again, Program.ACCOUNT_RATION));
    }

    @Test
    void shouldChangeNothingOnARetransmission()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);

        final AuthOutcome again = h.send(h.again(purchase));

        assertEquals(13_500, h.ration(SMALL));
        assertEquals(0, again.account);
        assertEquals(0, again.amountApplied);
    }

    @Test
    void shouldGiveTheRetransmissionItsOwnSequence()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        final AuthOutcome original = h.send(purchase);

        final AuthOutcome again = h.send(h.again(purchase));

        assertEquals(original.sequence + 1, again.sequence);
        assertEquals(AuthOutcome.NONE, original.duplicateOf);
    }

    @Test
    void shouldAnswerARetransmittedDeclineWithTheSameDeclineAndBalances()
    {
        final AuthRequest payment = h.financial(GROCER).card(pan(HEAD)).code(9400).egp(TestData.HEAD_WALLET_PIASTERS + 1)
            .rightPin().build();
        final AuthOutcome original = h.send(payment);
        h.payFromWallet(HEAD, 1_000);

        final AuthOutcome again = h.send(h.again(payment));

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, original.responseCode);
        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, again.responseCode);
        assertEquals(original.sequence, again.duplicateOf);
        assertEquals(TestData.HEAD_WALLET_PIASTERS, balance(again, Program.ACCOUNT_WALLET));
    }

    @Test
    void shouldNotCountAWrongPinTwiceWhenRetransmitted()
    {
        final AuthRequest payment = h.financial(GROCER).card(pan(HEAD)).code(9400).egp(100).wrongPin().build();
        h.send(payment);

        final AuthOutcome again = h.send(h.again(payment));

        assertEquals(ResponseCode.WRONG_PIN, again.responseCode);
        assertEquals(1, h.pinTries(HEAD));
    }

    @Test
    void shouldAnswer94ForTheSameKeyWithOtherContent()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        final AuthRequest other = h.again(purchase);
        other.amount = 2_000;
        other.contentHash = Requests.contentHashOf(other);

        final AuthOutcome outcome = h.send(other);

        assertEquals(ResponseCode.DUPLICATE_KEY_OTHER_CONTENT, outcome.responseCode);
        assertEquals(13_500, h.ration(SMALL));
        assertEquals(AuthOutcome.NONE, outcome.authorizationId);
    }

    @Test
    void shouldStillAnswerTheOriginalAfterA94()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        final AuthOutcome original = h.send(purchase);
        final AuthRequest other = h.again(purchase);
        other.contentHash = purchase.contentHash + 1;
        h.send(other);

        final AuthOutcome again = h.send(h.again(purchase));

        assertEquals(original.sequence, again.duplicateOf);
        assertEquals(ResponseCode.APPROVED, again.responseCode);
    }

    @Test
    void shouldStillBeARetransmissionExactly48HoursLater()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        final AuthOutcome original = h.send(purchase);
        h.advance(Duration.ofMillis(WINDOW_MS));

        final AuthOutcome again = h.send(h.again(purchase));

        assertEquals(original.sequence, again.duplicateOf);
        assertEquals(13_500, h.ration(SMALL));
    }

    @Test
    void shouldDecideTheKeyAnewAfter48Hours()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        h.advance(Duration.ofMillis(WINDOW_MS + 1));

        final AuthOutcome anew = h.send(h.again(purchase));

        assertEquals(ResponseCode.APPROVED, anew.responseCode);
        assertEquals(AuthOutcome.NONE, anew.duplicateOf);
        assertEquals(12_000, h.ration(SMALL));
    }

    @Test
    void shouldNotAnswer94ForOtherContentAfter48Hours()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        h.advance(Duration.ofMillis(WINDOW_MS + 1));
        final AuthRequest other = h.again(purchase);
        other.amount = 2_000;
        other.contentHash = Requests.contentHashOf(other);

        final AuthOutcome outcome = h.send(other);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(11_500, h.ration(SMALL));
    }

    @Test
    void shouldAnswerARetransmittedFormatDeclineFromTheWindowFirst()
    {
        final long unknown = TestData.withCheckDigit(603_666_999_999_999L);
        final AuthRequest request = h.financial(GROCER).pan(unknown, 16).code(9100).egp(100).build();
        final AuthOutcome original = h.send(request);

        final AuthOutcome again = h.send(h.again(request));

        assertEquals(ResponseCode.INVALID_CARD_NUMBER, again.responseCode);
        assertEquals(original.sequence, again.duplicateOf);
    }

    @Test
    void shouldAnswer94BeforeAnyOtherCheckOfTheNewContent()
    {
        final AuthRequest request = h.financial(GROCER).card(pan(HEAD)).code(9101).egp(100).build();
        h.send(request);
        final AuthRequest valid = h.again(request);
        valid.processingCode = 9100;
        valid.contentHash = Requests.contentHashOf(valid);

        final AuthOutcome outcome = h.send(valid);

        assertEquals(ResponseCode.DUPLICATE_KEY_OTHER_CONTENT, outcome.responseCode);
        assertEquals(org.unicard.state.HouseholdTable.NO_CYCLE, h.households.rationMonth(SMALL), "the household was never touched");
    }

    @Test
    void shouldKeep0100And0200WithTheSameStanAndField7Apart()
    {
        final AuthRequest eligibility = h.authorization(HEALTH).card(pan(HEAD)).code(9300).egp(2_000).build();
        final AuthRequest copayment = Requests.financial().terminal(HEALTH).card(pan(HEAD)).code(9300).egp(2_000)
            .stan(eligibility.stan).at(h.nowMs()).build();
        assertEquals(eligibility.transmissionDateTime, copayment.transmissionDateTime);
        h.send(eligibility);

        final AuthOutcome outcome = h.send(copayment);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(AuthOutcome.NONE, outcome.duplicateOf);
        assertEquals(TestData.HEAD_WALLET_PIASTERS - 2_000, h.wallet(HEAD));
    }

    @Test
    void shouldKeepTerminalsApart()
    {
        final AuthRequest first = rationPurchase(1_500);
        final AuthRequest second = Requests.financial().terminal(GROCER_2).card(pan(HEAD)).code(9100).egp(1_500)
            .stan(first.stan).at(h.nowMs()).build();
        h.send(first);

        final AuthOutcome outcome = h.send(second);

        assertEquals(AuthOutcome.NONE, outcome.duplicateOf);
        assertEquals(12_000, h.ration(SMALL));
    }

    @Test
    void shouldKeepAcquirersApartForTheSameTerminalIdStanAndField7()
    {
        final AuthRequest viaBank = h.acquirerFinancial(BANK).card(pan(HEAD)).code(9400).egp(1_000).rightPin().build();
        final AuthRequest viaPost = Requests.financial().acquirer(POST_BANK, TestData.ACQUIRER_TERMINAL).card(pan(HEAD))
            .code(9400).egp(1_000).rightPin().stan(viaBank.stan).at(h.nowMs()).build();
        assertEquals(viaBank.terminalId, viaPost.terminalId);
        h.send(viaBank);

        final AuthOutcome outcome = h.send(viaPost);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(AuthOutcome.NONE, outcome.duplicateOf);
        assertEquals(TestData.HEAD_WALLET_PIASTERS - 2_000, h.wallet(HEAD));
    }

    @Test
    void shouldTreatAnotherField7AsANewRequest()
    {
        final AuthRequest first = rationPurchase(1_500);
        h.send(first);
        final AuthRequest second = h.again(first);
        second.transmissionDateTime = first.transmissionDateTime + 1;

        final AuthOutcome outcome = h.send(second);

        assertEquals(AuthOutcome.NONE, outcome.duplicateOf);
        assertEquals(12_000, h.ration(SMALL));
    }

    @Test
    void shouldAnswerA0420RepeatingA0400WithTheReversalAnswer()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        final AuthRequest reversal = h.reversalOf(purchase).build();
        final AuthOutcome reversed = h.send(reversal);
        final AuthRequest advice = h.again(reversal);
        advice.mti = 420;

        final AuthOutcome outcome = h.send(advice);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(reversed.sequence, outcome.duplicateOf);
        assertEquals(15_000, h.ration(SMALL));
    }

    @Test
    void shouldNotConfuseAReversalWithTheFinancialRequestOfTheSameStan()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        final AuthRequest reversal = Requests.reversalOf(purchase).stan(purchase.stan).at(h.nowMs()).build();
        assertEquals(purchase.transmissionDateTime, reversal.transmissionDateTime);

        final AuthOutcome outcome = h.send(reversal);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(AuthOutcome.NONE, outcome.duplicateOf);
        assertEquals(15_000, h.ration(SMALL));
    }

    @Test
    void shouldAnswerARetransmittedReversalWithoutUndoingTwice()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        final AuthRequest reversal = h.reversalOf(purchase).build();
        final AuthOutcome first = h.send(reversal);

        final AuthOutcome again = h.send(h.again(reversal));

        assertEquals(first.sequence, again.duplicateOf);
        assertEquals(15_000, h.ration(SMALL));
        assertNotEquals(again.sequence, first.sequence);
    }

    /** A window of 4 entries, filled by four inquiries an hour after the purchase. */
    private static AuthRequest purchaseThenEvictIt(final AuthorizerHarness small)
    {
        final AuthRequest purchase = small.financial(GROCER).card(pan(HEAD)).code(9100).egp(1_500).build();
        assertEquals(ResponseCode.APPROVED, small.send(purchase).responseCode);
        small.advance(Duration.ofHours(1));
        for (int i = 0; i < 4; i++)
        {
            small.inquire(HEAD);
        }
        assertEquals(1, small.authorizer.window().overflowEvictions());
        return purchase;
    }

    @Test
    void shouldNeverApproveAgainARetransmissionWhoseOriginalWasEvictedEarly()
    {
        final AuthorizerHarness small = AuthorizerHarness.withWindowOf(4);
        final AuthRequest purchase = purchaseThenEvictIt(small);

        final AuthOutcome again = small.send(small.again(purchase));

        assertEquals(ResponseCode.DUPLICATE_KEY_OTHER_CONTENT, again.responseCode);
        assertEquals(0, again.amountApplied);
        assertEquals(13_500, small.ration(SMALL));
        assertEquals(1, small.authorizer.window().unmatchable());
    }

    @Test
    void shouldNotRestoreNorMarkALateOriginalWhenReversingAnOriginalEvictedEarly()
    {
        final AuthorizerHarness small = AuthorizerHarness.withWindowOf(4);
        final AuthRequest purchase = purchaseThenEvictIt(small);

        final AuthOutcome reversal = small.send(small.reversalOf(purchase));
        final AuthOutcome retransmittedOriginal = small.send(small.again(purchase));

        assertEquals(ResponseCode.ORIGINAL_NOT_FOUND, reversal.responseCode);
        assertEquals(ResponseCode.DUPLICATE_KEY_OTHER_CONTENT, retransmittedOriginal.responseCode,
            "not 05: the purchase's debit stands");
        assertEquals(13_500, small.ration(SMALL));
        assertEquals(2, small.authorizer.window().unmatchable());
    }

    @Test
    void shouldDecideANewRequestNormallyAfterAnEarlyEviction()
    {
        final AuthorizerHarness small = AuthorizerHarness.withWindowOf(4);
        purchaseThenEvictIt(small);

        final AuthOutcome fresh = small.buyRation(HEAD, 500);

        assertEquals(ResponseCode.APPROVED, fresh.responseCode);
        assertEquals(13_000, small.ration(SMALL));
        assertEquals(0, small.authorizer.window().unmatchable());
    }
}
