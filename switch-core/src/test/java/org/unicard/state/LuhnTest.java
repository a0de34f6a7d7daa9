package org.unicard.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

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
    void shouldAgreeWithTheDigitByDigitDefinitionOnEveryLengthAndOnRandomNumbers()
    {
        final SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 200_000; i++)
        {
            final long pan = i < 100_000 ? random.nextLong(1, Long.MAX_VALUE) : random.nextLong(1, 100_000);
            assertEquals(referenceValid(pan), Luhn.isValid(pan), "pan=" + pan);
        }
        for (int i = 0; i < 20_000; i++)
        {
            final long payload = random.nextLong(0, 1_000_000_000_000_000_000L / 10);
            final int check = Luhn.checkDigit(payload);
            for (int digit = 0; digit < 10; digit++)
            {
                assertEquals(digit == check, Luhn.isValid(payload * 10 + digit), "payload=" + payload + " digit=" + digit);
            }
        }
    }

    /** The definition: from the right, every second digit doubled (minus 9 when over 9), the sum a multiple of 10. */
    private static boolean referenceValid(final long pan)
    {
        final String digits = Long.toString(pan);
        int sum = 0;
        for (int i = 0; i < digits.length(); i++)
        {
            int digit = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }

    @Test
    void shouldRefuseZeroAndNegativeNumbers()
    {
        assertFalse(Luhn.isValid(0));
        assertFalse(Luhn.isValid(-4111111111111111L));
    }
}
