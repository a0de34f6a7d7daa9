package org.unicard.authorizer;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;
import org.unicard.state.Program;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.TestData;
import org.unicard.time.CairoCalendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicard.testing.AuthorizerHarness.balance;
import static org.unicard.testing.TestData.BIG;
import static org.unicard.testing.TestData.BIG_CASH_MONTHLY_PIASTERS;
import static org.unicard.testing.TestData.BIG_HEAD;
import static org.unicard.testing.TestData.HEAD;
import static org.unicard.testing.TestData.SMALL;

/**
 * Ration (monthly, bread points), bread (daily quota) and cash support (monthly, carried over) in
 * Cairo time, including day and month rollovers at Cairo midnight.
 */
class AuthorizerBenefitCycleTest
{
    private final AuthorizerHarness h = AuthorizerHarness.atGenesis();

    private static ZonedDateTime cairo(final int year, final int month, final int day, final int hour, final int minute,
        final int second, final int milli)
    {
        return ZonedDateTime.of(year, month, day, hour, minute, second, milli * 1_000_000, CairoCalendar.ZONE);
    }

    // Ration.

    @Test
    void shouldCreditFiftyPoundsForEachOfThreeRationIndividuals()
    {
        final AuthOutcome outcome = h.buyRation(HEAD, 1_000);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(-1_000, outcome.amountApplied);
        assertEquals(14_000, h.ration(SMALL));
        assertEquals(14_000, balance(outcome, Program.ACCOUNT_RATION));
    }

    @Test
    void shouldCredit25PoundsForEachIndividualBeyondFour()
    {
        h.inquire(BIG_HEAD);

        assertEquals(4 * 5_000 + 2 * 2_500, h.ration(BIG));
    }

    @Test
    void shouldApproveSpendingTheWholeRation()
    {
        assertEquals(ResponseCode.APPROVED, h.buyRation(HEAD, 15_000).responseCode);
        assertEquals(0, h.ration(SMALL));
    }

