package org.unicard.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.config.ConfigurationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.request;
import static org.unicard.server.JposTerminal.withPin;

/**
 * TLS on the acquirer listener (spec §1): an acquirer host over TLS gets its wallet purchase approved
 * with a zone-PIN-key PIN block; with {@code client-auth = require} only a host showing a trusted
 * certificate is served; a plaintext peer gets no answer and is closed; a bad keystore or password
 * stops start-up naming the property and the file but not the password. The keystores are made for
 * the test with the running JDK's {@code keytool}.
 */
class AcquirerTlsWireTest
{
    static final String PASSWORD = "s3cret-store-pass";

    @TempDir
    static Path keys;

    @TempDir
    Path directory;

    private UnicardSwitch unicard;

    @BeforeAll
    static void makeKeystores() throws Exception
    {
        makeKeystores(keys);
    }

    /**
     * Writes the switch's keystore ({@code switch.p12}), two client keystores ({@code bank.p12},
     * trusted by the switch, and {@code stranger.p12}, not), the switch's truststore for clients
     * ({@code switch-trusts-bank.p12}) and the clients' truststore ({@code clients-trust-switch.p12}),
     * all PKCS12 with {@link #PASSWORD}.
     */
    static void makeKeystores(final Path keys) throws Exception
    {
        keytool("-genkeypair", "-alias", "switch", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
            "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
            "-storetype", "PKCS12", "-keystore", keys.resolve("switch.p12").toString(), "-storepass", PASSWORD);
        keytool("-genkeypair", "-alias", "bank", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
            "-dname", "CN=Test bank acquirer", "-storetype", "PKCS12", "-keystore", keys.resolve("bank.p12").toString(), "-storepass", PASSWORD);
        keytool("-genkeypair", "-alias", "stranger", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
            "-dname", "CN=Stranger", "-storetype", "PKCS12", "-keystore", keys.resolve("stranger.p12").toString(), "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "switch", "-keystore", keys.resolve("switch.p12").toString(), "-storepass", PASSWORD,
            "-file", keys.resolve("switch.pem").toString());
        keytool("-exportcert", "-rfc", "-alias", "bank", "-keystore", keys.resolve("bank.p12").toString(), "-storepass", PASSWORD,
            "-file", keys.resolve("bank.pem").toString());
        keytool("-importcert", "-noprompt", "-alias", "switch", "-file", keys.resolve("switch.pem").toString(),
            "-storetype", "PKCS12", "-keystore", keys.resolve("clients-trust-switch.p12").toString(), "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "bank", "-file", keys.resolve("bank.pem").toString(),
            "-storetype", "PKCS12", "-keystore", keys.resolve("switch-trusts-bank.p12").toString(), "-storepass", PASSWORD);
    }

    @AfterEach
    void stop()
    {
        if (unicard != null)
        {
            unicard.close();
        }
    }

    @Test
    void shouldApproveAWalletPurchaseOverTls() throws Exception
    {
        start("listener.acquirer.tls.client-auth = none\n");
        try (Socket socket = tlsClient(null))
        {
            final ISOMsg response = exchange(socket, purchase(100));
            assertEquals("00", response.getString(39));
            assertEquals(Long.toString(WireData.ACQUIRER), response.getString(32));
            assertTrue(response.getString(54).contains("9402818C000000018000"), response.getString(54));
            assertTrue(((SSLSocket)socket).getSession().getProtocol().matches("TLSv1\\.[23]"));
        }
    }

    @Test
    void shouldKeepTheTerminalListenerPlaintext() throws Exception
    {
        start("listener.acquirer.tls.client-auth = none\n");
        try (JposTerminal terminal = new JposTerminal(unicard.terminalPort()))
        {
            assertEquals("00", terminal.exchange(JposTerminal.bread(WireData.HEAD, 1, 1)).getString(39));
        }
    }

