package org.unicard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.bread;
import static org.unicard.server.JposTerminal.request;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection (issue 12, item 3): an exception inside the authorizer must never leave the
 * in-memory state ahead of the journal. The switch stops deciding (sticky 96, as on a journal
 * failure), and a restart replays the journal, which holds nothing of the faulted request, and
 * serves again with exact balances.
 * <p>
 * The fault is an operator command the authorizer does not know: it throws after taking a sequence
 * number, the half-changed state a bug would leave.
 */
class AuthorizerFaultTest
{
    private static final byte NO_SUCH_COMMAND = 99;
    /** Two bread individuals in the wire data set's small household, 5 loaves each. */
    private static final long HEAD_BREAD_LOAVES_A_DAY = 10;

    @TempDir
    Path directory;

    @Test
    void shouldStopDecidingAfterAnAuthorizerFaultAndReplayCleanlyOnRestart() throws Exception
    {
        WireData.write(directory);
        try (UnicardSwitch unicard = start(); JposTerminal terminal = new JposTerminal(unicard.terminalPort()))
        {
            assertEquals("00", terminal.exchange(bread(WireData.HEAD, 3, 1)).getString(39));

            final ExecutionException fault = assertThrows(ExecutionException.class, () -> unicard
                .command(NO_SUCH_COMMAND, Long.parseLong(WireData.HEAD), WireData.HEAD.length()).get(10, TimeUnit.SECONDS));
            assertTrue(fault.getCause() instanceof IllegalArgumentException, fault.toString());

            assertTrue(unicard.journalHealth().failed(), "the switch must stop deciding after an authorizer fault");
            assertTrue(unicard.journalHealth().reason().startsWith("authorizer fault: "), unicard.journalHealth().reason());
            assertEquals("96", terminal.exchange(bread(WireData.HEAD, 2, 2)).getString(39));
            assertEquals("96", terminal.exchange(bread(WireData.HEAD, 1, 3)).getString(39));
        }

        try (UnicardSwitch unicard = start(); JposTerminal terminal = new JposTerminal(unicard.terminalPort()))
        {
            final ISOMsg inquiry = terminal.exchange(
                request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "310000", -1, null, 4));
            assertEquals("00", inquiry.getString(39));
            final String balances = inquiry.getString(54);
            final int bread = balances.indexOf("9202999C");
            assertTrue(bread >= 0, balances);
            assertEquals(HEAD_BREAD_LOAVES_A_DAY - 3, Long.parseLong(balances.substring(bread + 8, bread + 20)),
                "only the approval before the fault is kept");
            assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 5)).getString(39));
        }
    }

    private UnicardSwitch start() throws Exception
    {
        return UnicardSwitch.start(new SwitchOptions(directory, null, null, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null));
    }
}
