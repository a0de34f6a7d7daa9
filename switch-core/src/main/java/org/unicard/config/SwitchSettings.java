package org.unicard.config;

import org.unicard.context.Configuration;
import org.unicard.context.SwitchContext;

/**
 * The process's runtime settings (not journaled), as {@link SwitchContext#conclude()} read and checked
 * them. Each one is named, with its default, in {@link org.unicard.context.Configuration} and documented
 * in {@code config/unicard.properties}.
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
 * @param spendLedgerCapacity      card-terminal pairs tracked for returns, or {@link #AUTO} to size it
 *                                 from the data set ({@link #spendLedgerCapacity(int, int)}).
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
     * @param configured {@code duplicate-window.capacity}, or {@link #AUTO}.
     * @param households the household table's capacity.
     * @return the duplicate window's capacity in entries: as configured, or sized from the households
     *         ({@link Configuration#DUPLICATE_WINDOW_AUTO_ENTRIES_PER_THOUSAND_HOUSEHOLDS}, at least
     *         {@link Configuration#DUPLICATE_WINDOW_AUTO_MIN_ENTRIES}).
     */
    public static int duplicateWindowCapacity(final int configured, final int households)
    {
        if (configured != AUTO)
        {
            return configured;
        }
        return perHousehold(households, Configuration.DUPLICATE_WINDOW_AUTO_ENTRIES_PER_THOUSAND_HOUSEHOLDS,
            Configuration.DUPLICATE_WINDOW_AUTO_MIN_ENTRIES, Configuration.DUPLICATE_WINDOW_CAPACITY_MAX);
    }

    /**
     * @param configured {@code spend-ledger.capacity}: pairs, or {@link #AUTO}.
     * @param households the household table's capacity (its rows and the room for live changes).
     * @return the pairs the spend ledger is built for: the configured number, or for {@link #AUTO}
     *         {@link Configuration#SPEND_LEDGER_AUTO_ENTRIES_PER_THOUSAND_HOUSEHOLDS} per thousand
     *         households, at least {@link Configuration#SPEND_LEDGER_AUTO_MIN_ENTRIES}.
     */
    public static int spendLedgerCapacity(final int configured, final int households)
    {
        if (configured != AUTO)
        {
            return configured;
        }
        return perHousehold(households, Configuration.SPEND_LEDGER_AUTO_ENTRIES_PER_THOUSAND_HOUSEHOLDS,
            Configuration.SPEND_LEDGER_AUTO_MIN_ENTRIES, Configuration.SPEND_LEDGER_CAPACITY_MAX);
    }

    private static int perHousehold(final int households, final int perThousand, final long min, final long max)
    {
        return (int)Math.min(max, Math.max(min, (long)households * perThousand / 1_000));
    }
}
