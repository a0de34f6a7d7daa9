package org.unicard.server;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.UnsafeBuffer;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.terminal.LocalPorts;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.request;

/**
 * SIGTERM under load (spec §11), on the real process: a grocer keeps sending pipelined one-piaster
 * ration purchases while the switch is told to stop. Every request the switch took is answered, and
 * nothing else: the answered STANs are exactly the first k sent, each once, and requests sent after
 * the stop began get no answer (the switch stopped reading and closed the connection). The process
 * exits 0 within the documented worst-case stop, having hit no limit. After a restart the journal
 * replays and the card's ration balance is its opening credit less exactly the approved answers.
 */
class GracefulStopTest
{
    private static final long RATION_OPENING_PIASTERS = 10_000;
    /** Answers to wait for before SIGTERM, so that the stop lands in steady pipelined traffic. */
    private static final int ANSWERS_BEFORE_STOP = 2_000;

    @TempDir
    Path directory;

    private Process process;

    @AfterEach
    void killLeftovers()
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldAnswerEveryTakenRequestAndNothingElseThenExitZeroOnSigterm() throws Exception
    {
        WireData.write(directory);
        final Path config = WireData.writeSnapshotTestConfig(directory,
            "duplicate-window.capacity = 1048576", "spend-ledger.capacity = 1048576");
        final int port = LocalPorts.free();
        final int httpPort = LocalPorts.free();
        final int acquirerPort = LocalPorts.free();
        process = startSwitch(config, port, acquirerPort, httpPort, "first");
        ChildHealth.awaitHealthy(process, httpPort, () -> Files.readString(log("first")));

        // Two connections: a grocer's one-piaster ration purchases (they move money) and a bakery's balance inquiries.
        final long stopMs;
        final PipelinedClient grocer = new PipelinedClient(port, WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, 9100, 1, 818);
        final PipelinedClient bakery = new PipelinedClient(port, WireData.BAKERY, WireData.MERCHANT_BAKERY, 310000, -1, -1);
        try (grocer; bakery)
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while ((grocer.answers.size() < ANSWERS_BEFORE_STOP || bakery.answers.size() < ANSWERS_BEFORE_STOP) &&
                grocer.reader.isAlive() && bakery.reader.isAlive() && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertTrue(grocer.answers.size() >= ANSWERS_BEFORE_STOP && bakery.answers.size() >= ANSWERS_BEFORE_STOP,
                "answers before the stop: grocer " + grocer.answers.size() + ", bakery " + bakery.answers.size());

            final long stopStart = System.nanoTime();
            process.destroy();
            assertTrue(process.waitFor(ChildHealth.STOP_LIMIT_MS, TimeUnit.MILLISECONDS),
                "exits within the worst-case stop (" + ChildHealth.STOP_LIMIT_MS + " ms)");
            stopMs = (System.nanoTime() - stopStart) / 1_000_000;
            assertEquals(0, process.exitValue(), Files.readString(log("first")));
            grocer.awaitEnd();
            bakery.awaitEnd();
        }

        final String firstLog = Files.readString(log("first"));
        assertTrue(firstLog.contains("event=stopped"), firstLog);
        assertFalse(firstLog.contains("event=stop-cut-short"), "no stop limit hit: " + firstLog);
        final int approved = grocer.checkEveryTakenRequestAnsweredAndNothingElse();
        bakery.checkEveryTakenRequestAnsweredAndNothingElse();
        assertTrue(approved > 0, "purchases were approved");
        final int taken = grocer.answers.size();

        process = startSwitch(config, port, acquirerPort, httpPort, "second");
        ChildHealth.awaitHealthy(process, httpPort, () -> Files.readString(log("second")));
        try (JposTerminal terminal = new JposTerminal(port))
        {
            final ISOMsg inquiry = terminal.exchange(
                request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "310000", -1, null, 999_999));
            assertEquals("00", inquiry.getString(39));
            assertEquals(String.format("9102818C%012d", RATION_OPENING_PIASTERS - approved), inquiry.getString(54).substring(0, 20),
                "ration balance = opening credit - approved answers (" + approved + " of " + taken + " answered, stop took " + stopMs + " ms)");
        }
        final String secondLog = Files.readString(log("second"));
        assertTrue(secondLog.matches("(?s).*event=recovered .*replayed=[1-9].*"), "the journal replayed: " + secondLog);
        ChildHealth.stopCleanly(process, () -> Files.readString(log("second")));
    }

    /**
     * Whether the greedy client's answers are still unwritten when the stop begins depends on the
     * kernel's socket buffers, which Linux grows under load: an attempt in which they all drained before
     * the stop began stops cleanly (checked), and the scenario is tried again, at most three times.
     */
    @Test
    void shouldCutTheStopShortAtItsLimitSayWhatAndStillExitZero() throws Exception
    {
        WireData.write(directory);
        String text = "";
        for (int attempt = 1; attempt <= 3 && !text.contains("event=stop-cut-short"); attempt++)
        {
            text = stopWithAGreedyClient("limit-" + attempt);
        }
        assertTrue(text.contains("event=stop-cut-short stage=drain limit-ms=" + DRAIN_LIMIT_MS + " connections-with-answers-unwritten=1"),
            "the cut is logged with what it cut: " + text);
        final java.util.regex.Matcher stopped = java.util.regex.Pattern.compile("event=stopped .* ms=(\\d+)").matcher(text);
        assertTrue(stopped.find(), text);
        assertTrue(Long.parseLong(stopped.group(1)) >= DRAIN_LIMIT_MS, "the stop waited its limit first: " + stopped.group());
    }

    private static final long DRAIN_LIMIT_MS = 1_000;

    /** @return the log of one switch stopped (exit 0 checked) while a client that never reads keeps sending. */
    private String stopWithAGreedyClient(final String name) throws Exception
    {
        final long drainLimitMs = DRAIN_LIMIT_MS;
        // A window the flood cannot fill: the wire tests' requests all carry one field 7, so once an entry
        // of a terminal left the window early every later request of it would be answered 94 (docs/design.md).
        final Path config = WireData.writeSnapshotTestConfig(directory, "stop.drain-timeout-ms = " + drainLimitMs,
            "duplicate-window.capacity = 1048576");
        final int port = LocalPorts.free();
        final int httpPort = LocalPorts.free();
        process = startSwitch(config, port, LocalPorts.free(), httpPort, name);
        ChildHealth.awaitHealthy(process, httpPort, () -> Files.readString(log(name)));

        // A client that sends inquiries and never reads: once its unread answers fill the socket buffers, the switch
        // stops reading it, and a stop cannot put its last answers on the socket.
        final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try (Socket greedy = new Socket(); JposTerminal other = new JposTerminal(port))
        {
            greedy.setReceiveBufferSize(4096);
            greedy.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            final Thread writer = Thread.ofPlatform().daemon().start(() -> sendInquiries(greedy));
            // Paused once, three times in a row, another terminal's inquiry was the only request decided in 50 ms.
            int confirmations = 0;
            int exchanges = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (confirmations < 3 && System.nanoTime() < deadline)
            {
                final long before = decided(http, httpPort);
                assertEquals("00", other.exchange(
                    request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "310000", -1, null, 900_000 + exchanges))
                    .getString(39));
                exchanges++;
                Thread.sleep(50);
                final long after = decided(http, httpPort);
                confirmations = before > exchanges && after == before + 1 ? confirmations + 1 : 0;
            }
            assertEquals(3, confirmations, "the switch stopped reading the client that never reads");

            final long limitMs = drainLimitMs + UnicardSwitch.STOP_AFTER_DRAIN_MS_MAX + ChildHealth.JVM_EXIT_MARGIN_MS;
            process.destroy();
            assertTrue(process.waitFor(limitMs, TimeUnit.MILLISECONDS), "exits within the worst case for its limit (" + limitMs + " ms)");
            assertEquals(0, process.exitValue());
            writer.interrupt();
        }
        return Files.readString(log(name));
    }

    private static long decided(final java.net.http.HttpClient http, final int httpPort) throws Exception
    {
        final String metrics = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("unicard_authorizer_sequence "))
            .mapToLong(line -> (long)Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    /**
     * Balance inquiries at the bakery, eight at a time, a millisecond apart, until the socket fails.
     */
    private static void sendInquiries(final Socket socket)
    {
        final RequestBuilder builder = new RequestBuilder();
        final TerminalRequest request = new TerminalRequest();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
        try
        {
            final OutputStream out = socket.getOutputStream();
            for (int stan = 1; stan < 900_000 && !Thread.currentThread().isInterrupted(); stan++)
            {
                request.clear();
                request.stan = stan;
                request.transmissionDateTime = 1123070000L;
                request.terminalId = WireData.BAKERY;
                request.merchantId = WireData.MERCHANT_BAKERY;
                request.pan = WireData.HEAD;
                request.processingCode = 310000;
                out.write(frame.byteArray(), 0, builder.build(request, frame));
                if (stan % 8 == 0)
                {
                    Thread.sleep(1);
                }
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            // The switch closed the connection, or the test is done.
        }
    }

    /**
     * One connection writing requests of one kind (STANs 1, 2, 3, …) as fast as the socket takes them
     * until it fails (the switch closed it, or the test did), and reading answers (STAN, response code)
     * until the stream ends.
     */
    private static final class PipelinedClient implements AutoCloseable
    {
        final List<int[]> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger sent = new AtomicInteger();
        final AtomicReference<Throwable> readerEnd = new AtomicReference<>();
        final Socket socket;
        final Thread sender;
        final Thread reader;
        private final String terminal;

        PipelinedClient(final int port, final String terminal, final String merchant, final int processingCode, final long amount,
            final int currency) throws IOException
        {
            this.terminal = terminal;
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            reader = Thread.ofPlatform().name(terminal + "-reader").start(() -> readerEnd.set(receive()));
            sender = Thread.ofPlatform().name(terminal + "-sender").start(() -> send(merchant, processingCode, amount, currency));
        }

        private void send(final String merchant, final int processingCode, final long amount, final int currency)
        {
            final RequestBuilder builder = new RequestBuilder();
            final TerminalRequest request = new TerminalRequest();
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
            try
            {
                final OutputStream out = socket.getOutputStream();
                for (int stan = 1; stan < 999_999; stan++)
                {
                    request.clear();
                    request.stan = stan;
                    request.transmissionDateTime = 1123070000L;
                    request.terminalId = terminal;
                    request.merchantId = merchant;
                    request.pan = WireData.HEAD;
                    request.processingCode = processingCode;
                    request.amount = amount;
                    request.currency = currency;
                    out.write(frame.byteArray(), 0, builder.build(request, frame));
                    sent.set(stan);
                }
            }
            catch (final IOException ex)
            {
                // The switch closed the connection, or the test did.
            }
        }

        /**
         * @return how the stream ended: an {@link EOFException} when the peer ended it.
         */
        private Throwable receive()
        {
            final IsoMessageReader message = new IsoMessageReader(IsoDialect.BINARY);
            try
            {
                final DataInputStream in = new DataInputStream(socket.getInputStream());
                while (true)
                {
                    final byte[] frame = new byte[in.readUnsignedShort()];
                    in.readFully(frame);
                    message.wrap(new UnsafeBuffer(frame), 0, frame.length);
                    final int at = message.valueOffset(39);
                    answers.add(new int[] {(int)message.numeric(11), (frame[at] - '0') * 10 + (frame[at + 1] - '0')});
                }
            }
            catch (final IOException ex)
            {
                return ex;
            }
        }

        void awaitEnd() throws Exception
        {
            reader.join(30_000);
            assertFalse(reader.isAlive(), terminal + ": the connection ends once the switch has stopped");
            socket.close();
            sender.join(30_000);
        }

        /**
         * @return answers 00.
         */
        int checkEveryTakenRequestAnsweredAndNothingElse()
        {
            assertTrue(readerEnd.get() instanceof EOFException, terminal + ": the switch ended the stream: " + readerEnd.get());
            final TreeSet<Integer> answered = new TreeSet<>();
            int approved = 0;
            for (final int[] answer : answers)
            {
                assertTrue(answered.add(answer[0]), terminal + ": STAN " + answer[0] + " answered once");
                assertTrue(answer[1] == 0 || answer[1] == 51 || answer[1] == 91, terminal + ": code " + answer[1] + " for STAN " + answer[0]);
                approved += answer[1] == 0 ? 1 : 0;
            }
            final int taken = answered.size();
            assertEquals(1, answered.first(), terminal + ": the first request was answered");
            assertEquals(taken, answered.last(), terminal + ": the answered STANs are exactly the first " + taken +
                " sent: none in between is missing");
            assertTrue(taken < sent.get(), terminal + ": requests sent after the stop began got no answer: sent=" + sent.get() +
                " answered=" + taken);
            return approved;
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    private Process startSwitch(final Path config, final int port, final int acquirerPort, final int httpPort, final String name)
        throws IOException
    {
        final Path options = CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final ProcessBuilder builder = new ProcessBuilder(
            java, "@" + options, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(),
            "--config", config.toString(),
            "--port", Integer.toString(port),
            "--acquirer-port", Integer.toString(acquirerPort),
            "--http-port", Integer.toString(httpPort),
            "--clock", WireData.CLOCK.toString());
        builder.environment().put("UNICARD_LMK", WireData.LMK_HEX);
        builder.redirectErrorStream(true);
        builder.redirectOutput(log(name).toFile());
        return builder.start();
    }

    private Path log(final String name)
    {
        return directory.resolve("switch-" + name + ".log");
    }
}
