package org.unicard.decode;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ResponseCode;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.listener.ListenerKind;
import org.unicard.ring.RequestEvent;
import org.unicard.state.AcquirerTable;
import org.unicard.state.DataSet;
import org.unicard.state.TerminalTable;

/**
 * The first ring stage's logic: parses a frame and decides the checks that come before the
 * authorizer in spec §7 — format (30), terminal or acquirer (03), MAC (63) — then fills the slot's
 * {@link AuthRequest}, including the PIN verdict. Network management (0800) is answered here.
 * <p>
 * Reads only data that never changes after import (terminals, acquirers, PANs and PVVs), so it
 * may run on its own thread, or on several. Allocation-free.
 */
public final class RequestDecoder
{
    private static final int FIELD_PAN = 2;
    private static final int FIELD_PROCESSING_CODE = 3;
    private static final int FIELD_AMOUNT = 4;
    private static final int FIELD_TRANSMISSION = 7;
    private static final int FIELD_STAN = 11;
    private static final int FIELD_EXPIRY = 14;
    private static final int FIELD_ACQUIRER = 32;
    private static final int FIELD_TRACK2 = 35;
    private static final int FIELD_TERMINAL = 41;
    private static final int FIELD_MERCHANT = 42;
    private static final int FIELD_CURRENCY = 49;
    private static final int FIELD_NETWORK_CODE = 70;
    private static final int FIELD_ORIGINAL_DATA = 90;

    private final TerminalTable terminals;
    private final AcquirerTable acquirers;
    private final PinVerifier pinVerifier;
    private final MacVerifier macVerifier;
    private final DecodeCounters counters;

    /**
     * @param data        the imported data set (read-only here).
     * @param pinVerifier turns field 52 into a PIN verdict.
     * @param macVerifier checks field 64/128.
     * @param counters    counts what this stage drops and declines.
     */
    public RequestDecoder(
        final DataSet data, final PinVerifier pinVerifier, final MacVerifier macVerifier, final DecodeCounters counters)
    {
        this.terminals = data.terminals();
        this.acquirers = data.acquirers();
        this.pinVerifier = pinVerifier;
        this.macVerifier = macVerifier;
        this.counters = counters;
    }