    @Test
    void shouldRefuseAClientWithoutACertificateWhenClientAuthIsRequired() throws Exception
    {
        start(mutual());
        try (Socket socket = tlsClient(null))
        {
            assertThrows(IOException.class, () -> exchange(socket, purchase(110)));
        }
    }

    @Test
    void shouldRefuseAClientWithAnUntrustedCertificate() throws Exception
    {
        start(mutual());
        try (Socket socket = tlsClient(keys.resolve("stranger.p12")))
        {
            assertThrows(IOException.class, () -> exchange(socket, purchase(120)));
        }
        awaitTlsFailures(1);
    }

    @Test
    void shouldServeAClientWithATrustedCertificate() throws Exception
    {
        start(mutual());
        try (Socket socket = tlsClient(keys.resolve("bank.p12")))
        {
            assertEquals("00", exchange(socket, purchase(130)).getString(39));
            assertEquals("CN=Test bank acquirer",
                ((SSLSocket)socket).getSession().getLocalPrincipal().getName());
        }
    }

    @Test
    void shouldCloseAPlaintextClientWithoutAnAnswer() throws Exception
    {
        start("listener.acquirer.tls.client-auth = none\n");
        try (Socket socket = new Socket("127.0.0.1", unicard.acquirerPort()))
        {
            socket.setSoTimeout(5_000);
            write(socket, purchase(140));
            final InputStream in = socket.getInputStream();
            final List<Integer> received = new ArrayList<>();
            try
            {
                for (int b = in.read(); b >= 0; b = in.read())
                {
                    received.add(b);
                }
            }
            catch (final SocketException ex)
            {
                // A reset is a close too.
            }
            catch (final SocketTimeoutException ex)
            {
                throw new AssertionError("the switch kept a plaintext connection open on its TLS listener");
            }
            assertTrue(received.isEmpty() || received.get(0) == 0x15,
                "nothing but a TLS alert may come back: " + received);
        }
        awaitTlsFailures(1);
        try (Socket socket = tlsClient(null))
        {
            assertEquals("00", exchange(socket, purchase(141)).getString(39), "the listener still serves TLS peers");
        }
    }

    @Test
    void shouldStopStartUpForAMissingKeystore() throws Exception
    {
        final Path missing = keys.resolve("no-such.p12");
        final ConfigurationException error = assertThrows(ConfigurationException.class, () -> startWith(
            "listener.acquirer.tls = true\nlistener.acquirer.tls.keystore = " + missing + "\nlistener.acquirer.tls.keystore-password = " +
            PASSWORD + "\n"));
        assertTrue(error.getMessage().contains("property=listener.acquirer.tls.keystore "), error.getMessage());
        assertTrue(error.getMessage().contains("file=" + missing), error.getMessage());
        assertFalse(error.getMessage().contains(PASSWORD), error.getMessage());
    }

    @Test
    void shouldStopStartUpForAWrongKeystorePassword() throws Exception
    {
        final ConfigurationException error = assertThrows(ConfigurationException.class, () -> startWith(
            "listener.acquirer.tls = true\nlistener.acquirer.tls.keystore = " + keys.resolve("switch.p12") +
            "\nlistener.acquirer.tls.keystore-password = not-" + PASSWORD + "\n"));
        assertTrue(error.getMessage().contains("property=listener.acquirer.tls.keystore-password "), error.getMessage());
        assertTrue(error.getMessage().contains("file=" + keys.resolve("switch.p12")), error.getMessage());
        assertFalse(error.getMessage().contains(PASSWORD), error.getMessage());
    }

    @Test
    void shouldStopStartUpWhenTlsIsOnWithoutAKeystore() throws Exception
    {
        final ConfigurationException error = assertThrows(ConfigurationException.class,
            () -> startWith("listener.acquirer.tls = true\n"));
        assertTrue(error.getMessage().contains("property=listener.acquirer.tls.keystore "), error.getMessage());
    }

