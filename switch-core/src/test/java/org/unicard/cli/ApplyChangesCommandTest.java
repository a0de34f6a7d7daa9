package org.unicard.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client side of {@code bin/unicard apply-changes} (the switch side is {@code server.ChangesWireTest}):
 * what it sends, what it prints, its exit codes, against a local HTTP endpoint answering as the spec
 * says the switch answers.
 */
class ApplyChangesCommandTest
{
    @TempDir
    Path directory;

    private HttpServer server;
    private final AtomicReference<String> received = new AtomicReference<>();

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.stop(0);
        }
    }

    private String start(final int status, final String answer) throws Exception
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/changes", exchange ->
        {
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.set(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " +
                exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
            final byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private int run(final StringWriter out, final StringWriter err, final String... args)
    {
        final CommandLine command = UnicardMain.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    @Test
    void shouldPostTheFilePrintTheAnswerAndExitZeroWhenApplied() throws Exception
    {
        final Path file = directory.resolve("batch.jsonl");
        Files.writeString(file, "{\"op\":\"household\"}\n");
        final String url = start(200, "{\"batch\":\"b-1\",\"applied\":1}");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code;
        if (System.getenv("UNICARD_API_TOKEN") == null)
        {
            code = run(out, err, "apply-changes", "--file", file.toString(), "--batch", "b-1", "--http", url);
            assertEquals(1, code, "no token: refused before posting");
            assertTrue(err.toString().contains("set UNICARD_API_TOKEN"), err::toString);
            return;
        }
        code = run(out, err, "apply-changes", "--file", file.toString(), "--batch", "b-1", "--http", url);
        assertEquals(0, code, err::toString);
        assertEquals("{\"batch\":\"b-1\",\"applied\":1}\n", out.toString());
        assertTrue(received.get().startsWith("POST /api/changes?batch=b-1 Bearer "), received.get());
    }

    @Test
    void shouldPrintEveryErrorOfA422AndExitOne() throws Exception
    {
        final StringWriter err = new StringWriter();
        final String body = "{\"batch\":\"b-2\",\"errors\":[{\"line\":2,\"field\":\"household_id\",\"reason\":\"no such household 9999\"}," +
            "{\"line\":3,\"field\":null,\"reason\":\"malformed JSON: x\"}]}";
        assertEquals(2, ApplyChangesCommand.printErrors(body, new PrintWriter(err, true)));
        assertEquals("line 2 field household_id: no such household 9999\nline 3 field -: malformed JSON: x\n", err.toString().replace("\r\n", "\n"));
    }

    @Test
    void shouldRefuseABadBatchIdOrAMissingFileAsAUsageError() throws Exception
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        assertEquals(2, run(out, err, "apply-changes", "--file", directory.resolve("none.jsonl").toString(), "--batch", "b/1"));
        assertTrue(err.toString().contains("--batch: batch id has a character outside"), err::toString);
        final StringWriter err2 = new StringWriter();
        assertEquals(2, run(new StringWriter(), err2, "apply-changes", "--file", directory.resolve("none.jsonl").toString(), "--batch", "b1"));
        assertTrue(err2.toString().contains("--file: no such file"), err2::toString);
    }
}