    /**
     * Decodes the slot's frame and sets its action.
     */
    public void decode(final RequestEvent event)
    {
        final boolean binary = event.listener.binary();
        final IsoMessageReader reader = binary ? event.binaryReader : event.asciiReader;
        event.reader = reader;
        event.messageOffset = event.listener.tpdu() ? Framing.TPDU_BYTES : 0;
        final AuthRequest request = event.request;
        request.businessTimeMs = event.businessTimeMs;
        if (event.frameLength <= event.messageOffset)
        {
            drop(event);
            return;
        }
        reader.wrap(event.frame, event.messageOffset, event.frameLength - event.messageOffset);

        final int mti = reader.mti();
        if (!reader.isValid())
        {
            counters.malformed.increment();
            if (mti >= 0 && isRequestMti(mti) && reader.hasField(FIELD_STAN))
            {
                reply(event, ResponseCode.FORMAT_ERROR);
            }
            else
            {
                drop(event);
            }
            return;
        }
        if (!isRequestMti(mti))
        {
            counters.malformed.increment();
            drop(event);
            return;
        }
        if (!reader.hasField(FIELD_STAN))
        {
            counters.malformed.increment();
            drop(event);
            return;
        }
        request.mti = mti;
        request.stan = (int)reader.numeric(FIELD_STAN);
        if (mti != 100 && mti != 200 && mti != 400 && mti != 420 && mti != 800)
        {
            formatError(event);
            return;
        }
        if (!reader.hasField(FIELD_TRANSMISSION) || !reader.hasField(FIELD_TERMINAL) ||
            reader.valueBytes(FIELD_TERMINAL) != TerminalTable.TERMINAL_ID_LENGTH)
        {
            formatError(event);
            return;
        }
        request.transmissionDateTime = reader.numeric(FIELD_TRANSMISSION);
        request.terminalId = reader.buffer().getLong(reader.valueOffset(FIELD_TERMINAL), ByteOrder.BIG_ENDIAN);

        final boolean acquirerLink = event.listener.kind() == ListenerKind.ACQUIRER;
        int macTerminal = -1;
        long acquirerId = AuthRequest.ABSENT;
        if (acquirerLink)
        {
            if (!reader.hasField(FIELD_ACQUIRER) || reader.valueLength(FIELD_ACQUIRER) > AcquirerTable.MAX_ID_DIGITS)
            {
                formatError(event);
                return;
            }
            acquirerId = reader.numeric(FIELD_ACQUIRER);
            final int acquirer = acquirers.indexOf(acquirerId);
            if (acquirer < 0 || !acquirers.active[acquirer])
            {
                reply(event, ResponseCode.INVALID_TERMINAL);
                counters.unknownSource.increment();
                return;
            }
            request.sourceType = AuthRequest.SOURCE_ACQUIRER;
            request.sourceIndex = acquirer;
            request.acquirerId = acquirerId;
        }
        else
        {
            final int terminal = terminals.indexOf(request.terminalId);
            if (mti != 800 && (!reader.hasField(FIELD_MERCHANT) || reader.valueBytes(FIELD_MERCHANT) != TerminalTable.MERCHANT_ID_LENGTH))
            {
                formatError(event);
                return;
            }
            if (terminal < 0 || !terminals.active[terminal] ||
                (mti != 800 && !sameBytes(reader.buffer(), reader.valueOffset(FIELD_MERCHANT), terminals.merchantId[terminal])))
            {
                reply(event, ResponseCode.INVALID_TERMINAL);
                counters.unknownSource.increment();
                return;
            }
            request.sourceType = AuthRequest.SOURCE_TERMINAL;
            request.sourceIndex = terminal;
            macTerminal = terminals.macKey[terminal] != null ? terminal : -1;
        }

        if (macTerminal >= 0 && !macVerifier.verify(reader, macTerminal))
        {
            reply(event, ResponseCode.MAC_FAILURE);
            counters.macFailures.increment();
            return;
        }

        if (mti == 800)
        {
            final long networkCode = reader.hasField(FIELD_NETWORK_CODE) ? reader.numeric(FIELD_NETWORK_CODE) : -1;
            if (networkCode < 0)
            {
                formatError(event);
            }
            else
            {
                reply(event, networkCode == 1 || networkCode == 2 || networkCode == 301 ?
                    ResponseCode.APPROVED : ResponseCode.INVALID_PROCESSING_CODE);
            }
            return;
        }

        if (!reader.hasField(FIELD_PROCESSING_CODE) || !readPan(reader, request))
        {
            formatError(event);
            return;
        }
        request.processingCode = (int)reader.numeric(FIELD_PROCESSING_CODE);
        final int type = request.processingCode / 10_000;
        final boolean needsAmount = type == 0 || type == 1 || type == 20;
        if (reader.hasField(FIELD_AMOUNT))
        {
            request.amount = reader.numeric(FIELD_AMOUNT);
        }
        if (reader.hasField(FIELD_CURRENCY))
        {
            request.currency = currency(reader);
            if (request.currency < 0)
            {
                formatError(event);
                return;
            }
        }
        if (needsAmount && (request.amount == AuthRequest.ABSENT || request.currency == AuthRequest.ABSENT))
        {
            formatError(event);
            return;
        }
        if (reader.hasField(FIELD_EXPIRY))
        {
            request.expiry = (int)reader.numeric(FIELD_EXPIRY);
        }
        if (mti == 400 || mti == 420)
        {
            if (!reader.hasField(FIELD_ORIGINAL_DATA))
            {
                formatError(event);
                return;
            }
            request.originalMti = (int)reader.digits(FIELD_ORIGINAL_DATA, 0, 4);
            request.originalStan = (int)reader.digits(FIELD_ORIGINAL_DATA, 4, 6);
            request.originalTransmissionDateTime = reader.digits(FIELD_ORIGINAL_DATA, 10, 10);
            request.originalAcquirer = reader.digits(FIELD_ORIGINAL_DATA, 20, 11);
        }
        request.contentHash = contentHash(reader, request, acquirerId);
        request.pinResult = pinVerifier.verify(reader, request);
        event.action = RequestEvent.ACTION_AUTHORIZE;
    }

