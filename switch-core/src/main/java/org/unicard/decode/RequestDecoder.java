package org.unicard.decode;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ProcessingCode;
import org.unicard.authorizer.ResponseCode;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.message.IsoFields;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.iso8583.message.Mti;
import org.unicard.iso8583.message.NetworkCode;
import org.unicard.listener.ListenerKind;
import org.unicard.ring.RequestEvent;
import org.unicard.security.RetailMacBatch;
import org.unicard.state.AcquirerTable;
import org.unicard.state.DataSet;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;

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
    /** {@link #decodeAll}: the request was answered or dropped before its MAC check. */
    private static final int NOT_DECODING = -3;
    /** {@link #decodeAll}: the request's terminal has no MAC key, so it needs no MAC. */
    private static final int NO_MAC_KEY = -2;

    private final TerminalTable terminals;
    private final AcquirerTable acquirers;
    private final PinVerifier pinVerifier;
    private final MacVerifier macVerifier;
    private final DecodeCounters counters;
    /** The MACs of a {@link #decodeAll} batch, and each request's lane in it (or one of the two marks above). */
    private final RetailMacBatch macs = new RetailMacBatch();
    private final int[] macLanes = new int[RetailMacBatch.LANES];

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
     * Decodes the slot's frame and sets its action: the checks of spec §7 up to the MAC, in order,
     * each step stopping the request with an answer (or a drop) when it fails.
     */
    public void decode(final RequestEvent event)
    {
        if (decodeToMac(event))
        {
            decodeFromMac(event, event.macTerminal < 0 || macVerifier.verify(event.reader, event.macTerminal));
        }
    }

    /**
     * Decodes several slots' frames, as {@link #decode} would one after the other, but checks their
     * MACs together ({@link RetailMacBatch}: bitsliced when there are enough of them). The checks of
     * each request keep their order (format, source, MAC, the rest); only the DES work is shared.
     *
     * @param events the slots, in ring order.
     * @param count  how many, 1 to {@link RetailMacBatch#LANES}.
     */
    public void decodeAll(final RequestEvent[] events, final int count)
    {
        macs.clear();
        for (int i = 0; i < count; i++)
        {
            final RequestEvent event = events[i];
            macLanes[i] = NOT_DECODING;
            if (decodeToMac(event))
            {
                macLanes[i] = event.macTerminal < 0 ? NO_MAC_KEY : macVerifier.add(macs, event.reader, event.macTerminal);
            }
        }
        counters.macsVerifiedTogether.add(macs.compute());
        for (int i = 0; i < count; i++)
        {
            final int lane = macLanes[i];
            if (lane != NOT_DECODING)
            {
                final RequestEvent event = events[i];
                decodeFromMac(event, NO_MAC_KEY == lane || (lane >= 0 && macVerifier.verify(macs, lane, event.reader)));
            }
        }
        macs.clear();
    }

    /**
     * The checks before the MAC: format (first part) and source.
     *
     * @return whether the request goes on to its MAC check ({@link #decodeFromMac}); else the slot's action is set.
     */
    private boolean decodeToMac(final RequestEvent event)
    {
        final IsoMessageReader reader = event.listener.binary() ? event.binaryReader : event.asciiReader;
        event.reader = reader;
        event.messageOffset = event.listener.tpdu() ? Framing.TPDU_BYTES : 0;
        event.request.businessTimeMs = event.businessTimeMs;
        event.terminalType = -1;
        event.macTerminal = -1;
        return readHeader(event, reader) && identifySource(event, reader);
    }

    /**
     * The MAC's verdict, then the checks after it.
     *
     * @param macRight whether the request's MAC is right, or it needs none (its terminal has no MAC key).
     */
    private void decodeFromMac(final RequestEvent event, final boolean macRight)
    {
        final IsoMessageReader reader = event.reader;
        if (!macRight)
        {
            reply(event, ResponseCode.MAC_FAILURE);
            counters.macFailures.increment();
            return;
        }
        if (event.request.mti == Mti.NETWORK_REQUEST)
        {
            answerNetworkManagement(event, reader);
            return;
        }
        if (!readTransaction(event, reader))
        {
            return;
        }
        final AuthRequest request = event.request;
        request.contentHash = contentHash(reader, request, request.acquirerId);
        request.pinResult = pinVerifier.verify(reader, request);
        event.action = RequestEvent.ACTION_AUTHORIZE;
    }

    /**
     * Format (30), first part: a request MTI the switch answers, the STAN (without it nothing can be
     * answered: dropped), field 7 and the terminal id.
     *
     * @return whether decoding goes on; else the slot's action is set.
     */
    private boolean readHeader(final RequestEvent event, final IsoMessageReader reader)
    {
        if (event.frameLength <= event.messageOffset)
        {
            drop(event);
            return false;
        }
        reader.wrap(event.frame, event.messageOffset, event.frameLength - event.messageOffset);

        final int mti = reader.mti();
        if (!reader.isValid())
        {
            counters.malformed.increment();
            if (mti >= 0 && Mti.isRequestOrAdvice(mti) && reader.hasField(IsoFields.STAN))
            {
                reply(event, ResponseCode.FORMAT_ERROR);
            }
            else
            {
                drop(event);
            }
            return false;
        }
        if (!Mti.isRequestOrAdvice(mti) || !reader.hasField(IsoFields.STAN))
        {
            counters.malformed.increment();
            drop(event);
            return false;
        }
        final AuthRequest request = event.request;
        request.mti = mti;
        request.stan = (int)reader.numeric(IsoFields.STAN);
        if (!Mti.isSupportedRequest(mti) || !reader.hasField(IsoFields.TRANSMISSION_DATE_TIME) ||
            !reader.hasField(IsoFields.TERMINAL) || reader.valueBytes(IsoFields.TERMINAL) != TerminalTable.TERMINAL_ID_LENGTH)
        {
            formatError(event);
            return false;
        }
        request.transmissionDateTime = reader.numeric(IsoFields.TRANSMISSION_DATE_TIME);
        request.terminalId = reader.buffer().getLong(reader.valueOffset(IsoFields.TERMINAL), ByteOrder.BIG_ENDIAN);
        return true;
    }

    /**
     * Terminal or acquirer (03, and 30 for a missing field 32 or 42): the request's source, and with
     * it the terminal type and the terminal whose MAC key signs the request and its answer, both kept
     * in the slot for the stages after this one.
     *
     * @return whether decoding goes on; else the slot's action is set.
     */
    private boolean identifySource(final RequestEvent event, final IsoMessageReader reader)
    {
        final AuthRequest request = event.request;
        if (event.listener.kind() == ListenerKind.ACQUIRER)
        {
            if (!reader.hasField(IsoFields.ACQUIRER) || reader.valueLength(IsoFields.ACQUIRER) > AcquirerTable.MAX_ID_DIGITS)
            {
                formatError(event);
                return false;
            }
            final long acquirerId = reader.numeric(IsoFields.ACQUIRER);
            final int acquirer = acquirers.indexOf(acquirerId);
            if (acquirer < 0 || !acquirers.active[acquirer])
            {
                reply(event, ResponseCode.INVALID_TERMINAL);
                counters.unknownSource.increment();
                return false;
            }
            request.sourceType = AuthRequest.SOURCE_ACQUIRER;
            request.sourceIndex = acquirer;
            request.acquirerId = acquirerId;
            event.terminalType = TerminalType.ACQUIRER_LINK;
            return true;
        }
        final boolean network = request.mti == Mti.NETWORK_REQUEST;
        final int terminal = terminals.indexOf(request.terminalId);
        if (!network && (!reader.hasField(IsoFields.MERCHANT) || reader.valueBytes(IsoFields.MERCHANT) != TerminalTable.MERCHANT_ID_LENGTH))
        {
            formatError(event);
            return false;
        }
        if (terminal < 0 || !terminals.active[terminal] ||
            (!network && !sameBytes(reader.buffer(), reader.valueOffset(IsoFields.MERCHANT), terminals.merchantId[terminal])))
        {
            reply(event, ResponseCode.INVALID_TERMINAL);
            counters.unknownSource.increment();
            return false;
        }
        request.sourceType = AuthRequest.SOURCE_TERMINAL;
        request.sourceIndex = terminal;
        event.terminalType = terminals.type[terminal];
        event.macTerminal = terminals.macKey[terminal] != null ? terminal : -1;
        return true;
    }

    /**
     * Answers an 0800: 00 for sign-on, sign-off and echo, 12 for another network code, 30 without one.
     */
    private void answerNetworkManagement(final RequestEvent event, final IsoMessageReader reader)
    {
        final long networkCode = reader.hasField(IsoFields.NETWORK_CODE) ? reader.numeric(IsoFields.NETWORK_CODE) : -1;
        if (networkCode < 0)
        {
            formatError(event);
            return;
        }
        reply(event, NetworkCode.isSupported(networkCode) ? ResponseCode.APPROVED : ResponseCode.INVALID_PROCESSING_CODE);
    }

    /**
     * Format (30), second part: the card (field 2 or 35), the processing code, the amount and
     * currency a debit or credit needs, the expiry and, for a reversal, its original (field 90).
     *
     * @return whether decoding goes on; else the slot's action is set.
     */
    private boolean readTransaction(final RequestEvent event, final IsoMessageReader reader)
    {
        final AuthRequest request = event.request;
        if (!reader.hasField(IsoFields.PROCESSING_CODE) || !readPan(reader, request))
        {
            formatError(event);
            return false;
        }
        request.processingCode = (int)reader.numeric(IsoFields.PROCESSING_CODE);
        if (reader.hasField(IsoFields.AMOUNT))
        {
            request.amount = reader.numeric(IsoFields.AMOUNT);
        }
        if (reader.hasField(IsoFields.CURRENCY))
        {
            request.currency = currency(reader);
            if (request.currency < 0)
            {
                formatError(event);
                return false;
            }
        }
        if (ProcessingCode.needsAmount(ProcessingCode.type(request.processingCode)) &&
            (request.amount == AuthRequest.ABSENT || request.currency == AuthRequest.ABSENT))
        {
            formatError(event);
            return false;
        }
        if (reader.hasField(IsoFields.EXPIRY))
        {
            request.expiry = (int)reader.numeric(IsoFields.EXPIRY);
        }
        if (Mti.isReversal(request.mti))
        {
            if (!reader.hasField(IsoFields.ORIGINAL_DATA))
            {
                formatError(event);
                return false;
            }
            request.originalMti = (int)reader.digits(
                IsoFields.ORIGINAL_DATA, IsoFields.ORIGINAL_DATA_MTI_OFFSET, IsoFields.ORIGINAL_DATA_MTI_DIGITS);
            request.originalStan = (int)reader.digits(
                IsoFields.ORIGINAL_DATA, IsoFields.ORIGINAL_DATA_STAN_OFFSET, IsoFields.ORIGINAL_DATA_STAN_DIGITS);
            request.originalTransmissionDateTime = reader.digits(
                IsoFields.ORIGINAL_DATA, IsoFields.ORIGINAL_DATA_TRANSMISSION_OFFSET, IsoFields.ORIGINAL_DATA_TRANSMISSION_DIGITS);
            request.originalAcquirer = reader.digits(
                IsoFields.ORIGINAL_DATA, IsoFields.ORIGINAL_DATA_ACQUIRER_OFFSET, IsoFields.ORIGINAL_DATA_ACQUIRER_DIGITS);
        }
        return true;
    }

    /**
     * Reads the PAN from field 2, else from track 2 (digits before the separator), with the
     * expiry that follows the separator in track 2.
     *
     * @return {@code false} when neither field is present.
     */
    private static boolean readPan(final IsoMessageReader reader, final AuthRequest request)
    {
        if (reader.hasField(IsoFields.PAN))
        {
            final int digits = reader.valueLength(IsoFields.PAN);
            request.panDigits = digits;
            request.pan = digits <= 18 ? reader.numeric(IsoFields.PAN) : nineteenDigits(reader, IsoFields.PAN);
            if (request.pan < 0)
            {
                request.pan = 0;
            }
        }
        if (reader.hasField(IsoFields.TRACK2))
        {
            final int length = reader.valueLength(IsoFields.TRACK2);
            int separator = -1;
            for (int i = 0; i < length && i < 20; i++)
            {
                if (reader.charAt(IsoFields.TRACK2, i) == '=')
                {
                    separator = i;
                    break;
                }
            }
            if (!reader.hasField(IsoFields.PAN))
            {
                final int digits = separator < 0 ? Math.min(length, 19) : separator;
                request.panDigits = digits;
                request.pan = digits == 0 ? 0 : digits <= 18 ? reader.digits(IsoFields.TRACK2, 0, digits) : nineteenDigits(reader, IsoFields.TRACK2);
                if (request.pan < 0)
                {
                    request.pan = 0;
                }
            }
            if (separator >= 0 && separator + 5 <= length && request.expiry == AuthRequest.ABSENT)
            {
                final long expiry = reader.digits(IsoFields.TRACK2, separator + 1, 4);
                if (expiry >= 0)
                {
                    request.expiry = (int)expiry;
                }
            }
        }
        return reader.hasField(IsoFields.PAN) || reader.hasField(IsoFields.TRACK2);
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
        if (reader.valueLength(IsoFields.CURRENCY) != 3)
        {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < 3; i++)
        {
            final int c = reader.charAt(IsoFields.CURRENCY, i);
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
        if (reader.hasField(IsoFields.MERCHANT))
        {
            final DirectBuffer buffer = reader.buffer();
            final int offset = reader.valueOffset(IsoFields.MERCHANT);
            final int bytes = reader.valueBytes(IsoFields.MERCHANT);
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
