package org.unicard.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unicard.config.ConfigurationException;
import org.unicard.config.ProgramRules;
import org.unicard.config.Settings;
import org.unicard.config.SwitchSettings;
import org.unicard.snapshot.SnapshotSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The context: the defaults of {@link Configuration} when no file is given (and the shipped file agrees
 * with them), one bad property of each kind refused with the file and property named, command-line
 * values over the file, and {@code conclude()} once: idempotent, and the context closed to changes after.
 */
class SwitchContextTest
{
    @TempDir
    Path directory;

    @Test
    void shouldGiveTheDefaultsOfTheConfigurationWhenNoFileIsGiven()
    {
        final SwitchContext context = new SwitchContext().dataDirectory(directory).availableProcessors(2).conclude();
        final SwitchSettings settings = context.settings();

        assertEquals("defaults", context.configSource());
        assertEquals(ProgramRules.defaults(), context.rules());
        assertEquals(Configuration.BIND_ADDRESS_DEFAULT, settings.bindAddress());
        assertEquals(Configuration.TERMINAL_PORT_DEFAULT, settings.terminalPort());
        assertEquals(Configuration.ACQUIRER_PORT_DEFAULT, settings.acquirerPort());
        assertEquals(Configuration.HTTP_PORT_DEFAULT, settings.httpPort());
        assertTrue(settings.terminalBinary());
        assertTrue(settings.acquirerBinary());
        assertFalse(settings.terminalTpdu());
        assertFalse(settings.acquirerTpdu());
        assertFalse(settings.acquirerTls().enabled());
        assertEquals(Configuration.ACQUIRER_TLS_CLIENT_AUTH_DEFAULT, settings.acquirerTls().clientAuth());
        assertEquals(Configuration.MAX_IN_FLIGHT_DEFAULT, settings.maxInFlightPerConnection());
        assertEquals(Configuration.MAX_CONNECTIONS_DEFAULT, settings.maxConnections());
        assertEquals(Configuration.IO_THREADS_DEFAULT, settings.ioThreads());
        assertEquals(Configuration.CONNECTION_TIMEOUT_MS_DEFAULT, settings.partialFrameTimeoutMs());
        assertEquals(Configuration.CONNECTION_TIMEOUT_MS_DEFAULT, settings.writeStallTimeoutMs());
        assertEquals(Configuration.JOURNAL_MIN_FREE_BYTES_DEFAULT, settings.journalMinFreeBytes());
        assertEquals(Configuration.RING_SIZE_DEFAULT, settings.ringSize());
        assertEquals(Configuration.RING_WAIT_STRATEGY_DEFAULT, settings.waitStrategy());
        assertEquals(org.unicard.ring.SwitchRing.SHARED, settings.ringThreads(), "auto on 2 cores");
        assertEquals(SwitchSettings.AUTO, settings.duplicateWindowCapacity());
        assertEquals(1_048_576, settings.spendLedgerCapacity());
        assertEquals(Configuration.LMK_DEFAULT, settings.lmkHex());
        assertEquals(new SnapshotSettings(null, Configuration.SNAPSHOT_INTERVAL_RECORDS_DEFAULT, Configuration.SNAPSHOT_INTERVAL_MINUTES_DEFAULT,
            Configuration.SNAPSHOT_WRITE_RATE_DEFAULT, Configuration.SNAPSHOT_KEEP_DEFAULT, Configuration.SNAPSHOT_NICE_DEFAULT,
            Configuration.SNAPSHOT_AFTER_IMPORT_DEFAULT), context.snapshotSettings());
        assertEquals(directory.resolve("journal"), context.journalDirectory());
        assertEquals(directory.resolve("snapshots"), context.snapshotDirectory());
    }

