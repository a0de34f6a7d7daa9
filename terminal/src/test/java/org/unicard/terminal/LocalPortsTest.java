package org.unicard.terminal;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalPortsTest
{
    @TempDir
    Path directory;

    @Test
    void shouldHandOutPortsBelowTheEphemeralRangeNeverTwiceAndBindableForTcpAndUdp() throws IOException
    {
        final int ceiling = LocalPorts.ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        final Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++)
        {
            final int port = LocalPorts.free();
            assertTrue(seen.add(port), "handed out twice: " + port);
            if (ceiling - LocalPorts.LOWEST >= 1_000)
            {
                assertTrue(port >= LocalPorts.LOWEST && port < ceiling, port + " not in " + LocalPorts.LOWEST + ".." + (ceiling - 1));
            }
        }
        final int port = LocalPorts.free();
        try (ServerSocket tcp = new ServerSocket();
            DatagramSocket udp = new DatagramSocket(null))
        {
            tcp.bind(new InetSocketAddress(port));
            udp.bind(new InetSocketAddress(port));
        }
    }

    @Test
    void shouldHandOutABlockOfConsecutivePortsThatOverlapsNoOtherPortHandedOut()
    {
        final int single = LocalPorts.free();
        final int first = LocalPorts.block(30);
        final int second = LocalPorts.block(30);
        assertTrue(single < first || single >= first + 30, single + " inside the block at " + first);
        assertTrue(second >= first + 30 || second + 30 <= first, "blocks at " + first + " and " + second + " overlap");
        assertThrows(IllegalArgumentException.class, () -> LocalPorts.block(0));
    }

    @Test
    void shouldNotCallAPortWithAListenerOnItFree() throws IOException
    {
        try (ServerSocket taken = new ServerSocket(0))
        {
            assertFalse(LocalPorts.bindable(taken.getLocalPort()));
        }
    }

    @Test
    void shouldReadTheLowEndOfTheEphemeralRangeOrAssumeLinuxsDefault() throws IOException
    {
        final Path range = directory.resolve("ip_local_port_range");
        Files.writeString(range, "40000\t60999\n");
        assertEquals(40_000, LocalPorts.ephemeralLow(range));
        Files.writeString(range, "garbage\n");
        assertEquals(LocalPorts.DEFAULT_EPHEMERAL_LOW, LocalPorts.ephemeralLow(range));
        assertEquals(LocalPorts.DEFAULT_EPHEMERAL_LOW, LocalPorts.ephemeralLow(directory.resolve("absent")));
    }
}
