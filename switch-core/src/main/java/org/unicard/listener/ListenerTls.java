package org.unicard.listener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.unicard.config.ConfigurationException;
import org.unicard.config.TlsSettings;

/**
 * Builds a listener's TLS server context from its settings: the JDK provider, TLS 1.2 and 1.3 only,
 * the key and certificate chain from a PKCS12 keystore and, for client certificates, the trusted
 * certificates from a PKCS12 truststore. Every problem stops start-up with a
 * {@link ConfigurationException} naming the property and the file, never a password.
 */
public final class ListenerTls
{
    /** The protocols offered, newest first. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private ListenerTls()
    {
    }

    /**
     * @param settings the listener's TLS settings.
     * @param prefix   the properties' common name, e.g. {@code listener.acquirer.tls}, for error messages.
     * @return the server context, or {@code null} when TLS is off.
     */
    public static SslContext serverContext(final TlsSettings settings, final String prefix)
    {
        if (!settings.enabled())
        {
            return null;
        }
        final KeyStore keys = load(settings, prefix + ".keystore", settings.keystore(), settings.keystorePassword());
        final KeyManagerFactory keyManagers;
        try
        {
            if (!hasPrivateKey(keys))
            {
                throw error(settings, prefix + ".keystore", settings.keystore(), "the keystore holds no private key entry");
            }
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, settings.keystorePassword().toCharArray());
        }
        catch (final UnrecoverableKeyException ex)
        {
            throw error(settings, prefix + ".keystore-password", settings.keystore(), "the private key cannot be read with this password");
        }
        catch (final GeneralSecurityException ex)
        {
            throw error(settings, prefix + ".keystore", settings.keystore(), ex.getClass().getSimpleName());
        }

        final SslContextBuilder builder = SslContextBuilder.forServer(keyManagers)
            .sslProvider(SslProvider.JDK)
            .protocols(PROTOCOLS);
        final ClientAuth clientAuth = switch (settings.clientAuth())
        {
            case "optional" -> ClientAuth.OPTIONAL;
            case "require" -> ClientAuth.REQUIRE;
            default -> ClientAuth.NONE;
        };
        builder.clientAuth(clientAuth);
        if (clientAuth != ClientAuth.NONE)
        {
            if (settings.truststore().isEmpty())
            {
                throw error(settings, prefix + ".truststore", "", "required when " + prefix + ".client-auth=" + settings.clientAuth());
            }
            final KeyStore trusted = load(settings, prefix + ".truststore", settings.truststore(), settings.truststorePassword());
            try
            {
                if (trusted.size() == 0)
                {
                    throw error(settings, prefix + ".truststore", settings.truststore(), "the truststore holds no certificate");
                }
                final TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(trusted);
                builder.trustManager(trustManagers);
            }
            catch (final GeneralSecurityException ex)
            {
                throw error(settings, prefix + ".truststore", settings.truststore(), ex.getClass().getSimpleName());
            }
        }
        try
        {
            return builder.build();
        }
        catch (final SSLException ex)
        {
            throw error(settings, prefix + ".keystore", settings.keystore(), "cannot build a TLS context: " + ex.getClass().getSimpleName());
        }
    }

    private static KeyStore load(final TlsSettings settings, final String property, final String file, final String password)
    {
        if (file.isEmpty())
        {
            throw error(settings, property, "", "required when " + property.substring(0, property.lastIndexOf('.')) + "=true");
        }
        final Path path = Path.of(file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path))
        {
            throw error(settings, property, file, "not a readable file");
        }
        try (InputStream in = Files.newInputStream(path))
        {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return store;
        }
        catch (final IOException ex)
        {
            if (ex.getCause() instanceof UnrecoverableKeyException)
            {
                throw error(settings, property + "-password", file, "wrong password for the file");
            }
            throw error(settings, property, file, "not a PKCS12 file or damaged");
        }
        catch (final GeneralSecurityException ex)
        {
            throw error(settings, property, file, "cannot read it: " + ex.getClass().getSimpleName());
        }
    }

    private static boolean hasPrivateKey(final KeyStore store) throws GeneralSecurityException
    {
        for (final String alias : Collections.list(store.aliases()))
        {
            if (store.isKeyEntry(alias))
            {
                return true;
            }
        }
        return false;
    }

    private static ConfigurationException error(final TlsSettings settings, final String property, final String file, final String reason)
    {
        return new ConfigurationException("config=" + settings.source() + " property=" + property + " file=" + file + " reason=" + reason);
    }
}
