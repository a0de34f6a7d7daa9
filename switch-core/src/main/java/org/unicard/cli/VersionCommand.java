package org.unicard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/unicard version}: the switch's version and the Java runtime it runs on.
 */
@Command(name = "version", description = "Print the version of the switch and of the Java runtime.")
public final class VersionCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        for (final String line : new Provider().getVersion())
        {
            spec.commandLine().getOut().println(line);
        }
    }

    /**
     * The switch's version from the jar manifest ({@code dev} when run from classes).
     *
     * @return the version string.
     */
    public static String switchVersion()
    {
        final String version = VersionCommand.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Supplies {@code --version} and {@code version} with the same lines. */
    public static final class Provider implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            return new String[] {
                "unicard " + switchVersion(),
                "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", " +
                    System.getProperty("java.home") + ")"};
        }
    }
}
