package org.unicard.server;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ANSI X9.19 retail MAC (ISO 9797-1 algorithm 3, padding method 1) computed with the JDK's own
 * DES, independently of the switch's {@code RetailMac}: DES-CBC under K1 with a zero IV over the
 * zero-padded data, then decrypt the last block under K2 and encrypt it under K1.
 */
final class JceRetailMac
{
    private JceRetailMac()
    {
    }

    /**
     * @param key16 the clear double-length key {@code K1 | K2}.
     * @param data  the bytes to MAC (not empty).
     * @return the 8-byte MAC.
     */
    static byte[] mac(final byte[] key16, final byte[] data)
    {
        try
        {
            final int padded = (data.length + 7) / 8 * 8;
            final Cipher cbc = Cipher.getInstance("DES/CBC/NoPadding");
            cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key16, 0, 8, "DES"), new IvParameterSpec(new byte[8]));
            final byte[] chained = cbc.doFinal(Arrays.copyOf(data, padded));
            final Cipher ecb = Cipher.getInstance("DES/ECB/NoPadding");
            ecb.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key16, 8, 8, "DES"));
            final byte[] step = ecb.doFinal(chained, padded - 8, 8);
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key16, 0, 8, "DES"));
            return ecb.doFinal(step);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @param message a packed message whose last field is an 8-byte MAC (field 64, or 128).
     * @return whether that MAC is right over every byte before it.
     */
    static boolean verifiesLastEightBytes(final byte[] key16, final byte[] message)
    {
        final byte[] expected = mac(key16, Arrays.copyOf(message, message.length - 8));
        return Arrays.equals(expected, Arrays.copyOfRange(message, message.length - 8, message.length));
    }
}
