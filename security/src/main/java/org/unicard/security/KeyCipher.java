package org.unicard.security;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Storage of working keys (PIN verification key, terminal PIN and MAC keys, zone PIN keys) under
 * the local master key: a double-length key is encrypted as two independent 8-byte blocks with
 * TDES-ECB under the LMK, which is how {@code keys.csv}, {@code terminals.csv} and
 * {@code acquirers.csv} hold them (32 hex characters each).
 * <p>
 * Promises: no method retains or reveals key material; messages give lengths and positions only.
 * Intermediate clear keys created by {@link #importKey(TdesKey, String)} are zeroed before it
 * returns. These methods run at start-up and import, not on the hot path, and allocate their
 * results.
 */
public final class KeyCipher
{
    private KeyCipher()
    {
    }

    /**
     * @param lmk       the local master key.
     * @param clearKey16 the clear double-length key.
     * @return 16 bytes: the two halves each encrypted with TDES under the LMK.
     * @throws IllegalArgumentException if {@code clearKey16} is not 16 bytes.
     */
    public static byte[] encryptUnderLmk(final TdesKey lmk, final byte[] clearKey16)
    {
        checkLength(clearKey16);
        final byte[] encrypted = new byte[TdesKey.KEY_LENGTH];
        lmk.encryptBlock(clearKey16, 0, encrypted, 0);
        lmk.encryptBlock(clearKey16, 8, encrypted, 8);
        return encrypted;
    }

    /**
     * @param lmk            the local master key.
     * @param encryptedKey16 a key as stored, 16 bytes.
     * @return the 16 clear key bytes; the caller should clear them once a {@link TdesKey} is built.
     * @throws IllegalArgumentException if {@code encryptedKey16} is not 16 bytes.
     */
    public static byte[] decryptUnderLmk(final TdesKey lmk, final byte[] encryptedKey16)
    {
        checkLength(encryptedKey16);
        final byte[] clear = new byte[TdesKey.KEY_LENGTH];
        lmk.decryptBlock(encryptedKey16, 0, clear, 0);
        lmk.decryptBlock(encryptedKey16, 8, clear, 8);
        return clear;
    }

    /**
     * Encrypts a key for a data file.
     *
     * @param lmk        the local master key.
     * @param clearKey16 the clear double-length key.
     * @return 32 upper-case hex characters.
     */
    public static String encryptUnderLmkHex(final TdesKey lmk, final byte[] clearKey16)
    {
        return Hex.encode(encryptUnderLmk(lmk, clearKey16));
    }

    /**
     * Turns a key column of a data file into a usable key, checking that every decrypted byte has
     * odd DES parity. Keys made by {@link #generateKey(RandomGenerator)} (and by HSMs) always have
     * it, while decrypting under the wrong LMK yields random bytes that almost never do (a chance
     * of 2<sup>-16</sup>), so a parity failure is reported as a probable LMK mismatch.
     *
     * @param lmk          the local master key.
     * @param encryptedHex 32 hex characters.
     * @return the clear key's schedules.
     * @throws IllegalArgumentException for bad hex or bad parity; the message never holds a key.
     */
    public static TdesKey importKey(final TdesKey lmk, final String encryptedHex)
    {
        final byte[] encrypted = Hex.parseKey(encryptedHex);
        final byte[] clear = decryptUnderLmk(lmk, encrypted);
        try
        {
            if (!hasOddParity(clear))
            {
                throw new IllegalArgumentException(
                    "decrypted key does not have odd DES parity; was it encrypted under this LMK?");
            }
            return TdesKey.of(clear);
        }
        finally
        {
            Arrays.fill(clear, (byte)0);
        }
    }

    /**
     * Makes a new random double-length key with odd DES parity in every byte.
     *
     * @param random source of randomness ({@link java.security.SecureRandom} for real keys; a seeded
     *               generator for reproducible test data).
     * @return 16 bytes.
     */
    public static byte[] generateKey(final RandomGenerator random)
    {
        Objects.requireNonNull(random, "random");
        final byte[] key = new byte[TdesKey.KEY_LENGTH];
        random.nextBytes(key);
        for (int i = 0; i < key.length; i++)
        {
            key[i] = withOddParity(key[i]);
        }
        return key;
    }

    /**
     * @param key key bytes.
     * @return whether every byte has an odd number of one bits.
     */
    public static boolean hasOddParity(final byte[] key)
    {
        int even = 0;
        for (final byte b : key)
        {
            even |= ~Integer.bitCount(b & 0xFF) & 1;
        }
        return 0 == even;
    }

    static byte withOddParity(final byte b)
    {
        final int high7 = b & 0xFE;
        return (byte)(high7 | (~Integer.bitCount(high7) & 1));
    }

    private static void checkLength(final byte[] key)
    {
        Objects.requireNonNull(key, "key");
        if (key.length != TdesKey.KEY_LENGTH)
        {
            throw new IllegalArgumentException("expected a 16-byte double-length key, got " + key.length + " bytes");
        }
    }
}
