package org.unicard.metrics;

import org.HdrHistogram.Recorder;
import org.unicard.authorizer.ProcessingCode;
import org.unicard.state.TerminalType;

/**
 * Counts of answered requests by message class, terminal type and response code, and by
 * processing code, plus the latency from frame arrival to reply. Written by the reply thread
 * only ({@link SingleWriterCounterArray}: release stores, no read-modify-write contention, no
 * allocation); read by the scrape.
 */
public final class RequestCounters
{
    /** Message classes: 0100, 0200, 0400/0420, 0800, anything else. */
    public static final String[] MESSAGE_CLASSES = {"0100", "0200", "0400", "0800", "other"};
    /** Terminal types by {@link TerminalType} code, then "unknown" for answers before the terminal was known. */
    public static final String[] TERMINAL_TYPES = {"bakery", "grocer", "health", "post", "acquirer", "unknown"};
    public static final int CODES = 100;
    /** Processing codes counted: type (00, 01, 20, 31) by account (00, 91..95); index 24 = any other. */
    public static final int[] TYPES = {0, 1, 20, 31};
    public static final int[] ACCOUNTS = {0, 91, 92, 93, 94, 95};

    private final SingleWriterCounterArray byClassTypeCode =
        new SingleWriterCounterArray(MESSAGE_CLASSES.length * TERMINAL_TYPES.length * CODES);
    private final SingleWriterCounterArray byProcessingCode = new SingleWriterCounterArray(TYPES.length * ACCOUNTS.length + 1);
    /** Latencies above this (a minute) are recorded as this: a fixed range means the recorder never resizes (allocates). */
    public static final long MAX_LATENCY_NS = 60_000_000_000L;

    private final Recorder latencyNs = new Recorder(1, MAX_LATENCY_NS, 3);

    /** Governorate codes counted (the national id's two digits, 01..99); 0 = no terminal known. */
    public static final int GOVERNORATES = 100;
    /** Answers by the terminal's governorate, approved (even index) or declined (odd). */
    private final SingleWriterCounterArray byGovernorate = new SingleWriterCounterArray(GOVERNORATES * 2);

    /**
     * Counts one answer by its terminal's governorate (spec §10: terminals.csv). Reply thread only.
     *
     * @param governorate the terminal's governorate code, or 0 when the answer has no known terminal.
     * @param code        the response code.
     */
    public void answeredIn(final int governorate, final int code)
    {
        final int bounded = governorate < 0 || governorate >= GOVERNORATES ? 0 : governorate;
        byGovernorate.increment(bounded * 2 + (code == 0 ? 0 : 1));
    }

    /**
     * @return answers counted in a governorate, approved or not.
     */
    public long governorateCount(final int governorate, final boolean approved)
    {
        return byGovernorate.get(governorate * 2 + (approved ? 0 : 1));
    }

    /**
     * Counts one answer. Reply thread only.
     *
     * @param mti            request MTI (e.g. 200), or -1.
     * @param terminalType   a {@link TerminalType} code, or -1 when unknown.
     * @param code           the response code.
     * @param processingCode field 3, or -1.
     * @param latencyNs      frame arrival to reply.
     */
    public void answered(final int mti, final int terminalType, final int code, final int processingCode, final long latencyNs)
    {
        final int index = index(messageClass(mti), terminalType < 0 ? TERMINAL_TYPES.length - 1 : terminalType, code);
        byClassTypeCode.increment(index);
        if (processingCode >= 0)
        {
            final int pc = processingCodeIndex(processingCode);
            byProcessingCode.increment(pc);
        }
        this.latencyNs.recordValue(Math.min(Math.max(1, latencyNs), MAX_LATENCY_NS));
    }

    public long count(final int messageClass, final int terminalType, final int code)
    {
        return byClassTypeCode.get(index(messageClass, terminalType, code));
    }

    public long processingCodeCount(final int index)
    {
        return byProcessingCode.get(index);
    }

    public Recorder latencyRecorder()
    {
        return latencyNs;
    }

    static int messageClass(final int mti)
    {
        return switch (mti)
        {
            case 100 -> 0;
            case 200 -> 1;
            case 400, 420 -> 2;
            case 800 -> 3;
            default -> 4;
        };
    }

    private static int index(final int messageClass, final int terminalType, final int code)
    {
        final int boundedCode = code < 0 || code >= CODES ? CODES - 1 : code;
        return (messageClass * TERMINAL_TYPES.length + terminalType) * CODES + boundedCode;
    }

    static int processingCodeIndex(final int processingCode)
    {
        final int type = ProcessingCode.type(processingCode);
        final int account = ProcessingCode.account(processingCode);
        if (!ProcessingCode.isWellFormed(processingCode))
        {
            return TYPES.length * ACCOUNTS.length;
        }
        for (int t = 0; t < TYPES.length; t++)
        {
            if (TYPES[t] != type)
            {
                continue;
            }
            for (int a = 0; a < ACCOUNTS.length; a++)
            {
                if (ACCOUNTS[a] == account)
                {
                    return t * ACCOUNTS.length + a;
                }
            }
        }
        return TYPES.length * ACCOUNTS.length;
    }

    /**
     * @return the label of a processing-code index, e.g. "00/92", or "other".
     */
    static String processingCodeLabel(final int index)
    {
        if (index == TYPES.length * ACCOUNTS.length)
        {
            return "other";
        }
        return String.format("%02d/%02d", TYPES[index / ACCOUNTS.length], ACCOUNTS[index % ACCOUNTS.length]);
    }
}
