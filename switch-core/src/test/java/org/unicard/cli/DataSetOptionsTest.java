package org.unicard.cli;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicard.context.SwitchContext;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --data}, {@code --journal}, {@code --snapshots} and {@code --config}: one mixin, the same help
 * in every command that takes them, and a context with their values and the defaults they leave open.
 */
class DataSetOptionsTest
{
    private static final List<String> SHARED = List.of("--data", "--journal", "--snapshots", "--config");

    @Test
    void shouldDescribeTheSharedOptionsAlikeInServeAndSnapshot()
    {
        final CommandLine main = UnicardMain.commandLine();
        final CommandLine.Model.CommandSpec serve = main.getSubcommands().get("serve").getCommandSpec();
        final CommandLine.Model.CommandSpec snapshot = main.getSubcommands().get("snapshot").getCommandSpec();

        for (final String name : SHARED)
        {
            assertEquals(List.of(serve.findOption(name).description()), List.of(snapshot.findOption(name).description()), name);
        }
        assertTrue(serve.findOption("--data").required());
        assertTrue(serve.mixins().values().stream().anyMatch(mixin -> mixin.userObject() instanceof DataSetOptions));
        assertTrue(snapshot.mixins().values().stream().anyMatch(mixin -> mixin.userObject() instanceof DataSetOptions));
    }

    @Test
    void shouldMakeAContextOfTheValuesGiven()
    {
        final DataSetOptions options = new DataSetOptions();
        new CommandLine(options).parseArgs("--data", "d", "--snapshots", "s");

        final SwitchContext context = options.context().conclude();

        assertEquals(Path.of("d"), context.dataDirectory());
        assertEquals(Path.of("d", "journal"), context.journalDirectory());
        assertEquals(Path.of("s"), context.snapshotDirectory());
        assertEquals("defaults", context.configSource());
    }
}
