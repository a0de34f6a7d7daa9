package org.unicard.benchmarks.torture;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the crash torture small: 300 households, 4 connections x 8 in flight, 5 kill -9 and
 * restarts of the real switch, 2 of them (kills 3 and 5) during the start-up replay; every
 * unanswered request is answered after the last restart, answered ones are answered alike again,
 * and every touched household's ration is exact.
 */
class CrashTortureTest
{
    @TempDir
    Path directory;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldAccountEveryPurchaseExactlyOnceAcrossFiveKillNinesTwoDuringReplay() throws Exception
    {
        final CrashTorture.Result result = new CrashTorture(
            new CrashTorture.Options(5, 2, 4, 8, 300, 42, directory), System.out).run();
        assertNull(result.firstFailure());
        assertTrue(result.passed());
        assertTrue(result.sent() > 100, "load was sent: " + result.sent());
        assertTrue(result.approved() > 0, "purchases were approved");
        assertTrue(result.retransmittedUnanswered() > 0, "the kills left requests in flight");
        assertTrue(result.replayKills() >= 1, "a kill landed in a start-up replay: " + result.replayKills());
    }

    @Test
    void shouldReadTheRationBalanceFromTheOperatorApisJson()
    {
        assertEquals(4_250, CrashTorture.rationBalance("{\"pan\":\"6000******1234\",\"status\":\"collected\",\"balances\":" +
            "{\"wallet_piasters\":5,\"ration_piasters\":4250}}").longValue());
        assertEquals(-10, CrashTorture.rationBalance("{\"balances\": {\"ration_piasters\" : -10}}").longValue());
        assertNull(CrashTorture.rationBalance("{\"ration_piasters\":4250}"), "not under balances");
        assertNull(CrashTorture.rationBalance("{\"balances\":{\"ration_piasters\":\"4250\"}}"), "a string, not a number");
        assertNull(CrashTorture.rationBalance("{\"balances\":{\"ration_piasters\":42"), "truncated");
        assertNull(CrashTorture.rationBalance("unauthorized"), "not JSON");
    }
}
