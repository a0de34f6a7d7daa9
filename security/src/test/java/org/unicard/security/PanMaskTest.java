package org.unicard.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PanMaskTest
{
    @ParameterizedTest
    @CsvSource({
        "507803000002, 507803**0002",
        "5078030000029, 507803***0029",
        "50780300000029, 507803****0029",
        "507803000000029, 507803*****0029",
        "5078030000000029, 507803******0029",
        "50780300000000029, 507803*******0029",
        "507803000000000029, 507803********0029",
        "5078030000000000029, 507803*********0029",
    })
    void shouldKeepExactlyTheFirstSixAndLastFourDigitsOfEveryPanLength(final String pan, final String expected)
    {
        assertEquals(expected, PanMask.masked(pan));
        assertEquals(expected, PanMask.masked(Long.parseLong(pan)));
    }

    @Test
    void shouldKeepOneStarForElevenCharacters()
    {
        assertEquals("123456*8901", PanMask.masked("12345678901"));
    }

    @Test
    void shouldHideAValueOfTenCharactersOrFewerEntirely()
    {
        assertEquals("**********", PanMask.masked("1234567890"));
        assertEquals("***", PanMask.masked("abc"));
        assertEquals("", PanMask.masked(""));
    }

    @Test
    void shouldMaskEveryDigitRunOfTwelveOrMoreInText()
    {
        assertEquals("no card 507803******0029, nor 507803**0002; STAN 123456 and 12345678901 left as they are",
            PanMask.maskedDigitRuns(
                "no card 5078030000000029, nor 507803000002; STAN 123456 and 12345678901 left as they are"));
    }
}
