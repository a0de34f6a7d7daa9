package org.unicard.authorizer;

import org.junit.jupiter.api.Test;
import org.unicard.state.CardStatus;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicard.testing.TestData.DAMAGED;
import static org.unicard.testing.TestData.EXPIRED;
import static org.unicard.testing.TestData.EXPIRES_NOVEMBER;
import static org.unicard.testing.TestData.GROCER;
import static org.unicard.testing.TestData.HEAD;
import static org.unicard.testing.TestData.ISSUED_LONG_AGO;
import static org.unicard.testing.TestData.ISSUED_RECENTLY;
import static org.unicard.testing.TestData.LOST;
import static org.unicard.testing.TestData.NEW_HEAD;
import static org.unicard.testing.TestData.OLD_HEAD;
import static org.unicard.testing.TestData.REPLACED;
import static org.unicard.testing.TestData.STOLEN;
import static org.unicard.testing.TestData.pan;

/**
 * Card status (41, 43, 62), lifecycle (spec §9: collect, destroy after 60 days, supersede, operator
 * blocks) and expiry (54).
 */
class AuthorizerCardStatusTest
{
    private final AuthorizerHarness h = AuthorizerHarness.atGenesis();

    private AuthOutcome pay(final int card)
    {
        return h.payFromWallet(card, 100);
    }

    private AuthOutcome ration(final int card)
    {
        return h.buyRation(card, 100);
    }

    @Test
    void shouldDeclineABlockedLostCardWith41()
    {
        final AuthOutcome outcome = pay(LOST);

        assertEquals(ResponseCode.LOST_CARD, outcome.responseCode);
        assertEquals(CardStatus.BLOCKED_LOST, outcome.cardStatus);
        assertEquals(0, outcome.balanceCount);
        assertEquals(TestData.OTHER_WALLET_PIASTERS, h.wallet(LOST));
    }

    @Test
    void shouldDeclineABlockedStolenCardWith43()
    {
        assertEquals(ResponseCode.STOLEN_CARD, pay(STOLEN).responseCode);
    }

    @Test
    void shouldDeclineADamagedCardWith62()
    {
        assertEquals(ResponseCode.RESTRICTED_CARD, pay(DAMAGED).responseCode);
    }

    @Test
    void shouldDeclineAnIssuedCardNotYetCollectedWith62()
    {
        assertEquals(ResponseCode.RESTRICTED_CARD, pay(ISSUED_RECENTLY).responseCode);
    }

    @Test
    void shouldDeclineACardIssued70DaysAgoWith62()
    {
        final AuthOutcome outcome = pay(ISSUED_LONG_AGO);

        assertEquals(ResponseCode.RESTRICTED_CARD, outcome.responseCode);
    }

    @Test
    void shouldDeclineBalanceInquiriesOfABlockedCardToo()
    {
        assertEquals(ResponseCode.LOST_CARD, h.inquire(LOST).responseCode);
    }

    @Test
    void shouldApproveACardOnceCollected()
    {
        final AuthOutcome collect = h.command(AuthRequest.COMMAND_COLLECT, ISSUED_RECENTLY);

        assertEquals(ResponseCode.APPROVED, collect.responseCode);
        assertEquals(CardStatus.COLLECTED, collect.cardStatus);
        assertEquals(CardStatus.COLLECTED, h.status(ISSUED_RECENTLY));
        assertEquals(ResponseCode.APPROVED, pay(ISSUED_RECENTLY).responseCode);
    }

    @Test
    void shouldRefuseToCollectACardIssued70DaysAgoWith62()
    {
        final AuthOutcome collect = h.command(AuthRequest.COMMAND_COLLECT, ISSUED_LONG_AGO);

        assertEquals(ResponseCode.RESTRICTED_CARD, collect.responseCode);
        assertEquals(CardStatus.DESTROYED, collect.cardStatus);
        assertEquals(ResponseCode.RESTRICTED_CARD, pay(ISSUED_LONG_AGO).responseCode);
    }

