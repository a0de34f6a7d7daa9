package org.unicard.security;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The local master key (LMK): the double-length TDES key under which every other key in the data
 * files is stored (see {@link KeyCipher}). It comes from the environment variable
 * {@value #ENVIRONMENT_VARIABLE} or from the configuration, as 32 hex characters.
 * <p>
 * Promises: a bad LMK is reported with where it came from and what is wrong with it
 * ({@code LMK from environment variable UNICARD_LMK: expected 32 hex characters, got 31}), never
 * with its value.
 */
public final class LocalMasterKey
{
    /** The environment variable that holds the LMK as 32 hex characters. */
    public static final String ENVIRONMENT_VARIABLE = "UNICARD_LMK";

    /** How {@link #parse(String, String)} callers name the environment as a source. */
    public static final String ENVIRONMENT_SOURCE = "environment variable " + ENVIRONMENT_VARIABLE;

    private LocalMasterKey()
    {
    }

    /**
     * @param hex        32 hex characters.
     * @param sourceName where the text came from, for the error message, e.g.
     *                   {@link #ENVIRONMENT_SOURCE} or a configuration file path.
     * @return the LMK.
     * @throws IllegalArgumentException naming the source and the problem, never the value.
     */
    public static TdesKey parse(final String hex, final String sourceName)
    {
        final byte[] clear;
        try
        {
            clear = Hex.parseKey(hex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("LMK from " + sourceName + ": " + ex.getMessage());
        }
        try
        {
            return TdesKey.of(clear);
        }
        finally
        {
            Arrays.fill(clear, (byte)0);
        }
    }

    /**
     * Makes a new LMK, for the demo and for {@code generate} when no LMK is given (the caller must
     * say that it made one).
     *
     * @param random a cryptographically strong generator.
     * @return 32 upper-case hex characters with odd DES parity in every byte.
     */
    public static String generateHex(final SecureRandom random)
    {
        final byte[] key = KeyCipher.generateKey(random);
        try
        {
            return Hex.encode(key);
        }
        finally
        {
            Arrays.fill(key, (byte)0);
        }
    }

    /**
     * @return the value of {@value #ENVIRONMENT_VARIABLE}, or empty if it is unset or blank.
     */
    public static Optional<String> fromEnvironment()
    {
        return fromEnvironment(System.getenv());
    }

    /**
     * @param environment an environment map, such as {@link System#getenv()}.
     * @return the value of {@value #ENVIRONMENT_VARIABLE} in it, or empty if unset or blank.
     */
    public static Optional<String> fromEnvironment(final Map<String, String> environment)
    {
        Objects.requireNonNull(environment, "environment");
        final String value = environment.get(ENVIRONMENT_VARIABLE);
        return null == value || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
