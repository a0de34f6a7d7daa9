package org.unicard.importer;

import org.unicard.state.Luhn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.TdesKey;

/**
 * A small valid data directory written by hand, which a test changes in one place to break one
 * rule. Every key has odd parity; the PANs are Luhn-valid.
 */
final class TestDataDirectory
{
    static final byte[] LMK_CLEAR = Hex.parseKey("0123456789ABCDEFFEDCBA9876543210");
    static final TdesKey LMK = TdesKey.of(LMK_CLEAR);
    static final byte[] PVK = Hex.parseKey("0123456789ABCDEF0123456789ABCDEF");
    static final byte[] TPK = Hex.parseKey("89ABCDEF0123456789ABCDEF01234567");
    static final byte[] TAK = Hex.parseKey("FEDCBA9876543210FEDCBA9876543210");
    static final byte[] ZPK = Hex.parseKey("456789ABCDEF0123456789ABCDEF0123");

    static final String HEAD_PAN = "5078030000000011";
    static final String MEMBER_PAN = "5078030000000029";
    static final String OTHER_HEAD_PAN = "5078030000000037";
    static final String OLD_HEAD_PAN = "5078030000000045";

    static final String HOUSEHOLDS =
        "household_id,governorate,ration_individuals,bread_individuals,cash_support_piasters\n" +
        "300000000001,03,4,4,60000\n" +
        "300000000002,03,1,1,0\n";

    static final String CARDS =
        "pan,national_id,household_id,role,status,issued_on,expiry,pvv,programs,wallet_piasters,health_exempt," +
        "replaces_pan,mobile\n" +
        HEAD_PAN + ",28503150312345,300000000001,head,collected,2026-03-15,2903,1234," +
        "ration;bread;health;wallet;cash,150000,false," + OLD_HEAD_PAN + ",01012345678\n" +
        MEMBER_PAN + ",29001010345678,300000000001,member,issued,2026-10-01,3010,0042,health;wallet,0,true,,\n" +
        OTHER_HEAD_PAN + ",27012310312342,300000000002,head,blocked_lost,2025-12-31,2812,9999," +
        "ration;bread;health;wallet,200,false,,01598765432\n" +
        OLD_HEAD_PAN + ",28503150312345,300000000001,head,collected,2024-01-20,2701,5678," +
        "ration;bread;health;wallet;cash,0,false,,\n";

    static final String TERMINALS =
        "terminal_id,merchant_id,type,governorate,name,tpk_under_lmk,tak_under_lmk,status\n" +
        "B0000001,EG03B0000000001,bakery,03,\"مخبز النور, بورسعيد\"," + underLmk(TPK) + "," + underLmk(TAK) + ",active\n" +
        "G0000001,EG03G0000000001,grocer,03,Grocer Salam,,,inactive\n";

    static final String ACQUIRERS =
        "acquirer_id,name,zpk_under_lmk,status\n" +
        "10000000001,\"Egypt Post \"\"البريد المصري\"\"\"," + underLmk(ZPK) + ",active\n";

    static final String KEYS =
        "name,key_under_lmk\n" +
        "pvk," + underLmk(PVK) + "\n";

    private final Map<String, String> files = new LinkedHashMap<>();

    TestDataDirectory()
    {
        files.put(DataFiles.HOUSEHOLDS, HOUSEHOLDS);
        files.put(DataFiles.CARDS, CARDS);
        files.put(DataFiles.TERMINALS, TERMINALS);
        files.put(DataFiles.ACQUIRERS, ACQUIRERS);
        files.put(DataFiles.KEYS, KEYS);
    }

    static String underLmk(final byte[] clear)
    {
        return Hex.encode(KeyCipher.encryptUnderLmk(LMK, clear));
    }

    /**
     * Replaces the one occurrence of {@code from} in a file.
     */
    TestDataDirectory replace(final String file, final String from, final String to)
    {
        final String content = files.get(file);
        final int at = content.indexOf(from);
        if (at < 0 || content.indexOf(from, at + 1) >= 0)
        {
            throw new IllegalArgumentException("expected exactly one occurrence in " + file + ": " + from);
        }
        files.put(file, content.substring(0, at) + to + content.substring(at + from.length()));
        return this;
    }

    TestDataDirectory content(final String file, final String content)
    {
        files.put(file, content);
        return this;
    }

    TestDataDirectory without(final String file)
    {
        files.remove(file);
        return this;
    }

    Path writeTo(final Path directory) throws IOException
    {
        for (final Map.Entry<String, String> file : files.entrySet())
        {
            Files.writeString(directory.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
        return directory;
    }
}
