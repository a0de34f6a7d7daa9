package org.unicard.terminal;

import org.unicard.security.TdesKey;

/**
 * What a simulated terminal sends: the fields of one request. Mutable and reused by its owner.
 */
public final class TerminalRequest
{
    public int mti = 200;
    public int processingCode;
    /** PAN digits. */
    public String pan;
    /** Field 4, or -1 to leave it out. */
    public long amount = -1;
    /** Field 49, or -1 to leave it out. */
    public int currency = -1;
    public int stan;
    /** Field 7, MMDDhhmmss. */
    public long transmissionDateTime;
    public String terminalId;
    /** Field 42, or {@code null} (acquirer links). */
    public String merchantId;
    /** Field 32, or -1. */
    public long acquirerId = -1;
    /** Field 14 YYMM, or -1. */
    public int expiry = -1;
    /** The clear PIN entered, or -1 for none. */
    public int pin = -1;
    public int pinLength = 4;
    /** Key that encrypts the PIN block (terminal PIN key or zone PIN key). */
    public TdesKey pinKey;
    /** Key that MACs the request, or {@code null}. */
    public TdesKey macKey;
    /** Field 90 parts for reversals, or -1. */
    public int originalMti = -1;
    public int originalStan;
    public long originalTransmissionDateTime;
    /** Field 70 for 0800. */
    public int networkCode = -1;

    /** Resets to a plain 0200 without optional fields. */
    public TerminalRequest clear()
    {
        mti = 200;
        processingCode = 0;
        pan = null;
        amount = -1;
        currency = -1;
        stan = 0;
        transmissionDateTime = 0;
        terminalId = null;
        merchantId = null;
        acquirerId = -1;
        expiry = -1;
        pin = -1;
        pinLength = 4;
        pinKey = null;
        macKey = null;
        originalMti = -1;
        originalStan = 0;
        originalTransmissionDateTime = 0;
        networkCode = -1;
        return this;
    }
}
