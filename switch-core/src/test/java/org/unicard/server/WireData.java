package org.unicard.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;

import org.unicard.decode.DecodeCounters;
import org.unicard.decode.RequestDecoder;
import org.unicard.decode.SecurityMacVerifier;
import org.unicard.decode.SecurityPinVerifier;
import org.unicard.importer.DataSetImporter;
import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.PinVerificationValue;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;
import org.unicard.state.Luhn;
import org.unicard.terminal.TerminalRequest;

/**
 * A small hand-written data set for wire tests: known households, cards, terminals, acquirers and
 * keys, written as the CSV files of spec §10 under a fixed test LMK. Every PAN is Luhn-valid.
 */
public final class WireData
{
    public static final String API_TOKEN = "test-operator-token";
    public static final String LMK_HEX = "0123456789ABCDEFFEDCBA9876543210";
    public static final String PVK_HEX = "4CA2161637D0133E5E151AEA45DA2A13";
    public static final String TPK_HEX = "1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A";
    public static final String TAK_HEX = "3D3D3D3D3D3D3D3D4F4F4F4F4F4F4F4F";
    public static final String ZPK_HEX = "5B5B5B5B5B5B5B5B6E6E6E6E6E6E6E6E";

    /**
     * Writes the data set into {@code directory} and imports it, as the switch does at its first start.
     */
    public static DataSet imported(final Path directory) throws IOException, org.unicard.importer.ImportException
    {
        write(directory);
        return DataSetImporter.load(directory, LocalMasterKey.parse(LMK_HEX, "test"));
    }

    /**
     * @return a decoder over {@code data} that verifies PINs and MACs with the data set's keys, as the switch's does.
     */
    static RequestDecoder decoder(final DataSet data, final DecodeCounters counters)
    {
        return new RequestDecoder(data, new SecurityPinVerifier(data), new SecurityMacVerifier(data), counters);
    }

    /** 2026-11-23 09:00 Cairo. */
    public static final Instant CLOCK = OffsetDateTime.parse("2026-11-23T09:00:00+02:00").toInstant();

    public static final long HOUSEHOLD_SMALL = 1001;
    public static final long HOUSEHOLD_LARGE = 1002;

    public static final String HEAD = luhn("507803000000001");
    public static final String MEMBER = luhn("507803000000002");
    public static final String LARGE_HEAD = luhn("507803000000003");
    public static final String LOST = luhn("507803000000004");
    public static final String STOLEN = luhn("507803000000005");
    public static final String UNCOLLECTED = luhn("507803000000006");
    public static final String EXEMPT = luhn("507803000000007");
    public static final String EXPIRED = luhn("507803000000008");

    public static final int PIN = 1234;

    public static final String BAKERY = "B0000001";
    public static final String GROCER = "G0000001";
    public static final String GROCER_NO_MAC = "G0000002";
    public static final String HEALTH = "H0000001";
    public static final String POST = "P0000001";
    public static final String INACTIVE = "B0000009";
    public static final String MERCHANT_BAKERY = "MB0000000000001";
    public static final String MERCHANT_GROCER = "MG0000000000001";
    public static final String MERCHANT_GROCER_2 = "MG0000000000002";
    public static final String MERCHANT_HEALTH = "MH0000000000001";
    public static final String MERCHANT_POST = "MP0000000000001";
    public static final long ACQUIRER = 12345678901L;

    private WireData()
    {
    }

