package org.unicard.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LuhnTest
{
    @Test
    void shouldAcceptTheClassicTestCardNumber()
    {
        assertTrue(Luhn.isValid(4111111111111111L));
    }

    @Test
    void shouldRefuseANumberWithTheWrongCheckDigit()
    {
        assertFalse(Luhn.isValid(4111111111111112L));
    }

    @Test
    void shouldComputeTheCheckDigitOfThePilotPrefix()
    {
        assertEquals(1, Luhn.checkDigit(507803000000001L));
        assertEquals(9, Luhn.checkDigit(507803000000002L));
    }

    @Test
    void shouldRefuseZeroAndNegativeNumbers()
    {
        assertFalse(Luhn.isValid(0));
        assertFalse(Luhn.isValid(-4111111111111111L));
    }
}
