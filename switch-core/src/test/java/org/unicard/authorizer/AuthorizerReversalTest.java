package org.unicard.authorizer;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.unicard.state.Program;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.Requests;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicard.testing.TestData.BAKERY;
import static org.unicard.testing.TestData.BANK;
import static org.unicard.testing.TestData.BIG;
import static org.unicard.testing.TestData.BIG_HEAD;
import static org.unicard.testing.TestData.EXEMPT;
import static org.unicard.testing.TestData.GROCER;
import static org.unicard.testing.TestData.GROCER_2;
import static org.unicard.testing.TestData.HEAD;
import static org.unicard.testing.TestData.HEALTH;
import static org.unicard.testing.TestData.POST;
import static org.unicard.testing.TestData.SMALL;
import static org.unicard.testing.TestData.pan;

/**
 * Spec §8 reversals (0400/0420) and spec §7 codes 25 and 05.
 */
class AuthorizerReversalTest
{
    private final AuthorizerHarness h = AuthorizerHarness.atGenesis();

    private AuthRequest rationPurchase(final long piasters)
    {
        return h.financial(GROCER).card(pan(HEAD)).code(9100).egp(piasters).build();
    }

    @Test
    void shouldUndoAnApprovedRationPurchase()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        h.advance(Duration.ofMinutes(1));