    /**
     * Reads the PAN from field 2, else from track 2 (digits before the separator), with the
     * expiry that follows the separator in track 2.
     *
     * @return {@code false} when neither field is present.
     */
    private static boolean readPan(final IsoMessageReader reader, final AuthRequest request)
    {
        if (reader.hasField(FIELD_PAN))
        {
            final int digits = reader.valueLength(FIELD_PAN);
            request.panDigits = digits;
            request.pan = digits <= 18 ? reader.numeric(FIELD_PAN) : nineteenDigits(reader, FIELD_PAN);
            if (request.pan < 0)
            {
                request.pan = 0;
            }
        }
        if (reader.hasField(FIELD_TRACK2))
        {
            final int length = reader.valueLength(FIELD_TRACK2);
            int separator = -1;
            for (int i = 0; i < length && i < 20; i++)
            {
                if (reader.charAt(FIELD_TRACK2, i) == '=')
                {
                    separator = i;
                    break;
                }
            }
            if (!reader.hasField(FIELD_PAN))
            {
                final int digits = separator < 0 ? Math.min(length, 19) : separator;
                request.panDigits = digits;
                request.pan = digits == 0 ? 0 : digits <= 18 ? reader.digits(FIELD_TRACK2, 0, digits) : nineteenDigits(reader, FIELD_TRACK2);
                if (request.pan < 0)
                {
                    request.pan = 0;
                }
            }
            if (separator >= 0 && separator + 5 <= length && request.expiry == AuthRequest.ABSENT)
            {
                final long expiry = reader.digits(FIELD_TRACK2, separator + 1, 4);
                if (expiry >= 0)
                {
                    request.expiry = (int)expiry;
                }
            }
        }
        return reader.hasField(FIELD_PAN) || reader.hasField(FIELD_TRACK2);
    }

    /**
     * @return a 19-digit PAN as a long, or 0 when it is above {@link Long#MAX_VALUE} (no card has
     * such a PAN: the importer refuses them).
     */
    private static long nineteenDigits(final IsoMessageReader reader, final int field)
    {
        final long head = reader.digits(field, 0, 18);
        final long last = reader.digits(field, 18, 1);
        if (head < 0 || last < 0 || head > (Long.MAX_VALUE - last) / 10)
        {
            return 0;
        }
        return head * 10 + last;
    }

    private static int currency(final IsoMessageReader reader)
    {
        if (reader.valueLength(FIELD_CURRENCY) != 3)
        {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < 3; i++)
        {
            final int c = reader.charAt(FIELD_CURRENCY, i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private long contentHash(final IsoMessageReader reader, final AuthRequest request, final long acquirerId)
    {
        long h = 0x9E3779B97F4A7C15L;
        h = mix(h, request.pan);
        h = mix(h, request.panDigits);
        h = mix(h, request.processingCode);
        h = mix(h, request.amount);
        h = mix(h, request.currency);
        h = mix(h, request.terminalId);
        h = mix(h, acquirerId);
        if (reader.hasField(FIELD_MERCHANT))
        {
            final DirectBuffer buffer = reader.buffer();
            final int offset = reader.valueOffset(FIELD_MERCHANT);
            final int bytes = reader.valueBytes(FIELD_MERCHANT);
            for (int i = 0; i < bytes; i++)
            {
                h = mix(h, buffer.getByte(offset + i));
            }
        }
        return h;
    }

    private static long mix(final long hash, final long value)
    {
        long h = (hash ^ value) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
        return h * 0x94D049BB133111EBL;
    }

    private static boolean sameBytes(final DirectBuffer buffer, final int offset, final byte[] expected)
    {
        for (int i = 0; i < expected.length; i++)
        {
            if (buffer.getByte(offset + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isRequestMti(final int mti)
    {
        // Message function (third digit) 0 = request, 2 = advice; responses and others are not answered.
        final int function = (mti / 10) % 10;
        return function == 0 || function == 2;
    }

    private void formatError(final RequestEvent event)
    {
        counters.malformed.increment();
        reply(event, ResponseCode.FORMAT_ERROR);
    }

    private static void reply(final RequestEvent event, final int code)
    {
        event.action = RequestEvent.ACTION_REPLY;
        event.directCode = code;
    }

    private void drop(final RequestEvent event)
    {
        counters.dropped.increment();
        event.action = RequestEvent.ACTION_DROP;
    }
}
