package org.unicard.authorizer;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.unicard.state.Program;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.Requests;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicard.testing.TestData.BANK;
import static org.unicard.testing.TestData.GROCER;
import static org.unicard.testing.TestData.GROCER_2;
import static org.unicard.testing.TestData.HEAD;
import static org.unicard.testing.TestData.MEMBER;
import static org.unicard.testing.TestData.NEW_HEAD;
import static org.unicard.testing.TestData.OLD_HEAD;
import static org.unicard.testing.TestData.POST_BANK;
import static org.unicard.testing.TestData.SMALL;
import static org.unicard.testing.TestData.pan;

/**
 * Returns (type 20): 20/91 at grocers and 20/94 on acquirer links credit back at most what the card
 * spent at that terminal this Cairo month, net of earlier returns and reversals; above that, 13.
 */
class AuthorizerReturnTest
{
    private final AuthorizerHarness h = AuthorizerHarness.atGenesis();

    private AuthOutcome rationReturn(final int terminal, final int card, final long piasters)
    {
        return h.send(h.financial(terminal).card(pan(card)).code(209100).egp(piasters));
    }

    private AuthRequest walletPayment(final int acquirer, final int card, final long piasters)
    {
        return Requests.financial().acquirer(acquirer, TestData.ACQUIRER_TERMINAL).card(pan(card)).code(9400).egp(piasters)
            .rightPin().stan(h.nextStan()).at(h.nowMs()).build();
    }

    private AuthOutcome walletReturn(final int acquirer, final int card, final long piasters)
    {
        return h.send(Requests.financial().acquirer(acquirer, TestData.ACQUIRER_TERMINAL).card(pan(card)).code(209400)
            .egp(piasters).rightPin().stan(h.nextStan()).at(h.nowMs()));
    }

    @Test
    void shouldCreditBackARationReturnUpToWhatWasSpentAtThatGrocer()
    {
        h.buyRation(HEAD, 3_000);

        final AuthOutcome outcome = rationReturn(GROCER, HEAD, 3_000);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(Program.ACCOUNT_RATION, outcome.account);
        assertEquals(3_000, outcome.amountApplied);
        assertEquals(15_000, h.ration(SMALL));
        assertEquals(15_000, AuthorizerHarness.balance(outcome, Program.ACCOUNT_RATION));
    }

    @Test
    void shouldDeclineARationReturnAboveWhatWasSpentWith13()
    {
        h.buyRation(HEAD, 3_000);

        final AuthOutcome outcome = rationReturn(GROCER, HEAD, 3_001);

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
        assertEquals(12_000, h.ration(SMALL));
        assertEquals(0, outcome.balanceCount);
    }

    @Test
    void shouldDeclineAReturnAtAGrocerWhereNothingWasSpentWith13()
    {
        h.buyRation(HEAD, 3_000);

        final AuthOutcome outcome = rationReturn(GROCER_2, HEAD, 1);

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
    }

    @Test
    void shouldCountEarlierReturnsAgainstTheCeiling()
    {
        h.buyRation(HEAD, 3_000);
        assertEquals(ResponseCode.APPROVED, rationReturn(GROCER, HEAD, 2_000).responseCode);

        assertEquals(ResponseCode.INVALID_AMOUNT, rationReturn(GROCER, HEAD, 1_001).responseCode);
        assertEquals(ResponseCode.APPROVED, rationReturn(GROCER, HEAD, 1_000).responseCode);
        assertEquals(ResponseCode.INVALID_AMOUNT, rationReturn(GROCER, HEAD, 1).responseCode);
        assertEquals(15_000, h.ration(SMALL));
    }

    @Test
    void shouldCountReversedPurchasesAgainstTheCeiling()
    {
        final AuthRequest first = h.financial(GROCER).card(pan(HEAD)).code(9100).egp(3_000).build();
        h.send(first);
        h.buyRation(HEAD, 1_000);
        h.send(h.reversalOf(first));

        assertEquals(ResponseCode.INVALID_AMOUNT, rationReturn(GROCER, HEAD, 1_001).responseCode);
        assertEquals(ResponseCode.APPROVED, rationReturn(GROCER, HEAD, 1_000).responseCode);
    }

    @Test
    void shouldRaiseTheCeilingAgainWhenAReturnIsReversed()
    {
        h.buyRation(HEAD, 3_000);
        final AuthRequest refund = h.financial(GROCER).card(pan(HEAD)).code(209100).egp(3_000).build();
        h.send(refund);

        final AuthOutcome reversal = h.send(h.reversalOf(refund));

        assertEquals(ResponseCode.APPROVED, reversal.responseCode);
        assertEquals(-3_000, reversal.amountApplied);
        assertEquals(12_000, h.ration(SMALL));
        assertEquals(ResponseCode.APPROVED, rationReturn(GROCER, HEAD, 3_000).responseCode);
    }

