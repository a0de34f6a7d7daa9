package org.unicard.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.SequencedSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.unicard.benchmarks.load.LoadTestCommand;
import org.unicard.benchmarks.overload.IdleConnectionsCommand;
import org.unicard.benchmarks.overload.OverloadCommand;
import org.unicard.benchmarks.replay.CardHistoryCommand;
import org.unicard.benchmarks.replay.FillJournalCommand;
import org.unicard.benchmarks.replay.ReplayLimitsCommand;
import org.unicard.benchmarks.torture.TortureCommand;
import picocli.CommandLine;

/**
 * Entry point of the measuring programs run through {@code bin/unicard}: {@code jmh} runs the JMH
 * suite with the given JMH arguments; {@code loadtest} runs the end-to-end load generator
 * ({@link LoadTestCommand}); {@code torture}, {@code overload}, {@code idle-connections},
 * {@code replay-limits} and {@code fill-journal} are the programs of the same names.
 * <p>
 * {@code bin/unicard} routes exactly these names to the benchmarks jar, and {@code bin/unicard --help}
 * ({@code org.unicard.cli.UnicardMain}, which cannot see this module) lists them from a list of its
 * own; {@code ToolCommandsTest} keeps the three equal.
 */
public final class BenchmarksMain
{
    /** The JMH runner, the one command that is not a picocli command. */
    public static final String JMH = "jmh";

    /** The picocli commands by name, in help order. */
    private static final SequencedMap<String, Supplier<Callable<Integer>>> COMMANDS = new LinkedHashMap<>();

    static
    {
        COMMANDS.put("loadtest", LoadTestCommand::new);
        COMMANDS.put("torture", TortureCommand::new);
        COMMANDS.put("overload", OverloadCommand::new);
        COMMANDS.put("idle-connections", IdleConnectionsCommand::new);
        COMMANDS.put("replay-limits", ReplayLimitsCommand::new);
        COMMANDS.put("fill-journal", FillJournalCommand::new);
        COMMANDS.put("card-history", CardHistoryCommand::new);
    }

    private BenchmarksMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length == 0)
        {
            System.err.println("usage: bin/unicard jmh [JMH options] | bin/unicard " + String.join("|", COMMANDS.keySet()) + " --help");
            System.exit(2);
        }
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (JMH.equals(args[0]))
        {
            org.openjdk.jmh.Main.main(rest);
            return;
        }
        final CommandLine commandLine = commandLine(args[0]);
        if (commandLine == null)
        {
            System.err.println("unknown benchmark command: " + args[0]);
            System.exit(2);
        }
        System.exit(commandLine.execute(rest));
    }

    /**
     * @return every command name this entry point runs: {@value #JMH} and the picocli commands.
     */
    public static SequencedSet<String> commandNames()
    {
        final SequencedSet<String> names = new java.util.LinkedHashSet<>(COMMANDS.sequencedKeySet());
        names.add(JMH);
        return names;
    }

    /**
     * @param name a picocli command's name.
     * @return its command line, or {@code null} when there is no such picocli command ({@value #JMH} included).
     */
    public static CommandLine commandLine(final String name)
    {
        final Supplier<Callable<Integer>> command = COMMANDS.get(name);
        return command == null ? null : new CommandLine(command.get());
    }
}
