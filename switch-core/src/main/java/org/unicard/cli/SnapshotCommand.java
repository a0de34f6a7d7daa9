package org.unicard.cli;

import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.unicard.config.ProgramRules;
import org.unicard.config.Settings;
import org.unicard.config.SwitchSettings;
import org.unicard.journal.ChronicleJournal;
import org.unicard.security.TdesKey;
import org.unicard.server.HeapEstimate;
import org.unicard.server.UnicardSwitch;
import org.unicard.snapshot.DataFilesStamp;
import org.unicard.snapshot.SnapshotFiles;
import org.unicard.snapshot.SnapshotSettings;
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

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data directory (households.csv, cards.csv, ...).")
    private Path data;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default DATA/journal).")
    private Path journal;

    @Option(names = "--snapshots", paramLabel = "DIR", description = "Snapshot directory (default snapshot.directory, else DATA/snapshots).")
    private Path snapshots;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration overriding config/unicard.properties (as serve's).")
    private Path config;

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
            final Properties properties = Settings.load(config);
            final String source = config == null ? "defaults" : config.toString();
            final ProgramRules rules = ProgramRules.from(properties, source);
            final SwitchSettings settings = SwitchSettings.from(properties, source);
            final SnapshotSettings snapshotSettings = SnapshotSettings.from(properties, source);
            HeapEstimate.of(data, settings).check(Runtime.getRuntime().maxMemory());
            final TdesKey lmk = UnicardSwitch.localMasterKey(null, settings);
            final Path directory = snapshots != null ? snapshots : snapshotSettings.directoryFor(data);
            final Path journalDirectory = journal != null ? journal : data.resolve("journal");
            final long bytesPerSecond = (long)((rateMb != null ? rateMb : snapshotSettings.writeRateMbPerS()) * 1_000_000);
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
                return snapshot(out, err, rules, settings, snapshotSettings, lmk, directory, journalDirectory, bytesPerSecond);
            }
        }
        catch (final Exception ex)
        {
            err.println("unicard snapshot: " + ex.getMessage());
            return 1;
        }
    }

    private int snapshot(
        final PrintWriter out,
        final PrintWriter err,
        final ProgramRules rules,
        final SwitchSettings settings,
        final SnapshotSettings snapshotSettings,
        final TdesKey lmk,
        final Path directory,
        final Path journalDirectory,
        final long bytesPerSecond) throws Exception
    {
        final DataFilesStamp stamp = DataFilesStamp.of(data);
        // No journal yet (a data set never served): the snapshot holds the imported state, and saves even the first start its import.
        try (ChronicleJournal opened = Files.isDirectory(journalDirectory) ? ChronicleJournal.openReadOnly(journalDirectory) : null)
        {
            final long endIndex = opened == null ? -1 : opened.lastIndex();
            final ProgressReporter progress = ProgressReporter.forConsole(err);
            final long loadStart = System.nanoTime();
            final StateRecovery.Recovered recovered = StateRecovery.recover(
                new StateRecovery.Inputs(data, lmk, rules, settings.duplicateWindowCapacity(), settings.spendLedgerCapacity(), directory),
                opened, endIndex, new StateRecovery.Listener()
                {
                    @Override
                    public void onProgress(final String fileName, final long rowsRead, final long rowsTotal)
                    {
                        progress.update("import " + fileName, "rows", rowsRead, rowsTotal);
                    }

                    @Override
                    public void onSnapshotBytes(final long read, final long total)
                    {
                        progress.update("load snapshot", "bytes", read, total);
                    }

                    @Override
                    public void onReplay(final long replayed, final long total)
                    {
                        progress.update("replay", "records", replayed, Math.max(total, replayed));
                    }
                });
            final long loadMs = (System.nanoTime() - loadStart) / 1_000_000;
            if (recovered.snapshot() != null && recovered.replayed() == 0 && !force)
            {
                out.println("event=snapshot-up-to-date snapshot=" + recovered.snapshot() + " records=" + recovered.position().records);
                return 0;
            }
            final long writeStart = System.nanoTime();
            final Path written = SnapshotWriter.write(directory, recovered.data(), recovered.authorizer(), recovered.position(), stamp, lmk,
                bytesPerSecond);
            final long writeMs = (System.nanoTime() - writeStart) / 1_000_000;
            final var pruned = SnapshotFiles.prune(directory, snapshotSettings.keep());
            out.println("event=snapshot-written snapshot=" + written + " bytes=" + Files.size(written) + " records=" +
                recovered.position().records + " sequence=" + recovered.authorizer().sequence() + " from=" +
                (recovered.snapshot() != null ? recovered.snapshot() : "import") + " replayed=" + recovered.replayed() + " load-ms=" + recovered.loadNanos() / 1_000_000 + " replay-ms=" +
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
