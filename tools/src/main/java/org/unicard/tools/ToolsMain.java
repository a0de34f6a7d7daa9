package org.unicard.tools;

import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.SequencedSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.unicard.tools.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Entry point of the simulator commands run through {@code bin/unicard}: {@code demo}
 * ({@link DemoCommand}), the Port Said pilot end to end.
 * <p>
 * {@code bin/unicard} routes exactly these names to the tools jar, and {@code bin/unicard --help}
 * ({@code org.unicard.cli.UnicardMain}, which cannot see this module) lists them from a list of its
 * own; the benchmarks module's {@code ToolCommandsTest} keeps the three equal.
 */
public final class ToolsMain
{
    /** The picocli commands by name, in help order. */
    private static final SequencedMap<String, Supplier<Callable<Integer>>> COMMANDS = new LinkedHashMap<>();

    static
    {
        COMMANDS.put("demo", DemoCommand::new);
        COMMANDS.put("gateway", org.unicard.tools.gateway.GatewayCommand::new);
    }

    private ToolsMain()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length == 0 || !COMMANDS.containsKey(args[0]))
        {
            System.err.println("usage: bin/unicard " + String.join("|", COMMANDS.keySet()) + " [--help]");
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * @return every command name this entry point runs, in help order.
     */
    public static SequencedSet<String> commandNames()
    {
        return COMMANDS.sequencedKeySet();
    }

    /**
     * The command line shared by {@link #main(String[])} and the tests: a parent named {@code unicard}
     * holding every command here, so that help and errors read {@code unicard demo …} as they did when
     * the demo was part of the switch's command line.
     *
     * @return a command line ready to {@code execute} a command's name and its arguments.
     */
    public static CommandLine commandLine()
    {
        final CommandLine parent = new CommandLine(CommandSpec.create().name("unicard"));
        for (final var command : COMMANDS.entrySet())
        {
            parent.addSubcommand(command.getKey(), command.getValue().get());
        }
        return parent;
    }
}
