package org.unicard.listener;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Connection errors are counted for {@code unicard_connection_errors}, however often they repeat.
 */
class ConnectionErrorsTest
{
    @Test
    void shouldCountEveryConnectionError()
    {
        try (ListenerServer server = new ListenerServer(1, "127.0.0.1", null, null, 64, 10))
        {
            final ListenerSettings terminal = new ListenerSettings(ListenerKind.TERMINAL, 0, true, false);
            final ListenerCounters counters = new ListenerCounters();
            for (int i = 0; i < 1_000; i++)
            {
                server.connectionError(counters, terminal, new IOException("Connection reset by peer"));
            }
            server.connectionError(counters, terminal, new IOException("Broken pipe"));

            assertEquals(1_001, server.connectionErrors());
        }
    }
}
