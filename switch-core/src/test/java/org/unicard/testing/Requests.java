package org.unicard.testing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.unicard.authorizer.AuthRequest;
import org.unicard.state.TerminalTable;

/**
 * Builds {@link AuthRequest}s as the decode stage fills them. Field 7 defaults to the business time
 * in UTC (MMDDhhmmss) and the content hash to a digest of PAN, processing code, amount, currency,
 * terminal and source, so that equal content gives an equal hash and a reversal built by
 * {@link #reversalOf} carries its original's hash.
 */
public final class Requests
{
    private final AuthRequest request = new AuthRequest();
    private boolean contentHashSet;
    private boolean transmissionSet;

    private Requests(final int mti)
    {
        request.clear();
        request.mti = mti;
    }

    /** A 0200 financial request. */
    public static Requests financial()
    {
        return new Requests(200);
    }

    /** A 0100 authorization request. */
    public static Requests authorization()
    {
        return new Requests(100);
    }

    /**
     * A 0400 reversal of an original: same source, terminal, card, processing code, amount and
     * currency, field 90 naming the original. Give it its own STAN and time.
     */
    public static Requests reversalOf(final AuthRequest original)
    {
        return reversalOf(original, 400);
    }

    /** A 0420 reversal advice of an original. */
    public static Requests adviceOf(final AuthRequest original)
    {
        return reversalOf(original, 420);
    }

    private static Requests reversalOf(final AuthRequest original, final int mti)
    {
        final Requests reversal = new Requests(mti);
        final AuthRequest r = reversal.request;
        r.sourceType = original.sourceType;
        r.sourceIndex = original.sourceIndex;
        r.terminalId = original.terminalId;
        r.pan = original.pan;
        r.panDigits = original.panDigits;
        r.processingCode = original.processingCode;
        r.amount = original.amount;
        r.currency = original.currency;
        r.expiry = original.expiry;
        r.originalMti = original.mti;
        r.originalStan = original.stan;
        r.originalTransmissionDateTime = original.transmissionDateTime;
        r.businessTimeMs = original.businessTimeMs;
        return reversal;
    }

    /** An operator command on a card. */
    public static Requests command(final byte command, final long pan)
    {
        final Requests operator = new Requests(0);
        operator.request.sourceType = AuthRequest.SOURCE_OPERATOR;
        operator.request.command = command;
        operator.card(pan);
        return operator;
    }

    /** From a registered terminal of {@link TestData}. */
    public Requests terminal(final int terminal)
    {
        request.sourceType = AuthRequest.SOURCE_TERMINAL;
        request.sourceIndex = terminal;
        request.terminalId = TestData.terminalId(terminal);
        return this;
    }

    /** From an acquirer link of {@link TestData}, with the acquirer's own terminal id. */
    public Requests acquirer(final int acquirer, final String terminalId)
    {
        request.sourceType = AuthRequest.SOURCE_ACQUIRER;
        request.sourceIndex = acquirer;
        request.terminalId = TerminalTable.packTerminalId(terminalId);
        return this;
    }

    /** A card's PAN with its own digit count. */
    public Requests card(final long pan)
    {
        return pan(pan, Long.toString(pan).length());
    }

    public Requests pan(final long pan, final int digits)
    {
        request.pan = pan;
        request.panDigits = digits;
        return this;
    }

    /** Field 3 as a number: "009200" (00/92, bread purchase) is 9200, "019500" is 19500. */
    public Requests code(final int processingCode)
    {
        request.processingCode = processingCode;
        return this;
    }

    /** Field 4 in piasters with field 49 = 818. */
    public Requests egp(final long piasters)
    {
        request.amount = piasters;
        request.currency = 818;
        return this;
    }

    /** Field 4 in loaves with field 49 = 999. */
    public Requests loaves(final long loaves)
    {
        request.amount = loaves;
        request.currency = 999;
        return this;
    }

    public Requests amount(final long amount)
    {
        request.amount = amount;
        return this;
    }

    public Requests currency(final int currency)
    {
        request.currency = currency;
        return this;
    }

    public Requests stan(final int stan)
    {
        request.stan = stan;
        return this;
    }

    /** Field 7 as MMDDhhmmss. */
    public Requests field7(final long transmissionDateTime)
    {
        request.transmissionDateTime = transmissionDateTime;
        transmissionSet = true;
        return this;
    }

    public Requests at(final long businessTimeMs)
    {
        request.businessTimeMs = businessTimeMs;
        return this;
    }

    public Requests at(final ZonedDateTime businessTime)
    {
        return at(businessTime.toInstant().toEpochMilli());
    }

    public Requests expiry(final int yyMm)
    {
        request.expiry = yyMm;
        return this;
    }

    public Requests rightPin()
    {
        request.pinResult = AuthRequest.PIN_CORRECT;
        return this;
    }

    public Requests wrongPin()
    {
        request.pinResult = AuthRequest.PIN_WRONG;
        return this;
    }

    public Requests contentHash(final long digest)
    {
        request.contentHash = digest;
        contentHashSet = true;
        return this;
    }

    public Requests mti(final int mti)
    {
        request.mti = mti;
        return this;
    }

    /** Field 90 of a reversal. */
    public Requests original(final int mti, final int stan, final long transmissionDateTime)
    {
        request.originalMti = mti;
        request.originalStan = stan;
        request.originalTransmissionDateTime = transmissionDateTime;
        return this;
    }

    /**
     * @return a new request; this builder may go on to build variants.
     */
    public AuthRequest build()
    {
        final AuthRequest built = new AuthRequest();
        built.copyFrom(request);
        if (!transmissionSet && request.sourceType != AuthRequest.SOURCE_OPERATOR)
        {
            built.transmissionDateTime = field7Of(request.businessTimeMs);
        }
        if (!contentHashSet)
        {
            built.contentHash = contentHashOf(built);
        }
        return built;
    }

    /**
     * @return field 7 (MMDDhhmmss, UTC) of an instant.
     */
    public static long field7Of(final long epochMs)
    {
        final ZonedDateTime utc = Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC);
        return utc.getMonthValue() * 100_000_000L + utc.getDayOfMonth() * 1_000_000L + utc.getHour() * 10_000L +
            utc.getMinute() * 100L + utc.getSecond();
    }

    /**
     * @return the digest of the fields a retransmission and a reversal must repeat.
     */
    public static long contentHashOf(final AuthRequest r)
    {
        long h = 0x243F_6A88_85A3_08D3L;
        h = mix(h, r.pan);
        h = mix(h, r.panDigits);
        h = mix(h, r.processingCode);
        h = mix(h, r.amount);
        h = mix(h, r.currency);
        h = mix(h, r.terminalId);
        h = mix(h, r.sourceType);
        h = mix(h, r.sourceIndex);
        return h;
    }

    private static long mix(final long h, final long value)
    {
        final long x = (h ^ value) * 0x9E37_79B9_7F4A_7C15L;
        return x ^ (x >>> 31);
    }
}
