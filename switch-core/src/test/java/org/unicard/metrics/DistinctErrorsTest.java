package org.unicard.metrics;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each distinct error is logged once and every one is counted.
 */
class DistinctErrorsTest
{
    @Test
    void shouldTellToLogOnlyTheFirstOfEachKindAndCountEveryOne()
    {
        final DistinctErrors errors = new DistinctErrors(10);

        assertTrue(errors.first(new IOException("Connection reset by peer")));
        assertFalse(errors.first(new IOException("Connection reset by peer")));
        assertTrue(errors.first(new IOException("Broken pipe")));
        assertTrue(errors.first(new IllegalStateException("Connection reset by peer")));
        assertFalse(errors.first(new IOException("Broken pipe")));

        assertEquals(5, errors.count());
    }

    @Test
    void shouldNameAKindByClassAndMessage()
    {
        assertEquals("java.io.IOException:Broken pipe", DistinctErrors.kind(new IOException("Broken pipe")));
        assertEquals("java.lang.NullPointerException:null", DistinctErrors.kind(new NullPointerException()));
    }

    @Test
    void shouldStopRememberingNewKindsBeyondItsBoundButKeepCounting()
    {
        final DistinctErrors errors = new DistinctErrors(2);

        assertTrue(errors.first(new IOException("one")));
        assertTrue(errors.first(new IOException("two")));
        assertFalse(errors.first(new IOException("three")));
        assertFalse(errors.first(new IOException("one")));

        assertEquals(4, errors.count());
    }
}
