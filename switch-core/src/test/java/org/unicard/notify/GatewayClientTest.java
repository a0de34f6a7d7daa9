package org.unicard.notify;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway client over real HTTP and HTTPS servers: 2xx is delivered, anything else refused, no
 * answer within the timeout timed out, and over HTTPS a certificate the trust store does not hold is
 * refused (no connection, nothing delivered).
 */
class GatewayClientTest
{
    private static final byte[] BODY = "[{\"key\":\"1-0\"}]".getBytes(StandardCharsets.UTF_8);
    private static final char[] PASSWORD = "changeit".toCharArray();

    @Test
    void shouldTellDeliveredFromRefusedAndTimedOut() throws Exception
    {
        final AtomicReference<Integer> status = new AtomicReference<>(200);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicReference<String> contentType = new AtomicReference<>();
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/events", exchange ->
        {
            try (InputStream in = exchange.getRequestBody())
            {
                in.readAllBytes();
            }
            contentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (status.get() == 0)
            {
                try
                {
                    release.await(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(Math.max(200, status.get()), -1);
            exchange.close();
        });
        server.start();
        final URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
        try (GatewayClient client = new GatewayClient(url, 10_000);
             GatewayClient impatient = new GatewayClient(url, 500))
        {
            assertEquals(GatewayClient.Result.DELIVERED, client.post(BODY));
            assertEquals("application/json", contentType.get());
            status.set(202);
            assertEquals(GatewayClient.Result.DELIVERED, client.post(BODY));
            status.set(500);
            assertEquals(GatewayClient.Result.REFUSED, client.post(BODY));
            assertEquals(500, client.lastStatus());
            status.set(0);
            assertEquals(GatewayClient.Result.TIMED_OUT, impatient.post(BODY));
            assertEquals("timeout after 500 ms", impatient.lastError());
        }
        finally
        {
            release.countDown();
            server.stop(0);
        }
        try (GatewayClient client = new GatewayClient(url, 10_000))
        {
            assertEquals(GatewayClient.Result.UNREACHABLE, client.post(BODY), "nobody listens any more");
        }
    }

    @Test
    void shouldDeliverOverHttpsToATrustedCertificateAndRefuseAnUntrustedOne() throws Exception
    {
        final Path keystore = Files.createTempDirectory(Files.createDirectories(Path.of("target", "notifier-tests")), "tls-")
            .resolve("gateway.p12");
        final String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        final Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1",
            "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
            "-keystore", keystore.toString(), "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore))
        {
            store.load(in, PASSWORD);
        }
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        final SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        final SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        final HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/events", exchange ->
        {
            try (InputStream in = exchange.getRequestBody())
            {
                in.readAllBytes();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        final URI url = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/events");
        try (GatewayClient trusted = new GatewayClient(url, 5_000, clientTls);
             GatewayClient untrusted = new GatewayClient(url, 5_000))
        {
            assertEquals(GatewayClient.Result.DELIVERED, trusted.post(BODY));
            assertEquals(GatewayClient.Result.UNREACHABLE, untrusted.post(BODY));
            assertTrue(untrusted.lastError().startsWith("SSLHandshakeException"), untrusted.lastError());
        }
        finally
        {
            server.stop(0);
            Files.deleteIfExists(keystore);
            Files.deleteIfExists(keystore.getParent());
        }
    }
}
