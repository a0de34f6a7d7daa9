package org.unicard.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.fuzz.ReaderProperties;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.iso8583.message.IsoMessageWriter;
import org.unicard.security.Hex;
import org.unicard.security.TdesKey;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalRequest;

/**
 * Seeds of {@link RequestDecoderFuzzer}: valid requests of the wire-test data set as terminals and
 * an acquirer send them (0100, 0200 with PIN and MAC, 0400, 0800), on the binary, TPDU, ASCII and
 * acquirer listeners; byte 0 selects the listener. {@link #main(String[])} writes them;
 * {@code RequestDecoderSeedsTest} checks the committed files are these and that each is decoded as
 * its name says.
 */
public final class RequestDecoderSeeds
{
    /** Resource folder of the seeds, relative to a resources root. */
    public static final String FOLDER = "org/unicard/server/RequestDecoderFuzzerInputs/fuzz/";

    private static final byte[] TPDU = {0x60, 0x00, 0x01, 0x00, 0x00};

    private RequestDecoderSeeds()
    {
    }

    /**
     * The seeds by file name; the name starts with the expected action (authorize, reply-NN).
     *
     * @return file name to fuzzer input.
     */
    public static Map<String, byte[]> seeds()
    {
        final TdesKey pinKey = TdesKey.of(Hex.parseKey(WireData.TPK_HEX));
        final TdesKey macKey = TdesKey.of(Hex.parseKey(WireData.TAK_HEX));
        final TdesKey zonePinKey = TdesKey.of(Hex.parseKey(WireData.ZPK_HEX));
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        final TerminalRequest request = new TerminalRequest();

        grocer(request.clear(), WireData.GROCER, WireData.MERCHANT_GROCER, 1);
        request.processingCode = 9100;
        request.amount = 150;
        request.currency = 818;
        request.pin = WireData.PIN;
        request.pinKey = pinKey;
        request.macKey = macKey;
        final byte[] purchase = build(request);
        seeds.put("authorize-0200-grocer-pin-mac", input(0, purchase));
        seeds.put("authorize-0200-grocer-pin-mac-tpdu", input(2, withTpdu(purchase)));

        grocer(request.clear(), WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, 2);
        request.mti = 100;
        request.processingCode = 310000;
        request.expiry = 2812;
        final byte[] inquiry = build(request);
        seeds.put("authorize-0100-inquiry", input(0, inquiry));
        seeds.put("authorize-0100-inquiry-ascii", input(1, transcode(inquiry)));

        grocer(request.clear(), WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, 3);
        request.mti = 400;
        request.processingCode = 9100;
        request.amount = 150;
        request.currency = 818;
        request.originalMti = 200;
        request.originalStan = 2;
        request.originalTransmissionDateTime = 1123090000L;
        seeds.put("authorize-0400-reversal", input(0, build(request)));

        grocer(request.clear(), WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, 4);
        request.mti = 800;
        request.networkCode = 301;
        request.pan = null;
        final byte[] echo = build(request);
        seeds.put("reply-00-0800-echo", input(0, echo));
        seeds.put("reply-00-0800-echo-ascii-tpdu", input(3, withTpdu(transcode(echo))));

        request.clear();
        request.stan = 5;
        request.transmissionDateTime = 1123090000L;
        request.terminalId = "ATM00001";
        request.acquirerId = WireData.ACQUIRER;
        request.pan = WireData.HEAD;
        request.processingCode = 10000;
        request.amount = 5000;
        request.currency = 818;
        request.pin = WireData.PIN;
        request.pinKey = zonePinKey;
        seeds.put("authorize-0200-acquirer-cash", input(4, build(request)));

        return seeds;
    }

    /**
     * Writes the seed files below a resources root.
     *
     * @param args the resources root, e.g. {@code switch-core/src/test/resources}.
     * @throws IOException when a file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path folder = Path.of(args[0]).resolve(FOLDER);
        Files.createDirectories(folder);
        for (final Map.Entry<String, byte[]> seed : seeds().entrySet())
        {
            Files.write(folder.resolve(seed.getKey()), seed.getValue());
        }
    }

    private static TerminalRequest grocer(final TerminalRequest request, final String terminal, final String merchant, final int stan)
    {
        request.stan = stan;
        request.transmissionDateTime = 1123090000L + stan;
        request.terminalId = terminal;
        request.merchantId = merchant;
        request.pan = WireData.LARGE_HEAD;
        return request;
    }

    private static byte[] build(final TerminalRequest request)
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
        final int length = new RequestBuilder().build(request, out);
        return Arrays.copyOfRange(out.byteArray(), Framing.LENGTH_PREFIX_BYTES, length);
    }

    private static byte[] transcode(final byte[] binary)
    {
        final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY).wrap(new UnsafeBuffer(binary), 0, binary.length);
        final IsoMessageWriter writer = new IsoMessageWriter(IsoDialect.ASCII);
        ReaderProperties.putDecodedFields(reader, writer, new UnsafeBuffer(new byte[4096]));
        final UnsafeBuffer out = new UnsafeBuffer(new byte[writer.encodedLength()]);
        writer.encode(out, 0);
        return out.byteArray();
    }

    private static byte[] withTpdu(final byte[] body)
    {
        final byte[] framed = new byte[TPDU.length + body.length];
        System.arraycopy(TPDU, 0, framed, 0, TPDU.length);
        System.arraycopy(body, 0, framed, TPDU.length, body.length);
        return framed;
    }

    private static byte[] input(final int flags, final byte[] body)
    {
        final byte[] input = new byte[1 + body.length];
        input[0] = (byte)flags;
        System.arraycopy(body, 0, input, 1, body.length);
        return input;
    }
}
