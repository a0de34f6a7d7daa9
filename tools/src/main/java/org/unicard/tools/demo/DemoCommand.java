package org.unicard.tools.demo;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;

import org.unicard.generate.DataSetGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard demo}: a month of the Port Said pilot in about a minute ({@link MonthDemo}), or
 * with {@code --rush} the stress test that exhausts quotas on purpose ({@link Demo}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"A month of the Port Said pilot in about a minute: generate the data set, start the switch with a fast",
        "business clock, play every family's bread, ration, health and post visits over TCP day by day, and prove",
        "every loaf and piaster against the switch's answers, state and settlement. --rush: the stress test instead."})
public final class DemoCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the data set, journal and report go; emptied first (default: target/demo).")
    private Path directory;

    @Option(names = "--households", defaultValue = "42000", description = "Data-set size (default ${DEFAULT-VALUE}).")
    private long households;

    @Option(names = "--seed", defaultValue = "1", description = "Data-set and story seed (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--start", paramLabel = "YYYY-MM-DD",
        description = "First simulated Cairo day (default: the data set's reference date, 2026-11-01).")
    private LocalDate start;

    @Option(names = "--days", defaultValue = "31",
        description = "Simulated days, 1 to 62 (default ${DEFAULT-VALUE}: November and the 1st of December, when bread points are credited).")
    private int days;

    @Option(names = "--seconds", paramLabel = "S",
        description = "Real seconds the run takes (default: 60 for the month, 30 with --rush).")
    private Integer seconds;

    @Option(names = "--rush", description = "The stress test: far more requests than families make, exhausting quotas on purpose.")
    private boolean rush;

    @Option(names = "--bakeries", defaultValue = "24", description = "--rush: simulated bakeries (default ${DEFAULT-VALUE}).")
    private int bakeries;

    @Option(names = "--grocers", defaultValue = "16", description = "--rush: simulated grocers (default ${DEFAULT-VALUE}).")
    private int grocers;

    @Option(names = "--in-flight", defaultValue = "2", description = "--rush: requests each terminal keeps in flight (default ${DEFAULT-VALUE}).")
    private int inFlight;

    @Override
    public Integer call() throws Exception
    {
        final Path where = directory != null ? directory :
            Path.of(System.getProperty("unicard.home", ".")).resolve("target").resolve("demo");
        try
        {
            if (rush)
            {
                return new Demo(new Demo.Options(where, households, seed, seconds == null ? 30 : seconds, bakeries, grocers, inFlight),
                    System.out).run();
            }
            final MonthDemo.Options options;
            try
            {
                options = new MonthDemo.Options(where, households, seed, start == null ? DataSetGenerator.REFERENCE_DATE : start, days,
                    seconds == null ? 60 : seconds, null);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
            }
            return new MonthDemo(options, System.out).run();
        }
        catch (final org.unicard.journal.JournalLockedException ex)
        {
            spec.commandLine().getErr().println("unicard demo: " + ex.getMessage());
            return 1;
        }
    }
}
