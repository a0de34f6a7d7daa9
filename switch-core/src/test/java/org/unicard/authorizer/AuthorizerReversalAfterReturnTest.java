package org.unicard.authorizer;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.unicard.state.Program;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.Requests;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.unicard.testing.TestData.BANK;
import static org.unicard.testing.TestData.BIG;
import static org.unicard.testing.TestData.BIG_HEAD;
import static org.unicard.testing.TestData.GROCER;
import static org.unicard.testing.TestData.HEAD;
import static org.unicard.testing.TestData.POST;
import static org.unicard.testing.TestData.SMALL;
import static org.unicard.testing.TestData.pan;

/**
 * Spec §8: a reversal restores only what its original debited and was not already given back by
 * returns (answer 00). Every order of purchase, return and reversal, partial returns, repeated
 * reversals and retransmissions of each, for ration, wallet and cash support: the card never gets
 * back more than was debited.
 */
class AuthorizerReversalAfterReturnTest
{
    private static final long START_RATION = 15_000;

    private final AuthorizerHarness h = AuthorizerHarness.atGenesis();

    private AuthRequest rationPurchase(final long piasters)
    {
        return h.financial(GROCER).card(pan(HEAD)).code(9100).egp(piasters).build();
    }

    private AuthRequest rationReturn(final long piasters)
    {
        return h.financial(GROCER).card(pan(HEAD)).code(209100).egp(piasters).build();
    }

    private AuthRequest walletPayment(final long piasters)
    {
        return Requests.financial().acquirer(BANK, TestData.ACQUIRER_TERMINAL).card(pan(HEAD)).code(9400).egp(piasters)
            .rightPin().stan(h.nextStan()).at(h.nowMs()).build();
    }

    private AuthRequest walletReturn(final long piasters)
    {
        return Requests.financial().acquirer(BANK, TestData.ACQUIRER_TERMINAL).card(pan(HEAD)).code(209400).egp(piasters)
            .rightPin().stan(h.nextStan()).at(h.nowMs()).build();
    }

    private AuthOutcome approved(final AuthRequest request)
    {
        final AuthOutcome outcome = h.send(request);
        assertEquals(ResponseCode.APPROVED, outcome.responseCode, "request stan=" + request.stan);
        return outcome;
    }

    @Test
    void shouldRestoreNothingWhenAReturnGaveThePurchaseBackFirst()
    {
        final AuthRequest purchase = rationPurchase(3_000);
        approved(purchase);
        approved(rationReturn(3_000));

        final AuthOutcome reversal = approved(h.reversalOf(purchase).build());

        assertEquals(0, reversal.amountApplied);
        assertEquals(0, reversal.reversedAmount);
        assertEquals(START_RATION, h.ration(SMALL));
    }

    @Test
    void shouldRestoreOnlyWhatAPartialReturnLeft()
    {
        final AuthRequest purchase = rationPurchase(3_000);
        approved(purchase);
        approved(rationReturn(1_000));

        final AuthOutcome reversal = approved(h.reversalOf(purchase).build());

        assertEquals(Program.ACCOUNT_RATION, reversal.account);
        assertEquals(2_000, reversal.amountApplied);
        assertEquals(2_000, reversal.reversedAmount);
        assertEquals(START_RATION, h.ration(SMALL));
        assertEquals(START_RATION, reversal.balanceAfter);
        assertEquals(ResponseCode.INVALID_AMOUNT, h.send(rationReturn(1)).responseCode);
    }

    @Test
    void shouldDeclineAReturnAfterTheReversalGaveEverythingBack()
    {
        final AuthRequest purchase = rationPurchase(3_000);
        approved(purchase);
        approved(h.reversalOf(purchase).build());

        assertEquals(ResponseCode.INVALID_AMOUNT, h.send(rationReturn(1)).responseCode);
        assertEquals(START_RATION, h.ration(SMALL));
    }

    @Test
    void shouldChangeNothingOnARepeatedReversalOrARetransmissionOfEitherAfterAReturn()
    {
        final AuthRequest purchase = rationPurchase(3_000);
        approved(purchase);
        final AuthRequest refund = rationReturn(1_000);
        approved(refund);
        final AuthRequest reversal = h.reversalOf(purchase).build();
        final AuthOutcome first = approved(reversal);
        h.advance(Duration.ofMinutes(1));

        final AuthOutcome repeated = approved(h.reversalOf(purchase).build());
        final AuthOutcome retransmitted = approved(h.again(reversal));
        final AuthOutcome refundAgain = approved(h.again(refund));
        final AuthOutcome purchaseAgain = approved(h.again(purchase));

        assertEquals(0, repeated.amountApplied);
        assertEquals(first.sequence, retransmitted.duplicateOf);
        assertEquals(first.retrievalReference, retransmitted.retrievalReference);
        assertNotEquals(AuthOutcome.NONE, refundAgain.duplicateOf);
        assertNotEquals(AuthOutcome.NONE, purchaseAgain.duplicateOf);
        assertEquals(START_RATION, h.ration(SMALL));
    }

