package org.unicard.cluster;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.unicard.cli.DataSetOptions;
import org.unicard.cli.ServeCommand;
import org.unicard.context.SwitchContext;
import org.unicard.server.UnicardSwitch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code bin/unicard serve ... --cluster-members ...} (spec §13): {@code bin/unicard} runs this class
 * from the cluster jar when the arguments of {@code serve} name {@code --cluster-members}; without
 * that option {@code serve} is the single-machine switch of {@code switch-core}, whose jar has no
 * Aeron on its class path. The options are those of {@code serve} and three more.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run this member of a switch cluster (spec §13) on a data set until SIGTERM.")
public final class ClusterMain implements Callable<Integer>
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
        description = "Start the business clock at this ISO-8601 instant; logged as a command, so every member uses it.")
    private String clock;

    @Option(names = "--cluster-members", required = true, paramLabel = "0=HOST:BASEPORT,...",
        description = "Every member, ids 0..n-1; each takes ports BASEPORT..BASEPORT+9.")
    private String clusterMembers;

    @Option(names = "--cluster-member-id", required = true, paramLabel = "N", description = "This member's id.")
    private int memberId;

    @Option(names = "--cluster-dir", paramLabel = "DIR",
        description = "This member's log archive and consensus state (default: beside the journal, cluster-member-N).")
    private Path clusterDir;

    public static void main(final String[] args)
    {
        final String[] serveArgs = args.length > 0 && "serve".equals(args[0]) ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        System.exit(new CommandLine(new ClusterMain()).execute(serveArgs));
    }

    @Override
    public Integer call()
    {
        final ClusterMembers members;
        final Instant clockStart;
        try
        {
            members = ClusterMembers.parse(clusterMembers);
            clockStart = clock == null ? null : ServeCommand.parseInstant(clock);
        }
        catch (final IllegalArgumentException | DateTimeParseException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        if (memberId < 0 || memberId >= members.count())
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--cluster-member-id=" + memberId + " range=[0," + (members.count() - 1) + "]");
        }
        final CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        final UnicardSwitch unicard;
        try
        {
            final SwitchContext context = dataSet.context().ports(port, acquirerPort, httpPort).clockStart(clockStart).conclude();
            final Path dir = clusterDir != null ? clusterDir
                : context.journalDirectory().toAbsolutePath().getParent().resolve("cluster-member-" + memberId);
            unicard = UnicardSwitch.start(context, UnicardSwitch.StartListener.NONE,
                new ClusterSequencer(members, memberId, dir, context.settings().ringSize(), clockStart != null).context(context));
        }
        catch (final Exception ex)
        {
            spec.commandLine().getErr().println("unicard serve: " + ex.getMessage());
            return 1;
        }
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
}
