package org.unicard.security;

import java.io.File;
import java.io.IOException;

import org.jpos.core.SimpleConfiguration;
import org.jpos.security.SMAdapter;
import org.jpos.security.SMException;
import org.jpos.security.SecureDESKey;
import org.jpos.security.jceadapter.JCESecurityModule;

/**
 * One jPOS software HSM ({@link JCESecurityModule}) per test JVM, with a freshly generated jPOS LMK
 * in a temporary file, used as an independent implementation to cross-check ours against. Its
 * {@code generateCBC_MAC} is configured for the retail MAC with padding method 1.
 */
final class JposModule
{
    private static JCESecurityModule module;

    private JposModule()
    {
    }

    static synchronized JCESecurityModule get()
    {
        if (null == module)
        {
            try
            {
                final File lmk = File.createTempFile("unicard-jpos-test", ".lmk");
                lmk.deleteOnExit();
                final SimpleConfiguration configuration = new SimpleConfiguration();
                configuration.put("lmk", lmk.getAbsolutePath());
                configuration.put("rebuildlmk", "true");
                // Bouncy Castle (a jPOS dependency) provides ISO 9797-1 MAC algorithm 3 with
                // padding method 1 under this name; jPOS's default names padding method 2.
                configuration.put("provider", "org.bouncycastle.jce.provider.BouncyCastleProvider");
                configuration.put("cbc-mac", "ISO9797ALG3MAC");
                final JCESecurityModule created = new JCESecurityModule();
                created.setConfiguration(configuration);
                module = created;
            }
            catch (final IOException | org.jpos.core.ConfigurationException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
        return module;
    }

    /**
     * @param keyType     jPOS key type, e.g. {@link SMAdapter#TYPE_PVK}.
     * @param clearKey16  a clear double-length key.
     * @return the key under jPOS's own LMK.
     */
    static SecureDESKey secureKey(final String keyType, final byte[] clearKey16)
    {
        try
        {
            return get().formKEYfromClearComponents(SMAdapter.LENGTH_DES3_2KEY, keyType, Hex.encode(clearKey16));
        }
        catch (final SMException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