    @Test
    void shouldStillCollectACardOnThe59thDayAfterIssue()
    {
        h.at(TestData.ISSUED_RECENTLY_ON.plusDays(59).atTime(23, 59, 59).atZone(TestData.GENESIS.getZone()));

        assertEquals(ResponseCode.APPROVED, h.command(AuthRequest.COMMAND_COLLECT, ISSUED_RECENTLY).responseCode);
    }

    @Test
    void shouldDestroyAnUncollectedCardAtCairoMidnightOfThe60thDayAfterIssue()
    {
        h.at(TestData.ISSUED_RECENTLY_ON.plusDays(60).atStartOfDay(TestData.GENESIS.getZone()));

        final AuthOutcome collect = h.command(AuthRequest.COMMAND_COLLECT, ISSUED_RECENTLY);

        assertEquals(ResponseCode.RESTRICTED_CARD, collect.responseCode);
        assertEquals(CardStatus.DESTROYED, collect.cardStatus);
    }

    @Test
    void shouldNeverDestroyACollectedCard()
    {
        h.command(AuthRequest.COMMAND_COLLECT, ISSUED_RECENTLY);
        h.at(2027, 3, 1, 9, 0);

        assertEquals(ResponseCode.APPROVED, pay(ISSUED_RECENTLY).responseCode);
    }

    @Test
    void shouldAnswer00ToCollectingACollectedCard()
    {
        assertEquals(ResponseCode.APPROVED, h.command(AuthRequest.COMMAND_COLLECT, HEAD).responseCode);
        assertEquals(CardStatus.COLLECTED, h.status(HEAD));
    }

    @Test
    void shouldRefuseToCollectABlockedCardWith62()
    {
        assertEquals(ResponseCode.RESTRICTED_CARD, h.command(AuthRequest.COMMAND_COLLECT, LOST).responseCode);
        assertEquals(CardStatus.BLOCKED_LOST, h.status(LOST));
    }

    @Test
    void shouldDeclineWith41OnceAnOperatorBlocksACardAsLost()
    {
        final AuthOutcome block = h.command(AuthRequest.COMMAND_BLOCK_LOST, HEAD);

        assertEquals(ResponseCode.APPROVED, block.responseCode);
        assertEquals(CardStatus.BLOCKED_LOST, block.cardStatus);
        assertEquals(ResponseCode.LOST_CARD, ration(HEAD).responseCode);
    }

    @Test
    void shouldDeclineWith43OnceAnOperatorBlocksACardAsStolen()
    {
        h.command(AuthRequest.COMMAND_BLOCK_STOLEN, HEAD);

        assertEquals(ResponseCode.STOLEN_CARD, ration(HEAD).responseCode);
    }

    @Test
    void shouldDeclineWith62OnceAnOperatorMarksACardDamaged()
    {
        h.command(AuthRequest.COMMAND_BLOCK_DAMAGED, HEAD);

        assertEquals(ResponseCode.RESTRICTED_CARD, ration(HEAD).responseCode);
        assertEquals(CardStatus.DAMAGED, h.status(HEAD));
    }

    @Test
    void shouldAnswer14ToACommandOnAnUnknownPan()
    {
        final AuthOutcome outcome = h.send(org.unicard.testing.Requests.command(AuthRequest.COMMAND_BLOCK_LOST,
            TestData.withCheckDigit(603_666_999_999_999L)).at(h.nowMs()));

        assertEquals(ResponseCode.INVALID_CARD_NUMBER, outcome.responseCode);
    }

    @Test
    void shouldReportBalancesOnAStatusQuery()
    {
        final AuthOutcome outcome = h.command(AuthRequest.COMMAND_QUERY, HEAD);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(15_000, AuthorizerHarness.balance(outcome, 91));
        assertEquals(TestData.HEAD_WALLET_PIASTERS, AuthorizerHarness.balance(outcome, 94));
    }

    // Supersede.

    @Test
    void shouldLetTheOldCardWorkUntilTheNewCardIsUsed()
    {
        assertEquals(ResponseCode.APPROVED, ration(OLD_HEAD).responseCode);
        assertEquals(ResponseCode.APPROVED, ration(OLD_HEAD).responseCode);
        assertEquals(CardStatus.COLLECTED, h.status(OLD_HEAD));
    }

