package org.unicard.security;

/**
 * Hexadecimal text for keys and cryptograms, as found in {@code keys.csv}, {@code terminals.csv},
 * {@code acquirers.csv} and the {@code UNICARD_LMK} environment variable.
 * <p>
 * Promises: parsing accepts upper- and lower-case digits and nothing else (no spaces, no prefix);
 * an error message names what is wrong and where ({@code expected 32 hex characters, got 31},
 * {@code non-hex character at index 7}) and never contains the input, because the input is
 * usually a key. Encoding produces upper case.
 */
public final class Hex
{
    private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

    private Hex()
    {
    }

    /**
     * Parses a double-length key.
     *
     * @param hex exactly 32 hex characters.
     * @return 16 bytes.
     * @throws IllegalArgumentException if {@code hex} is null, not 32 characters long or holds a
     *                                  non-hex character; the message never contains the input.
     */
    public static byte[] parseKey(final String hex)
    {
        if (null == hex)
        {
            throw new IllegalArgumentException("expected 32 hex characters, got none");
        }
        if (hex.length() != 2 * TdesKey.KEY_LENGTH)
        {
            throw new IllegalArgumentException("expected 32 hex characters, got " + hex.length());
        }
        return decode(hex);
    }

    /**
     * Parses any even number of hex characters.
     *
     * @param hex hex text of even length (may be empty).
     * @return the bytes it denotes.
     * @throws IllegalArgumentException if {@code hex} is null, of odd length or holds a non-hex
     *                                  character; the message never contains the input.
     */
    public static byte[] decode(final String hex)
    {
        if (null == hex)
        {
            throw new IllegalArgumentException("expected hex characters, got none");
        }
        final int length = hex.length();
        if ((length & 1) != 0)
        {
            throw new IllegalArgumentException("expected an even number of hex characters, got " + length);
        }
        final byte[] bytes = new byte[length / 2];
        for (int i = 0; i < length; i += 2)
        {
            bytes[i / 2] = (byte)((digit(hex, i) << 4) | digit(hex, i + 1));
        }
        return bytes;
    }

    /**
     * @param bytes bytes to encode.
     * @return two upper-case hex characters per byte.
     */
    public static String encode(final byte[] bytes)
    {
        final char[] chars = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++)
        {
            chars[2 * i] = DIGITS[(bytes[i] >>> 4) & 0xF];
            chars[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(chars);
    }

    /**
     * @param block a 64-bit block.
     * @return 16 upper-case hex characters, most significant first.
     */
    public static String encode(final long block)
    {
        final char[] chars = new char[16];
        for (int i = 0; i < 16; i++)
        {
            chars[i] = DIGITS[(int)(block >>> (60 - 4 * i)) & 0xF];
        }
        return new String(chars);
    }

    private static int digit(final String hex, final int index)
    {
        final char c = hex.charAt(index);
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        throw new IllegalArgumentException("non-hex character at index " + index);
    }
}
