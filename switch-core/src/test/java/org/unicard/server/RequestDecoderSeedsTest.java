package org.unicard.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.decode.DecodeCounters;
import org.unicard.decode.RequestDecoder;
import org.unicard.listener.ListenerKind;
import org.unicard.listener.ListenerSettings;
import org.unicard.ring.RequestEvent;
import org.unicard.state.DataSet;

/**
 * The committed seeds of {@link RequestDecoderFuzzer} are what {@link RequestDecoderSeeds} writes,
 * and each is decoded as its name says (authorized, or answered with the named code), so the fuzzer
 * starts from requests that reach the deep paths (PIN, MAC, reversal, acquirer, ASCII, TPDU).
 */
class RequestDecoderSeedsTest
{
    @TempDir
    Path directory;

    @Test
    void shouldCommitTheGeneratedSeedsAndDecodeEachAsNamed() throws Exception
    {
        final DataSet data = WireData.imported(directory);
        final RequestDecoder decoder = WireData.decoder(data, new DecodeCounters());
        final Map<String, byte[]> seeds = RequestDecoderSeeds.seeds();
        assertEquals(8, seeds.size());
        for (final Map.Entry<String, byte[]> seed : seeds.entrySet())
        {
            try (InputStream in = RequestDecoderSeedsTest.class.getResourceAsStream("/" + RequestDecoderSeeds.FOLDER + seed.getKey()))
            {
                assertNotNull(in, seed.getKey() + " missing: regenerate with RequestDecoderSeeds");
                assertArrayEquals(seed.getValue(), in.readAllBytes(), seed.getKey() + " differs: regenerate with RequestDecoderSeeds");
            }
            final byte[] input = seed.getValue();
            final RequestEvent event = new RequestEvent();
            event.reset();
            event.kind = RequestEvent.KIND_FRAME;
            event.listener = new ListenerSettings(
                (input[0] & 4) != 0 ? ListenerKind.ACQUIRER : ListenerKind.TERMINAL, 0, (input[0] & 1) == 0, (input[0] & 2) != 0);
            event.businessTimeMs = WireData.CLOCK.toEpochMilli();
            event.frame.putBytes(0, Arrays.copyOfRange(input, 1, input.length));
            event.frameLength = input.length - 1;
            decoder.decode(event);
            if (seed.getKey().startsWith("authorize"))
            {
                assertEquals(RequestEvent.ACTION_AUTHORIZE, event.action, seed.getKey() + " code=" + event.directCode);
            }
            else
            {
                assertEquals(RequestEvent.ACTION_REPLY, event.action, seed.getKey());
                assertEquals(Integer.parseInt(seed.getKey().substring(6, 8)), event.directCode, seed.getKey());
            }
        }
    }
}
