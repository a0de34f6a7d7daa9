package org.unicard.tools.demo;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard demo}: the Port Said pilot end to end on embedded defaults.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Generate a Port Said-sized data set, start the switch, drive simulated bakeries and grocers over TCP,",
        "show live progress and end with a summary that checks every approved loaf and piaster against the switch's state."})
public final class DemoCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the data set and journal go; emptied first (default: target/demo).")
    private Path directory;

    @Option(names = "--households", defaultValue = "42000", description = "Data-set size (default ${DEFAULT-VALUE}).")
    private long households;

    @Option(names = "--seed", defaultValue = "1", description = "Data-set seed (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--seconds", defaultValue = "30", description = "How long the terminals send (default ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--bakeries", defaultValue = "24", description = "Simulated bakeries (default ${DEFAULT-VALUE}).")
    private int bakeries;

    @Option(names = "--grocers", defaultValue = "16", description = "Simulated grocers (default ${DEFAULT-VALUE}).")
    private int grocers;

    @Option(names = "--in-flight", defaultValue = "2", description = "Requests each terminal keeps in flight (default ${DEFAULT-VALUE}).")
    private int inFlight;

    @Override
    public Integer call() throws Exception
    {
        final Path where = directory != null ? directory :
            Path.of(System.getProperty("unicard.home", ".")).resolve("target").resolve("demo");
        try
        {
            return new Demo(new Demo.Options(where, households, seed, seconds, bakeries, grocers, inFlight), System.out).run();
        }
        catch (final org.unicard.journal.JournalLockedException ex)
        {
            spec.commandLine().getErr().println("unicard demo: " + ex.getMessage());
            return 1;
        }
    }
}
