package org.unicard.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ResponseCode;
import org.unicard.decode.DecodeCounters;
import org.unicard.decode.RequestDecoder;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.fuzz.FuzzSeeds;
import org.unicard.listener.ListenerKind;
import org.unicard.listener.ListenerSettings;
import org.unicard.ring.RequestEvent;
import org.unicard.state.DataSet;

/**
 * Coverage-guided fuzzing of the first ring stage, {@link RequestDecoder#decode(RequestEvent)}, over
 * the wire-test data set (terminals with and without MAC keys, an acquirer, PIN keys).
 * <p>
 * Input layout: byte 0 selects the listener (bit 0: ASCII dialect, bit 1: TPDU, bit 2: acquirer
 * link), the rest is the frame body as the splitter hands it over (1 to 4,096 bytes). Checked: no
 * exception; the action is authorize, reply or drop; a reply carries one of the codes this stage
 * gives (00, 03, 12, 30, 63); an authorized request has a valid message of MTI 0100/0200/0400/0420
 * from an active terminal or acquirer, with the STAN of field 11; and the decision does not depend
 * on the bytes after the frame in the slot's 4,096-byte buffer (it is decoded twice, with 0x00 and
 * with 0xFF after the frame, and must come out the same). Seeds: {@code RequestDecoderFuzzerInputs/fuzz}
 * (written by {@link RequestDecoderSeeds}).
 */
class RequestDecoderFuzzer
{
    private static final int[] STAGE_CODES = {
        ResponseCode.APPROVED, ResponseCode.INVALID_TERMINAL, ResponseCode.INVALID_PROCESSING_CODE,
        ResponseCode.FORMAT_ERROR, ResponseCode.MAC_FAILURE};

    private final DataSet data = Fixture.INSTANCE.data;
    private final RequestDecoder decoder = Fixture.INSTANCE.decoder;
    private final ListenerSettings[] listeners = Fixture.INSTANCE.listeners;
    private final RequestEvent event = new RequestEvent();

    @FuzzTest(maxDuration = FuzzSeeds.CI_DURATION)
    void fuzz(final byte[] input)
    {
        if (input.length < 2 || input.length - 1 > Framing.MAX_FRAME_BYTES)
        {
            return;
        }
        final ListenerSettings listener = listeners[input[0] & 7];
        final byte[] body = Arrays.copyOfRange(input, 1, input.length);

        final String first = decode(listener, body, (byte)0x00);
        checkDecision(listener, body);
        final String second = decode(listener, body, (byte)0xFF);
        if (!first.equals(second))
        {
            throw new AssertionError("the decision depends on bytes after the frame: " + first + " vs " + second +
                "; listener=" + listener + " frame=" + HexFormat.of().formatHex(body));
        }
    }

    private String decode(final ListenerSettings listener, final byte[] body, final byte filler)
    {
        event.reset();
        event.kind = RequestEvent.KIND_FRAME;
        event.listener = listener;
        event.businessTimeMs = WireData.CLOCK.toEpochMilli();
        event.frame.setMemory(0, event.frame.capacity(), filler);
        event.frame.putBytes(0, body);
        event.frameLength = body.length;
        decoder.decode(event);
        final AuthRequest r = event.request;

        return "action=" + event.action + " code=" + event.directCode + " mti=" + r.mti + " stan=" + r.stan +
            " source=" + r.sourceType + "/" + r.sourceIndex + " terminal=" + r.terminalId + " time=" + r.transmissionDateTime +
            " pan=" + r.pan + "/" + r.panDigits + " pc=" + r.processingCode + " amount=" + r.amount + " currency=" + r.currency +
            " expiry=" + r.expiry + " pin=" + r.pinResult + " acquirer=" + r.acquirerId + " original=" + r.originalMti + "/" +
            r.originalStan + "/" + r.originalTransmissionDateTime + "/" + r.originalAcquirer + " hash=" + r.contentHash;
    }

    private void checkDecision(final ListenerSettings listener, final byte[] body)
    {
        final String where = "; listener=" + listener + " frame=" + HexFormat.of().formatHex(body);
        switch (event.action)
        {
            case RequestEvent.ACTION_DROP ->
            {
            }
            case RequestEvent.ACTION_REPLY ->
            {
                if (Arrays.stream(STAGE_CODES).noneMatch(code -> code == event.directCode))
                {
                    throw new AssertionError("reply with code " + event.directCode + where);
                }
            }
            case RequestEvent.ACTION_AUTHORIZE ->
            {
                final AuthRequest request = event.request;
                final int mti = request.mti;
                if (!event.reader.isValid() || event.reader.mti() != mti || !(mti == 100 || mti == 200 || mti == 400 || mti == 420))
                {
                    throw new AssertionError("authorized mti=" + mti + " valid=" + event.reader.isValid() + where);
                }
                if (request.stan != event.reader.numeric(11))
                {
                    throw new AssertionError("authorized stan=" + request.stan + " field 11=" + event.reader.numeric(11) + where);
                }
                final boolean active = request.sourceType == AuthRequest.SOURCE_TERMINAL ?
                    data.terminals().active[request.sourceIndex] :
                    request.sourceType == AuthRequest.SOURCE_ACQUIRER && data.acquirers().active[request.sourceIndex];
                if (!active)
                {
                    throw new AssertionError("authorized from source " + request.sourceType + "/" + request.sourceIndex + where);
                }
            }
            default -> throw new AssertionError("action " + event.action + where);
        }
    }

    /**
     * The data set and decoder, built once per JVM: JUnit makes a new test instance for each seed it
     * runs before fuzzing, and importing the data set each time would eat the build's fuzzing budget.
     */
    private static final class Fixture
    {
        static final Fixture INSTANCE = new Fixture();

        final DataSet data;
        final RequestDecoder decoder;
        final ListenerSettings[] listeners = new ListenerSettings[8];

        private Fixture()
        {
            try
            {
                final Path directory = Files.createTempDirectory("unicard-decoder-fuzz");
                data = WireData.imported(directory);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("wire-test data set", ex);
            }
            decoder = WireData.decoder(data, new DecodeCounters());
            for (int flags = 0; flags < listeners.length; flags++)
            {
                listeners[flags] = new ListenerSettings(
                    (flags & 4) != 0 ? ListenerKind.ACQUIRER : ListenerKind.TERMINAL, 0, (flags & 1) == 0, (flags & 2) != 0);
            }
        }
    }
}
