package org.unicard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/unicard}. Exits with the code of the subcommand it ran:
 * 0 on success, 1 on an operating error (bad data, a port in use), 2 on a usage error.
 */
@Command(
    name = "unicard",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Authorization switch for the national unified benefit card.",
    subcommands = {DemoCommand.class, ServeCommand.class, SnapshotCommand.class, FillJournalCommand.class, GenerateCommand.class, SettleCommand.class, VersionCommand.class, EstimateHeapCommand.class, CommandLine.HelpCommand.class})
public final class UnicardMain implements Runnable
{
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
        return new CommandLine(new UnicardMain());
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
