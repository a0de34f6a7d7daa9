package org.unicard.authorizer;

import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;
import org.unicard.config.ProgramRules;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.Requests;
import org.unicard.testing.TestData;
import org.unicard.time.CairoCalendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authorizer's own lifecycle: genesis once, nothing decided before it, sequences, a
 * monotonic business time, and retrieval references that carry the Cairo business date (yDDD)
 * from the first millisecond of each day to its last.
 */
class AuthorizerLifecycleTest
{
    @Test
    void shouldRefuseToDecideBeforeGenesis()
    {
        final Authorizer authorizer = new Authorizer(TestData.dataSet(), ProgramRules.defaults(), 64, 64);
        final AuthRequest request = Requests.financial().terminal(TestData.GROCER).card(TestData.pan(TestData.HEAD)).code(9100)
            .egp(100).stan(1).at(TestData.GENESIS_MS).build();

        assertFalse(authorizer.hasGenesis());
        assertThrows(IllegalStateException.class, () -> authorizer.authorize(request, new AuthOutcome()));
    }

    @Test
    void shouldRefuseASecondGenesis()
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();

        assertTrue(h.authorizer.hasGenesis());
        assertThrows(IllegalStateException.class, () -> h.authorizer.genesis(TestData.GENESIS_MS + 1));
    }

    @Test
    void shouldSetTheFirstBusinessDayToTheCairoDateOfGenesis()
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();

        assertEquals(TestData.dayNumber(TestData.GENESIS.toLocalDate()), h.authorizer.firstBusinessDay());
    }

    @Test
    void shouldNumberDecisionsFromOne()
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();

        assertEquals(1, h.buyRation(TestData.HEAD, 100).sequence);
        assertEquals(2, h.command(AuthRequest.COMMAND_QUERY, TestData.HEAD).sequence);
        assertEquals(3, h.buyRation(TestData.HEAD, 100).sequence);
        assertEquals(3, h.authorizer.sequence());
    }

    @Test
    void shouldKeepBusinessTimeMonotonic()
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();
        h.advance(java.time.Duration.ofHours(2));
        h.buyRation(TestData.HEAD, 100);
        final long later = h.nowMs();
        h.advance(java.time.Duration.ofHours(-1));

        h.buyRation(TestData.HEAD, 100);

        assertEquals(later, h.authorizer.lastTimeMs());
    }

    @Test
    void shouldGiveEveryDecisionItsOwnRetrievalReference()
    {
        final AuthorizerHarness h = AuthorizerHarness.atGenesis();

        final AuthOutcome first = h.buyRation(TestData.HEAD, 100);
        final AuthOutcome second = h.buyRation(TestData.HEAD, 100);

        assertTrue(first.retrievalReference != second.retrievalReference);
        assertTrue(first.retrievalReference < 1_000_000_000_000L, "RRN has 12 digits: " + first.retrievalReference);
    }

    @Test
    void shouldPutTheCairoBusinessDateInTheRetrievalReferenceUntilTheLastMillisecondOfTheDay()
    {
        final AuthorizerHarness h = AuthorizerHarness.withGenesis(ZonedDateTime.of(2026, 3, 15, 8, 0, 0, 0, CairoCalendar.ZONE));

        final AuthOutcome morning = h.buyRation(TestData.HEAD, 100);
        h.at(ZonedDateTime.of(2026, 3, 15, 23, 59, 59, 999_000_000, CairoCalendar.ZONE));
        final AuthOutcome lastMillisecond = h.buyRation(TestData.HEAD, 100);
        h.at(ZonedDateTime.of(2026, 3, 16, 0, 0, 0, 0, CairoCalendar.ZONE));
        final AuthOutcome nextDay = h.buyRation(TestData.HEAD, 100);

        // 2026, day 74 (15 March), then day 75.
        assertEquals(6_074L * 100_000_000L + morning.sequence, morning.retrievalReference);
        assertEquals(6_074L * 100_000_000L + lastMillisecond.sequence, lastMillisecond.retrievalReference);
        assertEquals(6_075L * 100_000_000L + nextDay.sequence, nextDay.retrievalReference);
    }

    @Test
    void shouldStartTheRetrievalReferencesOfANewYearAtDayOne()
    {
        final AuthorizerHarness h = AuthorizerHarness.withGenesis(ZonedDateTime.of(2026, 12, 31, 23, 0, 0, 0, CairoCalendar.ZONE));

        final AuthOutcome lastDay = h.buyRation(TestData.HEAD, 100);
        h.at(ZonedDateTime.of(2027, 1, 1, 0, 0, 0, 0, CairoCalendar.ZONE));
        final AuthOutcome newYear = h.buyRation(TestData.HEAD, 100);

        assertEquals(6_365L * 100_000_000L + lastDay.sequence, lastDay.retrievalReference);
        assertEquals(7_001L * 100_000_000L + newYear.sequence, newYear.retrievalReference);
    }
}
