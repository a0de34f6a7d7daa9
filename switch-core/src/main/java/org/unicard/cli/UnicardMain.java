package org.unicard.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/unicard}. Exits with the code of the subcommand it ran:
 * 0 on success, 1 on an operating error (bad data, a port in use), 2 on a usage error.
 * <p>
 * The measuring commands live in the benchmarks jar ({@code org.unicard.benchmarks.BenchmarksMain}),
 * which {@code bin/unicard} runs for their names; this module does not depend on it, so the help
 * lists them from {@link #MEASURING_COMMANDS}, which the benchmarks module's
 * {@code MeasuringCommandsTest} checks against {@code BenchmarksMain} and {@code bin/unicard}.
 */
@Command(
    name = "unicard",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Authorization switch for the national unified benefit card.",
    subcommands = {DemoCommand.class, ServeCommand.class, SnapshotCommand.class, GenerateCommand.class, SettleCommand.class, VersionCommand.class, EstimateHeapCommand.class, CommandLine.HelpCommand.class})
public final class UnicardMain implements Runnable
{
    /**
     * The measuring commands run from the benchmarks jar, by name, with a description that fits one
     * line of the 80-column help.
     */
    public static final SequencedMap<String, String> MEASURING_COMMANDS = measuringCommands();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line, shared by {@link #main(String[])} and the tests.
     *
     * @return a command line ready to {@code execute}.
     */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new UnicardMain());
        commandLine.getCommandSpec().usageMessage()
            .footerHeading("%nMeasuring commands (benchmarks jar, not for production; --help each):%n")
            .footer(measuringFooter());
        return commandLine;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static SequencedMap<String, String> measuringCommands()
    {
        final SequencedMap<String, String> commands = new LinkedHashMap<>();
        commands.put("loadtest", "End-to-end load over TCP, ours or jPOS's (--compare-jpos).");
        commands.put("torture", "Kill -9 the switch under load N times; check every answer.");
        commands.put("overload", "Twice the capacity at a child switch: 91s, memory flat.");
        commands.put("idle-connections", "N idle connections: memory each, others still served.");
        commands.put("replay-limits", "Journal read cost per record; random-read latency.");
        commands.put("fill-journal", "Append N synthetic authorized requests to a journal.");
        commands.put("jmh", "JMH microbenchmarks (codec, crypto, ring); JMH's options.");
        return Collections.unmodifiableSequencedMap(commands);
    }

    private static String[] measuringFooter()
    {
        int width = 0;
        for (final String name : MEASURING_COMMANDS.keySet())
        {
            width = Math.max(width, name.length());
        }
        final List<String> lines = new ArrayList<>();
        for (final Map.Entry<String, String> command : MEASURING_COMMANDS.entrySet())
        {
            lines.add("  " + command.getKey() + " ".repeat(width + 2 - command.getKey().length()) + command.getValue().replace("%", "%%"));
        }
        lines.set(lines.size() - 1, lines.getLast() + "%n");
        return lines.toArray(new String[0]);
    }
}
