package org.unicard.security;

import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TdesKeyTest
{
    private static final int RANDOM_CASES = 5_000;

    /** K1 = 0123456789ABCDEF, K2 = FEDCBA9876543210: the key pair of ISO/IEC 9797-1 Annex B. */
    private static final byte[] ISO_9797_KEY = Hex.parseKey("0123456789ABCDEFFEDCBA9876543210");

    private static volatile long sink;


    private static byte[] doubled(final String key8Hex)
    {
        return Hex.parseKey(key8Hex + key8Hex);
    }

    @Test
    void shouldMatchFips81EcbSample()
    {
        // FIPS PUB 81 (DES modes of operation), Appendix B, Table B1: ECB mode with key
        // 0123456789ABCDEF on "Now is the time for all ". K1 = K2 makes TDES single DES.
        final TdesKey key = TdesKey.of(doubled("0123456789ABCDEF"));
        final byte[] plain = Hex.decode("4E6F772069732074" + "68652074696D6520" + "666F7220616C6C20");
        final byte[] cipher = new byte[24];
        for (int i = 0; i < 24; i += 8)
        {
            key.encryptBlock(plain, i, cipher, i);
        }

        assertEquals("3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53", Hex.encode(cipher));
    }

    @Test
    void shouldMatchSp80020VariablePlaintextKnownAnswers()
    {
        // NIST SP 800-20, Table A.1 (variable plaintext known answer test), key 0101010101010101.
        final TdesKey key = TdesKey.of(doubled("0101010101010101"));

        assertEquals(0x95F8A5E5DD31D900L, key.encrypt(0x8000000000000000L));
        assertEquals(0xDD7F121CA5015619L, key.encrypt(0x4000000000000000L));
        assertEquals(0x8000000000000000L, key.decrypt(0x95F8A5E5DD31D900L));
    }

    @Test
    void shouldMatchSp80020VariableKeyKnownAnswer()
    {
        // NIST SP 800-20, Table A.2 (variable key known answer test), plaintext 0.
        final TdesKey key = TdesKey.of(doubled("8001010101010101"));

        assertEquals(0x95A8D72813DAA94DL, key.encrypt(0L));
    }

    @Test
    void shouldEncryptLikeJceDesedeOnRandomKeysAndBlocks()
    {
        final SplittableRandom random = new SplittableRandom(20261123L);
        final byte[] keyBytes = new byte[16];
        for (int i = 0; i < RANDOM_CASES; i++)
        {
            random.nextBytes(keyBytes);
            final long block = random.nextLong();
            final TdesKey key = TdesKey.of(keyBytes);

            assertEquals(JceOracle.tdesEncrypt(keyBytes, block), key.encrypt(block), "case " + i);
        }
    }

    @Test
    void shouldDecryptLikeJceDesedeOnRandomKeysAndBlocks()
    {
        final SplittableRandom random = new SplittableRandom(7L);
        final byte[] keyBytes = new byte[16];
        for (int i = 0; i < RANDOM_CASES; i++)
        {
            random.nextBytes(keyBytes);
            final long block = random.nextLong();
            final TdesKey key = TdesKey.of(keyBytes);

            assertEquals(JceOracle.tdesDecrypt(keyBytes, block), key.decrypt(block), "case " + i);
        }
    }

    @Test
    void shouldEncryptWithK1AloneLikeJceDes()
    {
        final SplittableRandom random = new SplittableRandom(11L);
        final byte[] keyBytes = new byte[16];
        final byte[] k1 = new byte[8];
        for (int i = 0; i < RANDOM_CASES; i++)
        {
            random.nextBytes(keyBytes);
            System.arraycopy(keyBytes, 0, k1, 0, 8);
            final long block = random.nextLong();

            assertEquals(JceOracle.desEncrypt(k1, block), TdesKey.of(keyBytes).desEncrypt(block), "case " + i);
        }
    }

    @Test
    void shouldRoundTripRandomBlocks()
    {
        final SplittableRandom random = new SplittableRandom(3L);
        final TdesKey key = TdesKey.of(ISO_9797_KEY);
        for (int i = 0; i < RANDOM_CASES; i++)
        {
            final long block = random.nextLong();

            assertEquals(block, key.decrypt(key.encrypt(block)));
        }
    }

    @Test
    void shouldAgreeBetweenLongArrayAndBufferForms()
    {
        final TdesKey key = TdesKey.of(ISO_9797_KEY);
        final byte[] plain = Hex.decode("00112233445566778899AABBCCDDEEFF");
        final byte[] fromArray = new byte[16];
        final UnsafeBuffer fromBuffer = new UnsafeBuffer(new byte[20]);
        key.encryptBlock(plain, 8, fromArray, 3);
        key.encryptBlock(new UnsafeBuffer(plain), 8, fromBuffer, 5);

        final byte[] expected = new byte[8];
        TdesKey.putLong(expected, 0, key.encrypt(0x8899AABBCCDDEEFFL));
        final byte[] bufferBytes = new byte[8];
        fromBuffer.getBytes(5, bufferBytes);
        final byte[] arrayBytes = new byte[8];
        System.arraycopy(fromArray, 3, arrayBytes, 0, 8);
        assertArrayEquals(expected, arrayBytes);
        assertArrayEquals(expected, bufferBytes);
    }

    @Test
    void shouldDecryptBufferBlockInPlace()
    {
        final TdesKey key = TdesKey.of(ISO_9797_KEY);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        buffer.putLong(0, 0x0123456789ABCDEFL, java.nio.ByteOrder.BIG_ENDIAN);
        key.encryptBlock(buffer, 0, buffer, 0);
        key.decryptBlock(buffer, 0, buffer, 0);

        assertEquals(0x0123456789ABCDEFL, buffer.getLong(0, java.nio.ByteOrder.BIG_ENDIAN));
    }

    @Test
    void shouldIgnoreParityBits()
    {
        final TdesKey withParity = TdesKey.of(Hex.parseKey("0123456789ABCDEFFEDCBA9876543210"));
        final TdesKey flippedParity = TdesKey.of(Hex.parseKey("0022446688AACCEEFFDDBB9977553311"));

        assertEquals(withParity.encrypt(0x1234L), flippedParity.encrypt(0x1234L));
    }

    @Test
    void shouldRejectShortKeyNamingOnlyTheLength()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> TdesKey.of(Hex.decode("0123456789ABCDEF")));

        assertEquals("expected a 16-byte double-length key, got 8 bytes", ex.getMessage());
    }

    @Test
    void shouldRejectTripleLengthKey()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> TdesKey.of(new byte[24]));

        assertEquals("expected a 16-byte double-length key, got 24 bytes", ex.getMessage());
    }

    @Test
    void shouldShowKeyCheckValueNotKeyInToString()
    {
        // A key check value is the first 3 bytes of the key's encryption of a zero block.
        final TdesKey key = TdesKey.of(ISO_9797_KEY);
        final String expectedCheckValue = Hex.encode(JceOracle.tdesEncrypt(ISO_9797_KEY, 0L)).substring(0, 6);

        assertEquals("TdesKey{checkValue=" + expectedCheckValue + "}", key.toString());
        assertFalse(key.toString().contains("0123456789"));
    }

    @Test
    void shouldNotAllocateInBlockOperations()
    {
        final TdesKey key = TdesKey.of(ISO_9797_KEY);
        final byte[] array = new byte[16];
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);

        final long allocated = AllocationMeter.bytesAllocatedBy(AllocationMeter.WARM_UP_RUNS, () ->
        {
            for (int i = 0; i < 1_000; i++)
            {
                key.encryptBlock(array, 0, array, 8);
                key.decryptBlock(array, 8, array, 0);
                key.encryptBlock(buffer, 0, buffer, 8);
                key.decryptBlock(buffer, 8, buffer, 0);
                key.desEncryptBlock(array, 0, array, 8);
                sink += key.encrypt(i) ^ key.decrypt(i) ^ key.desEncrypt(i);
            }
        });

        assertEquals(0L, allocated);
    }
}
