package org.unicard.benchmarks.jpos;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The same X9.19 retail MAC as {@link JposMacModule}, written the cheapest way the JDK's JCE allows
 * (the way {@code CryptoBenchmark} measures it): one thread's {@code DES/CBC/NoPadding} and
 * {@code DES/ECB/NoPadding} ciphers made once and re-keyed per message, the terminal's two key halves
 * kept in clear as {@link SecretKeySpec}s. What a jPOS switch that bypassed its security module
 * would pay; the load test's third baseline row ({@code jpos-jce}).
 * One instance per thread.
 */
public final class JceRetailMac
{
    /** A terminal's MAC key halves. */
    public record Key(SecretKeySpec left, SecretKeySpec right)
    {
        /**
         * @param clearKey16 the double-length key in clear.
         * @return its halves.
         */
        public static Key of(final byte[] clearKey16)
        {
            return new Key(new SecretKeySpec(Arrays.copyOfRange(clearKey16, 0, 8), "DES"),
                new SecretKeySpec(Arrays.copyOfRange(clearKey16, 8, 16), "DES"));
        }
    }

    private static final IvParameterSpec ZERO_IV = new IvParameterSpec(new byte[8]);

    private final Cipher cbc;
    private final Cipher ecb;

    public JceRetailMac()
    {
        try
        {
            cbc = Cipher.getInstance("DES/CBC/NoPadding");
            ecb = Cipher.getInstance("DES/ECB/NoPadding");
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException("JCE without DES: " + e, e);
        }
    }

    /**
     * @param key    the terminal's key.
     * @param data   the packed message.
     * @param length bytes the MAC covers.
     * @return the MAC.
     */
    public byte[] generate(final Key key, final byte[] data, final int length)
    {
        try
        {
            final byte[] padded = Arrays.copyOf(data, (length + 7) / 8 * 8);
            if (padded.length > length)
            {
                Arrays.fill(padded, length, padded.length, (byte)0);
            }
            cbc.init(Cipher.ENCRYPT_MODE, key.left(), ZERO_IV);
            final byte[] chained = cbc.doFinal(padded);
            ecb.init(Cipher.DECRYPT_MODE, key.right());
            final byte[] middle = ecb.doFinal(chained, chained.length - 8, 8);
            ecb.init(Cipher.ENCRYPT_MODE, key.left());
            return ecb.doFinal(middle);
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException("JCE retail MAC: " + e, e);
        }
    }

    /**
     * @return whether {@code mac} is the MAC of the first {@code length} bytes of {@code data}.
     */
    public boolean verify(final Key key, final byte[] data, final int length, final byte[] mac)
    {
        return MessageDigest.isEqual(generate(key, data, length), mac);
    }
}
