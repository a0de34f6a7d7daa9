package org.unicard.security;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reference DES and TDES from the JDK's JCE provider, as an oracle for the pure-Java engine.
 */
final class JceOracle
{
    private JceOracle()
    {
    }

    static long tdesEncrypt(final byte[] key16, final long block)
    {
        return tdes(Cipher.ENCRYPT_MODE, key16, block);
    }

    static long tdesDecrypt(final byte[] key16, final long block)
    {
        return tdes(Cipher.DECRYPT_MODE, key16, block);
    }

    static long desEncrypt(final byte[] key8, final long block)
    {
        return run("DES/ECB/NoPadding", "DES", Cipher.ENCRYPT_MODE, key8, block);
    }

    static long desDecrypt(final byte[] key8, final long block)
    {
        return run("DES/ECB/NoPadding", "DES", Cipher.DECRYPT_MODE, key8, block);
    }

    private static long tdes(final int mode, final byte[] key16, final long block)
    {
        final byte[] key24 = new byte[24];
        System.arraycopy(key16, 0, key24, 0, 16);
        System.arraycopy(key16, 0, key24, 16, 8);
        return run("DESede/ECB/NoPadding", "DESede", mode, key24, block);
    }

    private static long run(
        final String transformation, final String algorithm, final int mode, final byte[] key, final long block)
    {
        try
        {
            final Cipher cipher = Cipher.getInstance(transformation);
            cipher.init(mode, new SecretKeySpec(key, algorithm));
            final byte[] in = new byte[8];
            TdesKey.putLong(in, 0, block);
            return TdesKey.getLong(cipher.doFinal(in), 0);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
