package org.unicard.snapshot;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.security.LocalMasterKey;

/**
 * Starts {@code unicard snapshot} as a separate, niced child process from {@code serve} when
 * enough journal records were appended or enough time passed ({@link SnapshotSettings}), one at a
 * time. The live switch never pauses and never writes a snapshot itself: the child reads the data
 * files, the newest snapshot and the journal on its own, in its own memory.
 * <p>
 * The child gets the parent's JVM options (heap size, the module flags of {@code bin/jvm.options};
 * profiling agents and flight recordings are left out), class path, configuration file, and the
 * LMK through its environment (never on its command line). Its output goes to the parent's. A
 * child still running when the switch stops is left to finish: a snapshot is written completely
 * or, if the child dies, left as a {@code .tmp} that every reader ignores.
 */
public final class SnapshotScheduler implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotScheduler.class);
    private static final long CHECK_EVERY_MS = 5_000;

    private final SnapshotSettings settings;
    private final List<String> command;
    private final Map<String, String> environment;
    private final LongSupplier appended;
    private final ScheduledExecutorService timer;
    private long appendedAtLastStart;
    private long lastStartNs = System.nanoTime();
    private Process child;
    private int started;

    /**
     * @param settings    when to start a snapshot.
     * @param command     the child's command line ({@link #childCommand}).
     * @param environment added to the child's environment.
     * @param appended    journal records appended by the switch so far.
     */
    public SnapshotScheduler(
        final SnapshotSettings settings, final List<String> command, final Map<String, String> environment, final LongSupplier appended)
    {
        this.settings = settings;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.appended = appended;
        timer = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "snapshot-scheduler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Checks every few seconds whether a snapshot is due; does nothing when both triggers are off.
     */
    public void start()
    {
        if (settings.periodic())
        {
            timer.scheduleWithFixedDelay(this::check, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
            LOG.info("event=snapshot-schedule interval-records={} interval-minutes={} write-rate-mb-per-s={}",
                settings.intervalRecords(), settings.intervalMinutes(), settings.writeRateMbPerS());
        }
    }

    /**
     * @param snapshotDirectory the snapshot directory.
     * @param dataDirectory     the data directory.
     * @param journalDirectory  the journal directory.
     * @param configFile        the configuration file, or {@code null}.
     * @param nice              niceness, 0 for none.
     * @return the command line of a snapshot process run with this JVM's options and class path.
     */
    public static List<String> childCommand(
        final Path snapshotDirectory, final Path dataDirectory, final Path journalDirectory, final Path configFile, final int nice)
    {
        final List<String> command = new ArrayList<>();
        if (nice > 0 && (Files.isExecutable(Path.of("/usr/bin/nice")) || Files.isExecutable(Path.of("/bin/nice"))))
        {
            command.add("nice");
            command.add("-n");
            command.add(Integer.toString(nice));
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (!argument.startsWith("-agent") && !argument.startsWith("-javaagent") && !argument.startsWith("-XX:StartFlightRecording") &&
                !argument.startsWith("-XX:FlightRecorderOptions") && !argument.startsWith("-Xrunjdwp"))
            {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.unicard.cli.UnicardMain");
        command.add("snapshot");
        command.add("--data");
        command.add(dataDirectory.toString());
        command.add("--journal");
        command.add(journalDirectory.toString());
        command.add("--snapshots");
        command.add(snapshotDirectory.toString());
        if (configFile != null)
        {
            command.add("--config");
            command.add(configFile.toString());
        }
        return command;
    }

    /**
     * @param lmkHex an LMK given to the switch explicitly, or {@code null} (the child then finds it
     *               where the switch did: {@code UNICARD_LMK} or the configuration).
     * @return the environment to add to the child's.
     */
    public static Map<String, String> childEnvironment(final String lmkHex)
    {
        return lmkHex == null ? Map.of() : Map.of(LocalMasterKey.ENVIRONMENT_VARIABLE, lmkHex);
    }

    /**
     * @return snapshot processes started so far.
     */
    public synchronized int started()
    {
        return started;
    }

    /**
     * Starts a snapshot process now unless one is running.
     *
     * @return whether one was started.
     */
    public synchronized boolean startNow()
    {
        if (child != null && child.isAlive())
        {
            return false;
        }
        reap();
        try
        {
            final ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().putAll(environment);
            child = builder.start();
            started++;
            appendedAtLastStart = appended.getAsLong();
            lastStartNs = System.nanoTime();
            LOG.info("event=snapshot-process-started pid={} journal-records-appended={}", child.pid(), appendedAtLastStart);
            return true;
        }
        catch (final Exception ex)
        {
            LOG.error("event=snapshot-process-not-started reason={}", ex.toString());
            return false;
        }
    }

    @Override
    public synchronized void close()
    {
        timer.shutdownNow();
        if (child != null && child.isAlive())
        {
            LOG.info("event=snapshot-process-left-running pid={}", child.pid());
        }
    }

    private synchronized void check()
    {
        if (child != null && child.isAlive())
        {
            return;
        }
        reap();
        final long since = appended.getAsLong() - appendedAtLastStart;
        final boolean byCount = settings.intervalRecords() > 0 && since >= settings.intervalRecords();
        final boolean byTime = settings.intervalMinutes() > 0 && since > 0 &&
            System.nanoTime() - lastStartNs >= TimeUnit.MINUTES.toNanos(settings.intervalMinutes());
        if (byCount || byTime)
        {
            startNow();
        }
    }

    private void reap()
    {
        if (child != null && !child.isAlive())
        {
            final int exit = child.exitValue();
            if (exit == 0)
            {
                LOG.info("event=snapshot-process-ended pid={} exit=0", child.pid());
            }
            else
            {
                LOG.error("event=snapshot-process-failed pid={} exit={} (its output above says why; the previous snapshot stays in use)",
                    child.pid(), exit);
            }
            child = null;
        }
    }
}
