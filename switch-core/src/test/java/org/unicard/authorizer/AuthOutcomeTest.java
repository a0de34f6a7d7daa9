package org.unicard.authorizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Replay compares every decision with its record through {@link AuthOutcome#firstDifference}; the
 * balances of field 54 are compared block by block, up to the count, and nothing past it.
 */
class AuthOutcomeTest
{
    private static AuthOutcome withBalances(final long... amounts)
    {
        final AuthOutcome outcome = new AuthOutcome();
        outcome.responseCode = ResponseCode.APPROVED;
        for (int i = 0; i < amounts.length; i++)
        {
            outcome.addBalance(91 + i, amounts[i]);
        }
        return outcome;
    }

    @Test
    void shouldFindNoDifferenceBetweenEqualBalances()
    {
        assertNull(withBalances(100, 5, 20_000).firstDifference(withBalances(100, 5, 20_000)));
        assertNull(withBalances().firstDifference(withBalances()));
    }

    @Test
    void shouldNameTheBalancesWhenAnAmountAnAccountOrTheCountDiffers()
    {
        final AuthOutcome recorded = withBalances(100, 5, 20_000, 7, 1);

        assertEquals("balances", withBalances(100, 5, 20_000, 7, 2).firstDifference(recorded), "the last amount");
        assertEquals("balances", withBalances(101, 5, 20_000, 7, 1).firstDifference(recorded), "the first amount");
        assertEquals("balances", withBalances(100, 5, 20_000, 7).firstDifference(recorded), "one block fewer");

        final AuthOutcome otherAccount = withBalances(100, 5, 20_000, 7, 1);
        otherAccount.balanceAccount[2] = 95;
        assertEquals("balances", otherAccount.firstDifference(recorded), "an account");
    }

    @Test
    void shouldIgnoreWhatLiesPastTheCount()
    {
        final AuthOutcome decided = withBalances(100, 5);
        final AuthOutcome recorded = withBalances(100, 5);
        decided.balanceAmount[3] = 9;
        recorded.balanceAccount[4] = 93;

        assertNull(decided.firstDifference(recorded));
    }
}
