package org.unicard.server;

import java.nio.file.Path;
import java.time.Instant;

import org.unicard.context.SwitchContext;

/**
 * A switch's start in one value, for the demo, the load test and the tests that start a switch in
 * their own process: a shorthand for a {@link SwitchContext} ({@link #context()}). Ports left
 * {@code null} come from the configuration.
 *
 * @param dataDirectory   the data set (spec §10).
 * @param journalDirectory the journal, default {@code DATA/journal}.
 * @param configFile      overrides of the default configuration, or {@code null}.
 * @param terminalPort    terminal listener port, or {@code null}.
 * @param acquirerPort    acquirer listener port, or {@code null}.
 * @param httpPort        HTTP port, or {@code null}.
 * @param clockStart      start the business clock at this instant, or {@code null} for real time.
 * @param lmkHex          the LMK, or {@code null} to take it from UNICARD_LMK or the configuration.
 * @param apiToken        the operator API's bearer token, or {@code null} to take it from UNICARD_API_TOKEN.
 * @param snapshotDirectory snapshots, or {@code null} for {@code snapshot.directory} of the configuration,
 *                        itself defaulting to {@code DATA/snapshots}.
 */
public record SwitchOptions(
    Path dataDirectory,
    Path journalDirectory,
    Path configFile,
    Integer terminalPort,
    Integer acquirerPort,
    Integer httpPort,
    Instant clockStart,
    String lmkHex,
    String apiToken,
    Path snapshotDirectory)
{
    /**
     * Options with the configured snapshot directory.
     */
    public SwitchOptions(
        final Path dataDirectory,
        final Path journalDirectory,
        final Path configFile,
        final Integer terminalPort,
        final Integer acquirerPort,
        final Integer httpPort,
        final Instant clockStart,
        final String lmkHex,
        final String apiToken)
    {
        this(dataDirectory, journalDirectory, configFile, terminalPort, acquirerPort, httpPort, clockStart, lmkHex, apiToken, null);
    }

    /**
     * @return the journal directory, defaulting to {@code DATA/journal}.
     */
    public Path journal()
    {
        return context().journalDirectory();
    }

    /**
     * @return a context (not yet concluded) with these options.
     */
    public SwitchContext context()
    {
        return new SwitchContext()
            .dataDirectory(dataDirectory)
            .journalDirectory(journalDirectory)
            .snapshotDirectory(snapshotDirectory)
            .configFile(configFile)
            .ports(terminalPort, acquirerPort, httpPort)
            .clockStart(clockStart)
            .lmkHex(lmkHex)
            .apiToken(apiToken);
    }
}
