package org.unicard.benchmarks.jpos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;

import org.jpos.core.ConfigurationException;
import org.jpos.core.SimpleConfiguration;
import org.jpos.security.SMException;
import org.jpos.security.SecureDESKey;
import org.jpos.security.jceadapter.JCESecurityModule;

/**
 * The X9.19 retail MAC (ISO 9797-1 algorithm 3, zero padding: the switch's MAC, spec §6) computed by
 * jPOS's own software security module, {@code JCESecurityModule}, with a throw-away LMK of its own:
 * each terminal's MAC key is imported once as two single-length keys encrypted under the LMK (jPOS's
 * {@code formKEYfromClearComponents}), and every MAC unwraps them from the LMK ({@code concatKeys}) and
 * runs the module's ISO 9797-1 algorithm 3 ({@code calculateMACISO9797Alg3}, which jPOS uses for its
 * EMV MACs; not public in jPOS 3.0.1, so called through a method handle found once). The module's
 * public {@code generateEDE_MAC} is a triple-DES CBC-MAC (and needs Bouncy Castle), not this MAC.
 * Checked against the switch's {@code RetailMac} by {@code JposMacModuleTest}.
 */
public final class JposMacModule
{
    /** Bytes of the MAC (field 64). */
    public static final int MAC_LENGTH = 8;

    private final Module module;
    private final MethodHandle retailMac;

    /** A terminal's MAC key, its two halves encrypted under the module's LMK. */
    public record TerminalKey(SecureDESKey left, SecureDESKey right)
    {
    }

    /** Opens {@code concatKeys}, protected in jPOS. */
    private static final class Module extends JCESecurityModule
    {
        Module(final SimpleConfiguration configuration) throws ConfigurationException
        {
            super(configuration, null, null);
        }

        Key unwrap(final TerminalKey key) throws SMException
        {
            return concatKeys(key.left(), key.right());
        }
    }

    /**
     * A module with a new LMK, written to a temporary file and deleted at once.
     */
    public JposMacModule()
    {
        try
        {
            final Path lmk = Files.createTempFile("jpos-lmk-", ".properties");
            try
            {
                final Properties settings = new Properties();
                settings.setProperty("lmk", lmk.toString());
                settings.setProperty("rebuildlmk", "true");
                module = new Module(new SimpleConfiguration(settings));
            }
            finally
            {
                Files.deleteIfExists(lmk);
            }
            retailMac = MethodHandles.privateLookupIn(JCESecurityModule.class, MethodHandles.lookup())
                .findVirtual(JCESecurityModule.class, "calculateMACISO9797Alg3", MethodType.methodType(byte[].class, Key.class, byte[].class));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final ConfigurationException | ReflectiveOperationException e)
        {
            throw new IllegalStateException("jPOS security module: " + e, e);
        }
    }

    /**
     * @param clearKey16 a double-length MAC key in clear.
     * @return it under the module's LMK.
     */
    public TerminalKey importKey(final byte[] clearKey16)
    {
        final HexFormat hex = HexFormat.of().withUpperCase();
        try
        {
            return new TerminalKey(
                module.formKEYfromClearComponents((short)64, "TAK", hex.formatHex(clearKey16, 0, 8)),
                module.formKEYfromClearComponents((short)64, "TAK", hex.formatHex(clearKey16, 8, 16)));
        }
        catch (final SMException e)
        {
            throw new IllegalStateException("jPOS security module cannot import a MAC key: " + e, e);
        }
    }

    /**
     * @param key    the terminal's key.
     * @param data   the packed message.
     * @param length bytes of it the MAC covers (all before field 64).
     * @return the MAC.
     */
    public byte[] generate(final TerminalKey key, final byte[] data, final int length)
    {
        try
        {
            return (byte[])retailMac.invoke((JCESecurityModule)module, module.unwrap(key), Arrays.copyOf(data, length));
        }
        catch (final Throwable e)
        {
            throw new IllegalStateException("jPOS security module cannot compute a MAC: " + e, e);
        }
    }

    /**
     * @return whether {@code mac} is the MAC of the first {@code length} bytes of {@code data}.
     */
    public boolean verify(final TerminalKey key, final byte[] data, final int length, final byte[] mac)
    {
        return MessageDigest.isEqual(generate(key, data, length), mac);
    }
}
