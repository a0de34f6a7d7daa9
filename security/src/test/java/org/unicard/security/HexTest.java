package org.unicard.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HexTest
{
    private static final String KEY = "0123456789ABCDEFFEDCBA9876543210";

    @Test
    void shouldParseUpperCaseKey()
    {
        assertArrayEquals(
            new byte[]{ 0x01, 0x23, 0x45, 0x67, (byte)0x89, (byte)0xAB, (byte)0xCD, (byte)0xEF,
                (byte)0xFE, (byte)0xDC, (byte)0xBA, (byte)0x98, 0x76, 0x54, 0x32, 0x10 },
            Hex.parseKey(KEY));
    }

    @Test
    void shouldParseLowerCaseKey()
    {
        assertArrayEquals(Hex.parseKey(KEY), Hex.parseKey(KEY.toLowerCase()));
    }

    @Test
    void shouldEncodeUpperCase()
    {
        assertEquals(KEY, Hex.encode(Hex.parseKey(KEY.toLowerCase())));
    }

    @Test
    void shouldEncodeLongMostSignificantFirst()
    {
        assertEquals("00000000000000FF", Hex.encode(0xFFL));
    }

    @Test
    void shouldRejectShortKeyWithLengthOnly()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> Hex.parseKey(KEY.substring(1)));

        assertEquals("expected 32 hex characters, got 31", ex.getMessage());
    }

    @Test
    void shouldRejectLongKeyWithLengthOnly()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> Hex.parseKey(KEY + "00"));

        assertEquals("expected 32 hex characters, got 34", ex.getMessage());
    }

    @Test
    void shouldRejectNonHexCharacterWithIndexOnly()
    {
        final String bad = KEY.substring(0, 7) + "G" + KEY.substring(8);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Hex.parseKey(bad));

        assertEquals("non-hex character at index 7", ex.getMessage());
    }

    @Test
    void shouldRejectSpaceInKey()
    {
        final String bad = KEY.substring(0, 16) + " " + KEY.substring(17);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Hex.parseKey(bad));

        assertEquals("non-hex character at index 16", ex.getMessage());
    }

    @Test
    void shouldRejectMissingKey()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Hex.parseKey(null));

        assertEquals("expected 32 hex characters, got none", ex.getMessage());
    }

    @Test
    void shouldRejectOddLengthInDecode()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Hex.decode("ABC"));

        assertEquals("expected an even number of hex characters, got 3", ex.getMessage());
    }
}
