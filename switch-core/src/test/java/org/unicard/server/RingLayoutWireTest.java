package org.unicard.server;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unicard.concurrent.SchedulerSlice;
import org.unicard.concurrent.SchedulerSliceTest;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.journal.ChronicleJournal;
import org.unicard.ring.SwitchRing;
import org.unicard.security.Hex;
import org.unicard.security.TdesKey;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every ring layout ({@code ring.threads}) and wait strategy answers pipelined traffic completely,
 * in order and with the authorizer's decisions, and journals every request before answering it.
 */
class RingLayoutWireTest
{
    private static final int REQUESTS = 600;
    private static final int BATCH = 40;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "ring.threads={0} ring.wait-strategy={1} listener.io-threads={2}")
    @CsvSource({"shared, backoff, 1", "shared, backoff, 2", "1, backoff, 1", "2, backoff, 1", "4, backoff, 1", "2, sleeping, 1",
        "4, blocking, 1", "auto, backoff, 1"})
    void shouldAnswerPipelinedRequestsInOrderInEveryLayout(final String threads, final String waitStrategy, final int ioThreads)
        throws Exception
    {
        WireData.write(directory);
        final Path config = directory.resolve("ring.properties");
        Files.writeString(config, "ring.threads = " + threads + "\nring.wait-strategy = " + waitStrategy + "\nlistener.io-threads = " +
            ioThreads + "\n");
        final Path journalDirectory = directory.resolve("journal");
        final List<int[]> answers = new ArrayList<>();
        final CountDownLatch all = new CountDownLatch(REQUESTS);
        try (UnicardSwitch unicard = UnicardSwitch.start(
            new SwitchOptions(directory, journalDirectory, config, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null));
            Socket socket = new Socket("127.0.0.1", unicard.terminalPort()))
        {
            socket.setTcpNoDelay(true);
            Thread.ofPlatform().name("ring-layout-answers").daemon().start(() -> receive(socket, answers, all));
            final OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            final RequestBuilder builder = new RequestBuilder();
            final TerminalRequest request = new TerminalRequest();
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
            final TdesKey macKey = TdesKey.of(Hex.parseKey(WireData.TAK_HEX));
            final TdesKey pinKey = TdesKey.of(Hex.parseKey(WireData.TPK_HEX));
            for (int stan = 1; stan <= REQUESTS; stan++)
            {
                WireData.grocerRequest(request, stan, stan % 2 == 1, macKey, pinKey);
                out.write(frame.byteArray(), 0, builder.build(request, frame));
                if (stan % BATCH == 0)
                {
                    out.flush();
                    // Stay within the switch's in-flight limit per connection (64 by default): at most
                    // 64 - BATCH outstanding before the next batch goes (else some would be answered 91).
                    while (all.getCount() > REQUESTS - stan + (64 - BATCH))
                    {
                        Thread.onSpinWait();
                    }
                }
            }
            out.flush();
            assertTrue(all.await(20, TimeUnit.SECONDS), "answers received: " + (REQUESTS - all.getCount()));
            if ("shared".equals(threads) && ioThreads == 1)
            {
                assertEquals(0, unicard.listeners().outboundRingsAllocated(),
                    "the reply stage on the connection's own loop writes the responses itself: no outbound ring");
                final long writesNs = unicard.ring().eventLoopWritesNs();
                assertTrue(writesNs > 0 && writesNs <= unicard.ring().eventLoopStagesNs(),
                    "the writes are timed, as part of the stages: writes=" + writesNs + " stages=" + unicard.ring().eventLoopStagesNs());
            }
            else if (!"shared".equals(threads) && !"auto".equals(threads))
            {
                assertTrue(unicard.listeners().outboundRingsAllocated() > 0, "a ring thread hands responses over through an outbound ring");
                assertEquals(-1, unicard.ring().eventLoopWritesNs(), "ring threads: the loops write on their own");
                assertRingThreadsOnTheShortSlice(Integer.parseInt(threads));
            }
        }

        assertEquals(REQUESTS, answers.size());
        for (int i = 0; i < REQUESTS; i++)
        {
            assertEquals(i + 1, answers.get(i)[0], "answers come back in the order the requests were sent");
            assertEquals(0, answers.get(i)[1], "response code of STAN " + (i + 1));
        }
        try (ChronicleJournal journal = ChronicleJournal.open(journalDirectory))
        {
            assertEquals(2 + REQUESTS, journal.records(), "genesis, rules, and one record per request");
        }
    }

    /** Reads length-prefixed answers until the socket closes: STAN and response code of each, in order. */
    private static void receive(final Socket socket, final List<int[]> answers, final CountDownLatch all)
    {
        final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY);
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        try
        {
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true)
            {
                final byte[] message = new byte[in.readUnsignedShort()];
                in.readFully(message);
                view.wrap(message);
                reader.wrap(view, 0, message.length);
                synchronized (answers)
                {
                    answers.add(new int[]{(int)reader.numeric(11), (reader.charAt(39, 0) - '0') * 10 + (reader.charAt(39, 1) - '0')});
                }
                all.countDown();
            }
        }
        catch (final IOException ex)
        {
            // The switch closed the connection, or the test did: the count of answers tells.
        }
    }

    /** Each of the ring's own threads asked for the request path's slice as it started (where the kernel takes one). */
    private static void assertRingThreadsOnTheShortSlice(final int threads) throws Exception
    {
        if (!SchedulerSliceTest.customSlices())
        {
            return;
        }
        // Linux keeps the first 15 characters of a thread's name ("unicard-authori").
        final List<String> names = Stream.of(SwitchRing.threadNames(threads)).map(name -> name.substring(0, Math.min(15, name.length())))
            .toList();
        int found = 0;
        for (final File task : new File("/proc/self/task").listFiles())
        {
            final String name = Files.readString(task.toPath().resolve("comm")).trim();
            if (names.contains(name))
            {
                found++;
                assertEquals(SchedulerSlice.DEFAULT_MICROS * 1_000L, SchedulerSlice.sliceNanosOf(task.toPath()), name + " se.slice, ns");
            }
        }
        // At least: a stopping ring of an earlier case may still show its threads for a moment.
        assertTrue(found >= names.size(), "ring threads " + names + " found " + found);
    }
}
