package org.unicard.iso8583;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.packager.GenericPackager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.iso8583.message.IsoMessageWriter;

/**
 * Decode, encode and decode + encode of the switch's two busiest messages, ours against jPOS's
 * {@code GenericPackager} with {@code packager/iso87binary.xml}, in the same run.
 * <p>
 * Fork 1 (JVM flags of {@code bin/jvm.options} plus the export Agrona 2.x needs), warm-up 3 × 1 s,
 * measurement 5 × 1 s, throughput in operations per microsecond; run it with {@code -prof gc} for
 * bytes per operation ({@code benchmarks/run-codec-benchmark} does).
 * <p>
 * {@code kind}:
 * <ul>
 * <li>{@code 0200}: a purchase (fields 2 3 4 7 11 12 13 14 22 41 42 49 52 64). Decode + encode
 * answers it with a 0210 approval: fields 2 3 4 7 11 12 13 41 42 49 echoed, 37 38 39 54 and 64
 * added.</li>
 * <li>{@code 0210}: an approval with two balances in field 54 (fields 2 3 4 7 11 37 38 39 41 42 49 54
 * 64). Decode + encode forwards it unchanged, as a proxy would.</li>
 * </ul>
 * Decode means: validate and locate every field, then read the MTI, amount, STAN and terminal id
 * (jPOS: unpack into a new {@code ISOMsg}, which converts every field). Encode means: build the
 * message from values and write its bytes (jPOS: a new {@code ISOMsg}, {@code set} per field,
 * {@code pack}). Ours encodes in the writer's direct mode (fields in ascending order, each written
 * once into the output), as the switch's response encoder does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MessageCodecBenchmark
{
    private static final HexFormat HEX = HexFormat.of();
    private static final long RESPONSE_ECHO_BEFORE_RRN = IsoMessageWriter.fieldMask(2, 3, 4, 7, 11, 12, 13);
    private static final long RESPONSE_ECHO_AFTER_RESPONSE_CODE = IsoMessageWriter.fieldMask(41, 42, 49);
    private static final long FORWARD_ECHO = IsoMessageWriter.fieldMask(2, 3, 4, 7, 11, 37, 38, 39, 41, 42, 49, 54);

    private static final String PAN = "6281000012345678";
    private static final String TERMINAL = "PSD00001";
    private static final String MERCHANT = "GROCER000000042";
    private static final String RRN = "000000000042";
    private static final String AUTHORIZATION_ID = "A1B2C3";
    private static final String BALANCES = "9102818C0000000150009402818C000000250000";
    private static final byte[] PIN_BLOCK = HEX.parseHex("1122334455667788");
    private static final byte[] MAC = HEX.parseHex("A1B2C3D4E5F60718");

    /**
     * Message kind: a 0200 purchase or a 0210 approval carrying balances in field 54.
     */
    @Param({ "0200", "0210" })
    public String kind;

    private final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY);
    private final IsoMessageWriter writer = new IsoMessageWriter(IsoDialect.BINARY);
    private final UnsafeBuffer input = new UnsafeBuffer(new byte[1024]);
    private final UnsafeBuffer output = new UnsafeBuffer(new byte[1024]);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
    private final UnsafeBuffer pan = ascii(PAN);
    private final UnsafeBuffer rrn = ascii(RRN);
    private final UnsafeBuffer authorizationId = ascii(AUTHORIZATION_ID);
    private final UnsafeBuffer terminal = ascii(TERMINAL);
    private final UnsafeBuffer merchant = ascii(MERCHANT);
    private final UnsafeBuffer balances = ascii(BALANCES);
    private final UnsafeBuffer pinBlock = new UnsafeBuffer(PIN_BLOCK);
    private final UnsafeBuffer mac = new UnsafeBuffer(MAC);

    private GenericPackager packager;
    private boolean purchase;
    private int inputLength;
    private byte[] inputBytes;

    /**
     * Build the input message with our writer and check jPOS packs exactly the same bytes.
     *
     * @throws ISOException when jPOS cannot load its packager.
     */
    @Setup
    public void setUp() throws ISOException
    {
        packager = new GenericPackager("jar:packager/iso87binary.xml");
        purchase = "0200".equals(kind);
        inputLength = purchase ? encodePurchase() : encodeApproval();
        input.putBytes(0, output, 0, inputLength);
        inputBytes = new byte[inputLength];
        input.getBytes(0, inputBytes);

        final byte[] jpos = purchase ? jposPurchase().pack() : jposApproval().pack();
        if (!HEX.formatHex(jpos).equals(HEX.formatHex(inputBytes)))
        {
            throw new IllegalStateException("kind=" + kind + " jpos=" + HEX.formatHex(jpos) +
                " ours=" + HEX.formatHex(inputBytes));
        }
    }

    /**
     * Our decode: validate and locate every field, read MTI, amount, STAN and terminal id.
     *
     * @return a value depending on the decoded fields.
     */
    @Benchmark
    public long oursDecode()
    {
        return decode();
    }

    /**
     * Our encode of the message from values.
     *
     * @return bytes written.
     */
    @Benchmark
    public int oursEncode()
    {
        return purchase ? encodePurchase() : encodeApproval();
    }

    /**
     * Our decode, then the response (0200) or the forwarded copy (0210) encoded.
     *
     * @return bytes written.
     */
    @Benchmark
    public int oursDecodeEncode()
    {
        reader.wrap(input, 0, inputLength);
        if (!reader.isValid())
        {
            return -1;
        }
        if (purchase)
        {
            writer.wrap(output, 0, reader.mti() + 10);
            writer.putFieldsFrom(reader, RESPONSE_ECHO_BEFORE_RRN);
            writer.putChars(37, rrn, 0, rrn.capacity())
                .putChars(38, authorizationId, 0, authorizationId.capacity())
                .putChars(39, "00");
            writer.putFieldsFrom(reader, RESPONSE_ECHO_AFTER_RESPONSE_CODE);
            writer.putChars(54, balances, 0, balances.capacity());
        }
        else
        {
            writer.wrap(output, 0, reader.mti());
            writer.putFieldsFrom(reader, FORWARD_ECHO);
        }
        writer.putBinary(64, mac, 0, mac.capacity());

        return writer.finish();
    }

    /**
     * jPOS decode: unpack into a new message.
     *
     * @return the message.
     * @throws ISOException never for the benchmark's input.
     */
    @Benchmark
    public ISOMsg jposDecode() throws ISOException
    {
        final ISOMsg msg = new ISOMsg();
        msg.setPackager(packager);
        msg.unpack(inputBytes);
        return msg;
    }

    /**
     * jPOS encode: a new message, one set per field, pack.
     *
     * @return the bytes.
     * @throws ISOException never for the benchmark's input.
     */
    @Benchmark
    public byte[] jposEncode() throws ISOException
    {
        return purchase ? jposPurchase().pack() : jposApproval().pack();
    }

    /**
     * jPOS decode, then the response (0200) or the forwarded copy (0210) packed.
     *
     * @return the bytes.
     * @throws ISOException never for the benchmark's input.
     */
    @Benchmark
    public byte[] jposDecodeEncode() throws ISOException
    {
        final ISOMsg msg = new ISOMsg();
        msg.setPackager(packager);
        msg.unpack(inputBytes);
        if (purchase)
        {
            msg.setResponseMTI();
            msg.unset(14);
            msg.unset(22);
            msg.unset(52);
            msg.set(37, RRN);
            msg.set(38, AUTHORIZATION_ID);
            msg.set(39, "00");
            msg.set(54, BALANCES);
        }
        msg.set(64, MAC);

        return msg.pack();
    }

    private long decode()
    {
        reader.wrap(input, 0, inputLength);
        return reader.mti() + reader.numeric(4) + reader.numeric(11) + reader.copyChars(41, scratch, 0);
    }

    private int encodePurchase()
    {
        writer.wrap(output, 0, 200)
            .putDigits(2, pan, 0, pan.capacity())
            .putNumeric(3, 9100)
            .putNumeric(4, 1500)
            .putNumeric(7, 1123093015L)
            .putNumeric(11, 123)
            .putNumeric(12, 93015)
            .putNumeric(13, 1123)
            .putNumeric(14, 2812)
            .putNumeric(22, 51)
            .putChars(41, terminal, 0, terminal.capacity())
            .putChars(42, merchant, 0, merchant.capacity())
            .putChars(49, "818")
            .putBinary(52, pinBlock, 0, pinBlock.capacity())
            .putBinary(64, mac, 0, mac.capacity());

        return writer.finish();
    }

    private int encodeApproval()
    {
        writer.wrap(output, 0, 210)
            .putDigits(2, pan, 0, pan.capacity())
            .putNumeric(3, 9100)
            .putNumeric(4, 1500)
            .putNumeric(7, 1123093015L)
            .putNumeric(11, 123)
            .putChars(37, rrn, 0, rrn.capacity())
            .putChars(38, authorizationId, 0, authorizationId.capacity())
            .putChars(39, "00")
            .putChars(41, terminal, 0, terminal.capacity())
            .putChars(42, merchant, 0, merchant.capacity())
            .putChars(49, "818")
            .putChars(54, balances, 0, balances.capacity())
            .putBinary(64, mac, 0, mac.capacity());

        return writer.finish();
    }

    private ISOMsg jposPurchase() throws ISOException
    {
        final ISOMsg msg = new ISOMsg("0200");
        msg.setPackager(packager);
        msg.set(2, PAN);
        msg.set(3, "009100");
        msg.set(4, "000000001500");
        msg.set(7, "1123093015");
        msg.set(11, "000123");
        msg.set(12, "093015");
        msg.set(13, "1123");
        msg.set(14, "2812");
        msg.set(22, "051");
        msg.set(41, TERMINAL);
        msg.set(42, MERCHANT);
        msg.set(49, "818");
        msg.set(52, PIN_BLOCK);
        msg.set(64, MAC);
        return msg;
    }

    private ISOMsg jposApproval() throws ISOException
    {
        final ISOMsg msg = new ISOMsg("0210");
        msg.setPackager(packager);
        msg.set(2, PAN);
        msg.set(3, "009100");
        msg.set(4, "000000001500");
        msg.set(7, "1123093015");
        msg.set(11, "000123");
        msg.set(37, RRN);
        msg.set(38, AUTHORIZATION_ID);
        msg.set(39, "00");
        msg.set(41, TERMINAL);
        msg.set(42, MERCHANT);
        msg.set(49, "818");
        msg.set(54, BALANCES);
        msg.set(64, MAC);
        return msg;
    }

    private static UnsafeBuffer ascii(final String s)
    {
        return new UnsafeBuffer(s.getBytes(US_ASCII));
    }
}