    public static void write(final Path directory) throws IOException
    {
        final TdesKey lmk = LocalMasterKey.parse(LMK_HEX, "test");
        final TdesKey pvk = TdesKey.of(Hex.parseKey(PVK_HEX));
        Files.createDirectories(directory);
        write(directory.resolve("households.csv"),
            "household_id,governorate,ration_individuals,bread_individuals,cash_support_piasters\n" +
            HOUSEHOLD_SMALL + ",03,2,2,0\n" +
            HOUSEHOLD_LARGE + ",03,6,6,50000\n");
        final String header = "pan,national_id,household_id,role,status,issued_on,expiry,pvv,programs,wallet_piasters,health_exempt,replaces_pan,mobile\n";
        write(directory.resolve("cards.csv"), header +
            card(pvk, HEAD, "28001010300011", HOUSEHOLD_SMALL, "head", "collected", "ration;bread;health;wallet", 20_000, false) +
            card(pvk, MEMBER, "29001010300021", HOUSEHOLD_SMALL, "member", "collected", "health;wallet", 5_000, false) +
            card(pvk, LARGE_HEAD, "27001010300031", HOUSEHOLD_LARGE, "head", "collected", "ration;bread;health;wallet;cash", 0, false) +
            card(pvk, LOST, "28501010300041", HOUSEHOLD_LARGE, "member", "blocked_lost", "health;wallet", 1_000, false) +
            card(pvk, STOLEN, "28601010300051", HOUSEHOLD_LARGE, "member", "blocked_stolen", "health;wallet", 1_000, false) +
            card(pvk, UNCOLLECTED, "28701010300061", HOUSEHOLD_LARGE, "member", "issued", "health;wallet", 1_000, false) +
            card(pvk, EXEMPT, "28801010300071", HOUSEHOLD_LARGE, "member", "collected", "health;wallet", 1_000, true) +
            card(pvk, EXPIRED, "28901010300081", HOUSEHOLD_LARGE, "member", "collected", "health;wallet", 1_000, false)
                .replace(",3012,", ",2610,"));
        final String tpk = Hex.encode(KeyCipher.encryptUnderLmk(lmk, Hex.parseKey(TPK_HEX)));
        final String tak = Hex.encode(KeyCipher.encryptUnderLmk(lmk, Hex.parseKey(TAK_HEX)));
        write(directory.resolve("terminals.csv"),
            "terminal_id,merchant_id,type,governorate,name,tpk_under_lmk,tak_under_lmk,status\n" +
            BAKERY + "," + MERCHANT_BAKERY + ",bakery,03,\"مخبز الأمل, بورسعيد\"," + tpk + ",,active\n" +
            GROCER + "," + MERCHANT_GROCER + ",grocer,03,Grocer one," + tpk + "," + tak + ",active\n" +
            GROCER_NO_MAC + "," + MERCHANT_GROCER_2 + ",grocer,03,Grocer two," + tpk + ",,active\n" +
            HEALTH + "," + MERCHANT_HEALTH + ",health,03,Clinic," + tpk + ",,active\n" +
            POST + "," + MERCHANT_POST + ",post,03,Post office," + tpk + ",,active\n" +
            INACTIVE + ",MB0000000000009,bakery,03,Closed bakery,,,inactive\n");
        write(directory.resolve("acquirers.csv"),
            "acquirer_id,name,zpk_under_lmk,status\n" +
            ACQUIRER + ",Test bank," + Hex.encode(KeyCipher.encryptUnderLmk(lmk, Hex.parseKey(ZPK_HEX))) + ",active\n");
        write(directory.resolve("keys.csv"), "name,key_under_lmk\npvk," + Hex.encode(KeyCipher.encryptUnderLmk(lmk, Hex.parseKey(PVK_HEX))) + "\n");
    }

    private static String card(
        final TdesKey pvk, final String pan, final String nationalId, final long household, final String role, final String status,
        final String programs, final long wallet, final boolean exempt)
    {
        final int pvv = PinVerificationValue.compute(pvk, Long.parseLong(pan), pan.length(), 1, PIN, 4);
        return String.format("%s,%s,%d,%s,%s,2026-10-01,3012,%04d,%s,%d,%s,,01012345678%n",
            pan, nationalId, household, role, status, pvv, programs, wallet, exempt);
    }

    /**
     * Fills a request from the grocer for the large household's head card: a 1-piaster ration
     * purchase with the right PIN, or a balance inquiry. The hot-path tests alternate the two.
     */
    static void grocerRequest(
        final TerminalRequest request, final int stan, final boolean purchase, final TdesKey macKey, final TdesKey pinKey)
    {
        request.clear();
        request.stan = stan;
        request.transmissionDateTime = 1123070000L;
        request.terminalId = GROCER;
        request.merchantId = MERCHANT_GROCER;
        request.macKey = macKey;
        request.pan = LARGE_HEAD;
        if (purchase)
        {
            request.processingCode = 9100;
            request.amount = 1;
            request.currency = 818;
            request.pin = PIN;
            request.pinKey = pinKey;
        }
        else
        {
            request.processingCode = 310000;
        }
    }

    /**
     * Writes {@code test.properties} for tests that run the switch and the snapshot command on
     * {@link #write}'s data set: small window and ledger, the test LMK, no periodic snapshots.
     *
     * @param extraLines further {@code key = value} lines.
     * @return the file.
     */
    static Path writeSnapshotTestConfig(final Path directory, final String... extraLines) throws IOException
    {
        final StringBuilder text = new StringBuilder(String.join("\n",
            "duplicate-window.capacity = 4096",
            "spend-ledger.capacity = 4096",
            "security.lmk = " + LMK_HEX,
            "snapshot.interval-records = 0",
            "snapshot.interval-minutes = 0",
            ""));
        for (final String line : extraLines)
        {
            text.append(line).append('\n');
        }
        final Path config = directory.resolve("test.properties");
        write(config, text.toString());
        return config;
    }

    static String luhn(final String withoutCheckDigit)
    {
        return withoutCheckDigit + Luhn.checkDigit(Long.parseLong(withoutCheckDigit));
    }

    private static void write(final Path file, final String text) throws IOException
    {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