    @Test
    void shouldSupersedeTheOldCardOnTheNewCardsFirstApproval()
    {
        final AuthOutcome first = ration(NEW_HEAD);

        assertEquals(ResponseCode.APPROVED, first.responseCode);
        assertEquals(OLD_HEAD, first.supersededCard);
        assertEquals(CardStatus.SUPERSEDED, h.status(OLD_HEAD));
        assertEquals(ResponseCode.RESTRICTED_CARD, ration(OLD_HEAD).responseCode);
    }

    @Test
    void shouldSupersedeAnOldCardBlockedLostOnTheNewCardsFirstApproval()
    {
        h.command(AuthRequest.COMMAND_BLOCK_LOST, OLD_HEAD);
        assertEquals(ResponseCode.LOST_CARD, ration(OLD_HEAD).responseCode);

        final AuthOutcome first = ration(NEW_HEAD);

        assertEquals(ResponseCode.APPROVED, first.responseCode);
        assertEquals(OLD_HEAD, first.supersededCard);
        assertEquals(CardStatus.SUPERSEDED, h.status(OLD_HEAD));
        assertEquals(ResponseCode.RESTRICTED_CARD, ration(OLD_HEAD).responseCode);
    }

    @Test
    void shouldReportTheSupersedeOnlyOnce()
    {
        ration(NEW_HEAD);

        assertEquals(AuthOutcome.NONE, ration(NEW_HEAD).supersededCard);
    }

    @Test
    void shouldNotSupersedeOnADeclineOfTheNewCard()
    {
        final AuthOutcome declined = h.buyRation(NEW_HEAD, 10_001);

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, declined.responseCode);
        assertEquals(AuthOutcome.NONE, declined.supersededCard);
        assertEquals(ResponseCode.APPROVED, ration(OLD_HEAD).responseCode);
    }

    @Test
    void shouldShareTheHouseholdBalanceBetweenOldAndNewCard()
    {
        h.buyRation(OLD_HEAD, 4_000);

        final AuthOutcome outcome = h.buyRation(NEW_HEAD, 1_000);

        assertEquals(5_000, AuthorizerHarness.balance(outcome, 91));
        assertEquals(5_000, h.ration(REPLACED));
    }

    // Expiry (54).

    @Test
    void shouldApproveWhenField14MatchesTheCard()
    {
        assertEquals(ResponseCode.APPROVED,
            h.send(h.financial(GROCER).card(pan(HEAD)).code(9100).egp(100).expiry(TestData.CARD_EXPIRY)).responseCode);
    }

    @Test
    void shouldDeclineWhenField14DiffersFromTheCardWith54()
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(HEAD)).code(9100).egp(100).expiry(2811));

        assertEquals(ResponseCode.EXPIRED_CARD, outcome.responseCode);
        assertEquals(0, outcome.balanceCount);
    }

    @Test
    void shouldDeclineACardPastItsExpiryMonthWith54()
    {
        assertEquals(ResponseCode.EXPIRED_CARD, pay(EXPIRED).responseCode);
    }

    @Test
    void shouldDeclineACardPastItsExpiryMonthEvenWithMatchingField14()
    {
        assertEquals(ResponseCode.EXPIRED_CARD, h.send(h.financial(GROCER).card(pan(EXPIRED)).code(9400).egp(100).rightPin()
            .expiry(TestData.EXPIRED_CARD_EXPIRY)).responseCode);
    }

    @Test
    void shouldApproveACardOnTheLastMomentOfItsExpiryMonthInCairo()
    {
        h.at(java.time.ZonedDateTime.of(2026, 11, 30, 23, 59, 59, 999_000_000, TestData.GENESIS.getZone()));

        assertEquals(ResponseCode.APPROVED, pay(EXPIRES_NOVEMBER).responseCode);
    }

    @Test
    void shouldDeclineACardAtCairoMidnightAfterItsExpiryMonthWith54()
    {
        h.at(2026, 12, 1, 0, 0);

        assertEquals(ResponseCode.EXPIRED_CARD, pay(EXPIRES_NOVEMBER).responseCode);
    }
}