    @Test
    void shouldShipAFileWhoseValuesAreTheConstantsDefaults()
    {
        final Properties shipped = Settings.load(null);

        assertEquals(SwitchContext.switchSettings(new Properties(), "defaults", 2), SwitchContext.switchSettings(shipped, "defaults", 2));
        assertEquals(SwitchContext.snapshotSettings(new Properties(), "none"), SwitchContext.snapshotSettings(shipped, "defaults"));
        assertEquals(ProgramRules.from(new Properties(), "none"), ProgramRules.from(shipped, "defaults"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "ring.size                         | many        | value=\"many\" reason=not a whole number",
        "listener.terminal.port            | 70000       | value=70000 reason=outside range=[0,65535]",
        "ring.size                         | 1000        | value=1000 reason=not a power of two",
        "ring.wait-strategy                | fast        | value=fast reason=expected one of backoff, sleeping, yielding, blocking, busy-spin",
        "ring.threads                      | 3           | value=3 reason=expected shared, 1, 2, 4 or auto",
        "listener.acquirer.packager        | iso93binary | value=iso93binary reason=expected iso87binary or iso87ascii",
        "listener.terminal.tpdu            | yes         | value=yes reason=expected true or false",
        "listener.acquirer.tls.client-auth | always      | value=always reason=expected one of none, optional, require",
        "duplicate-window.capacity         | 0           | value=0 reason=outside range=[1,134217726]",
        "duplicate-window.capacity         | 134217727   | value=134217727 reason=outside range=[1,134217726]",
        "spend-ledger.capacity             | 300000000   | value=300000000 reason=outside range=[16,268435456]",
        "spend-ledger.capacity             | big         | value=\"big\" reason=not a whole number",
        "snapshot.after-import             | 1           | value=1 reason=expected true or false",
        "snapshot.nice                     | 20          | value=20 reason=outside range=[0,19]",
        "pin.max-tries                     | 0           | value=0 reason=outside range=[1,99]",
    })
    void shouldRefuseABadPropertyNamingTheFileAndProperty(final String name, final String value, final String expected) throws IOException
    {
        final Path config = Files.writeString(directory.resolve("site.properties"), name + " = " + value + "\n");
        final SwitchContext context = new SwitchContext().dataDirectory(directory).configFile(config);

        final ConfigurationException error = assertThrows(ConfigurationException.class, context::conclude);

        assertEquals("config=" + config + " property=" + name + " " + expected, error.getMessage());
        assertFalse(context.isConcluded());
    }

    @Test
    void shouldRefuseAnUnknownPropertyNamingTheFile() throws IOException
    {
        final Path config = Files.writeString(directory.resolve("site.properties"), "ring.sise = 1024\n");

        final ConfigurationException error = assertThrows(ConfigurationException.class,
            () -> new SwitchContext().dataDirectory(directory).configFile(config).conclude());

        assertEquals("config file=" + config + " property=ring.sise reason=unknown property", error.getMessage());
    }

    @Test
    void shouldLetTheCommandLineWinOverTheFile() throws IOException
    {
        final Path config = Files.writeString(directory.resolve("site.properties"),
            "listener.terminal.port = 9000\nhttp.port = 9080\nsnapshot.directory = " + directory.resolve("elsewhere") + "\n");
        final Path snapshots = directory.resolve("given");

        final SwitchContext context = new SwitchContext().dataDirectory(directory).configFile(config).ports(0, null, null)
            .snapshotDirectory(snapshots).journalDirectory(directory.resolve("j")).conclude();

        assertEquals(0, context.settings().terminalPort());
        assertEquals(Configuration.ACQUIRER_PORT_DEFAULT, context.settings().acquirerPort());
        assertEquals(9080, context.settings().httpPort());
        assertEquals(snapshots, context.snapshotDirectory());
        assertEquals(directory.resolve("j"), context.journalDirectory());
        assertEquals(directory.resolve("elsewhere"), new SwitchContext().dataDirectory(directory).configFile(config).conclude().snapshotDirectory());
    }

    @Test
    void shouldConcludeOnceAndThenRefuseChanges()
    {
        final SwitchContext context = new SwitchContext().dataDirectory(directory);

        assertSame(context, context.conclude());
        final SwitchSettings settings = context.settings();
        assertSame(context, context.conclude());
        assertSame(settings, context.settings(), "a second conclude() reads nothing again");
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> context.configFile(directory.resolve("x")));
        assertEquals("context concluded: configFile can no longer change", refused.getMessage());
        assertThrows(IllegalStateException.class, () -> context.ports(1, 2, 3));
        assertThrows(IllegalStateException.class, () -> context.dataDirectory(directory));
        assertNull(context.configFile());
    }

    @Test
    void shouldRefuseConcludedValuesBeforeConclude()
    {
        final SwitchContext context = new SwitchContext().dataDirectory(directory);

        assertEquals("context not concluded: call conclude() first", assertThrows(IllegalStateException.class, context::settings).getMessage());
        assertThrows(IllegalStateException.class, context::rules);
        assertThrows(IllegalStateException.class, context::localMasterKey);
    }

    @Test
    void shouldConcludeOnceCorrectedAfterAFailure() throws IOException
    {
        final Path bad = Files.writeString(directory.resolve("bad.properties"), "ring.size = 1000\n");
        final Path good = Files.writeString(directory.resolve("good.properties"), "ring.size = 1024\n");
        final SwitchContext context = new SwitchContext().dataDirectory(directory).configFile(bad);
        assertThrows(ConfigurationException.class, context::conclude);

        context.configFile(good).conclude();

        assertEquals(1024, context.settings().ringSize());
        assertEquals(good.toString(), context.configSource());
    }

    @Test
    void shouldTakeAnExplicitLocalMasterKeyFirst()
    {
        final String hex = "0123456789ABCDEFFEDCBA9876543210";
        final SwitchContext context = new SwitchContext().dataDirectory(directory).lmkHex(hex).conclude();

        assertSame(context.localMasterKey(), context.localMasterKey(), "read once");
        assertEquals(hex, context.lmkHex());
    }
}
