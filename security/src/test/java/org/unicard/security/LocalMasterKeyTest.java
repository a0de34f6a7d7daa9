package org.unicard.security;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalMasterKeyTest
{
    private static final String LMK_HEX = "0123456789ABCDEFFEDCBA9876543210";

    @Test
    void shouldParseLmkIntoUsableKey()
    {
        final TdesKey lmk = LocalMasterKey.parse(LMK_HEX, "test");

        assertEquals(JceOracle.tdesEncrypt(Hex.parseKey(LMK_HEX), 7L), lmk.encrypt(7L));
    }

    @Test
    void shouldNameSourceAndLengthButNotValue()
    {
        final String shortHex = LMK_HEX.substring(0, 31);

        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> LocalMasterKey.parse(shortHex, LocalMasterKey.ENVIRONMENT_SOURCE));

        assertEquals(
            "LMK from environment variable UNICARD_LMK: expected 32 hex characters, got 31", ex.getMessage());
    }

    @Test
    void shouldNameSourceAndPositionOfNonHexCharacter()
    {
        final String bad = "0123456789ABCDEFFEDCBA987654321Z";

        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> LocalMasterKey.parse(bad, "/etc/unicard.conf"));

        assertEquals("LMK from /etc/unicard.conf: non-hex character at index 31", ex.getMessage());
    }

    @Test
    void shouldReportMissingLmk()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> LocalMasterKey.parse(null, "configuration"));

        assertEquals("LMK from configuration: expected 32 hex characters, got none", ex.getMessage());
    }

    @Test
    void shouldGenerateParsableLmkWithOddParity()
    {
        final String hex = LocalMasterKey.generateHex(new SecureRandom());

        assertEquals(32, hex.length());
        assertTrue(KeyCipher.hasOddParity(Hex.parseKey(hex)));
        LocalMasterKey.parse(hex, "generated");
    }

    @Test
    void shouldGenerateDifferentLmks()
    {
        final SecureRandom random = new SecureRandom();

        assertNotEquals(LocalMasterKey.generateHex(random), LocalMasterKey.generateHex(random));
    }

    @Test
    void shouldReadLmkFromEnvironmentVariable()
    {
        assertEquals(Optional.of(LMK_HEX), LocalMasterKey.fromEnvironment(Map.of("UNICARD_LMK", LMK_HEX)));
    }

    @Test
    void shouldTreatUnsetEnvironmentVariableAsAbsent()
    {
        assertFalse(LocalMasterKey.fromEnvironment(Map.of("PATH", "/bin")).isPresent());
    }

    @Test
    void shouldTreatBlankEnvironmentVariableAsAbsent()
    {
        assertFalse(LocalMasterKey.fromEnvironment(Map.of("UNICARD_LMK", "  ")).isPresent());
    }
}
