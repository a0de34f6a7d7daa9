package org.unicard.authorizer;

import org.junit.jupiter.api.Test;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicard.testing.TestData.BIG_HEAD;
import static org.unicard.testing.TestData.GROCER;
import static org.unicard.testing.TestData.HEAD;
import static org.unicard.testing.TestData.HEALTH;
import static org.unicard.testing.TestData.MEMBER;
import static org.unicard.testing.TestData.POST;
import static org.unicard.testing.TestData.pan;

/**
 * Spec §6 PIN rules: required for accounts 94, 95 and cash withdrawals (type 01), verified whenever
 * present; the third consecutive wrong PIN answers 75 and blocks until an operator PIN reset.
 */
class AuthorizerPinTest
{
    private final AuthorizerHarness h = AuthorizerHarness.atGenesis();

    private AuthOutcome wallet(final int card, final byte pin)
    {
        final var request = h.financial(GROCER).card(pan(card)).code(9400).egp(1_000);
        return h.send(pin == AuthRequest.PIN_CORRECT ? request.rightPin() : pin == AuthRequest.PIN_WRONG ? request.wrongPin() : request);
    }

    private AuthOutcome ration(final byte pin)
    {
        final var request = h.financial(GROCER).card(pan(HEAD)).code(9100).egp(100);
        return h.send(pin == AuthRequest.PIN_CORRECT ? request.rightPin() : pin == AuthRequest.PIN_WRONG ? request.wrongPin() : request);
    }

    private void blockPin(final int card)
    {
        wallet(card, AuthRequest.PIN_WRONG);
        wallet(card, AuthRequest.PIN_WRONG);
        assertEquals(ResponseCode.PIN_TRIES_EXCEEDED, wallet(card, AuthRequest.PIN_WRONG).responseCode);
    }

    @Test
    void shouldAnswer55WithoutCountingWhenAWalletPinIsMissing()
    {
        final AuthOutcome outcome = wallet(HEAD, AuthRequest.PIN_ABSENT);

        assertEquals(ResponseCode.WRONG_PIN, outcome.responseCode);
        assertEquals(0, h.pinTries(HEAD));
        assertEquals(TestData.HEAD_WALLET_PIASTERS, h.wallet(HEAD));
    }

    @Test
    void shouldAnswer55WhenACashSupportPinIsMissing()
    {
        assertEquals(ResponseCode.WRONG_PIN,
            h.send(h.financial(POST).card(pan(BIG_HEAD)).code(19500).egp(1_000)).responseCode);
        assertEquals(0, h.pinTries(BIG_HEAD));
    }

    @Test
    void shouldAnswer55WhenAWalletCashWithdrawalPinIsMissing()
    {
        assertEquals(ResponseCode.WRONG_PIN, h.send(h.financial(POST).card(pan(HEAD)).code(19400).egp(1_000)).responseCode);
    }

    @Test
    void shouldAnswer55WhenAWalletBalanceInquiryPinIsMissing()
    {
        assertEquals(ResponseCode.WRONG_PIN, h.send(h.financial(GROCER).card(pan(HEAD)).code(319400)).responseCode);
    }

    @Test
    void shouldApproveARationPurchaseWithoutAPin()
    {
        assertEquals(ResponseCode.APPROVED, ration(AuthRequest.PIN_ABSENT).responseCode);
    }

    @Test
    void shouldApproveAWalletPaymentWithTheRightPin()
    {
        final AuthOutcome outcome = wallet(HEAD, AuthRequest.PIN_CORRECT);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(-1_000, outcome.amountApplied);
        assertEquals(TestData.HEAD_WALLET_PIASTERS - 1_000, h.wallet(HEAD));
    }

    @Test
    void shouldVerifyAnOptionalPinWhenPresent()
    {
        final AuthOutcome outcome = ration(AuthRequest.PIN_WRONG);

        assertEquals(ResponseCode.WRONG_PIN, outcome.responseCode);
        assertEquals(1, h.pinTries(HEAD));
        assertEquals(1, outcome.pinTries);
    }

    @Test
    void shouldVerifyAHealthPinWhenPresent()
    {
        final AuthOutcome outcome = h.send(h.financial(HEALTH).card(pan(HEAD)).code(9300).egp(100).wrongPin());

        assertEquals(ResponseCode.WRONG_PIN, outcome.responseCode);
        assertEquals(1, h.pinTries(HEAD));
    }

