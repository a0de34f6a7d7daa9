package org.unicard.config;

import java.util.Properties;

import org.unicard.authorizer.DuplicateWindow;

/**
 * The process's runtime settings (not journaled), read from the merged configuration. Each one
 * is named in {@code config/unicard.properties}, which documents it.
 *
 * @param bindAddress              address the TCP listeners bind.
 * @param terminalPort             terminal listener port.
 * @param acquirerPort             acquirer listener port.
 * @param terminalBinary           terminal listener speaks iso87binary (else iso87ascii).
 * @param terminalTpdu             terminal frames start with a TPDU.
 * @param acquirerBinary           acquirer listener speaks iso87binary.
 * @param acquirerTpdu             acquirer frames start with a TPDU.
 * @param maxInFlightPerConnection requests one connection may have in the ring.
 * @param maxConnections           open connections per listener.
 * @param ioThreads                Netty event-loop threads.
 * @param httpPort                 HTTP port on 127.0.0.1.
 * @param ringSize                 ring slots (a power of two).
 * @param waitStrategy             how ring stages wait.
 * @param ringThreads              threads running the ring's four stages: 1, 2 or 4.
 * @param duplicateWindowCapacity  requests the exactly-once window holds, or {@link #AUTO} to size it
 *                                 from the data set ({@link #duplicateWindowCapacity(int, int)}).
 * @param spendLedgerCapacity      card-terminal pairs tracked for returns.
 * @param lmkHex                   the LMK from the configuration, or empty.
 * @param acquirerTls              TLS on the acquirer listener (off by default).
 * @param partialFrameTimeoutMs    a connection holding an incomplete frame this long is closed.
 * @param writeStallTimeoutMs      a connection whose peer reads no response for this long is closed.
 * @param journalMinFreeBytes      free space the journal's file system must keep; below it the journal refuses records.
 * @param stopDrainTimeoutMs       on SIGTERM, the longest wait for requests already taken to be answered, written and journaled.
 */
