package org.unicard.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the programs that run a real switch as a child process (crash torture, overload) need to
 * start it: the JVM flag file and its configuration (its ports come from
 * {@link org.unicard.terminal.LocalPorts}).
 */
public final class ChildProcesses
{
    private ChildProcesses()
    {
    }

    /**
     * {@code bin/jvm.options} of the project: below {@code unicard.home} when the launcher set it,
     * else in the working directory or one of its parents.
     *
     * @return the file, or {@code null} when there is none.
     */
    public static Path jvmOptions()
    {
        final String home = System.getProperty("unicard.home");
        Path candidate = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        while (candidate != null)
        {
            final Path options = candidate.resolve("bin").resolve("jvm.options");
            if (Files.exists(options))
            {
                return options;
            }
            candidate = candidate.getParent();
        }
        return null;
    }

    /**
     * @return the start of a command line that runs this JVM's {@code java} with the project's JVM
     *         flags ({@code @bin/jvm.options} when found); the caller adds its own arguments.
     */
    public static List<String> javaCommand()
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        final Path options = jvmOptions();
        if (options != null)
        {
            command.add("@" + options);
        }
        return command;
    }

    /**
     * Writes a configuration that turns off the snapshot process {@code serve} starts after its first
     * import ({@code snapshot.after-import}): a measured or killed switch should not share the machine
     * with a snapshot process, nor outlive a kill through one.
     *
     * @param directory where to write {@code no-snapshot-after-import.properties}.
     * @return the file, for {@code serve --config}.
     * @throws IOException when it cannot be written.
     */
    public static Path noSnapshotAfterImportConfig(final Path directory) throws IOException
    {
        final Path config = directory.resolve("no-snapshot-after-import.properties");
        Files.writeString(config, "snapshot.after-import = false\n");
        return config;
    }
}
