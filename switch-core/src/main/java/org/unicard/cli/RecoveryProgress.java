package org.unicard.cli;

import org.unicard.server.UnicardSwitch;
import org.unicard.snapshot.StateRecovery;

/**
 * The start-up's progress on standard error, next to the log, for {@code serve} (through
 * {@link UnicardSwitch#start}) and {@code snapshot} (through the recovery itself) alike: the import
 * file by file, the snapshot load in bytes, the replay in records.
 *
 * @param progress where the lines go.
 */
record RecoveryProgress(ProgressReporter progress) implements UnicardSwitch.StartListener, StateRecovery.Listener
{
    @Override
    public void onPhase(final String phase, final String detail)
    {
    }

    @Override
    public void onProgress(final String fileName, final long rowsRead, final long rowsTotal)
    {
        progress.update("import " + fileName, "rows", rowsRead, rowsTotal);
    }

    @Override
    public void onSnapshot(final long read, final long total)
    {
        progress.update("load snapshot", "bytes", read, total);
    }

    @Override
    public void onSnapshotBytes(final long read, final long total)
    {
        onSnapshot(read, total);
    }

    @Override
    public void onReplay(final long replayed, final long total)
    {
        progress.update("replay", "records", replayed, Math.max(total, replayed));
    }
}
