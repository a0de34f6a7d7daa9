package org.unicard.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.listener.ListenerKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.unicard.server.JposTerminal.bread;
import static org.unicard.server.JposTerminal.request;

/**
 * Peers that misbehave on purpose, against a real switch with short listener timeouts: a half frame
 * and a slowloris are closed after the partial-frame timeout while an idle connection stays open; a
 * client that sends without ever reading makes the switch stop reading it (its answered requests
 * stop growing) and is closed after the write-stall timeout; thousands of connect-send-close cycles
 * leak no file descriptor; thousands of idle connections do not slow the others.
 */
class HostilePeersWireTest
{
    private static final long PARTIAL_FRAME_TIMEOUT_MS = 600;
    private static final long WRITE_STALL_TIMEOUT_MS = 1_500;

    @TempDir
    Path directory;

    private UnicardSwitch unicard;
    private JposTerminal terminal;

    @BeforeEach
    void start() throws Exception
    {
        WireData.write(directory);
        final Path config = directory.resolve("hostile.properties");
        Files.writeString(config,
            "listener.partial-frame-timeout-ms = " + PARTIAL_FRAME_TIMEOUT_MS + "\n" +
            "listener.write-stall-timeout-ms = " + WRITE_STALL_TIMEOUT_MS + "\n");
        unicard = UnicardSwitch.start(new SwitchOptions(directory, null, config, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null));
        terminal = new JposTerminal(unicard.terminalPort());
    }

    @AfterEach
    void stop() throws Exception
    {
        terminal.close();
        unicard.close();
    }

    @Test
    void shouldCloseAHalfFrameAfterThePartialFrameTimeoutButKeepAnIdleConnection() throws Exception
    {
        try (Socket idle = connect(); Socket half = connect())
        {
            final byte[] frame = frame(inquiry(1));
            half.getOutputStream().write(frame, 0, 12);
            half.getOutputStream().flush();
            final long sent = System.nanoTime();

            assertEquals(-1, readUntilClosed(half, 5_000), "the half frame's connection is closed");
            final long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertTrue(heldMs >= PARTIAL_FRAME_TIMEOUT_MS - 50, "not closed before the timeout: " + heldMs + " ms");
            assertTrue(heldMs < PARTIAL_FRAME_TIMEOUT_MS + 2_000, "closed soon after the timeout: " + heldMs + " ms");
            assertEquals(1, unicard.listeners().partialFrameTimeouts());

            // Idle for more than twice the partial-frame timeout, without a partial frame: still served.
            Thread.sleep(2 * PARTIAL_FRAME_TIMEOUT_MS);
            assertEquals("00", exchangeRaw(idle, inquiry(2)).getString(39));
            assertEquals(1, unicard.listeners().partialFrameTimeouts());
        }
    }

