package org.unicard.authorizer;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.Requests;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.testing.TestData.BAKERY;
import static org.unicard.testing.TestData.BIG_HEAD;
import static org.unicard.testing.TestData.GROCER;
import static org.unicard.testing.TestData.HEAD;
import static org.unicard.testing.TestData.HEALTH;
import static org.unicard.testing.TestData.POST;
import static org.unicard.testing.TestData.SMALL;
import static org.unicard.testing.TestData.pan;

/**
 * Processing code (12), terminal type (58), card number (14), amount and currency (13), and the
 * order of spec §7 when a request fails more than one check.
 */
class AuthorizerValidationTest
{
    private final AuthorizerHarness h = AuthorizerHarness.atGenesis();

    // Processing code (12).

    @ParameterizedTest
    @ValueSource(ints = {300000, 9101, 9199, 0, 10000, 200000, 999900, 9310, 409100, 329100, 319600, 319000})
    void shouldDeclineProcessingCodesNotInTheSpecWith12(final int processingCode)
    {
        final AuthOutcome outcome = h.send(h.financial(TestData.POST).card(pan(BIG_HEAD)).code(processingCode).egp(100).rightPin());

        assertEquals(ResponseCode.INVALID_PROCESSING_CODE, outcome.responseCode);
        assertEquals(0, outcome.balanceCount);
    }

    @Test
    void shouldDeclineAPurchaseOfAccount00With12()
    {
        assertEquals(ResponseCode.INVALID_PROCESSING_CODE,
            h.send(h.financial(GROCER).card(pan(HEAD)).code(0).egp(100)).responseCode);
    }

    @Test
    void shouldDeclineAnAbsentProcessingCodeWith12()
    {
        assertEquals(ResponseCode.INVALID_PROCESSING_CODE,
            h.send(h.financial(GROCER).card(pan(HEAD)).code(AuthRequest.ABSENT).egp(100)).responseCode);
    }

    @Test
    void shouldDeclineA0100RationPurchaseWith12BecauseAn0100NeverDebits()
    {
        final AuthOutcome outcome = h.send(h.authorization(GROCER).card(pan(HEAD)).code(9100).egp(100));

        assertEquals(ResponseCode.INVALID_PROCESSING_CODE, outcome.responseCode);
    }

    // Terminal type (58), spec §4 table, for every supported processing code at every terminal type.

    private static final List<Integer> CODES = List.of(
        9100, 9200, 9300, 9400, 9500,
        19100, 19200, 19300, 19400, 19500,
        209100, 209200, 209300, 209400, 209500,
        310000, 319100, 319200, 319300, 319400, 319500);