        final AuthOutcome outcome = h.send(h.reversalOf(purchase));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(Program.ACCOUNT_RATION, outcome.account);
        assertEquals(1_500, outcome.amountApplied);
        assertEquals(15_000, h.ration(SMALL));
        assertEquals(15_000, outcome.balanceAfter, "the ration credit after the reversal, for the citizen's event");
    }

    @Test
    void shouldUndoThroughA0420AdviceToo()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);

        final AuthOutcome outcome = h.send(Requests.adviceOf(purchase).stan(h.nextStan()).at(h.nowMs()));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(15_000, h.ration(SMALL));
    }

    @Test
    void shouldAnswer00AndChangeNothingOnARepeatedReversalWithANewStan()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        h.send(h.reversalOf(purchase));
        h.buyRation(HEAD, 1_000);

        final AuthOutcome outcome = h.send(h.reversalOf(purchase));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(0, outcome.amountApplied);
        assertEquals(14_000, h.ration(SMALL));
    }

    @Test
    void shouldAnswer00AndChangeNothingWhenReversingADeclinedOriginal()
    {
        final AuthRequest purchase = rationPurchase(15_001);
        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, h.send(purchase).responseCode);

        final AuthOutcome outcome = h.send(h.reversalOf(purchase));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(0, outcome.amountApplied);
        assertEquals(15_000, h.ration(SMALL));
    }

    @Test
    void shouldAnswer25WhenTheReversalContentDiffersFromTheOriginal()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        final AuthRequest reversal = h.reversalOf(purchase).egp(1_000).build();

        final AuthOutcome outcome = h.send(reversal);

        assertEquals(ResponseCode.ORIGINAL_NOT_FOUND, outcome.responseCode);
        assertEquals(13_500, h.ration(SMALL));
    }

    @Test
    void shouldStillReverseWithTheRightContentAfterA25ForOtherContent()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        h.send(h.reversalOf(purchase).egp(1_000));

        final AuthOutcome outcome = h.send(h.reversalOf(purchase));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(15_000, h.ration(SMALL));
    }

    @Test
    void shouldAnswer25WhenNoOriginalWasSeen()
    {
        final AuthRequest neverSent = rationPurchase(1_500);

        final AuthOutcome outcome = h.send(h.reversalOf(neverSent));

        assertEquals(ResponseCode.ORIGINAL_NOT_FOUND, outcome.responseCode);
        assertEquals(AuthOutcome.NONE, outcome.authorizationId);
    }

    @Test
    void shouldAnswer25WhenTheOriginalWasAtAnotherTerminal()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        final AuthRequest elsewhere = Requests.reversalOf(purchase).terminal(GROCER_2).stan(h.nextStan()).at(h.nowMs()).build();

        final AuthOutcome outcome = h.send(elsewhere);

        assertEquals(ResponseCode.ORIGINAL_NOT_FOUND, outcome.responseCode);
        assertEquals(13_500, h.ration(SMALL));
    }

    @Test
    void shouldAnswer25WhenField90NamesAnotherMessageClass()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        final AuthRequest reversal = h.reversalOf(purchase).original(100, purchase.stan, purchase.transmissionDateTime).build();

        final AuthOutcome outcome = h.send(reversal);

        assertEquals(ResponseCode.ORIGINAL_NOT_FOUND, outcome.responseCode);
        assertEquals(13_500, h.ration(SMALL));
    }

    @Test
    void shouldDeclineALateOriginalWith05AndDebitNothing()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(h.reversalOf(purchase));
        h.advance(Duration.ofSeconds(30));

        final AuthOutcome outcome = h.send(h.again(purchase));

        assertEquals(ResponseCode.DO_NOT_HONOUR, outcome.responseCode);
        assertEquals(AuthOutcome.NONE, outcome.authorizationId);
        assertEquals(15_000, AuthorizerHarness.balance(h.send(h.financial(GROCER).card(pan(HEAD)).code(319100)),
            Program.ACCOUNT_RATION));
    }

    @Test
    void shouldAnswerARetransmittedLateOriginalWith05Again()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(h.reversalOf(purchase));
        final AuthOutcome late = h.send(h.again(purchase));

        final AuthOutcome again = h.send(h.again(purchase));

        assertEquals(ResponseCode.DO_NOT_HONOUR, again.responseCode);
        assertEquals(late.sequence, again.duplicateOf);
    }

    @Test
    void shouldAnswer00ToAReversalRepeatedAfterTheLateOriginalWasDeclined()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(h.reversalOf(purchase));
        h.send(h.again(purchase));

        final AuthOutcome outcome = h.send(h.reversalOf(purchase));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(0, outcome.amountApplied);
    }

    @Test
    void shouldAnswer25ToAReversalRepeatedBeforeTheOriginalArrives()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(h.reversalOf(purchase));

        final AuthOutcome outcome = h.send(h.reversalOf(purchase));

        assertEquals(ResponseCode.ORIGINAL_NOT_FOUND, outcome.responseCode);
    }

    @Test
    void shouldAnswer25ToAReversalArrivingMoreThan48HoursAfterItsOriginal()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        h.advance(Duration.ofHours(48).plusMillis(1));

        final AuthOutcome outcome = h.send(h.reversalOf(purchase));

        assertEquals(ResponseCode.ORIGINAL_NOT_FOUND, outcome.responseCode);
        assertEquals(13_500, h.ration(SMALL));
    }

    @Test
    void shouldUndoARetransmittedOriginalOnlyOnce()
    {
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        h.send(h.again(purchase));

        h.send(h.reversalOf(purchase));

        assertEquals(15_000, h.ration(SMALL));
    }

    @Test
    void shouldNotRestoreRationWhenTheReversalArrivesAfterTheMonthEnded()
    {
        h.at(2026, 11, 30, 23, 0);
        final AuthRequest purchase = rationPurchase(1_500);
        h.send(purchase);
        h.at(2026, 12, 1, 0, 30);

        final AuthOutcome outcome = h.send(h.reversalOf(purchase));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        // December: 3 x 50.00 EGP plus 10 piasters for each of November's 30 x 15 unused loaves.
        assertEquals(15_000 + 4_500, h.ration(SMALL));
        assertEquals(AuthOutcome.NO_BALANCE, outcome.balanceAfter, "nothing moved, so no balance is named");
    }

    @Test
    void shouldRestoreCashEvenWhenTheReversalArrivesAfterTheMonthEnded()
    {
        h.at(2026, 11, 30, 23, 0);
        final AuthRequest withdrawal = h.financial(POST).card(pan(BIG_HEAD)).code(19500).egp(10_000).rightPin().build();
        assertEquals(ResponseCode.APPROVED, h.send(withdrawal).responseCode);
        h.at(2026, 12, 1, 0, 30);

        final AuthOutcome outcome = h.send(h.reversalOf(withdrawal));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        // Cash support is the family's money and carries over, so its reversal restores it in any month.
        assertEquals(2 * TestData.BIG_CASH_MONTHLY_PIASTERS, h.cash(BIG));
    }

    @Test
    void shouldRestoreCashReversedInTheSameMonth()
    {
        final AuthRequest withdrawal = h.financial(POST).card(pan(BIG_HEAD)).code(19500).egp(10_000).rightPin().build();
        h.send(withdrawal);

        final AuthOutcome outcome = h.send(h.reversalOf(withdrawal));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(Program.ACCOUNT_CASH, outcome.account);
        assertEquals(10_000, outcome.amountApplied);
        assertEquals(TestData.BIG_CASH_MONTHLY_PIASTERS, h.cash(BIG));
        assertEquals(TestData.BIG_CASH_MONTHLY_PIASTERS, outcome.balanceAfter);
    }

    @Test
    void shouldRestoreTodaysLoavesOnABreadReversalTheSameDay()
    {
        final AuthRequest bread = h.financial(BAKERY).card(pan(HEAD)).code(9200).loaves(10).build();
        h.send(bread);

        final AuthOutcome outcome = h.send(h.reversalOf(bread));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(Program.ACCOUNT_BREAD, outcome.account);
        assertEquals(10, outcome.amountApplied);
        assertEquals(0, h.loavesTakenToday(SMALL));
        assertEquals(15, outcome.balanceAfter, "loaves left today, as field 54 names them");
        assertEquals(ResponseCode.APPROVED, h.buyBread(HEAD, 15).responseCode);
    }

    @Test
    void shouldNotRestoreTodaysLoavesOnABreadReversalTheNextDay()
    {
        h.at(2026, 11, 2, 23, 0);
        final AuthRequest bread = h.financial(BAKERY).card(pan(HEAD)).code(9200).loaves(10).build();
        h.send(bread);
        h.at(2026, 11, 3, 0, 30);
        h.buyBread(HEAD, 5);

        h.send(h.reversalOf(bread));

        assertEquals(5, h.loavesTakenToday(SMALL));
        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, h.buyBread(HEAD, 11).responseCode);
    }

    @Test
    void shouldCountReversedLoavesAsUnusedForBreadPoints()
    {
        h.at(2026, 11, 2, 23, 0);
        final AuthRequest bread = h.financial(BAKERY).card(pan(HEAD)).code(9200).loaves(10).build();
        h.send(bread);
        h.at(2026, 11, 3, 0, 30);
        h.send(h.reversalOf(bread));
        h.at(2026, 12, 1, 9, 0);

        h.inquire(HEAD);

        assertEquals(15_000 + 450 * 10, h.ration(SMALL));
    }

    @Test
    void shouldRestoreTheWalletOnAWalletReversal()
    {
        final AuthRequest payment = h.acquirerFinancial(BANK).card(pan(HEAD)).code(9400).egp(5_000).rightPin().build();
        h.send(payment);

        final AuthOutcome outcome = h.send(Requests.reversalOf(payment).stan(h.nextStan()).at(h.nowMs()));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(5_000, outcome.amountApplied);
        assertEquals(TestData.HEAD_WALLET_PIASTERS, h.wallet(HEAD));
        assertEquals(TestData.HEAD_WALLET_PIASTERS, outcome.balanceAfter);
    }

    @Test
    void shouldRestoreTheWalletOnAHealthCoPaymentReversal()
    {
        final AuthRequest copayment = h.financial(HEALTH).card(pan(HEAD)).code(9300).egp(2_500).build();
        h.send(copayment);

        final AuthOutcome outcome = h.send(h.reversalOf(copayment));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(TestData.HEAD_WALLET_PIASTERS, h.wallet(HEAD));
        assertEquals(Program.ACCOUNT_HEALTH, outcome.account);
        assertEquals(TestData.HEAD_WALLET_PIASTERS, outcome.balanceAfter, "the wallet, which paid the co-payment");
    }

    @Test
    void shouldRestoreNothingOnAnExemptCoPaymentReversal()
    {
        final AuthRequest copayment = h.financial(HEALTH).card(pan(EXEMPT)).code(9300).egp(2_500).build();
        h.send(copayment);

        final AuthOutcome outcome = h.send(h.reversalOf(copayment));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(0, outcome.amountApplied);
        assertEquals(0, h.wallet(EXEMPT));
        assertEquals(AuthOutcome.NO_BALANCE, outcome.balanceAfter);
    }
}