    @Test
    void shouldNotCountDeclinedPurchasesTowardsTheCeiling()
    {
        h.buyRation(HEAD, 15_001);

        assertEquals(ResponseCode.INVALID_AMOUNT, rationReturn(GROCER, HEAD, 1).responseCode);
    }

    @Test
    void shouldDeclineAReturnOfLastMonthsSpendWith13()
    {
        h.at(2026, 11, 30, 23, 59);
        h.buyRation(HEAD, 3_000);
        h.at(2026, 12, 1, 0, 0);

        assertEquals(ResponseCode.INVALID_AMOUNT, rationReturn(GROCER, HEAD, 1).responseCode);
    }

    @Test
    void shouldAllowAReturnLaterTheSameCairoMonth()
    {
        h.at(2026, 11, 2, 10, 0);
        h.buyRation(HEAD, 3_000);
        h.at(2026, 11, 30, 23, 59);

        assertEquals(ResponseCode.APPROVED, rationReturn(GROCER, HEAD, 3_000).responseCode);
    }

    @Test
    void shouldNotLetAnotherCardOfTheHouseholdReturnWhatTheHeadSpent()
    {
        h.buyRation(OLD_HEAD, 3_000);

        assertEquals(ResponseCode.INVALID_AMOUNT, rationReturn(GROCER, NEW_HEAD, 1_000).responseCode);
    }

    @Test
    void shouldCreditBackAWalletReturnOnTheSameAcquirerLink()
    {
        h.send(walletPayment(BANK, HEAD, 5_000));

        final AuthOutcome outcome = walletReturn(BANK, HEAD, 5_000);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(5_000, outcome.amountApplied);
        assertEquals(TestData.HEAD_WALLET_PIASTERS, h.wallet(HEAD));
    }

    @Test
    void shouldDeclineAWalletReturnAboveWhatWasSpentWith13()
    {
        h.send(walletPayment(BANK, HEAD, 5_000));

        final AuthOutcome outcome = walletReturn(BANK, HEAD, 5_001);

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
        assertEquals(TestData.HEAD_WALLET_PIASTERS - 5_000, h.wallet(HEAD));
    }

    @Test
    void shouldDeclineAWalletReturnOnAnotherAcquirerWithTheSameTerminalIdWith13()
    {
        h.send(walletPayment(BANK, HEAD, 5_000));

        assertEquals(ResponseCode.INVALID_AMOUNT, walletReturn(POST_BANK, HEAD, 1_000).responseCode);
    }

    @Test
    void shouldDeclineAWalletReturnByAnotherCardWith13()
    {
        h.send(walletPayment(BANK, HEAD, 5_000));

        assertEquals(ResponseCode.INVALID_AMOUNT, walletReturn(BANK, MEMBER, 1_000).responseCode);
    }

    @Test
    void shouldNotCountGrocerWalletSpendTowardsAnAcquirerReturn()
    {
        h.payFromWallet(HEAD, 5_000);

        assertEquals(ResponseCode.INVALID_AMOUNT, walletReturn(BANK, HEAD, 1_000).responseCode);
    }

    @Test
    void shouldRequireThePinOnAWalletReturn()
    {
        h.send(walletPayment(BANK, HEAD, 5_000));
        final AuthRequest noPin = Requests.financial().acquirer(BANK, TestData.ACQUIRER_TERMINAL).card(pan(HEAD)).code(209400)
            .egp(1_000).stan(h.nextStan()).at(h.nowMs()).build();

        assertEquals(ResponseCode.WRONG_PIN, h.send(noPin).responseCode);
        assertEquals(0, h.pinTries(HEAD));
    }

    @Test
    void shouldAnswer13BeforeTheMissingPinOfAReturnAboveTheCeiling()
    {
        final AuthRequest noPin = Requests.financial().acquirer(BANK, TestData.ACQUIRER_TERMINAL).card(pan(HEAD)).code(209400)
            .egp(1_000).stan(h.nextStan()).at(h.nowMs()).build();

        assertEquals(ResponseCode.INVALID_AMOUNT, h.send(noPin).responseCode);
    }

    @Test
    void shouldKeepTheCeilingAcrossRetransmissions()
    {
        h.buyRation(HEAD, 3_000);
        final AuthRequest refund = h.financial(GROCER).card(pan(HEAD)).code(209100).egp(3_000).build();
        h.send(refund);
        h.advance(Duration.ofMinutes(1));

        final AuthOutcome again = h.send(h.again(refund));

        assertEquals(ResponseCode.APPROVED, again.responseCode);
        assertEquals(15_000, h.ration(SMALL));
        assertEquals(ResponseCode.INVALID_AMOUNT, rationReturn(GROCER, HEAD, 1).responseCode);
    }
}
