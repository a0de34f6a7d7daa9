package org.unicard.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.context.SwitchContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Item 7 of issue 12 in the real processes: {@code serve} and {@code snapshot} in a child JVM whose
 * heap is below the data set's estimate stop at once, exit 1, load nothing and name the setting to
 * use; and the launcher's {@code unicard_heap_flag} (bin/lib/common.sh) gives {@code serve} the
 * estimate's {@code -Xmx} unless the user chose a heap.
 */
class HeapCheckProcessTest
{
    /** Below the default configuration's window and ledger alone (about 170 MB). */
    private static final String TINY_HEAP = "-Xmx64m";

    @TempDir
    Path directory;

    @BeforeEach
    void dataSet() throws Exception
    {
        WireData.write(directory);
    }

    @Test
    void shouldRefuseToServeBeforeImportingWhenTheHeapIsBelowTheEstimate() throws Exception
    {
        final Result result = run(TINY_HEAP, "serve", "--data", directory.toString(), "--port", "0", "--acquirer-port", "0", "--http-port", "0");

        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("unicard serve: max-heap-mib="), result.output());
        assertTrue(result.output().contains("reason=too small for this data set"), result.output());
        assertTrue(result.output().contains("set UNICARD_JAVA_OPTS=-Xmx1g"), result.output());
        assertFalse(result.output().contains("event=imported"), result.output());
        assertFalse(result.output().contains("OutOfMemoryError"), result.output());
        assertFalse(Files.exists(directory.resolve("journal")), "nothing imported, no journal made");
    }

    @Test
    void shouldRefuseToSnapshotBeforeImportingWhenTheHeapIsBelowTheEstimate() throws Exception
    {
        final Result result = run(TINY_HEAP, "snapshot", "--data", directory.toString());

        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("unicard snapshot: max-heap-mib="), result.output());
        assertTrue(result.output().contains("set UNICARD_JAVA_OPTS=-Xmx1g"), result.output());
        assertFalse(result.output().contains("event=imported"), result.output());
        assertFalse(Files.exists(directory.resolve("snapshots")), "nothing imported, no snapshot directory made");
    }

    @Test
    void shouldHaveTheLauncherSizeTheHeapOfServeAndSnapshotOnly() throws Exception
    {
        final String expected = new SwitchContext().dataDirectory(directory).conclude().heapEstimate().recommendedFlag();

        assertEquals(expected, launcherFlag("", "serve", "--data", directory.toString(), "--port", "0"));
        assertEquals(expected, launcherFlag("", "snapshot", "--rate-mb", "0", "--data=" + directory));
        assertEquals("", launcherFlag("-Xmx3g", "serve", "--data", directory.toString()), "the user's -Xmx wins");
        assertEquals("", launcherFlag("-XX:+UseG1GC -Xmx3g", "snapshot", "--data", directory.toString()), "the user's -Xmx wins");
        assertEquals("", launcherFlag("", "generate", "--households", "10", "--out", directory.toString()));
        assertEquals("", launcherFlag("", "serve", "--clock", "yesterday"), "no --data: serve reports its own usage error");
    }

    @Test
    void shouldSizeTheHeapForTheConfiguredWindow() throws Exception
    {
        final Path config = directory.resolve("big-window.properties");
        Files.writeString(config, "duplicate-window.capacity = 8388608\n", StandardCharsets.UTF_8);
        final String flag = launcherFlag("", "serve", "--data", directory.toString(), "--config", config.toString());
        final long mib = Long.parseLong(flag.substring("-Xmx".length(), flag.length() - 1));
        assertTrue(mib >= 8_388_608L * org.unicard.server.HeapEstimate.WINDOW_ENTRY_BYTES >> 20, flag);
    }

    /** Runs {@code unicard_heap_flag} of bin/lib/common.sh with the test class path as the jar. */
    private static String launcherFlag(final String userOptions, final String... arguments) throws Exception
    {
        final Path root = CrashRecoveryTest.repositoryRoot();
        final List<String> command = new ArrayList<>(List.of("bash", "-c",
            "set -euo pipefail; UNICARD_ROOT=\"$1\"; . \"$1/bin/lib/common.sh\"; shift; jar=\"$1\"; shift; unicard_heap_flag \"$jar\" \"$@\"",
            "launcher", root.toString(), System.getProperty("java.class.path")));
        command.addAll(List.of(arguments));
        final ProcessBuilder builder = new ProcessBuilder(command);
        final Map<String, String> environment = builder.environment();
        environment.put("UNICARD_JAVA_HOME", System.getProperty("java.home"));
        environment.put("UNICARD_JAVA_OPTS", userOptions);
        environment.remove("JAVA_TOOL_OPTIONS");
        environment.remove("JDK_JAVA_OPTIONS");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output.trim();
    }

    private Result run(final String heap, final String... arguments) throws IOException, InterruptedException
    {
        final Path options = CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>(List.of(java, "@" + options, heap, "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain"));
        command.addAll(List.of(arguments));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("UNICARD_LMK", WireData.LMK_HEX);
        builder.redirectErrorStream(true);
        final Path log = directory.resolve("child.log");
        builder.redirectOutput(log.toFile());
        final Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("still running after 60 s: " + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }

    private record Result(int exitCode, String output)
    {
    }
}
