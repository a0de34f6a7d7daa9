package org.unicard.terminal;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports for a switch (or cluster member) that a test or a tool starts as a child process.
 *
 * <p>A port found by binding port 0 comes from the kernel's ephemeral range, the range it also takes
 * the local port of every outgoing connection from. Between the moment it is found and the moment the
 * child binds it, any connection on the machine may take it, and the next bind of port 0 may return it
 * again: the child then fails with "Address already in use" (it happened in CI, on a cluster member).
 * So ports are handed out from below the ephemeral range, where only an explicit bind can take a port,
 * each checked free for TCP and UDP (cluster members use UDP), and never twice in one JVM. Where the
 * machine leaves too little room below its ephemeral range, ports come from binding port 0, still never
 * twice.
 */
public final class LocalPorts
{
    /** The lowest port handed out: above the ports daemons usually take. */
    static final int LOWEST = 10_000;
    /** The low end of Linux's default ephemeral range, for a machine that does not tell its own. */
    static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int MIN_ROOM = 1_000;

    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final int CEILING = ephemeralLow(EPHEMERAL_RANGE);
    /** Where the next search starts: a different place in each JVM, so that two test JVMs at once seldom look at the same ports. */
    private static int cursor = LOWEST + (int)Math.floorMod(ProcessHandle.current().pid() * 7_919 + System.nanoTime(), (long)room(CEILING));

    private LocalPorts()
    {
    }

    /**
     * @return a port free for TCP and UDP a moment ago, below the ephemeral range, that no earlier call in this JVM returned.
     */
    public static int free()
    {
        return block(1);
    }

    /**
     * @param count how many consecutive ports.
     * @return the first of {@code count} consecutive ports, each as {@link #free()} describes.
     */
    public static synchronized int block(final int count)
    {
        if (count < 1 || count > 1_000)
        {
            throw new IllegalArgumentException("count " + count + " not in 1..1000");
        }
        if (room(CEILING) < MIN_ROOM)
        {
            return ephemeralBlock(count);
        }
        for (int attempt = 0; attempt < room(CEILING); attempt++)
        {
            if (cursor + count > CEILING)
            {
                cursor = LOWEST;
            }
            final int first = cursor;
            cursor += count;
            if (allFree(first, count))
            {
                return handOut(first, count);
            }
        }
        throw new IllegalStateException("no " + count + " free consecutive ports in " + LOWEST + ".." + (CEILING - 1));
    }

    /**
     * @return the low end of the kernel's ephemeral range as the file gives it, or {@link #DEFAULT_EPHEMERAL_LOW}.
     */
    static int ephemeralLow(final Path rangeFile)
    {
        try
        {
            final String[] bounds = Files.readString(rangeFile).trim().split("\\s+");
            return Integer.parseInt(bounds[0]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    private static int room(final int ceiling)
    {
        return Math.max(1, ceiling - LOWEST);
    }

    private static boolean allFree(final int first, final int count)
    {
        for (int port = first; port < first + count; port++)
        {
            if (HANDED_OUT.contains(port) || !bindable(port))
            {
                return false;
            }
        }
        return true;
    }

    /** Records {@code count} ports from {@code first} as handed out, and returns {@code first}. */
    private static int handOut(final int first, final int count)
    {
        for (int port = first; port < first + count; port++)
        {
            HANDED_OUT.add(port);
        }
        return first;
    }

    static boolean bindable(final int port)
    {
        try (ServerSocket tcp = new ServerSocket();
            DatagramSocket udp = new DatagramSocket(null))
        {
            tcp.bind(new InetSocketAddress(port));
            udp.bind(new InetSocketAddress(port));
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static int ephemeralBlock(final int count)
    {
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int first;
            try (ServerSocket socket = new ServerSocket(0))
            {
                first = socket.getLocalPort();
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot bind a TCP socket", ex);
            }
            if (first + count <= 65_536 && allFree(first, count))
            {
                return handOut(first, count);
            }
        }
        throw new IllegalStateException("no " + count + " free consecutive ports in 1,000 tries");
    }
}
