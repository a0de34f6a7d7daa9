package org.unicard.benchmarks.torture;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, from what the switch really exposes, whether a SIGKILL landed during its start-up
 * replay of the journal: the {@code /health} body seen last before the kill and the killed
 * switch's log.
 * <ul>
 *   <li>{@code /health} answers 503 {@code replaying journal=DIR [records=N]} from the moment
 *       {@code StateRecovery} starts replaying ({@code Readiness} phase {@code replaying}); before
 *       that {@code starting}, {@code loading-snapshot} or {@code importing}, after it 200
 *       {@code ready}.</li>
 *   <li>The log has no line when the replay starts; it has one when it has ended:
 *       {@code event=recovered … ms=} ({@code UnicardSwitch}, after the import or snapshot and the
 *       replay), preceded by {@code event=imported … ms=} after an import or
 *       {@code event=snapshot-loaded … replay-ms=} after a snapshot, and followed by
 *       {@code event=ready}.</li>
 * </ul>
 * A kill landed in the replay when health said {@code replaying} before it and the log shows no
 * end of the recovery: the replay had begun and had not finished. slf4j-simple flushes each log
 * line to the child's standard error as it writes it, so a SIGKILL loses none already written.
 */
final class ReplayKillCheck
{
    /** The {@code /health} phase while the journal is replayed. */
    static final String REPLAYING = "replaying";

    private static final Pattern IMPORTED_MS = Pattern.compile("event=imported .*? ms=(\\d+)");
    private static final Pattern RECOVERED_MS = Pattern.compile("event=recovered .*? ms=(\\d+)");
    private static final Pattern SNAPSHOT_REPLAY_MS = Pattern.compile("event=snapshot-loaded .*? replay-ms=(\\d+)");

    /** Where a kill landed, with respect to the start-up replay. */
    enum Verdict
    {
        /** Health never said {@code replaying} before the kill: killed while starting or loading. */
        BEFORE_REPLAY,
        /** Health said {@code replaying} and the log shows no end of the recovery. */
        IN_REPLAY,
        /** The log shows the recovery had ended (or health said ready) before the kill. */
        AFTER_REPLAY
    }

    private ReplayKillCheck()
    {
    }

    /**
     * @param healthBeforeKill the last {@code /health} body read before the kill (200 bodies included),
     *                         or {@code null} when none was read.
     * @param log              the killed switch's whole log.
     * @return where the kill landed.
     */
    static Verdict verdict(final String healthBeforeKill, final String log)
    {
        if (recoveryEnded(log) || healthBeforeKill != null && healthBeforeKill.startsWith("ready"))
        {
            return Verdict.AFTER_REPLAY;
        }
        return healthBeforeKill != null && healthBeforeKill.startsWith(REPLAYING) ? Verdict.IN_REPLAY : Verdict.BEFORE_REPLAY;
    }

    /**
     * @param log a switch's log.
     * @return whether it says the recovery (import or snapshot, then replay) has ended.
     */
    static boolean recoveryEnded(final String log)
    {
        return log.contains("event=recovered ") || log.contains("event=snapshot-loaded ") || log.contains("event=ready ");
    }

    /**
     * How long a finished start-up's replay took, from its log: {@code replay-ms} of
     * {@code event=snapshot-loaded}, else the recovery's {@code ms} less the import's.
     *
     * @param log a switch's log.
     * @return milliseconds, or -1 when the log does not tell.
     */
    static long replayMs(final String log)
    {
        final Matcher snapshot = SNAPSHOT_REPLAY_MS.matcher(log);
        if (snapshot.find())
        {
            return Long.parseLong(snapshot.group(1));
        }
        final Matcher imported = IMPORTED_MS.matcher(log);
        final Matcher recovered = RECOVERED_MS.matcher(log);
        if (imported.find() && recovered.find())
        {
            return Math.max(0, Long.parseLong(recovered.group(1)) - Long.parseLong(imported.group(1)));
        }
        return -1;
    }
}
