package org.unicard.authorizer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unicard.state.CardTable;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.StateCapture;
import org.unicard.testing.RandomTraffic;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of every decision in seeded random traffic: a retransmission or a 94 changes nothing,
 * and every balance moves by exactly the amount the outcome says it applied, on that card or
 * household only.
 */
class AuthorizerInvariantTest
{
    private static final int STEPS = 3_000;

    private static DataSetCopy copy(final AuthorizerHarness h)
    {
        final DataSetCopy copy = new DataSetCopy();
        copy.households = StateCapture.copy(h.households);
        copy.cards = StateCapture.copy(h.cards);
        return copy;
    }

    private static final class DataSetCopy
    {
        HouseholdTable households;
        CardTable cards;
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {11, 12, 13})
    void shouldChangeNothingOnARetransmissionOrA94(final long seed)
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();
        final int[] checked = new int[1];
        final RandomTraffic traffic = new RandomTraffic(seed, h, request ->
        {
            final DataSetCopy before = copy(h);
            final AuthOutcome outcome = h.send(request);
            if (outcome.duplicateOf != AuthOutcome.NONE || outcome.responseCode == ResponseCode.DUPLICATE_KEY_OTHER_CONTENT)
            {
                checked[0]++;
                assertNull(StateCapture.firstDifference(StateCapture.of(before.households), StateCapture.of(h.households)),
                    "households sequence=" + outcome.sequence);
                assertNull(StateCapture.firstDifference(StateCapture.of(before.cards), StateCapture.of(h.cards)),
                    "cards sequence=" + outcome.sequence);
                assertEquals(0, outcome.amountApplied);
            }
            return outcome;
        });
        for (int i = 0; i < STEPS; i++)
        {
            traffic.step();
        }
        assertTrue(checked[0] > 50, "retransmissions checked=" + checked[0]);
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {21, 22, 23})
    void shouldMoveEveryBalanceByExactlyTheAmountApplied(final long seed)
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();
        final int[] moved = new int[1];
        final RandomTraffic traffic = new RandomTraffic(seed, h, request ->
        {
            final DataSetCopy before = copy(h);
            final AuthOutcome outcome = h.send(request);
            final boolean approvedMove = outcome.responseCode == ResponseCode.APPROVED && outcome.duplicateOf == AuthOutcome.NONE &&
                outcome.account != 0;
            if (approvedMove)
            {
                moved[0]++;
            }
            final String at = "sequence=" + outcome.sequence + " code=" + outcome.responseCode + " account=" + outcome.account +
                " applied=" + outcome.amountApplied + " card=" + outcome.card;
            for (int card = 0; card < TestData.CARD_COUNT; card++)
            {
                final boolean paysFromWallet = approvedMove && card == outcome.card &&
                    (outcome.account == Program.ACCOUNT_WALLET || outcome.account == Program.ACCOUNT_HEALTH);
                assertEquals(before.cards.walletBalancePiasters(card) + (paysFromWallet ? outcome.amountApplied : 0),
                    h.cards.walletBalancePiasters(card), at + " wallet of card=" + card);
            }
            for (int household = 0; household < h.households.size(); household++)
            {
                final boolean mine = approvedMove && household == h.cards.household(outcome.card);
                if (before.households.rationMonth(household) == h.households.rationMonth(household))
                {
                    assertEquals(before.households.rationBalancePiasters(household) +
                            (mine && outcome.account == Program.ACCOUNT_RATION ? outcome.amountApplied : 0),
                        h.households.rationBalancePiasters(household), at + " ration of household=" + household);
                }
                if (before.households.cashCreditedMonth(household) == h.households.cashCreditedMonth(household))
                {
                    assertEquals(before.households.cashBalancePiasters(household) +
                            (mine && outcome.account == Program.ACCOUNT_CASH ? outcome.amountApplied : 0),
                        h.households.cashBalancePiasters(household), at + " cash of household=" + household);
                }
                // Bread purchases only: reversals of bread are covered by AuthorizerReversalTest (a known bug).
                if (before.households.breadDay(household) == h.households.breadDay(household) &&
                    !(mine && outcome.account == Program.ACCOUNT_BREAD && outcome.amountApplied > 0))
                {
                    assertEquals(before.households.loavesTakenToday(household) +
                            (mine && outcome.account == Program.ACCOUNT_BREAD ? -outcome.amountApplied : 0),
                        h.households.loavesTakenToday(household), at + " loaves of household=" + household);
                }
            }
            return outcome;
        });
        for (int i = 0; i < STEPS; i++)
        {
            traffic.step();
        }
        assertTrue(moved[0] > 100, "approved moves checked=" + moved[0]);
    }
}
