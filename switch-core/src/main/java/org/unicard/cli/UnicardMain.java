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
 * The simulator ({@code demo}) lives in the tools jar ({@code org.unicard.tools.ToolsMain}) and the
 * measuring commands in the benchmarks jar ({@code org.unicard.benchmarks.BenchmarksMain});
 * {@code bin/unicard} runs those jars for their names. This module depends on neither, so the help
 * lists them from {@link #SIMULATOR_COMMANDS} and {@link #MEASURING_COMMANDS}, which the benchmarks
 * module's {@code ToolCommandsTest} checks against {@code ToolsMain}, {@code BenchmarksMain} and
 * {@code bin/unicard}.
 */
@Command(
    name = "unicard",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Authorization switch for the national unified benefit card.",
    subcommands = {ServeCommand.class, SnapshotCommand.class, ApplyChangesCommand.class, ExportCommand.class, NotifyReplayCommand.class, GenerateCommand.class, SettleCommand.class, VersionCommand.class, EstimateHeapCommand.class, CommandLine.HelpCommand.class})
public final class UnicardMain implements Runnable
{
    /**
     * The simulator commands run from the tools jar, by name, with a description that fits one line
     * of the 80-column help.
     */
    public static final SequencedMap<String, String> SIMULATOR_COMMANDS = simulatorCommands();

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
        final List<String> footer = new ArrayList<>();
        footer.addAll(listing(SIMULATOR_COMMANDS));
        footer.add("%nMeasuring commands (benchmarks jar, not for production; --help each):");
        footer.addAll(listing(MEASURING_COMMANDS));
        footer.set(footer.size() - 1, footer.getLast() + "%n");
        commandLine.getCommandSpec().usageMessage()
            .footerHeading("%nSimulator (tools jar, not for production; --help each):%n")
            .footer(footer.toArray(new String[0]));
        return commandLine;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static SequencedMap<String, String> simulatorCommands()
    {
        final SequencedMap<String, String> commands = new LinkedHashMap<>();
        commands.put("demo", "Port Said pilot end to end; checks every loaf and piaster.");
        commands.put("gateway", "Citizen-notification gateway simulator (serve --notify-url).");
        return Collections.unmodifiableSequencedMap(commands);
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
        commands.put("card-history", "Time card-history walks on a journal (operators' console).");
        commands.put("jmh", "JMH microbenchmarks (codec, crypto, ring); JMH's options.");
        return Collections.unmodifiableSequencedMap(commands);
    }

    private static List<String> listing(final SequencedMap<String, String> commands)
    {
        int width = 0;
        for (final String name : MEASURING_COMMANDS.keySet())
        {
            width = Math.max(width, name.length());
        }
        for (final String name : SIMULATOR_COMMANDS.keySet())
        {
            width = Math.max(width, name.length());
        }
        final List<String> lines = new ArrayList<>();
        for (final Map.Entry<String, String> command : commands.entrySet())
        {
            lines.add("  " + command.getKey() + " ".repeat(width + 2 - command.getKey().length()) + command.getValue().replace("%", "%%"));
        }
        return lines;
    }
}
