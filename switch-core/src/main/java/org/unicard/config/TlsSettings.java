package org.unicard.config;

import org.unicard.context.Configuration;

/**
 * TLS on one listener (spec §1: the acquirer listener may use TLS, and mutual TLS). Paths are
 * PKCS12 files; TLS 1.2 and 1.3 only. {@link #toString()} never shows a password.
 *
 * @param enabled            whether the listener speaks TLS; plaintext when {@code false}.
 * @param keystore           the listener's PKCS12 keystore (its private key and certificate chain).
 * @param keystorePassword   the keystore's password (also the key's).
 * @param clientAuth         {@code none}, {@code optional} or {@code require}: whether peers must show a certificate.
 * @param truststore         PKCS12 file of the certificates (or issuers) trusted for client certificates.
 * @param truststorePassword the truststore's password.
 * @param source             where the settings came from, for error messages.
 */
public record TlsSettings(
    boolean enabled,
    String keystore,
    String keystorePassword,
    String clientAuth,
    String truststore,
    String truststorePassword,
    String source)
{
    /** Prefix of the acquirer listener's TLS properties ({@link Configuration#ACQUIRER_TLS_PROP_NAME}). */
    public static final String ACQUIRER_PREFIX = Configuration.ACQUIRER_TLS_PROP_NAME;

    /** Plaintext. */
    public static final TlsSettings OFF = new TlsSettings(false, "", "", "none", "", "", "defaults");

    /**
     * @return the settings without their passwords.
     */
    @Override
    public String toString()
    {
        return "TlsSettings{enabled=" + enabled + " keystore=" + keystore + " client-auth=" + clientAuth +
            " truststore=" + truststore + "}";
    }
}
