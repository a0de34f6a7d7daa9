package org.unicard.cli;

import java.nio.file.Path;

import org.unicard.context.SwitchContext;
import picocli.CommandLine.Option;

/**
 * The options of every command over a data set ({@code serve}, {@code snapshot}, the measuring tools),
 * with one help text: a picocli mixin ({@code @Mixin DataSetOptions}). {@link #context()} turns them
 * into a {@link SwitchContext}, where the defaults they leave open are decided.
 */
public final class DataSetOptions
{
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data directory (households.csv, cards.csv, ...).")
    private Path data;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default DATA/journal).")
    private Path journal;

    @Option(names = "--snapshots", paramLabel = "DIR", description = "Snapshot directory (default snapshot.directory, else DATA/snapshots).")
    private Path snapshots;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Configuration overriding config/unicard.properties (an unknown property is an error).")
    private Path config;

    /**
     * @return a context (not yet concluded) for the data set, journal, snapshots and configuration given.
     */
    public SwitchContext context()
    {
        return new SwitchContext().dataDirectory(data).journalDirectory(journal).snapshotDirectory(snapshots).configFile(config);
    }
}
