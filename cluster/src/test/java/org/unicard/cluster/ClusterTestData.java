package org.unicard.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;

import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.PinVerificationValue;
import org.unicard.security.TdesKey;
import org.unicard.state.Luhn;

/**
 * A small data set for cluster tests: {@code households} households of one head card each, with a
 * wallet of {@link #WALLET_PIASTERS}, PIN {@link #PIN}; {@code terminals} grocers sharing one PIN key
 * and no MAC key.
 */
final class ClusterTestData
{
    static final String LMK_HEX = "0123456789ABCDEFFEDCBA9876543210";
    static final String PVK_HEX = "4CA2161637D0133E5E151AEA45DA2A13";
    static final String TPK_HEX = "1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A";
    static final Instant CLOCK = OffsetDateTime.parse("2026-11-23T09:00:00+02:00").toInstant();
    static final long WALLET_PIASTERS = 20_000;
    static final int PIN = 1234;

    private ClusterTestData()
    {
    }

    static String pan(final int household)
    {
        final String base = "5078031" + String.format("%08d", household);
        return base + Luhn.checkDigit(Long.parseLong(base));
    }

    static String terminal(final int index)
    {
        return String.format("G%07d", index + 1);
    }

    static String merchant(final int index)
    {
        return String.format("MG%013d", index + 1);
    }

    static void write(final Path directory, final int households, final int terminals) throws IOException
    {
        final TdesKey lmk = LocalMasterKey.parse(LMK_HEX, "test");
        final TdesKey pvk = TdesKey.of(Hex.parseKey(PVK_HEX));
        Files.createDirectories(directory);
        final StringBuilder householdRows = new StringBuilder("household_id,governorate,ration_individuals,bread_individuals,cash_support_piasters\n");
        final StringBuilder cardRows = new StringBuilder(
            "pan,national_id,household_id,role,status,issued_on,expiry,pvv,programs,wallet_piasters,health_exempt,replaces_pan,mobile\n");
        for (int h = 1; h <= households; h++)
        {
            householdRows.append(h).append(",03,2,2,0\n");
            final String pan = pan(h);
            final int pvv = PinVerificationValue.compute(pvk, Long.parseLong(pan), pan.length(), 1, PIN, 4);
            cardRows.append(String.format("%s,%s,%d,head,collected,2026-10-01,3012,%04d,ration;wallet,%d,false,,01012345678%n",
                pan, String.format("280010103%05d", h), h, pvv, WALLET_PIASTERS));
        }
        Files.writeString(directory.resolve("households.csv"), householdRows, StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("cards.csv"), cardRows, StandardCharsets.UTF_8);
        final String tpk = Hex.encode(KeyCipher.encryptUnderLmk(lmk, Hex.parseKey(TPK_HEX)));
        final StringBuilder terminalRows = new StringBuilder("terminal_id,merchant_id,type,governorate,name,tpk_under_lmk,tak_under_lmk,status\n");
        for (int t = 0; t < terminals; t++)
        {
            terminalRows.append(terminal(t)).append(',').append(merchant(t)).append(",grocer,03,Grocer ").append(t).append(',').append(tpk)
                .append(",,active\n");
        }
        Files.writeString(directory.resolve("terminals.csv"), terminalRows, StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("acquirers.csv"), "acquirer_id,name,zpk_under_lmk,status\n", StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("keys.csv"),
            "name,key_under_lmk\npvk," + Hex.encode(KeyCipher.encryptUnderLmk(lmk, Hex.parseKey(PVK_HEX))) + "\n", StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("test.properties"), String.join("\n",
            "duplicate-window.capacity = 262144",
            "spend-ledger.capacity = 262144",
            "security.lmk = " + LMK_HEX,
            "snapshot.interval-records = 0",
            "snapshot.interval-minutes = 0",
            "snapshot.after-import = false",
            ""), StandardCharsets.UTF_8);
    }
}
