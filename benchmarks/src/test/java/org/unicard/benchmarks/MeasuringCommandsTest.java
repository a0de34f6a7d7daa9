package org.unicard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.unicard.cli.UnicardMain;
import picocli.CommandLine;

/**
 * The measuring commands cannot drift apart: the commands {@link BenchmarksMain} runs, the names
 * {@code bin/unicard} routes to the benchmarks jar, and the list {@code bin/unicard --help}
 * ({@link UnicardMain}) shows are the same set, and none of them is also a production command.
 */
class MeasuringCommandsTest
{
    @Test
    void shouldListEveryBenchmarksCommandInUnicardHelpAndNothingElse()
    {
        final String help = help();
        final Set<String> listed = new LinkedHashSet<>();
        final String footer = help.substring(help.indexOf("Measuring commands"));
        final Matcher line = Pattern.compile("(?m)^  ([a-z-]+)  +\\S.*$").matcher(footer);
        while (line.find())
        {
            listed.add(line.group(1));
        }

        assertEquals(BenchmarksMain.commandNames(), listed, help);
        assertEquals(BenchmarksMain.commandNames(), UnicardMain.MEASURING_COMMANDS.keySet());
    }

    @Test
    void shouldRouteExactlyTheBenchmarksCommandsToTheBenchmarksJarInBinUnicard() throws Exception
    {
        final String script = Files.readString(repositoryRoot().resolve("bin").resolve("unicard"));
        final Matcher routed = Pattern.compile("(?m)^\\s*([a-z-]+(?:\\s*\\|\\s*[a-z-]+)*)\\)\\s*$").matcher(script);
        assertTrue(routed.find(), "no case list in bin/unicard");
        final Set<String> names = new LinkedHashSet<>();
        for (final String name : routed.group(1).split("\\|"))
        {
            names.add(name.strip());
        }

        assertEquals(Set.copyOf(BenchmarksMain.commandNames()), Set.copyOf(names));
    }

    @Test
    void shouldNameEachPicocliCommandAsItIsRoutedAndKeepThemOutOfTheProductionCommandLine()
    {
        final CommandLine production = UnicardMain.commandLine();
        final List<String> problems = new ArrayList<>();
        for (final String name : BenchmarksMain.commandNames())
        {
            if (production.getSubcommands().containsKey(name))
            {
                problems.add(name + " is also a production command");
            }
            if (name.equals(BenchmarksMain.JMH))
            {
                continue;
            }
            final CommandLine command = BenchmarksMain.commandLine(name);
            assertNotNull(command, name);
            if (!command.getCommandName().equals(name))
            {
                problems.add(name + " runs a command named " + command.getCommandName());
            }
        }
        assertEquals(List.of(), problems);
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