    @Test
    void shouldCloseASlowlorisThatKeepsSendingBytesOfOneFrame() throws Exception
    {
        try (Socket slow = connect())
        {
            final byte[] frame = frame(inquiry(3));
            final OutputStream out = slow.getOutputStream();
            final long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < frame.length - 1 && !closed; i++)
            {
                try
                {
                    out.write(frame[i]);
                    out.flush();
                }
                catch (final IOException ex)
                {
                    closed = true;
                }
                Thread.sleep(150);
                closed |= slow.getInputStream().available() == 0 && isClosedByPeer(slow);
            }
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(closed, "a byte every 150 ms does not keep a partial frame alive");
            assertTrue(elapsedMs < PARTIAL_FRAME_TIMEOUT_MS + 2_000, "closed " + elapsedMs + " ms after the first byte");
            assertEquals(1, unicard.listeners().partialFrameTimeouts());
        }
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 4)).getString(39));
    }

    @Test
    void shouldStopReadingAClientThatNeverReadsThenCloseItWhileOthersAreServed() throws Exception
    {
        // Eight requests at a time, a millisecond apart: fewer in flight than the per-connection limit, so only
        // the write side (the peer not reading) can make the switch stop reading.
        final byte[] batch = pipelinedInquiries(8, 200);
        final AtomicLong written = new AtomicLong();
        final AtomicBoolean failed = new AtomicBoolean();
        final Socket greedy = new Socket();
        greedy.setReceiveBufferSize(4096);
        greedy.connect(new java.net.InetSocketAddress("127.0.0.1", unicard.terminalPort()));
        final Thread writer = Thread.ofPlatform().daemon().start(() ->
        {
            try
            {
                final OutputStream out = greedy.getOutputStream();
                while (true)
                {
                    out.write(batch);
                    written.addAndGet(batch.length);
                    Thread.sleep(1);
                }
            }
            catch (final IOException ex)
            {
                failed.set(true);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
                try
        {
            // The switch answers until the peer's unread responses pass the high-water mark, then stops reading it.
            long decided = -1;
            long stableSince = System.nanoTime();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && !failed.get())
            {
                final long now = unicard.authorizer().sequence();
                if (now != decided)
                {
                    decided = now;
                    stableSince = System.nanoTime();
                }
                else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(400))
                {
                    break;
                }
                Thread.sleep(20);
            }
            assertTrue(decided > 0, "the switch answered some of the greedy client's requests");
            assertFalse(failed.get(), "the switch stopped reading the greedy client (back-pressure) before any timeout closed it");
            final long writtenWhenPaused = written.get();

            // Meanwhile another terminal is served as usual.
            final long before = System.nanoTime();
            assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 5)).getString(39));
            assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(1), "another connection is answered promptly");

            writer.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue(failed.get(), "the greedy connection is closed after the write-stall timeout");
            assertEquals(1, unicard.listeners().writeStalls());
            assertEquals(0, unicard.listeners().partialFrameTimeouts(), "paused reading is not held against a partial frame");
            assertTrue(written.get() - writtenWhenPaused < 64L << 20, "bytes accepted while paused stay within socket buffers");
            final long after = unicard.authorizer().sequence() - 2;
            assertTrue(after - decided <= 2 * 64, "at most what was in flight was decided after the switch stopped reading: " +
                decided + " then " + after);
        }
        finally
        {
            greedy.close();
            writer.interrupt();
        }
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 6)).getString(39));
    }

    @Test
    void shouldLeakNoDescriptorOverThousandsOfConnectSendCloseCycles() throws Exception
    {
        // The terminal's connection is counted once the switch has accepted it, which an answer proves.
        assertEquals("00", terminal.exchange(inquiry(6)).getString(39));
        final int startConnections = unicard.listeners().openConnections(ListenerKind.TERMINAL);
        assertEquals(1, startConnections);
        final long startDescriptors = openDescriptors();
        final byte[] request = frame(inquiry(7));
        final int cycles = 2_000;
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            try (Socket socket = connect())
            {
                socket.getOutputStream().write(request);
                if (cycle % 3 == 0)
                {
                    // A third read their answer, the rest close with it unread (or still being decided).
                    readFrame(socket.getInputStream());
                }
            }
        }
        awaitConnections(startConnections, 10_000);
        final long endDescriptors = openDescriptors();
        assertTrue(endDescriptors <= startDescriptors + 20,
            "descriptors before " + startDescriptors + ", after " + cycles + " cycles " + endDescriptors);
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 8)).getString(39));
    }

    @Test
    void shouldServeOthersPromptlyWithTwoThousandIdleConnections() throws Exception
    {
        final long[] baseline = latenciesNs(200, 10);
        final int idleCount = 2_000;
        final List<Socket> idle = new ArrayList<>(idleCount);
        try
        {
            for (int i = 0; i < idleCount; i++)
            {
                idle.add(connect());
            }
            awaitConnections(idleCount + 1, 10_000);
            final long[] loaded = latenciesNs(200, 300);
            final long baseMedian = baseline[baseline.length / 2];
            final long loadedMedian = loaded[loaded.length / 2];
            assertTrue(loadedMedian < Math.max(3 * baseMedian, TimeUnit.MILLISECONDS.toNanos(5)),
                "median latency " + loadedMedian / 1000 + " us with " + idleCount + " idle connections, " + baseMedian / 1000 + " us without");
            assertEquals("00", exchangeRaw(idle.get(idleCount - 1), inquiry(9)).getString(39), "an idle connection still works");
        }
        finally
        {
            for (final Socket socket : idle)
            {
                socket.close();
            }
        }
        awaitConnections(1, 10_000);
    }

    private long[] latenciesNs(final int count, final int firstStan) throws Exception
    {
        final long[] latencies = new long[count];
        for (int i = 0; i < count; i++)
        {
            final long start = System.nanoTime();
            assertEquals("00", terminal.exchange(inquiry(firstStan + i)).getString(39));
            latencies[i] = System.nanoTime() - start;
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private void awaitConnections(final int expected, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (unicard.listeners().openConnections(ListenerKind.TERMINAL) != expected)
        {
            if (System.nanoTime() > deadline)
            {
                fail("open terminal connections " + unicard.listeners().openConnections(ListenerKind.TERMINAL) + ", expected " + expected);
            }
            Thread.sleep(20);
        }
    }

    private static long openDescriptors() throws IOException
    {
        try (var files = Files.list(Path.of("/proc/self/fd")))
        {
            return files.count();
        }
    }

    private Socket connect() throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", unicard.terminalPort());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static ISOMsg inquiry(final int stan) throws Exception
    {
        return request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "310000", -1, null, stan);
    }

    private static byte[] frame(final ISOMsg message) throws Exception
    {
        message.setPackager(JposTerminal.packager());
        final byte[] packed = message.pack();
        final byte[] framed = new byte[packed.length + 2];
        framed[0] = (byte)(packed.length >> 8);
        framed[1] = (byte)packed.length;
        System.arraycopy(packed, 0, framed, 2, packed.length);
        return framed;
    }

    private static byte[] pipelinedInquiries(final int count, final int firstStan) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++)
        {
            out.write(frame(inquiry(firstStan + i)));
        }
        return out.toByteArray();
    }

    private static ISOMsg exchangeRaw(final Socket socket, final ISOMsg request) throws Exception
    {
        socket.getOutputStream().write(frame(request));
        socket.getOutputStream().flush();
        final ISOMsg response = new ISOMsg();
        response.setPackager(JposTerminal.packager());
        response.unpack(readFrame(socket.getInputStream()));
        return response;
    }

    private static byte[] readFrame(final InputStream in) throws IOException
    {
        final java.io.DataInputStream data = new java.io.DataInputStream(in);
        final byte[] frame = new byte[data.readUnsignedShort()];
        data.readFully(frame);
        return frame;
    }

    /**
     * @return -1 once the peer closed (end of stream or reset) within the time, else fails.
     */
    private static int readUntilClosed(final Socket socket, final int timeoutMs) throws IOException
    {
        socket.setSoTimeout(timeoutMs);
        try
        {
            return socket.getInputStream().read();
        }
        catch (final SocketTimeoutException ex)
        {
            return fail("not closed within " + timeoutMs + " ms");
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    private static boolean isClosedByPeer(final Socket socket) throws IOException
    {
        socket.setSoTimeout(1);
        try
        {
            return socket.getInputStream().read() == -1;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return true;
        }
        finally
        {
            socket.setSoTimeout(5_000);
        }
    }
}
