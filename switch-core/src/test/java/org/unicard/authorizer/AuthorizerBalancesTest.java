package org.unicard.authorizer;

import org.junit.jupiter.api.Test;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicard.testing.AuthorizerHarness.balanceAccounts;
import static org.unicard.testing.TestData.BAKERY;
import static org.unicard.testing.TestData.BIG_HEAD;
import static org.unicard.testing.TestData.GROCER;
import static org.unicard.testing.TestData.HEAD;
import static org.unicard.testing.TestData.MEMBER;
import static org.unicard.testing.TestData.OLD_HEAD;
import static org.unicard.testing.TestData.pan;

/**
 * Field 54 (spec §5): every account the card holds, in order 91, 92, 93, 94, 95, on approvals and on
 * 51 declines, and nothing on other declines.
 */
class AuthorizerBalancesTest
{
    private final AuthorizerHarness h = AuthorizerHarness.atGenesis();

    @Test
    void shouldReportEveryAccountInOrderForACardHoldingAllPrograms()
    {
        final AuthOutcome outcome = h.inquire(BIG_HEAD);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertArrayEquals(new int[] {91, 92, 93, 94, 95}, balanceAccounts(outcome));
        assertArrayEquals(new long[] {25_000, 30, 0, TestData.BIG_HEAD_WALLET_PIASTERS, TestData.BIG_CASH_MONTHLY_PIASTERS},
            java.util.Arrays.copyOf(outcome.balanceAmount, outcome.balanceCount));
    }

    @Test
    void shouldReportOnlyTheMembersOwnAccounts()
    {
        final AuthOutcome outcome = h.inquire(MEMBER);

        assertArrayEquals(new int[] {93, 94}, balanceAccounts(outcome));
    }

    @Test
    void shouldReportOnlyRationAndBreadForARationOnlyCard()
    {
        final AuthOutcome outcome = h.inquire(OLD_HEAD);

        assertArrayEquals(new int[] {91, 92}, balanceAccounts(outcome));
    }

    @Test
    void shouldReportEveryAccountAfterASingleAccountPurchase()
    {
        final AuthOutcome outcome = h.buyBread(HEAD, 4);

        assertArrayEquals(new int[] {91, 92, 93, 94}, balanceAccounts(outcome));
        assertArrayEquals(new long[] {15_000, 11, 0, TestData.HEAD_WALLET_PIASTERS},
            java.util.Arrays.copyOf(outcome.balanceAmount, outcome.balanceCount));
    }

    @Test
    void shouldReportEveryAccountOnA51()
    {
        final AuthOutcome outcome = h.buyBread(HEAD, 16);

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, outcome.responseCode);
        assertArrayEquals(new int[] {91, 92, 93, 94}, balanceAccounts(outcome));
    }

    @Test
    void shouldReportNoBalancesOnA55()
    {
        assertEquals(0, h.send(h.financial(GROCER).card(pan(HEAD)).code(9400).egp(100)).balanceCount);
    }

    @Test
    void shouldReportNoBalancesOnA14()
    {
        final long unknown = TestData.withCheckDigit(603_666_999_999_999L);
        assertEquals(0, h.send(h.financial(GROCER).pan(unknown, 16).code(9100).egp(100)).balanceCount);
    }

    @Test
    void shouldAnswerA0100BalanceInquiryWithoutChangingAnything()
    {
        final AuthOutcome outcome = h.send(h.authorization(BAKERY).card(pan(HEAD)).code(310000));

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(0, outcome.amountApplied);
        assertArrayEquals(new int[] {91, 92, 93, 94}, balanceAccounts(outcome));
    }

    @Test
    void shouldGiveASixCharacterAuthorizationIdOnApproval()
    {
        final AuthOutcome outcome = h.buyRation(HEAD, 100);

        assertEquals(outcome.sequence % 1_000_000, outcome.authorizationId);
    }
}
