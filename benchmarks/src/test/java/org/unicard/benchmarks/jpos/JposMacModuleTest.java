package org.unicard.benchmarks.jpos;

import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.unicard.security.RetailMac;
import org.unicard.security.TdesKey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JposMacModuleTest
{
    private static final byte[] KEY = HexFormat.of().parseHex("0123456789ABCDEFFEDCBA9876543210");

    @Test
    void shouldComputeTheSwitchesRetailMacThroughJposSecurityModule()
    {
        final JposMacModule module = new JposMacModule();
        final JposMacModule.TerminalKey key = module.importKey(KEY);
        final SplittableRandom random = new SplittableRandom(7);
        for (final int length : new int[] {1, 7, 8, 9, 77, 169})
        {
            final byte[] data = new byte[length + JposMacModule.MAC_LENGTH];
            random.nextBytes(data);
            final long ours = RetailMac.compute(TdesKey.of(KEY), data, 0, length);
            final byte[] expected = new byte[8];
            for (int i = 0; i < 8; i++)
            {
                expected[i] = (byte)(ours >>> (56 - 8 * i));
            }
            assertArrayEquals(expected, module.generate(key, data, length), "length=" + length);
            assertArrayEquals(expected, new JceRetailMac().generate(JceRetailMac.Key.of(KEY), data, length), "JCE, length=" + length);
            assertTrue(module.verify(key, data, length, expected), "length=" + length);
            expected[3] ^= 1;
            assertFalse(module.verify(key, data, length, expected), "length=" + length);
        }
    }

    @Test
    void shouldDecideOnAHouseholdsBalances()
    {
        final long[] balances = {5, 1_000, 20_000};
        assertEquals("00", JposBaselineServer.decide(balances, "009200", 5));
        assertEquals("51", JposBaselineServer.decide(balances, "009200", 1));
        assertEquals("51", JposBaselineServer.decide(balances, "009100", 1_100));
        assertEquals("00", JposBaselineServer.decide(balances, "009100", 1_000));
        assertEquals("00", JposBaselineServer.decide(balances, "209100", 600));
        assertEquals("00", JposBaselineServer.decide(balances, "310000", -1));
        assertEquals("12", JposBaselineServer.decide(balances, "019100", 100));
        assertEquals("13", JposBaselineServer.decide(balances, "009100", -1));
        assertArrayEquals(new long[] {0, 600, 20_000}, balances);
    }
}
