package org.unicard.cli;

import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

import org.unicard.context.SwitchContext;
import org.unicard.server.HeapEstimate;
import org.unicard.snapshot.DataFilesStamp;
import org.unicard.snapshot.SnapshotFiles;
import org.unicard.snapshot.SnapshotWriter;
import org.unicard.snapshot.StateRecovery;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard snapshot}: loads the newest fitting snapshot (or imports the data set), replays
 * the journal after it up to the record that was last when this command started (the switch may go
 * on appending meanwhile: the journal is opened read-only), writes a new snapshot at a bounded rate,
 * deletes all but the newest few, and exits. {@code serve} runs it periodically as a child process;
 * an operator may run it by hand too, e.g. once after generating a data set so that even the first
 * start skips the import.
 * <p>
 * A heap too small for the data set is refused before anything is loaded ({@link HeapEstimate}).
 * <p>
 * Exit codes: 0 written (or nothing new to write), 1 failed, 3 another snapshot process holds the
 * directory's lock.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = "Write a snapshot of the switch's state: newest snapshot (or import) + journal after it -> new snapshot.")
public final class SnapshotCommand implements Callable<Integer>
{
    /** Exit code when another snapshot process is running on the same directory. */
    public static final int EXIT_LOCKED = 3;

    private static final String LOCK_FILE = "snapshot.lock";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private DataSetOptions dataSet;

    @Option(names = "--rate-mb", paramLabel = "MB/S", description = "Write rate bound in MB/s (default snapshot.write-rate-mb-per-s; 0: none).")
    private Double rateMb;

    @Option(names = "--force", description = "Write a snapshot even when the newest one already includes the whole journal.")
    private boolean force;

    @Override
    public Integer call()
    {
        final PrintWriter err = spec.commandLine().getErr();
        final PrintWriter out = spec.commandLine().getOut();
        try
        {
            final SwitchContext context = dataSet.context().conclude();
            context.checkHeap(Runtime.getRuntime().maxMemory());
            // A missing or malformed LMK is reported before the snapshot directory is created or locked.
            context.localMasterKey();
            final Path directory = context.snapshotDirectory();
            Files.createDirectories(directory);
            try (FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockChannel.tryLock())
            {
                if (lock == null)
                {
                    err.println("unicard snapshot: snapshots=" + directory + " reason=another snapshot process holds " + LOCK_FILE);
                    return EXIT_LOCKED;
                }
                for (final Path unfinished : SnapshotFiles.unfinished(directory))
                {
                    Files.deleteIfExists(unfinished);
                    out.println("event=snapshot-removed-unfinished snapshot=" + unfinished);
                }
                return snapshot(out, err, context);
            }
        }
        catch (final Exception ex)
        {
            err.println("unicard snapshot: " + ex.getMessage());
            return 1;
        }
    }

    /**
     * Recovers the state as the switch would, read-only up to the journal's last record now, and writes it.
     * No journal yet (a data set never served): the snapshot holds the imported state, and saves even the
     * first start its import.
     */
    private int snapshot(final PrintWriter out, final PrintWriter err, final SwitchContext context) throws Exception
    {
        final Path directory = context.snapshotDirectory();
        final long bytesPerSecond = (long)((rateMb != null ? rateMb : context.snapshotSettings().writeRateMbPerS()) * 1_000_000);
        final DataFilesStamp stamp = DataFilesStamp.of(context.dataDirectory());
        final long loadStart = System.nanoTime();
        try (SwitchContext.Recovery recovery = context.recover(SwitchContext.JournalAccess.READ_ONLY,
            new RecoveryProgress(ProgressReporter.forConsole(err))))
        {
            final StateRecovery.Recovered recovered = recovery.state();
            final long loadMs = (System.nanoTime() - loadStart) / 1_000_000;
            if (recovered.snapshot() != null && recovered.replayed() == 0 && !force)
            {
                out.println("event=snapshot-up-to-date snapshot=" + recovered.snapshot() + " records=" + recovered.position().records);
                return 0;
            }
            final long writeStart = System.nanoTime();
            final Path written = SnapshotWriter.write(directory, recovered.data(), recovered.authorizer(), recovered.position(), stamp,
                context.localMasterKey(), bytesPerSecond);
            final long writeMs = (System.nanoTime() - writeStart) / 1_000_000;
            final var pruned = SnapshotFiles.prune(directory, context.snapshotSettings().keep());
            out.println("event=snapshot-written snapshot=" + written + " bytes=" + Files.size(written) + " records=" +
                recovered.position().records + " sequence=" + recovered.authorizer().sequence() + " from=" + recovery.from() +
                " replayed=" + recovered.replayed() + " load-ms=" + recovered.loadNanos() / 1_000_000 + " replay-ms=" +
                recovered.replayNanos() / 1_000_000 + " replay-per-second=" + (long)(recovered.replayed() * 1e9 / Math.max(1, recovered.replayNanos())) + " replay-cpu-ms=" +
                recovered.replayCpuNanos() / 1_000_000 + " replay-per-cpu-second=" +
                (long)(recovered.replayed() * 1e9 / Math.max(1, recovered.replayCpuNanos())) +
                " recover-ms=" + loadMs +
                " write-ms=" + writeMs + " deleted=" + pruned.size());
            out.flush();
            return 0;
        }
    }
}
