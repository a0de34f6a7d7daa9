package org.unicard.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.unicard.config.ConfigurationException;
import org.unicard.context.SwitchContext;
import org.unicard.server.HeapEstimate;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/unicard estimate-heap serve|snapshot ARGS...} (hidden): the launcher's pre-flight.
 * Parses the command line exactly as {@code serve} or {@code snapshot} would, estimates the heap
 * their data set and configuration need ({@link HeapEstimate}), and prints the JVM flag to start
 * them with, e.g. {@code -Xmx8896m}, alone on standard output, with the figures on standard error.
 * <p>
 * It prints nothing on standard output and exits 0 when there is nothing to size (another command,
 * no {@code --data}, a usage or configuration error): the command itself then runs on the JVM's
 * default heap and reports its own errors, so the pre-flight never stops a start by itself.
 */
@Command(name = "estimate-heap", hidden = true,
    description = "Print the -Xmx that serve or snapshot needs for its data set (used by bin/unicard).")
public final class EstimateHeapCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    private List<String> command = new ArrayList<>();

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final CommandLine.ParseResult parsed;
        try
        {
            parsed = UnicardMain.commandLine().parseArgs(command.toArray(String[]::new));
        }
        catch (final CommandLine.ParameterException ex)
        {
            return 0;
        }
        final CommandLine.ParseResult sized = parsed.subcommand();
        if (sized == null || !List.of("serve", "snapshot", "export").contains(sized.commandSpec().name()) || !sized.hasMatchedOption("--data"))
        {
            return 0;
        }
        final Path data = sized.matchedOptionValue("--data", null);
        final Path config = sized.matchedOptionValue("--config", null);
        try
        {
            final HeapEstimate estimate = new SwitchContext().dataDirectory(data).configFile(config).conclude().heapEstimate();
            out.println(estimate.recommendedFlag());
            err.println("unicard: event=heap-sized flag=" + estimate.recommendedFlag() + " " + estimate.describe());
            final long physical = physicalMemoryBytes();
            if (physical > 0 && estimate.recommendedBytes() > physical)
            {
                err.println("unicard: WARNING the data set needs a heap of " + (estimate.recommendedBytes() >> 20) +
                    " MiB, more than this machine's memory (" + (physical >> 20) + " MiB)");
            }
        }
        catch (final ConfigurationException ex)
        {
            return 0;
        }
        catch (final Exception ex)
        {
            err.println("unicard: heap not sized (" + ex.getMessage() + "); starting with the JVM's default heap");
        }
        out.flush();
        err.flush();
        return 0;
    }

    private static long physicalMemoryBytes()
    {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() : 0;
    }
}
