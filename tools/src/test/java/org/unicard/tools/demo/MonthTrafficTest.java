package org.unicard.tools.demo;

import org.junit.jupiter.api.Test;
import org.unicard.generate.DataSetGenerator;
import org.unicard.security.Hex;
import org.unicard.security.PinVerificationValue;
import org.unicard.security.TdesKey;
import org.unicard.state.Luhn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's wrong PIN: about one PIN in 10,000 shares the right one's PVV and would be approved, so the
 * demo steps past those.
 */
class MonthTrafficTest
{
    private static final TdesKey PVK = TdesKey.of(Hex.parseKey("0123456789ABCDEFFEDCBA9876543210"));

    @Test
    void shouldStepPastAWrongPinThatSharesTheRightOnesPvv()
    {
        // Find a card whose PIN + 1 has the same PVV as its PIN: the case that made a month fail.
        long pan = 0;
        int pin = 0;
        int pvv = 0;
        for (long payload = 507_803_000_000_000L; payload < 507_803_001_000_000L; payload++)
        {
            final long candidate = payload * 10 + Luhn.checkDigit(payload);
            final int right = DataSetGenerator.syntheticPin(1, candidate);
            final int value = PinVerificationValue.compute(PVK, candidate, 16, 1, right, 4);
            if (PinVerificationValue.compute(PVK, candidate, 16, 1, (right + 1) % 10_000, 4) == value)
            {
                pan = candidate;
                pin = right;
                pvv = value;
                break;
            }
        }
        assertTrue(pan != 0, "a colliding PIN within a million cards");

        final int wrong = MonthTraffic.wrongPin(PVK, pan, pin, pvv);

        assertNotEquals((pin + 1) % 10_000, wrong);
        assertNotEquals(pin, wrong);
        assertNotEquals(pvv, PinVerificationValue.compute(PVK, pan, 16, 1, wrong, 4));
    }

    @Test
    void shouldTakeTheNextPinWhenItsPvvDiffers()
    {
        final long payload = 507_803_123_456_789L;
        final long pan = payload * 10 + Luhn.checkDigit(payload);
        final int pin = 9_999;
        final int pvv = PinVerificationValue.compute(PVK, pan, 16, 1, pin, 4);
        final int expected = PinVerificationValue.compute(PVK, pan, 16, 1, 0, 4) != pvv ? 0 : 1;

        assertEquals(expected, MonthTraffic.wrongPin(PVK, pan, pin, pvv), "wraps to 0000");
    }
}