public record SwitchSettings(
    String bindAddress,
    int terminalPort,
    int acquirerPort,
    boolean terminalBinary,
    boolean terminalTpdu,
    boolean acquirerBinary,
    boolean acquirerTpdu,
    int maxInFlightPerConnection,
    int maxConnections,
    int ioThreads,
    int httpPort,
    int ringSize,
    String waitStrategy,
    int ringThreads,
    int duplicateWindowCapacity,
    int spendLedgerCapacity,
    String lmkHex,
    TlsSettings acquirerTls,
    long partialFrameTimeoutMs,
    long writeStallTimeoutMs,
    long journalMinFreeBytes,
    long stopDrainTimeoutMs)
{
    /** Default of {@code stop.drain-timeout-ms}. */
    public static final long DEFAULT_STOP_DRAIN_TIMEOUT_MS = 10_000;

    /**
     * @param properties the merged configuration.
     * @param source     where it came from, for error messages.
     * @return the settings, every value checked.
     */
    public static SwitchSettings from(final Properties properties, final String source)
    {
        final int ringSize = (int)Settings.longValue(properties, source, "ring.size", 4096, 64, DuplicateWindow.DETAIL_ENTRIES);
        if (Integer.bitCount(ringSize) != 1)
        {
            throw new ConfigurationException("config=" + source + " property=ring.size value=" + ringSize + " reason=not a power of two");
        }
        final String waitStrategy = Settings.stringValue(properties, "ring.wait-strategy", "backoff");
        if (!waitStrategy.matches("backoff|sleeping|yielding|blocking|busy-spin"))
        {
            throw new ConfigurationException("config=" + source + " property=ring.wait-strategy value=" + waitStrategy +
                " reason=expected one of backoff, sleeping, yielding, blocking, busy-spin");
        }
        final int ringThreads = ringThreads(properties, source, Runtime.getRuntime().availableProcessors());
        return new SwitchSettings(
            Settings.stringValue(properties, "listener.bind-address", "0.0.0.0"),
            (int)Settings.longValue(properties, source, "listener.terminal.port", 8583, 0, 65535),
            (int)Settings.longValue(properties, source, "listener.acquirer.port", 8584, 0, 65535),
            packager(properties, source, "listener.terminal.packager"),
            bool(properties, source, "listener.terminal.tpdu"),
            packager(properties, source, "listener.acquirer.packager"),
            bool(properties, source, "listener.acquirer.tpdu"),
            (int)Settings.longValue(properties, source, "listener.max-in-flight-per-connection", 64, 1, 4096),
            (int)Settings.longValue(properties, source, "listener.max-connections", 20_000, 1, 1_000_000),
            (int)Settings.longValue(properties, source, "listener.io-threads", 1, 1, 64),
            (int)Settings.longValue(properties, source, "http.port", 8080, 0, 65535),
            ringSize,
            waitStrategy,
            ringThreads,
            duplicateWindowCapacity(properties, source),
            (int)Settings.longValue(properties, source, "spend-ledger.capacity", 1_048_576, 16, 1 << 30),
            Settings.stringValue(properties, "security.lmk", ""),
            tls(properties, source, TlsSettings.ACQUIRER_PREFIX),
            Settings.longValue(properties, source, "listener.partial-frame-timeout-ms", 30_000, 100, 86_400_000),
            Settings.longValue(properties, source, "listener.write-stall-timeout-ms", 30_000, 100, 86_400_000),
            Settings.longValue(properties, source, "journal.min-free-bytes", 64L << 20, 0, 1L << 50),
            Settings.longValue(properties, source, "stop.drain-timeout-ms", DEFAULT_STOP_DRAIN_TIMEOUT_MS, 100, 600_000));
    }

    /**
     * @return these settings with the ports replaced (command-line options win over the file).
     */
    public SwitchSettings withPorts(final int terminal, final int acquirer, final int http)
    {
        return new SwitchSettings(bindAddress, terminal, acquirer, terminalBinary, terminalTpdu, acquirerBinary, acquirerTpdu,
            maxInFlightPerConnection, maxConnections, ioThreads, http, ringSize, waitStrategy, ringThreads, duplicateWindowCapacity,
            spendLedgerCapacity, lmkHex, acquirerTls, partialFrameTimeoutMs, writeStallTimeoutMs, journalMinFreeBytes, stopDrainTimeoutMs);
    }

    /** {@code duplicate-window.capacity = auto}: sized from the data set. */
    public static final int AUTO = 0;
    /**
     * Requests a household makes in 48 hours at national rates: about 35 million requests a day (bread
     * for 23 million households, plus ration, health and wallet) is 1.5 a household a day, 3.04 in 48
     * hours; with a margin, 3.2 (docs/design.md, "Exactly once").
     */
    public static final int WINDOW_ENTRIES_PER_THOUSAND_HOUSEHOLDS = 3_200;
    /** Fewest entries an automatically sized window holds (96 MiB): room for load tests of a small data set. */
    public static final int WINDOW_MIN_AUTO_ENTRIES = 4_194_304;

    /**
     * @param configured {@code duplicate-window.capacity}, or {@link #AUTO}.
     * @param households the household table's capacity.
     * @return the duplicate window's capacity in entries.
     */
    public static int duplicateWindowCapacity(final int configured, final int households)
    {
        if (configured != AUTO)
        {
            return configured;
        }
        final long sized = (long)households * WINDOW_ENTRIES_PER_THOUSAND_HOUSEHOLDS / 1_000;
        return (int)Math.min(DuplicateWindow.MAX_CAPACITY, Math.max(WINDOW_MIN_AUTO_ENTRIES, sized));
    }

    private static int duplicateWindowCapacity(final Properties properties, final String source)
    {
        final String value = Settings.stringValue(properties, "duplicate-window.capacity", "auto");
        if ("auto".equals(value.trim()))
        {
            return AUTO;
        }
        return (int)Settings.longValue(properties, source, "duplicate-window.capacity", AUTO, DuplicateWindow.MIN_CAPACITY,
            DuplicateWindow.MAX_CAPACITY);
    }

    /**
     * {@code ring.threads}: 1, 2 or 4, or {@code auto}: 1 thread on up to 2 cores (fewest hand-overs
     * and wake-ups; measured best on the 2-core machines, docs/performance.md), 2 up to 4 cores (the
     * ring then leaves room for the event loops and the rest of the machine), 4 above.
     */
    static int ringThreads(final Properties properties, final String source, final int cores)
    {
        final String value = Settings.stringValue(properties, "ring.threads", "auto");
        return switch (value)
        {
            case "auto" -> cores <= 2 ? 1 : cores <= 4 ? 2 : 4;
            case "1" -> 1;
            case "2" -> 2;
            case "4" -> 4;
            default -> throw new ConfigurationException("config=" + source + " property=ring.threads value=" + value +
                " reason=expected 1, 2, 4 or auto");
        };
    }

    private static TlsSettings tls(final Properties properties, final String source, final String prefix)
    {
        final boolean enabled = bool(properties, source, prefix);
        final String clientAuth = Settings.stringValue(properties, prefix + ".client-auth", "none");
        if (!clientAuth.matches("none|optional|require"))
        {
            throw new ConfigurationException("config=" + source + " property=" + prefix + ".client-auth value=" + clientAuth +
                " reason=expected one of none, optional, require");
        }
        return new TlsSettings(
            enabled,
            Settings.stringValue(properties, prefix + ".keystore", ""),
            password(properties, prefix + ".keystore-password"),
            clientAuth,
            Settings.stringValue(properties, prefix + ".truststore", ""),
            password(properties, prefix + ".truststore-password"),
            source);
    }

    private static String password(final Properties properties, final String name)
    {
        final String text = properties.getProperty(name);
        return text == null ? "" : text;
    }

    private static boolean packager(final Properties properties, final String source, final String name)
    {
        final String value = Settings.stringValue(properties, name, "iso87binary");
        return switch (value)
        {
            case "iso87binary" -> true;
            case "iso87ascii" -> false;
            default -> throw new ConfigurationException(
                "config=" + source + " property=" + name + " value=" + value + " reason=expected iso87binary or iso87ascii");
        };
    }

    private static boolean bool(final Properties properties, final String source, final String name)
    {
        final String value = Settings.stringValue(properties, name, "false");
        return switch (value)
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(
                "config=" + source + " property=" + name + " value=" + value + " reason=expected true or false");
        };
    }
}
