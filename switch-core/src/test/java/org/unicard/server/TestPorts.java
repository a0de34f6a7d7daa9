package org.unicard.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free TCP ports for a switch started by a test. A port is found by binding port 0 and closing the
 * socket, so the kernel may hand the same port out again to the next such call; a switch given one port
 * twice (terminal and acquirer listener) fails to start with "Address already in use". This remembers
 * every port it has handed out in this JVM and never hands one out twice.
 */
final class TestPorts
{
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private TestPorts()
    {
    }

    /**
     * @return a port that was free a moment ago and that no earlier call in this JVM returned.
     */
    static synchronized int free()
    {
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int port;
            try (ServerSocket socket = new ServerSocket(0))
            {
                port = socket.getLocalPort();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            if (HANDED_OUT.add(port))
            {
                return port;
            }
        }
        throw new IllegalStateException("no free port not handed out before in 1,000 tries");
    }
}
