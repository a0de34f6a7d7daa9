package org.unicard.security;

import java.util.SplittableRandom;

import org.jpos.security.SMAdapter;
import org.jpos.security.SecureDESKey;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyCipherTest
{
    private static final byte[] LMK_CLEAR = Hex.parseKey("0123456789ABCDEFFEDCBA9876543210");
    private static final TdesKey LMK = TdesKey.of(LMK_CLEAR);
    private static final byte[] CLEAR_KEY = Hex.parseKey("89ABCDEF0123456789ABCDEF01234567");

    @Test
    void shouldEncryptEachHalfWithTdesEcb()
    {
        final byte[] encrypted = KeyCipher.encryptUnderLmk(LMK, CLEAR_KEY);

        assertEquals(JceOracle.tdesEncrypt(LMK_CLEAR, 0x89ABCDEF01234567L), TdesKey.getLong(encrypted, 0));
        assertEquals(JceOracle.tdesEncrypt(LMK_CLEAR, 0x89ABCDEF01234567L), TdesKey.getLong(encrypted, 8));
    }

    @Test
    void shouldDecryptWhatItEncrypted()
    {
        assertArrayEquals(CLEAR_KEY, KeyCipher.decryptUnderLmk(LMK, KeyCipher.encryptUnderLmk(LMK, CLEAR_KEY)));
    }

    @Test
    void shouldImportKeyFromHexColumn()
    {
        final String column = KeyCipher.encryptUnderLmkHex(LMK, CLEAR_KEY);

        final TdesKey imported = KeyCipher.importKey(LMK, column);

        assertEquals(TdesKey.of(CLEAR_KEY).encrypt(42L), imported.encrypt(42L));
    }

    @Test
    void shouldRejectImportUnderWrongLmkWithoutRevealingAnything()
    {
        final String column = KeyCipher.encryptUnderLmkHex(LMK, CLEAR_KEY);
        final TdesKey otherLmk = TdesKey.of(Hex.parseKey("FEDCBA98765432100123456789ABCDEF"));

        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> KeyCipher.importKey(otherLmk, column));

        assertEquals(
            "decrypted key does not have odd DES parity; was it encrypted under this LMK?", ex.getMessage());
    }

    @Test
    void shouldRejectImportOfBadHexWithPositionOnly()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> KeyCipher.importKey(LMK, "0123456789ABCDEFFEDCBA98765432X0"));

        assertEquals("non-hex character at index 30", ex.getMessage());
    }

    @Test
    void shouldRejectEncryptingShortKey()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> KeyCipher.encryptUnderLmk(LMK, new byte[15]));

        assertEquals("expected a 16-byte double-length key, got 15 bytes", ex.getMessage());
    }

    @Test
    void shouldRejectDecryptingLongKey()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> KeyCipher.decryptUnderLmk(LMK, new byte[24]));

        assertEquals("expected a 16-byte double-length key, got 24 bytes", ex.getMessage());
    }

    @Test
    void shouldGenerateKeysWithOddParityInEveryByte()
    {
        final SplittableRandom random = new SplittableRandom(1L);
        for (int i = 0; i < 1_000; i++)
        {
            final byte[] key = KeyCipher.generateKey(random);

            assertEquals(16, key.length);
            assertTrue(KeyCipher.hasOddParity(key));
        }
    }

    @Test
    void shouldGenerateTheSameKeyForTheSameSeed()
    {
        assertArrayEquals(
            KeyCipher.generateKey(new SplittableRandom(99L)), KeyCipher.generateKey(new SplittableRandom(99L)));
    }

    @Test
    void shouldGenerateDifferentKeysFromOneGenerator()
    {
        final SplittableRandom random = new SplittableRandom(5L);

        assertNotEquals(Hex.encode(KeyCipher.generateKey(random)), Hex.encode(KeyCipher.generateKey(random)));
    }

    @Test
    void shouldKeepTheSevenKeyBitsWhenSettingParity()
    {
        for (int b = 0; b < 256; b++)
        {
            final byte adjusted = KeyCipher.withOddParity((byte)b);

            assertEquals(b & 0xFE, adjusted & 0xFE);
            assertEquals(1, Integer.bitCount(adjusted & 0xFF) & 1);
        }
    }

    @Test
    void shouldDetectEvenParityByte()
    {
        final byte[] key = Hex.parseKey("0123456789ABCDEFFEDCBA9876543210");
        key[9] ^= 1;

        assertFalse(KeyCipher.hasOddParity(key));
    }

    @Test
    void shouldHaveTheSameCheckValueAsJposForAGeneratedKey()
    {
        // jPOS computes the check value of a key it stores under its own LMK; ours must agree.
        final byte[] clear = KeyCipher.generateKey(new SplittableRandom(17L));
        final SecureDESKey jposKey = JposModule.secureKey(SMAdapter.TYPE_ZPK, clear);

        assertEquals(Hex.encode(jposKey.getKeyCheckValue()), TdesKey.of(clear).checkValue());
    }
}
