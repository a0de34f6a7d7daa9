package org.unicard.authorizer;

import org.junit.jupiter.api.Test;
import org.unicard.state.Program;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicard.testing.AuthorizerHarness.balance;
import static org.unicard.testing.TestData.EXEMPT;
import static org.unicard.testing.TestData.HEAD;
import static org.unicard.testing.TestData.HEALTH;
import static org.unicard.testing.TestData.MEMBER;
import static org.unicard.testing.TestData.NO_WALLET;
import static org.unicard.testing.TestData.OLD_HEAD;
import static org.unicard.testing.TestData.pan;

/**
 * Health 00/93 (spec §4): the co-payment is debited from the citizen's wallet, an exempt citizen
 * pays nothing; a 0100 is an eligibility check without debit.
 */
class AuthorizerHealthTest
{
    private final AuthorizerHarness h = AuthorizerHarness.atGenesis();

    private AuthOutcome copayment(final int card, final long piasters)
    {
        return h.send(h.financial(HEALTH).card(pan(card)).code(9300).egp(piasters));
    }

    private AuthOutcome eligibility(final int card, final long piasters)
    {
        return h.send(h.authorization(HEALTH).card(pan(card)).code(9300).egp(piasters));
    }

    @Test
    void shouldDebitTheCoPaymentFromTheWallet()
    {
        final AuthOutcome outcome = copayment(MEMBER, 2_500);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(Program.ACCOUNT_HEALTH, outcome.account);
        assertEquals(-2_500, outcome.amountApplied);
        assertEquals(TestData.MEMBER_WALLET_PIASTERS - 2_500, h.wallet(MEMBER));
        assertEquals(TestData.MEMBER_WALLET_PIASTERS - 2_500, balance(outcome, Program.ACCOUNT_WALLET));
        assertEquals(0, balance(outcome, Program.ACCOUNT_HEALTH));
    }

    @Test
    void shouldAllowACoPaymentOfTheWholeWallet()
    {
        assertEquals(ResponseCode.APPROVED, copayment(MEMBER, TestData.MEMBER_WALLET_PIASTERS).responseCode);
        assertEquals(0, h.wallet(MEMBER));
    }

    @Test
    void shouldDeclineACoPaymentAboveTheWalletWith51()
    {
        final AuthOutcome outcome = copayment(MEMBER, TestData.MEMBER_WALLET_PIASTERS + 1);

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, outcome.responseCode);
        assertEquals(TestData.MEMBER_WALLET_PIASTERS, h.wallet(MEMBER));
        assertEquals(TestData.MEMBER_WALLET_PIASTERS, balance(outcome, Program.ACCOUNT_WALLET));
    }

    @Test
    void shouldDeclineACoPaymentOfACitizenWithoutWalletWith51()
    {
        final AuthOutcome outcome = copayment(NO_WALLET, 100);

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, outcome.responseCode);
        assertEquals(1, outcome.balanceCount);
        assertEquals(0, balance(outcome, Program.ACCOUNT_HEALTH));
    }

    @Test
    void shouldApproveAnExemptCitizenWithoutDebit()
    {
        final AuthOutcome outcome = copayment(EXEMPT, 2_500);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(0, outcome.amountApplied);
        assertEquals(0, h.wallet(EXEMPT));
    }

    @Test
    void shouldCheckEligibilityWithoutDebitOnA0100()
    {
        final AuthOutcome outcome = eligibility(MEMBER, 2_500);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(0, outcome.amountApplied);
        assertEquals(TestData.MEMBER_WALLET_PIASTERS, h.wallet(MEMBER));
    }

    @Test
    void shouldApproveEligibilityOfACitizenWithoutWallet()
    {
        assertEquals(ResponseCode.APPROVED, eligibility(NO_WALLET, 2_500).responseCode);
    }

    @Test
    void shouldApproveEligibilityAboveTheWalletBalance()
    {
        assertEquals(ResponseCode.APPROVED, eligibility(MEMBER, TestData.MEMBER_WALLET_PIASTERS + 1).responseCode);
    }

    @Test
    void shouldDeclineEligibilityOfACardWithoutHealthWith57()
    {
        assertEquals(ResponseCode.PROGRAM_NOT_HELD, eligibility(OLD_HEAD, 100).responseCode);
    }

    @Test
    void shouldDeclineACoPaymentOfZeroWith13()
    {
        assertEquals(ResponseCode.INVALID_AMOUNT, copayment(HEAD, 0).responseCode);
    }

    @Test
    void shouldNotRequireAPinForHealth()
    {
        assertEquals(ResponseCode.APPROVED, copayment(HEAD, 100).responseCode);
    }
}
