package org.unicard.authorizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.RandomTraffic;
import org.unicard.testing.Requests;
import org.unicard.testing.StateCapture;
import org.unicard.testing.TestData;

/**
 * Replay hands the authorizer the card its journal record names ({@link AuthRequest#cardHint}) to
 * spare the PAN index's read. A hint is never trusted: with the right card, another card, an index
 * past the table or a negative one, every decision and the state after it are those of no hint.
 */
class AuthorizerCardHintTest
{
    @Test
    void shouldDecideEveryRequestAsWithoutAHintWhateverTheHintSays()
    {
        final AuthorizerHarness plain = AuthorizerHarness.atGenesis();
        final AuthorizerHarness hinted = AuthorizerHarness.atGenesis();
        final Random hints = new Random(17);
        final int[] kinds = new int[4];
        final int[] sent = new int[1];
        final RandomTraffic traffic = new RandomTraffic(5, plain, request ->
        {
            final AuthRequest withHint = new AuthRequest();
            withHint.copyFrom(request);
            final int kind = hints.nextInt(4);
            kinds[kind]++;
            withHint.cardHint = switch (kind)
            {
                case 0 -> hinted.cards.indexOf(request.pan);
                case 1 -> hints.nextInt(TestData.CARD_COUNT);
                case 2 -> TestData.CARD_COUNT + hints.nextInt(1_000);
                default -> -1 - hints.nextInt(5);
            };
            final AuthRequest withoutHint = new AuthRequest();
            withoutHint.copyFrom(request);
            withoutHint.cardHint = AuthRequest.ABSENT;

            final AuthOutcome expected = plain.send(withoutHint);
            final AuthOutcome actual = hinted.send(withHint);
            assertNull(actual.firstDifference(expected), () -> "request " + sent[0] + " hint " + withHint.cardHint);
            sent[0]++;
            request.businessTimeMs = withoutHint.businessTimeMs;
            return expected;
        });

        for (int i = 0; i < 3_000; i++)
        {
            traffic.step();
        }

        assertNull(StateCapture.firstDifference(StateCapture.of(plain.data, plain.authorizer),
            StateCapture.of(hinted.data, hinted.authorizer)));
        for (final int kind : kinds)
        {
            assertTrue(kind > 500, "every kind of hint was tried often: " + java.util.Arrays.toString(kinds));
        }
    }

    @Test
    void shouldTakeTheCardThePanNamesWhenTheHintNamesAnotherCard()
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();
        final AuthRequest request = Requests.financial().terminal(TestData.GROCER).card(TestData.pan(TestData.HEAD))
            .code(9100).egp(100).build();
        request.cardHint = TestData.MEMBER;

        final AuthOutcome outcome = h.send(request);

        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(TestData.HEAD, outcome.card);
        assertEquals(h.cards.household(TestData.HEAD), outcome.household);
    }
}
