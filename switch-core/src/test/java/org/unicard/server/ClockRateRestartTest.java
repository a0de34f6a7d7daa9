package org.unicard.server;

import java.nio.file.Path;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.context.SwitchContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.bread;

/**
 * A switch restarted on its journal with another {@code --clock-rate} (and the same {@code --clock})
 * is accepted, and its business time resumes from the journal's last one: never behind it.
 */
class ClockRateRestartTest
{
    private static final long FAST_RATE = 10_000;

    @TempDir
    Path directory;

    @Test
    void shouldAcceptARestartWithAnotherRateAndStayMonotonic() throws Exception
    {
        WireData.write(directory);
        final Path config = WireData.writeSnapshotTestConfig(directory);
        final long lastAfterFastRun;
        try (UnicardSwitch fast = start(config, FAST_RATE))
        {
            assertEquals(FAST_RATE, fast.clock().rate());
            try (JposTerminal terminal = new JposTerminal(fast.terminalPort()))
            {
                assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 1)).getString(39));
                Thread.sleep(200);
                assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 2)).getString(39));
            }
            lastAfterFastRun = fast.authorizer().lastTimeMs();
            assertTrue(lastAfterFastRun >= WireData.CLOCK.toEpochMilli() + 200 * FAST_RATE,
                "200 ms real at 10,000x is over half an hour of business time: last=" + lastAfterFastRun);
        }
        for (final long rate : new long[] {1, 3})
        {
            try (UnicardSwitch restarted = start(config, rate))
            {
                assertEquals(rate, restarted.clock().rate());
                final long resumedMs = restarted.clock().nowMs();
                assertTrue(resumedMs >= lastAfterFastRun, "rate=" + rate + " resumed=" + resumedMs + " last=" + lastAfterFastRun);
                try (JposTerminal terminal = new JposTerminal(restarted.terminalPort()))
                {
                    final ISOMsg answer = terminal.exchange(bread(WireData.HEAD, 1, (int)(10 + rate)));
                    assertEquals("00", answer.getString(39));
                }
                assertTrue(restarted.authorizer().lastTimeMs() >= lastAfterFastRun);
            }
        }
    }

    private UnicardSwitch start(final Path config, final long rate) throws Exception
    {
        final SwitchContext context = new SwitchOptions(directory, null, config, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null)
            .context().clockRate(rate);
        return UnicardSwitch.start(context, UnicardSwitch.StartListener.NONE);
    }
}