    @Test
    void shouldNeverGiveBackMoreThanTwoPurchasesDebitedWhateverTheReversalOrder()
    {
        for (final boolean firstReversedFirst : new boolean[]{true, false})
        {
            final AuthorizerHarness fresh = AuthorizerHarness.atGenesis();
            final AuthRequest first = fresh.financial(GROCER).card(pan(HEAD)).code(9100).egp(3_000).build();
            final AuthRequest second = fresh.financial(GROCER).card(pan(HEAD)).code(9100).egp(2_000).build();
            fresh.send(first);
            fresh.send(second);
            assertEquals(ResponseCode.APPROVED,
                fresh.send(fresh.financial(GROCER).card(pan(HEAD)).code(209100).egp(3_000)).responseCode);

            final AuthOutcome a = fresh.send(fresh.reversalOf(firstReversedFirst ? first : second));
            final AuthOutcome b = fresh.send(fresh.reversalOf(firstReversedFirst ? second : first));

            assertEquals(ResponseCode.APPROVED, a.responseCode);
            assertEquals(ResponseCode.APPROVED, b.responseCode);
            assertEquals(2_000, a.amountApplied + b.amountApplied, "order first-reversed-first=" + firstReversedFirst);
            assertEquals(START_RATION, fresh.ration(SMALL));
        }
    }

    @Test
    void shouldRestoreTheWholePurchaseWhenTheReturnWasDeclined()
    {
        final AuthRequest purchase = rationPurchase(3_000);
        approved(purchase);
        assertEquals(ResponseCode.INVALID_AMOUNT, h.send(rationReturn(3_001)).responseCode);

        final AuthOutcome reversal = approved(h.reversalOf(purchase).build());

        assertEquals(3_000, reversal.amountApplied);
        assertEquals(START_RATION, h.ration(SMALL));
    }

    @Test
    void shouldTakeBackAReturnsCreditWhenTheReturnIsReversed()
    {
        approved(rationPurchase(3_000));
        final AuthRequest refund = rationReturn(3_000);
        approved(refund);

        final AuthOutcome reversal = approved(h.reversalOf(refund).build());

        assertEquals(-3_000, reversal.amountApplied);
        assertEquals(3_000, reversal.reversedAmount);
        assertEquals(START_RATION - 3_000, h.ration(SMALL));
        assertEquals(START_RATION - 3_000, reversal.balanceAfter, "the credit after it was taken back");
    }

    @Test
    void shouldRestoreNothingToTheWalletWhenAReturnGaveThePaymentBack()
    {
        final AuthRequest payment = walletPayment(5_000);
        approved(payment);
        approved(walletReturn(5_000));

        final AuthOutcome reversal = approved(h.reversalOf(payment).build());

        assertEquals(0, reversal.amountApplied);
        assertEquals(TestData.HEAD_WALLET_PIASTERS, h.wallet(HEAD));
    }

    @Test
    void shouldRestoreOnlyTheUnreturnedPartOfAWalletPaymentAcrossTheMonthEnd()
    {
        h.at(2026, 11, 30, 23, 0);
        final AuthRequest payment = walletPayment(5_000);
        approved(payment);
        approved(walletReturn(2_000));
        h.at(2026, 12, 1, 0, 30);
        approved(walletPayment(100));

        final AuthOutcome reversal = approved(h.reversalOf(payment).build());

        assertEquals(3_000, reversal.amountApplied);
        assertEquals(TestData.HEAD_WALLET_PIASTERS - 100, h.wallet(HEAD));
    }

    @Test
    void shouldRestoreNothingAcrossTheMonthEndWhenTheWalletPaymentWasReturned()
    {
        h.at(2026, 11, 30, 23, 0);
        final AuthRequest payment = walletPayment(5_000);
        approved(payment);
        approved(walletReturn(5_000));
        h.at(2026, 12, 1, 0, 30);

        final AuthOutcome reversal = approved(h.reversalOf(payment).build());

        assertEquals(0, reversal.amountApplied);
        assertEquals(TestData.HEAD_WALLET_PIASTERS, h.wallet(HEAD));
    }

    @Test
    void shouldSettleOnlyTheUnreturnedPartWhenTheRationCreditLapsed()
    {
        h.at(2026, 11, 30, 23, 0);
        final AuthRequest purchase = rationPurchase(3_000);
        approved(purchase);
        approved(rationReturn(1_000));
        h.at(2026, 12, 1, 0, 30);

        final AuthOutcome reversal = approved(h.reversalOf(purchase).build());

        assertEquals(0, reversal.amountApplied);
        assertEquals(2_000, reversal.reversedAmount);
    }

    @Test
    void shouldRestoreCashSupportOnceWhateverTheRepeats()
    {
        final AuthRequest withdrawal = h.financial(POST).card(pan(BIG_HEAD)).code(19500).egp(10_000).rightPin().build();
        approved(withdrawal);
        final AuthRequest reversal = h.reversalOf(withdrawal).build();

        final AuthOutcome first = approved(reversal);
        final AuthOutcome repeated = approved(h.reversalOf(withdrawal).build());
        final AuthOutcome retransmitted = approved(h.again(reversal));

        assertEquals(10_000, first.amountApplied);
        assertEquals(0, repeated.amountApplied);
        assertEquals(first.sequence, retransmitted.duplicateOf);
        assertEquals(TestData.BIG_CASH_MONTHLY_PIASTERS, h.cash(BIG));
    }
}
