package org.unicard.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.unicard.server.UnicardSwitch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code bin/unicard serve}: runs the switch until SIGTERM (or SIGINT), then stops gracefully:
 * no new requests, those in flight answered, the journal closed, exit 0. A heap too small for the
 * data set is refused before anything is loaded ({@link org.unicard.server.HeapEstimate}). After a
 * start that imported the data set from CSV, it starts a snapshot process at once
 * ({@code snapshot.after-import}), so that the next start loads a snapshot instead.
 */
@Command(name = "serve", description = "Run the switch on a data set until SIGTERM.", mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private DataSetOptions dataSet;

    @Option(names = "--port", paramLabel = "PORT", description = "Terminal listener port (default 8583).")
    private Integer port;

    @Option(names = "--acquirer-port", paramLabel = "PORT", description = "Acquirer listener port (default 8584).")
    private Integer acquirerPort;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port on 127.0.0.1 (default 8080).")
    private Integer httpPort;

    @Option(names = "--clock", paramLabel = "INSTANT",
        description = "Start the business clock at this ISO-8601 instant (e.g. 2026-11-01T08:00:00+02:00); it then runs forward.")
    private String clock;

    @Option(names = "--notify-url", paramLabel = "URL",
        description = "Send citizen notifications to this gateway (http or https; default notifications.url, empty: none).")
    private String notifyUrl;

    @Option(names = "--clock-rate", paramLabel = "N", defaultValue = "1",
        description = "Run the business clock N times faster than real time (1 to 1000000, default 1); on a restart it " +
            "resumes from the journal's last business time, never behind it.")
    private long clockRate;

    @Override
    public Integer call()
    {
        final Instant clockStart;
        try
        {
            clockStart = clock == null ? null : parseInstant(clock);
        }
        catch (final DateTimeParseException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--clock: not an ISO-8601 instant: " + clock);
        }
        if (clockRate < 1 || clockRate > org.unicard.time.BusinessClock.MAX_RATE)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--clock-rate: " + clockRate + " is not in [1," + org.unicard.time.BusinessClock.MAX_RATE + "]");
        }
        final CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        final UnicardSwitch unicard;
        try
        {
            unicard = UnicardSwitch.start(dataSet.context().ports(port, acquirerPort, httpPort).clockStart(clockStart).clockRate(clockRate).notifyUrl(notifyUrl),
                new RecoveryProgress(ProgressReporter.forConsole(spec.commandLine().getErr())));
        }
        catch (final Exception ex)
        {
            spec.commandLine().getErr().println("unicard serve: " + ex.getMessage());
            return 1;
        }
        unicard.startSnapshotAfterImport();
        try
        {
            stop.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        unicard.close();
        return 0;
    }

    /**
     * @param text an ISO-8601 instant, with {@code Z} or an offset.
     * @return the instant.
     */
    public static Instant parseInstant(final String text)
    {
        try
        {
            return Instant.parse(text);
        }
        catch (final DateTimeParseException ex)
        {
            return OffsetDateTime.parse(text).toInstant();
        }
    }
}
