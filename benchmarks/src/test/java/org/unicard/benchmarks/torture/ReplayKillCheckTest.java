package org.unicard.benchmarks.torture;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ReplayKillCheck} on the health bodies and log lines the switch really produces: a kill
 * counts as landed in the replay only when health said {@code replaying} and the log shows no end
 * of the recovery. The earlier check ("{@code event=imported} but no {@code event=replayed}", a
 * line the switch no longer prints) counted every kill after the import as landed, including kills
 * after the switch was ready.
 */
class ReplayKillCheckTest
{
    private static final String IMPORTED =
        "2026-12-03T00:30:01.100Z [main] INFO StateRecovery - event=imported data=/t/data households=300 cards=610 terminals=22 acquirers=3 ms=140\n";
    private static final String RECOVERED =
        "2026-12-03T00:30:01.480Z [main] INFO UnicardSwitch - event=recovered from=import journal=/t/data/journal records=5012 replayed=5012 "
            + "sequence=5010 ms=520\n";
    private static final String READY =
        "2026-12-03T00:30:01.700Z [main] INFO UnicardSwitch - event=ready terminal-port=40001 acquirer-port=40002 http-port=40003 operator-api=on\n";

    @Test
    void shouldCountAKillAsInTheReplayWhenHealthSaidReplayingAndTheRecoveryHadNotEnded()
    {
        assertEquals(ReplayKillCheck.Verdict.IN_REPLAY, ReplayKillCheck.verdict("replaying journal=/t/data/journal records=2048", IMPORTED));
    }

    @Test
    void shouldNotCountAKillWhileImportingThoughTheLogHasImportedAndNoReplayEnd()
    {
        assertEquals(ReplayKillCheck.Verdict.BEFORE_REPLAY, ReplayKillCheck.verdict("importing from=/t/data", IMPORTED));
    }

    @Test
    void shouldNotCountAKillWhenHealthNeverAnsweredBeforeIt()
    {
        assertEquals(ReplayKillCheck.Verdict.BEFORE_REPLAY, ReplayKillCheck.verdict(null, ""));
    }

    @Test
    void shouldNotCountAKillAfterTheRecoveryEndedThoughHealthHadSaidReplaying()
    {
        assertEquals(ReplayKillCheck.Verdict.AFTER_REPLAY,
            ReplayKillCheck.verdict("replaying journal=/t/data/journal records=4096", IMPORTED + RECOVERED));
    }

    @Test
    void shouldNotCountAKillOnceTheSwitchWasReady()
    {
        assertEquals(ReplayKillCheck.Verdict.AFTER_REPLAY, ReplayKillCheck.verdict("ready", IMPORTED + RECOVERED + READY));
        assertEquals(ReplayKillCheck.Verdict.AFTER_REPLAY, ReplayKillCheck.verdict("ready", IMPORTED));
    }

    @Test
    void shouldNotCountAKillAfterASnapshotLoadAndItsReplay()
    {
        assertEquals(ReplayKillCheck.Verdict.AFTER_REPLAY, ReplayKillCheck.verdict("replaying journal=/t/data/journal",
            "2026-12-03T00:30:01.480Z [main] INFO StateRecovery - event=snapshot-loaded snapshot=/t/s records=9 replayed=2 load-ms=5 replay-ms=3\n"));
    }

    @Test
    void shouldReadTheReplayTimeAsTheRecoveryLessTheImport()
    {
        assertEquals(380, ReplayKillCheck.replayMs(IMPORTED + RECOVERED + READY));
    }

    @Test
    void shouldReadTheReplayTimeOfASnapshotStartFromItsLine()
    {
        assertEquals(3, ReplayKillCheck.replayMs(
            "x INFO StateRecovery - event=snapshot-loaded snapshot=/t/s records=9 replayed=2 load-ms=5 replay-ms=3\n" + RECOVERED));
    }

    @Test
    void shouldNotKnowTheReplayTimeOfAnUnfinishedStart()
    {
        assertEquals(-1, ReplayKillCheck.replayMs(IMPORTED));
    }
}