    @Test
    void shouldDeclineARationPurchaseAboveTheBalanceWith51AndBalances()
    {
        h.buyRation(HEAD, 10_000);

        final AuthOutcome outcome = h.buyRation(HEAD, 5_001);

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, outcome.responseCode);
        assertEquals(5_000, h.ration(SMALL));
        assertEquals(5_000, balance(outcome, Program.ACCOUNT_RATION));
    }

    @Test
    void shouldNotRollUnusedRationOverButAddBreadPoints()
    {
        h.buyRation(HEAD, 5_000);
        h.buyBread(HEAD, 12);
        h.at(2026, 11, 20, 9, 0);
        h.buyBread(HEAD, 8);
        h.at(2026, 12, 1, 9, 0);

        h.inquire(HEAD);

        // 30 days x 15 loaves counted from the genesis day, 20 taken: 430 unused x 10 piasters.
        assertEquals(15_000 + 430 * 10, h.ration(SMALL));
    }

    @Test
    void shouldCountBreadPointsFromAMidMonthGenesis()
    {
        final AuthorizerHarness late = AuthorizerHarness.withGenesis(ZonedDateTime.of(2026, 11, 10, 8, 0, 0, 0, CairoCalendar.ZONE));
        late.at(2026, 12, 1, 9, 0);

        late.inquire(HEAD);

        // 21 days (10th to 30th) x 15 loaves.
        assertEquals(15_000 + 21 * 15 * 10, late.ration(SMALL));
    }

    @Test
    void shouldGiveNoBreadPointsInTheGenesisMonth()
    {
        final AuthorizerHarness late = AuthorizerHarness.withGenesis(ZonedDateTime.of(2026, 11, 10, 8, 0, 0, 0, CairoCalendar.ZONE));

        late.inquire(HEAD);

        assertEquals(15_000, late.ration(SMALL));
    }

    @Test
    void shouldCountAWholeUntouchedMonthAsUnusedBread()
    {
        h.buyBread(HEAD, 15);
        h.at(2027, 1, 5, 9, 0);

        h.inquire(HEAD);

        // December had 31 days x 15 loaves and nothing taken; November's loaves do not count in January.
        assertEquals(15_000 + 31 * 15 * 10, h.ration(SMALL));
    }

    @Test
    void shouldKeepNovembersRationUntilTheLastMillisecondInCairo()
    {
        h.buyRation(HEAD, 10_000);
        h.at(cairo(2026, 11, 30, 23, 59, 59, 999));

        final AuthOutcome outcome = h.buyRation(HEAD, 5_001);

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, outcome.responseCode);
    }

    @Test
    void shouldOpenDecembersRationAtCairoMidnight()
    {
        h.buyRation(HEAD, 10_000);
        h.at(ZonedDateTime.of(2026, 11, 30, 22, 0, 0, 0, ZoneOffset.UTC));

        final AuthOutcome outcome = h.buyRation(HEAD, 5_001);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(15_000 + 450 * 10 - 5_001, h.ration(SMALL));
    }

    @Test
    void shouldNotReopenAClosedMonthWhenTheClockStepsBack()
    {
        h.at(2026, 12, 1, 9, 0);
        h.inquire(HEAD);
        h.at(2026, 11, 30, 9, 0);

        h.buyRation(HEAD, 1_000);

        assertEquals(15_000 + 450 * 10 - 1_000, h.ration(SMALL));
    }

    // Bread.

    @Test
    void shouldAllowFiveLoavesPerBreadIndividualADay()
    {
        final AuthOutcome outcome = h.buyBread(HEAD, 15);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(-15, outcome.amountApplied);
        assertEquals(0, balance(outcome, Program.ACCOUNT_BREAD));
        assertEquals(15, h.loavesTakenToday(SMALL));
    }

    @Test
    void shouldDeclineBreadOverTodaysQuotaWith51()
    {
        h.buyBread(HEAD, 10);

        final AuthOutcome outcome = h.buyBread(HEAD, 6);

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, outcome.responseCode);
        assertEquals(5, balance(outcome, Program.ACCOUNT_BREAD));
        assertEquals(10, h.loavesTakenToday(SMALL));
    }

    @Test
    void shouldDeclineMoreThan50LoavesInOneTransactionWith13()
    {
        assertEquals(ResponseCode.INVALID_AMOUNT, h.buyBread(BIG_HEAD, 51).responseCode);
    }

    @Test
    void shouldTreat50LoavesAsAValidAmountAndDeclineItAboveTheQuota()
    {
        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, h.buyBread(BIG_HEAD, 50).responseCode);
        assertEquals(ResponseCode.APPROVED, h.buyBread(BIG_HEAD, 30).responseCode);
    }

    @Test
    void shouldKeepTodaysLoavesUntilTheLastMillisecondOfTheCairoDay()
    {
        h.buyBread(HEAD, 15);
        h.at(cairo(2026, 11, 1, 23, 59, 59, 999));

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, h.buyBread(HEAD, 1).responseCode);
    }

    @Test
    void shouldResetBreadAtCairoMidnight()
    {
        h.buyBread(HEAD, 15);
        h.at(ZonedDateTime.of(2026, 11, 1, 22, 0, 0, 0, ZoneOffset.UTC));

        final AuthOutcome outcome = h.buyBread(HEAD, 15);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(15, h.loavesTakenToday(SMALL));
    }

    @Test
    void shouldResetBreadAtCairoMidnightInSummerTime()
    {
        final AuthorizerHarness summer = AuthorizerHarness.withGenesis(ZonedDateTime.of(2027, 7, 1, 8, 0, 0, 0, CairoCalendar.ZONE));
        summer.buyBread(HEAD, 15);
        // 21:30 UTC on 1 July is 00:30 on 2 July in Cairo (UTC+3 in summer).
        summer.at(ZonedDateTime.of(2027, 7, 1, 21, 30, 0, 0, ZoneOffset.UTC));

        assertEquals(ResponseCode.APPROVED, summer.buyBread(HEAD, 15).responseCode);
    }

    @Test
    void shouldNotResetBreadBeforeCairoMidnightInSummerTime()
    {
        final AuthorizerHarness summer = AuthorizerHarness.withGenesis(ZonedDateTime.of(2027, 7, 1, 8, 0, 0, 0, CairoCalendar.ZONE));
        summer.buyBread(HEAD, 15);
        summer.at(ZonedDateTime.of(2027, 7, 1, 20, 59, 59, 0, ZoneOffset.UTC));

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, summer.buyBread(HEAD, 1).responseCode);
    }

    @Test
    void shouldStartTheDayAfterTheSpringForwardGapInCairo()
    {
        // Egypt moves to UTC+3 on the last Friday of April: 2027-04-30 00:00 does not exist, the day starts at 01:00.
        assertEquals(ZoneOffset.ofHours(3), CairoCalendar.ZONE.getRules().getOffset(java.time.Instant.parse("2027-04-29T22:00:00Z")));
        final AuthorizerHarness spring = AuthorizerHarness.withGenesis(ZonedDateTime.of(2027, 4, 29, 8, 0, 0, 0, CairoCalendar.ZONE));
        spring.buyBread(HEAD, 15);
        spring.at(ZonedDateTime.of(2027, 4, 29, 21, 59, 59, 0, ZoneOffset.UTC));
        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, spring.buyBread(HEAD, 1).responseCode);

        spring.at(ZonedDateTime.of(2027, 4, 29, 22, 0, 0, 0, ZoneOffset.UTC));

        assertEquals(ResponseCode.APPROVED, spring.buyBread(HEAD, 15).responseCode);
    }

    @Test
    void shouldKeepTheRepeatedHourAfterFallBackInTheSameCairoDay()
    {
        // Egypt returns to UTC+2 at the end of the last Thursday of October: 2027-10-28 has 25 hours.
        final AuthorizerHarness autumn = AuthorizerHarness.withGenesis(ZonedDateTime.of(2027, 10, 28, 8, 0, 0, 0, CairoCalendar.ZONE));
        autumn.buyBread(HEAD, 15);
        // 21:30 UTC is 23:30 on 28 October in Cairo (UTC+2 again), not yet the 29th.
        autumn.at(ZonedDateTime.of(2027, 10, 28, 21, 30, 0, 0, ZoneOffset.UTC));
        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, autumn.buyBread(HEAD, 1).responseCode);

        autumn.at(ZonedDateTime.of(2027, 10, 28, 22, 0, 0, 0, ZoneOffset.UTC));

        assertEquals(ResponseCode.APPROVED, autumn.buyBread(HEAD, 15).responseCode);
    }

    @Test
    void shouldNotCarryUnusedLoavesToTheNextDay()
    {
        h.buyBread(HEAD, 5);
        h.at(2026, 11, 2, 9, 0);

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, h.buyBread(HEAD, 16).responseCode);
    }

    // Cash support.

    @Test
    void shouldCreditCashSupportOnFirstTouchInTheGenesisMonth()
    {
        final AuthOutcome outcome = h.inquire(BIG_HEAD);

        assertEquals(BIG_CASH_MONTHLY_PIASTERS, balance(outcome, Program.ACCOUNT_CASH));
        assertEquals(BIG_CASH_MONTHLY_PIASTERS, h.cash(BIG));
    }

    @Test
    void shouldCreditCashSupportOnlyOnceAMonth()
    {
        h.inquire(BIG_HEAD);
        h.at(2026, 11, 30, 23, 0);

        h.inquire(BIG_HEAD);

        assertEquals(BIG_CASH_MONTHLY_PIASTERS, h.cash(BIG));
    }

    @Test
    void shouldWithdrawCashSupport()
    {
        final AuthOutcome outcome = h.withdrawCash(BIG_HEAD, 10_000);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(Program.ACCOUNT_CASH, outcome.account);
        assertEquals(-10_000, outcome.amountApplied);
        assertEquals(BIG_CASH_MONTHLY_PIASTERS - 10_000, h.cash(BIG));
    }

    @Test
    void shouldDeclineAWithdrawalAboveTheCashBalanceWith51()
    {
        final AuthOutcome outcome = h.withdrawCash(BIG_HEAD, BIG_CASH_MONTHLY_PIASTERS + 1);

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, outcome.responseCode);
        assertEquals(BIG_CASH_MONTHLY_PIASTERS, balance(outcome, Program.ACCOUNT_CASH));
    }

    @Test
    void shouldCarryUnwithdrawnCashSupportOver()
    {
        h.withdrawCash(BIG_HEAD, 10_000);
        h.at(2026, 12, 1, 0, 0);

        h.inquire(BIG_HEAD);

        assertEquals(2 * BIG_CASH_MONTHLY_PIASTERS - 10_000, h.cash(BIG));
    }

    @Test
    void shouldCreditEveryMonthSinceGenesisOnAFirstTouchMonthsLater()
    {
        h.at(2027, 1, 15, 9, 0);

        h.inquire(BIG_HEAD);

        assertEquals(3 * BIG_CASH_MONTHLY_PIASTERS, h.cash(BIG));
    }

    @Test
    void shouldCreditSkippedMonthsAfterAWithdrawal()
    {
        h.withdrawCash(BIG_HEAD, 30_000);
        h.at(2027, 2, 1, 9, 0);

        final AuthOutcome outcome = h.withdrawCash(BIG_HEAD, 90_000);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(0, h.cash(BIG));
    }

    @Test
    void shouldCreditNoCashToAHouseholdWithoutCashSupport()
    {
        h.at(2027, 1, 15, 9, 0);

        h.inquire(HEAD);

        assertEquals(0, h.cash(SMALL));
    }

    // Wallet.

    @Test
    void shouldDeclineAWalletPaymentAboveTheBalanceWith51AndBalances()
    {
        final AuthOutcome outcome = h.payFromWallet(HEAD, TestData.HEAD_WALLET_PIASTERS + 1);

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, outcome.responseCode);
        assertEquals(TestData.HEAD_WALLET_PIASTERS, balance(outcome, Program.ACCOUNT_WALLET));
    }

    @Test
    void shouldWithdrawFromTheWalletAtThePostOffice()
    {
        final AuthOutcome outcome = h.send(h.financial(TestData.POST).card(TestData.pan(HEAD)).code(19400).egp(5_000).rightPin());

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(TestData.HEAD_WALLET_PIASTERS - 5_000, h.wallet(HEAD));
    }
}
