package org.unicard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.unicard.cli.UnicardMain;
import org.unicard.tools.ToolsMain;
import picocli.CommandLine;

/**
 * The commands that run from other jars than the switch's cannot drift apart: for the tools jar
 * ({@link ToolsMain}: the simulator) and the benchmarks jar ({@link BenchmarksMain}: the measuring
 * commands), the commands the entry point runs, the names {@code bin/unicard} routes to that jar,
 * and the section of {@code bin/unicard --help} ({@link UnicardMain}) that lists them are the same
 * set, and none of them is also a production command.
 */
class ToolCommandsTest
{
    private static final String TOOLS_JAR = "tools/target/unicard-tools.jar";
    private static final String BENCHMARKS_JAR = "benchmarks/target/unicard-benchmarks.jar";

    @Test
    void shouldListEveryToolsCommandInUnicardHelpAndNothingElse()
    {
        assertEquals(ToolsMain.commandNames(), listed(help(), "Simulator (", "Measuring commands"));
        assertEquals(ToolsMain.commandNames(), UnicardMain.SIMULATOR_COMMANDS.keySet());
    }

    @Test
    void shouldListEveryBenchmarksCommandInUnicardHelpAndNothingElse()
    {
        assertEquals(BenchmarksMain.commandNames(), listed(help(), "Measuring commands", null));
        assertEquals(BenchmarksMain.commandNames(), UnicardMain.MEASURING_COMMANDS.keySet());
    }

    @Test
    void shouldRouteExactlyTheToolsAndBenchmarksCommandsToTheirJarsInBinUnicard() throws Exception
    {
        final Map<String, Set<String>> routed = routedByJar(Files.readString(repositoryRoot().resolve("bin").resolve("unicard")));

        assertEquals(Set.of(TOOLS_JAR, BENCHMARKS_JAR), routed.keySet(), routed.toString());
        assertEquals(Set.copyOf(ToolsMain.commandNames()), routed.get(TOOLS_JAR));
        assertEquals(Set.copyOf(BenchmarksMain.commandNames()), routed.get(BENCHMARKS_JAR));
    }

    @Test
    void shouldNameEachPicocliCommandAsItIsRoutedAndKeepThemOutOfTheProductionCommandLine()
    {
        final List<String> problems = new ArrayList<>();
        check(ToolsMain.commandNames(), name -> ToolsMain.commandLine().getSubcommands().get(name), problems);
        final Set<String> benchmarks = new LinkedHashSet<>(BenchmarksMain.commandNames());
        assertTrue(benchmarks.remove(BenchmarksMain.JMH));
        check(benchmarks, BenchmarksMain::commandLine, problems);
        for (final String name : ToolsMain.commandNames())
        {
            if (BenchmarksMain.commandNames().contains(name))
            {
                problems.add(name + " is both a tools and a benchmarks command");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldShowTheDemosHelpUnderTheUnicardName()
    {
        final StringWriter out = new StringWriter();
        final CommandLine tools = ToolsMain.commandLine();
        tools.setOut(new PrintWriter(out, true));

        assertEquals(0, tools.execute("demo", "--help"));
        assertTrue(out.toString().startsWith("Usage: unicard demo "), out.toString());
    }

    private static void check(final Set<String> names, final Function<String, CommandLine> commands, final List<String> problems)
    {
        final CommandLine production = UnicardMain.commandLine();
        for (final String name : names)
        {
            if (production.getSubcommands().containsKey(name))
            {
                problems.add(name + " is also a production command");
            }
            final CommandLine command = commands.apply(name);
            assertNotNull(command, name);
            if (!command.getCommandName().equals(name))
            {
                problems.add(name + " runs a command named " + command.getCommandName());
            }
        }
    }

    /** The command names of one help section: from the heading that starts with {@code from} to {@code to} or the end. */
    private static Set<String> listed(final String help, final String from, final String to)
    {
        final int start = help.indexOf(from);
        assertTrue(start >= 0, help);
        final int end = to == null ? help.length() : help.indexOf(to, start);
        final Set<String> names = new LinkedHashSet<>();
        final Matcher line = Pattern.compile("(?m)^  ([a-z-]+)  +\\S.*$").matcher(help.substring(start, end));
        while (line.find())
        {
            names.add(line.group(1));
        }
        return names;
    }

    /** The script's case lists (a line {@code name | name)}), each keyed by the jar its branch sets. */
    private static Map<String, Set<String>> routedByJar(final String script)
    {
        final Map<String, Set<String>> routed = new LinkedHashMap<>();
        final Matcher branch = Pattern.compile("(?m)^\\s*([a-z-]+(?:\\s*\\|\\s*[a-z-]+)*)\\)\\s*\\n\\s*main_jar=\"\\$UNICARD_ROOT/([^\"]+)\"")
            .matcher(script);
        while (branch.find())
        {
            final Set<String> names = routed.computeIfAbsent(branch.group(2), jar -> new LinkedHashSet<>());
            for (final String name : branch.group(1).split("\\|"))
            {
                names.add(name.strip());
            }
        }
        return routed;
    }

    private static String help()
    {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = UnicardMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        assertEquals(0, commandLine.execute("--help"));
        return out.toString();
    }

    private static Path repositoryRoot()
    {
        Path candidate = Path.of("").toAbsolutePath();
        while (candidate != null && !Files.exists(candidate.resolve("bin").resolve("unicard")))
        {
            candidate = candidate.getParent();
        }
        assertNotNull(candidate, "no bin/unicard above " + Path.of("").toAbsolutePath());
        return candidate;
    }
}