    @Test
    void shouldCountConsecutiveWrongPins()
    {
        assertEquals(ResponseCode.WRONG_PIN, wallet(HEAD, AuthRequest.PIN_WRONG).responseCode);
        assertEquals(ResponseCode.WRONG_PIN, wallet(HEAD, AuthRequest.PIN_WRONG).responseCode);

        assertEquals(2, h.pinTries(HEAD));
    }

    @Test
    void shouldAnswer75ToTheThirdConsecutiveWrongPin()
    {
        wallet(HEAD, AuthRequest.PIN_WRONG);
        wallet(HEAD, AuthRequest.PIN_WRONG);

        final AuthOutcome third = wallet(HEAD, AuthRequest.PIN_WRONG);

        assertEquals(ResponseCode.PIN_TRIES_EXCEEDED, third.responseCode);
        assertEquals(3, h.pinTries(HEAD));
        assertEquals(3, third.pinTries);
    }

    @Test
    void shouldAnswer75ToTheRightPinOnceBlocked()
    {
        blockPin(HEAD);

        final AuthOutcome outcome = wallet(HEAD, AuthRequest.PIN_CORRECT);

        assertEquals(ResponseCode.PIN_TRIES_EXCEEDED, outcome.responseCode);
        assertEquals(TestData.HEAD_WALLET_PIASTERS, h.wallet(HEAD));
        assertEquals(0, outcome.balanceCount);
    }

    @Test
    void shouldAnswer75ToAPinRequiringTransactionWithoutPinOnceBlocked()
    {
        blockPin(HEAD);

        assertEquals(ResponseCode.PIN_TRIES_EXCEEDED, wallet(HEAD, AuthRequest.PIN_ABSENT).responseCode);
    }

    @Test
    void shouldAnswer75ToAnOptionalPinOnceBlocked()
    {
        blockPin(HEAD);

        assertEquals(ResponseCode.PIN_TRIES_EXCEEDED, ration(AuthRequest.PIN_CORRECT).responseCode);
    }

    @Test
    void shouldStillApproveATransactionThatNeedsAndCarriesNoPinWhileBlocked()
    {
        blockPin(HEAD);

        final AuthOutcome outcome = ration(AuthRequest.PIN_ABSENT);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(3, h.pinTries(HEAD));
    }

    @Test
    void shouldNotCountFurtherTriesOnceBlocked()
    {
        blockPin(HEAD);

        wallet(HEAD, AuthRequest.PIN_WRONG);

        assertEquals(3, h.pinTries(HEAD));
    }

    @Test
    void shouldResetTheCountOnTheRightPin()
    {
        wallet(HEAD, AuthRequest.PIN_WRONG);
        wallet(HEAD, AuthRequest.PIN_WRONG);

        assertEquals(ResponseCode.APPROVED, wallet(HEAD, AuthRequest.PIN_CORRECT).responseCode);
        assertEquals(0, h.pinTries(HEAD));
        assertEquals(ResponseCode.WRONG_PIN, wallet(HEAD, AuthRequest.PIN_WRONG).responseCode);
    }

    @Test
    void shouldUnblockOnAnOperatorPinReset()
    {
        blockPin(HEAD);

        final AuthOutcome reset = h.command(AuthRequest.COMMAND_PIN_RESET, HEAD);

        assertEquals(ResponseCode.APPROVED, reset.responseCode);
        assertEquals(0, reset.pinTries);
        assertEquals(0, h.pinTries(HEAD));
        assertEquals(ResponseCode.APPROVED, wallet(HEAD, AuthRequest.PIN_CORRECT).responseCode);
    }

    @Test
    void shouldKeepPinCountsPerCard()
    {
        blockPin(HEAD);

        assertEquals(ResponseCode.APPROVED, wallet(TestData.MEMBER, AuthRequest.PIN_CORRECT).responseCode);
        assertEquals(0, h.pinTries(MEMBER));
    }

    @Test
    void shouldCheckThePinBeforeTheBalance()
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(HEAD)).code(9400)
            .egp(TestData.HEAD_WALLET_PIASTERS + 1).wrongPin());

        assertEquals(ResponseCode.WRONG_PIN, outcome.responseCode);
        assertEquals(1, h.pinTries(HEAD));
    }

    @Test
    void shouldAnswer51WithTheRightPinAndResetTheCount()
    {
        wallet(HEAD, AuthRequest.PIN_WRONG);

        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(HEAD)).code(9400)
            .egp(TestData.HEAD_WALLET_PIASTERS + 1).rightPin());

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, outcome.responseCode);
        assertEquals(0, h.pinTries(HEAD));
    }
}