    @Test
    void shouldStopStartUpForRequiredClientAuthWithoutATruststore() throws Exception
    {
        final ConfigurationException error = assertThrows(ConfigurationException.class,
            () -> start("listener.acquirer.tls.client-auth = require\n"));
        assertTrue(error.getMessage().contains("property=listener.acquirer.tls.truststore "), error.getMessage());
    }

    @Test
    void shouldStopStartUpForAnUnknownClientAuth() throws Exception
    {
        final ConfigurationException error = assertThrows(ConfigurationException.class,
            () -> start("listener.acquirer.tls.client-auth = sometimes\n"));
        assertTrue(error.getMessage().contains("property=listener.acquirer.tls.client-auth value=sometimes"), error.getMessage());
    }

    private void awaitTlsFailures(final long expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (unicard.listeners().tlsFailures() < expected && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(expected, unicard.listeners().tlsFailures(), "TLS failures counted");
    }

    private String mutual()
    {
        return "listener.acquirer.tls.client-auth = require\n" +
            "listener.acquirer.tls.truststore = " + keys.resolve("switch-trusts-bank.p12") + "\n" +
            "listener.acquirer.tls.truststore-password = " + PASSWORD + "\n";
    }

    private void start(final String extra) throws Exception
    {
        startWith("listener.acquirer.tls = true\n" +
            "listener.acquirer.tls.keystore = " + keys.resolve("switch.p12") + "\n" +
            "listener.acquirer.tls.keystore-password = " + PASSWORD + "\n" + extra);
    }

    private void startWith(final String properties) throws Exception
    {
        WireData.write(directory);
        final Path config = directory.resolve("tls.properties");
        Files.writeString(config, properties);
        unicard = UnicardSwitch.start(new SwitchOptions(directory, null, config, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null));
    }

    private static ISOMsg purchase(final int stan) throws Exception
    {
        final ISOMsg purchase = request("0200", "ATM00001", null, WireData.HEAD, "009400", 2_000, "818", stan);
        purchase.set(32, Long.toString(WireData.ACQUIRER));
        return withPin(purchase, WireData.PIN, JposTerminal.ZPK);
    }

    private Socket tlsClient(final Path clientKeystore) throws Exception
    {
        return tlsClient(keys, clientKeystore, unicard.acquirerPort());
    }

    /**
     * A TLS client trusting the switch's certificate (made by {@link #makeKeystores(Path)} in
     * {@code keys}), showing the certificate of the keystore when one is given.
     */
    static Socket tlsClient(final Path keys, final Path clientKeystore, final int port) throws Exception
    {
        final KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve("clients-trust-switch.p12")))
        {
            trusted.load(in, PASSWORD.toCharArray());
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManagerFactory keyManagers = null;
        if (clientKeystore != null)
        {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(clientKeystore))
            {
                store.load(in, PASSWORD.toCharArray());
            }
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(store, PASSWORD.toCharArray());
        }
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        final SSLSocket socket = (SSLSocket)context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    static void write(final Socket socket, final ISOMsg request) throws Exception
    {
        request.setPackager(JposTerminal.packager());
        final byte[] packed = request.pack();
        final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeShort(packed.length);
        out.write(packed);
        out.flush();
    }

    /**
     * Sends a request framed as spec §1 (2-byte length, no header) and reads one response.
     */
    static ISOMsg exchange(final Socket socket, final ISOMsg request) throws Exception
    {
        write(socket, request);
        final DataInputStream in = new DataInputStream(socket.getInputStream());
        final byte[] frame = new byte[in.readUnsignedShort()];
        in.readFully(frame);
        final ISOMsg response = new ISOMsg();
        response.setPackager(JposTerminal.packager());
        response.unpack(frame);
        return response;
    }

    static void keytool(final String... arguments) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, process.exitValue(), "keytool " + arguments[0] + ": " + output);
    }
}