    static Stream<Arguments> terminalTypeCases()
    {
        final Stream.Builder<Arguments> cases = Stream.builder();
        final Set<Integer> bakery = Set.of(9200, 319200, 310000);
        final Set<Integer> grocer = Set.of(9100, 209100, 9400, 319100, 319400, 310000);
        final Set<Integer> health = Set.of(9300, 310000);
        final Set<Integer> post = Set.of(19400, 19500, 9400, 310000, 319100, 319200, 319300, 319400, 319500);
        final Set<Integer> acquirer = Set.of(9400, 209400, 319400);
        for (final int code : CODES)
        {
            cases.add(Arguments.of("bakery", BAKERY, code, bakery.contains(code)));
            cases.add(Arguments.of("grocer", GROCER, code, grocer.contains(code)));
            cases.add(Arguments.of("health", HEALTH, code, health.contains(code)));
            cases.add(Arguments.of("post", POST, code, post.contains(code)));
            cases.add(Arguments.of("acquirer", -1, code, acquirer.contains(code)));
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} {2} allowed={3}")
    @MethodSource("terminalTypeCases")
    void shouldAllowExactlyTheTransactionsOfTheTerminalTypeTable(
        final String name, final int terminal, final int processingCode, final boolean allowed)
    {
        final Requests request = terminal < 0 ? h.acquirerFinancial(TestData.BANK) : h.financial(terminal);
        request.card(pan(BIG_HEAD)).code(processingCode).rightPin();
        if ((processingCode / 100) % 100 == 92)
        {
            request.loaves(1);
        }
        else
        {
            request.egp(100);
        }

        final AuthOutcome outcome = h.send(request);

        if (allowed)
        {
            assertTrue(outcome.responseCode != ResponseCode.NOT_PERMITTED_ON_TERMINAL, "code=" + outcome.responseCode);
        }
        else
        {
            assertEquals(ResponseCode.NOT_PERMITTED_ON_TERMINAL, outcome.responseCode);
        }
    }

    @Test
    void shouldNotDebitAnythingOnA58()
    {
        h.inquire(BIG_HEAD);
        final long wallet = h.wallet(BIG_HEAD);

        final AuthOutcome outcome = h.send(h.financial(HEALTH).card(pan(BIG_HEAD)).code(9400).egp(100).rightPin());

        assertEquals(ResponseCode.NOT_PERMITTED_ON_TERMINAL, outcome.responseCode);
        assertEquals(wallet, h.wallet(BIG_HEAD));
        assertEquals(0, outcome.amountApplied);
    }

    // Card number (14).

    @Test
    void shouldDeclineAnUnknownLuhnValidPanWith14()
    {
        final long unknown = TestData.withCheckDigit(603_666_999_999_999L);
        assertTrue(Authorizer.luhnValid(unknown, 16));

        assertEquals(ResponseCode.INVALID_CARD_NUMBER, ration(unknown, 16));
    }

    @Test
    void shouldDeclineAPanFailingTheLuhnCheckWith14()
    {
        final long known = pan(HEAD);
        final long wrongCheckDigit = known / 10 * 10 + (known % 10 + 1) % 10;

        assertEquals(ResponseCode.INVALID_CARD_NUMBER, ration(wrongCheckDigit, 16));
    }

    @Test
    void shouldDeclineAnUnknown19DigitPanWith14()
    {
        final long nineteen = TestData.withCheckDigit(603_666_000_000_000_123L);
        assertEquals(19, Long.toString(nineteen).length());
        assertTrue(Authorizer.luhnValid(nineteen, 19));

        assertEquals(ResponseCode.INVALID_CARD_NUMBER, ration(nineteen, 19));
    }

    @Test
    void shouldTakeAPanAsValidOnlyWithItsOwnDigitCountFrom12To19()
    {
        for (int length = 12; length <= 19; length++)
        {
            final long smallestPayload = pow10(length - 2);
            // A long holds up to 9,223,372,036,854,775,807: the largest 19-digit PAN it can hold.
            final long largestPayload = Math.min(pow10(length - 1) - 1, (Long.MAX_VALUE - 9) / 10);
            for (final long payload : new long[] {smallestPayload, smallestPayload + 7, largestPayload / 3, largestPayload})
            {
                final long pan = TestData.withCheckDigit(payload);
                assertEquals(length, Long.toString(pan).length());
                assertTrue(Authorizer.luhnValid(pan, length), "pan=" + pan + " length=" + length);
                assertFalse(Authorizer.luhnValid(pan, length - 1), "pan=" + pan + " as " + (length - 1) + " digits");
                assertFalse(Authorizer.luhnValid(pan, length + 1), "pan=" + pan + " as " + (length + 1) + " digits (a leading zero)");
                assertFalse(Authorizer.luhnValid(pan / 10 * 10 + (pan % 10 + 1) % 10, length), "pan=" + pan + " with a wrong check digit");
            }
        }
        final long elevenDigits = TestData.withCheckDigit(1_234_567_890L);
        assertFalse(Authorizer.luhnValid(elevenDigits, 11));
        assertFalse(Authorizer.luhnValid(-TestData.withCheckDigit(603_666_999_999_999L), 16));
    }

    private static long pow10(final int exponent)
    {
        long value = 1;
        for (int i = 0; i < exponent; i++)
        {
            value *= 10;
        }
        return value;
    }

    @Test
    void shouldDeclineAnAbsentPanWith14()
    {
        assertEquals(ResponseCode.INVALID_CARD_NUMBER, ration(0, 0));
    }

    @Test
    void shouldDeclineAKnownPanSentWithFewerDigitsThanItHasWith14()
    {
        assertEquals(ResponseCode.INVALID_CARD_NUMBER, ration(pan(HEAD), 15));
    }

    @Test
    void shouldDeclineAKnownPanWithALeadingZeroAsAnotherPanWith14()
    {
        // "0" + a card's 16 digits is another, 17-digit PAN: it must not reach the 16-digit card.
        assertEquals(ResponseCode.INVALID_CARD_NUMBER, ration(pan(HEAD), 17));
    }

    @Test
    void shouldApproveAKnownPanWithItsOwnDigitCount()
    {
        assertEquals(ResponseCode.APPROVED, ration(pan(HEAD), 16));
    }

    private int ration(final long cardPan, final int digits)
    {
        return h.send(h.financial(GROCER).pan(cardPan, digits).code(9100).egp(100)).responseCode;
    }

    // Amount and currency (13).

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -100, Long.MIN_VALUE, 10_000_001, Long.MAX_VALUE})
    void shouldDeclineAZeroNegativeOrTooLargeAmountWith13(final long amount)
    {
        final AuthOutcome outcome = h.payFromWallet(HEAD, amount);

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
        assertEquals(TestData.HEAD_WALLET_PIASTERS, h.wallet(HEAD));
        assertEquals(0, outcome.balanceCount);
    }

    @Test
    void shouldTreatTheLargestAmountAsValidAndDeclineItForBalance()
    {
        final AuthOutcome outcome = h.payFromWallet(HEAD, 10_000_000);

        assertEquals(ResponseCode.INSUFFICIENT_FUNDS, outcome.responseCode);
    }

    @Test
    void shouldDeclineAnAbsentAmountWith13()
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(HEAD)).code(9100).currency(818));

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
    }

    @Test
    void shouldDeclineRationInLoavesCurrencyWith13()
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(HEAD)).code(9100).loaves(10));

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
        assertEquals(15_000, h.ration(SMALL));
    }

    @Test
    void shouldDeclineBreadInEgpWith13()
    {
        final AuthOutcome outcome = h.send(h.financial(BAKERY).card(pan(HEAD)).code(9200).egp(5));

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
        assertEquals(0, h.loavesTakenToday(SMALL));
    }

    @ParameterizedTest
    @ValueSource(ints = {999, 840, 0, AuthRequest.ABSENT})
    void shouldDeclineAWalletPaymentInAnotherCurrencyThan818With13(final int currency)
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(HEAD)).code(9400).amount(100).currency(currency).rightPin());

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
        assertEquals(TestData.HEAD_WALLET_PIASTERS, h.wallet(HEAD));
    }

    @Test
    void shouldDeclineAHealthCoPaymentInLoavesWith13()
    {
        final AuthOutcome outcome = h.send(h.financial(HEALTH).card(pan(HEAD)).code(9300).loaves(100));

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
    }

    @Test
    void shouldDeclineACashWithdrawalInLoavesWith13()
    {
        final AuthOutcome outcome = h.send(h.financial(POST).card(pan(BIG_HEAD)).code(19500).loaves(100).rightPin());

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
    }

    // Order of spec §7.

    @Test
    void shouldAnswer58BeforeCheckingTheCardNumber()
    {
        final long unknown = TestData.withCheckDigit(603_666_999_999_999L);

        final AuthOutcome outcome = h.send(h.financial(BAKERY).pan(unknown, 16).code(9100).egp(100));

        assertEquals(ResponseCode.NOT_PERMITTED_ON_TERMINAL, outcome.responseCode);
    }

    @Test
    void shouldAnswer12BeforeCheckingTheTerminalType()
    {
        assertEquals(ResponseCode.INVALID_PROCESSING_CODE,
            h.send(h.financial(BAKERY).card(pan(HEAD)).code(9101).egp(100)).responseCode);
    }

    @Test
    void shouldAnswer41BeforeCheckingTheExpiry()
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(TestData.LOST)).code(9400).egp(100)
            .expiry(2101).rightPin());

        assertEquals(ResponseCode.LOST_CARD, outcome.responseCode);
    }

    @Test
    void shouldAnswer62BeforeCheckingTheExpiry()
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(TestData.DAMAGED)).code(9400).egp(100)
            .expiry(2101).rightPin());

        assertEquals(ResponseCode.RESTRICTED_CARD, outcome.responseCode);
    }

    @Test
    void shouldAnswer14BeforeTheCardStatusOfALuhnFailingPan()
    {
        final long lost = pan(TestData.LOST);
        final long wrongCheckDigit = lost / 10 * 10 + (lost % 10 + 1) % 10;

        assertEquals(ResponseCode.INVALID_CARD_NUMBER, ration(wrongCheckDigit, 16));
    }

    @Test
    void shouldAnswer54BeforeCheckingTheProgram()
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(TestData.MEMBER)).code(9100).egp(100).expiry(2101));

        assertEquals(ResponseCode.EXPIRED_CARD, outcome.responseCode);
    }

    @Test
    void shouldAnswer57BeforeCheckingTheAmount()
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(TestData.MEMBER)).code(9100).egp(0));

        assertEquals(ResponseCode.PROGRAM_NOT_HELD, outcome.responseCode);
    }

    @Test
    void shouldAnswer13BeforeCheckingThePin()
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(HEAD)).code(9400).egp(0));

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
    }

    @Test
    void shouldAnswer13BeforeAWrongPinAndNotCountTheTry()
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(HEAD)).code(9400).egp(0).wrongPin());

        assertEquals(ResponseCode.INVALID_AMOUNT, outcome.responseCode);
        assertEquals(0, h.pinTries(HEAD));
    }

    @Test
    void shouldAnswer55BeforeCheckingTheBalance()
    {
        final AuthOutcome outcome = h.send(h.financial(GROCER).card(pan(HEAD)).code(9400).egp(TestData.HEAD_WALLET_PIASTERS + 1));

        assertEquals(ResponseCode.WRONG_PIN, outcome.responseCode);
        assertEquals(0, outcome.balanceCount);
    }

    @Test
    void shouldAnswer57ForAProgramTheCardDoesNotHold()
    {
        final AuthOutcome outcome = h.send(h.financial(BAKERY).card(pan(TestData.MEMBER)).code(9200).loaves(1));

        assertEquals(ResponseCode.PROGRAM_NOT_HELD, outcome.responseCode);
        assertEquals(0, outcome.balanceCount);
    }

    @Test
    void shouldAnswer57ForACashWithdrawalFromACardWithoutCashSupport()
    {
        final AuthOutcome outcome = h.send(h.financial(POST).card(pan(HEAD)).code(19500).egp(100).rightPin());

        assertEquals(ResponseCode.PROGRAM_NOT_HELD, outcome.responseCode);
    }
}
