package org.unicard.cluster;

import org.junit.jupiter.api.Test;
import org.unicard.authorizer.AuthOutcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingDecisionsTest
{
    private final PendingDecisions pending = new PendingDecisions(4);
    private final AuthOutcome decided = new AuthOutcome();
    private final AuthOutcome taken = new AuthOutcome();

    @Test
    void shouldHandBackADecisionOnceToTheRequestThatWaitsForIt()
    {
        pending.expect(5);
        assertTrue(pending.isWaiting(5));
        assertFalse(pending.take(5, taken), "nothing decided yet");
        decided.responseCode = 51;
        decided.sequence = 77;
        assertTrue(pending.decide(5, decided));
        assertFalse(pending.isWaiting(5));
        assertFalse(pending.decide(5, decided), "a second committed copy of the same request finds it decided");
        assertTrue(pending.take(5, taken));
        assertEquals(51, taken.responseCode);
        assertEquals(77, taken.sequence);
        assertFalse(pending.take(5, taken), "taken once");
        assertFalse(pending.decide(5, decided), "a late copy finds the slot empty");
    }

    @Test
    void shouldIgnoreDecisionsOfAnotherRequestInTheSameSlot()
    {
        pending.expect(9);
        assertFalse(pending.decide(5, decided), "sequence 5 shares slot 1 with 9 but no longer waits");
        assertFalse(pending.decide(-1, decided));
        assertFalse(pending.isWaiting(5));
        assertTrue(pending.isWaiting(9));
    }

    @Test
    void shouldLetAStoppingRingAbandonOnlyAnUndecidedRequest()
    {
        pending.expect(2);
        assertTrue(pending.abandon(2));
        assertFalse(pending.decide(2, decided), "a decision after the abandon is ignored");
        pending.expect(3);
        assertTrue(pending.decide(3, decided));
        assertFalse(pending.abandon(3), "decided: take it instead");
        assertTrue(pending.take(3, taken));
    }
}
