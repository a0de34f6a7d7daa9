package org.unicard.security;

import java.nio.ByteOrder;
import java.util.Objects;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A double-length triple-DES key ({@code K1 | K2}, used as EDE with K1 again, the keying option 2
 * of ANSI X9.52 / NIST SP 800-67) with its DES key schedules computed once.
 * <p>
 * Promises: instances are immutable and safe to share between threads; block operations allocate
 * nothing and take no locks; the clear key bytes are not retained (only the round subkeys are), and
 * neither {@link #toString()} nor any exception message reveals key material. The only value derived
 * from the key that this class will show is the conventional key check value (the first three bytes
 * of the key's encryption of a zero block), which HSMs print and which is safe to log.
 * <p>
 * Blocks may be given as {@code long} (the most significant byte is the first byte on the wire), as
 * {@code byte[]} or as Agrona buffers; input and output may be the same array and offset.
 */
public final class TdesKey
{
    /** Length of a double-length key in bytes. */
    public static final int KEY_LENGTH = 16;

    /** Length of a DES block in bytes. */
    public static final int BLOCK_LENGTH = 8;

    private final int[] encryptK1;
    private final int[] decryptK1;
    private final int[] encryptK2;
    private final int[] decryptK2;
    /** K1's subkeys and K2's decryption subkeys as rows of bits, for {@link RetailMacBatch} ({@link BitslicedDes#subkeyRow}). */
    private final long[] k1SubkeyRow;
    private final long[] k2DecryptSubkeyRow;

    private TdesKey(final int[] encryptK1, final int[] encryptK2)
    {
        this.encryptK1 = encryptK1;
        this.k1SubkeyRow = BitslicedDes.subkeyRow(encryptK1);
        this.decryptK1 = Des.reverse(encryptK1);
        this.encryptK2 = encryptK2;
        this.decryptK2 = Des.reverse(encryptK2);
        this.k2DecryptSubkeyRow = BitslicedDes.subkeyRow(decryptK2);
    }

    /**
     * Builds a key from its 16 clear bytes. The array is read, not retained, so the caller may
     * clear it afterwards. DES parity bits are ignored.
     *
     * @param key16 {@code K1 | K2}, exactly 16 bytes.
     * @return the key with its schedules.
     * @throws IllegalArgumentException if the array is not 16 bytes long (the message gives the
     *                                  length only).
     */
    public static TdesKey of(final byte[] key16)
    {
        Objects.requireNonNull(key16, "key16");
        if (key16.length != KEY_LENGTH)
        {
            throw new IllegalArgumentException("expected a 16-byte double-length key, got " + key16.length + " bytes");
        }
        return new TdesKey(Des.schedule(key16, 0), Des.schedule(key16, 8));
    }

    /**
     * @param block plaintext block.
     * @return {@code E(K1, D(K2, E(K1, block)))}.
     */
    public long encrypt(final long block)
    {
        long x = Des.initialPermutation(block);
        x = Des.rounds(x, encryptK1);
        x = Des.rounds(x, decryptK2);
        x = Des.rounds(x, encryptK1);
        return Des.finalPermutation(x);
    }

    /**
     * @param block ciphertext block.
     * @return {@code D(K1, E(K2, D(K1, block)))}.
     */
    public long decrypt(final long block)
    {
        long x = Des.initialPermutation(block);
        x = Des.rounds(x, decryptK1);
        x = Des.rounds(x, encryptK2);
        x = Des.rounds(x, decryptK1);
        return Des.finalPermutation(x);
    }

    /**
     * Single-length DES with K1 alone, as the CBC stage of the ANSI X9.19 retail MAC needs.
     *
     * @param block plaintext block.
     * @return {@code E(K1, block)}.
     */
    public long desEncrypt(final long block)
    {
        return Des.finalPermutation(Des.rounds(Des.initialPermutation(block), encryptK1));
    }

    /**
     * @param part 0 to {@link BitslicedDes#KEY_ROW_LONGS} - 1.
     * @return 64 bits of K1's subkey row, most significant first.
     */
    long k1SubkeyRow(final int part)
    {
        return k1SubkeyRow[part];
    }

    /**
     * @param part 0 to {@link BitslicedDes#KEY_ROW_LONGS} - 1.
     * @return 64 bits of K2's decryption subkey row, most significant first.
     */
    long k2DecryptSubkeyRow(final int part)
    {
        return k2DecryptSubkeyRow[part];
    }

    /**
     * One step of single-DES CBC under K1 in the permuted domain, for the retail MAC: the chain
     * value never leaves the form {@link Des#rounds(long, int[])} works on, so a MAC pays for one
     * final permutation in all and the block's initial permutation is off the chain's critical path.
     *
     * @param chain the previous step's result (0 before the first block).
     * @param block the next plaintext block.
     * @return {@code IP(E(K1, FP(chain) XOR block))}.
     */
    long cbcStepK1(final long chain, final long block)
    {
        return Des.rounds(chain ^ Des.initialPermutation(block), encryptK1);
    }

    /**
     * The output transformation of ISO 9797-1 MAC algorithm 3, on a chain from {@link #cbcStepK1}.
     *
     * @param chain the last CBC step's result.
     * @return {@code E(K1, D(K2, FP(chain)))}.
     */
    long retailMacOutput(final long chain)
    {
        return Des.finalPermutation(Des.rounds(Des.rounds(chain, decryptK2), encryptK1));
    }

    /**
     * Encrypts one 8-byte block with TDES.
     *
     * @param in        source array.
     * @param inOffset  index of the first plaintext byte.
     * @param out       destination array (may be {@code in}).
     * @param outOffset index at which the 8 ciphertext bytes are written.
     */
    public void encryptBlock(final byte[] in, final int inOffset, final byte[] out, final int outOffset)
    {
        putLong(out, outOffset, encrypt(getLong(in, inOffset)));
    }

    /**
     * Decrypts one 8-byte block with TDES.
     *
     * @param in        source array.
     * @param inOffset  index of the first ciphertext byte.
     * @param out       destination array (may be {@code in}).
     * @param outOffset index at which the 8 plaintext bytes are written.
     */
    public void decryptBlock(final byte[] in, final int inOffset, final byte[] out, final int outOffset)
    {
        putLong(out, outOffset, decrypt(getLong(in, inOffset)));
    }

    /**
     * Encrypts one 8-byte block with single DES under K1.
     *
     * @param in        source array.
     * @param inOffset  index of the first plaintext byte.
     * @param out       destination array (may be {@code in}).
     * @param outOffset index at which the 8 ciphertext bytes are written.
     */
    public void desEncryptBlock(final byte[] in, final int inOffset, final byte[] out, final int outOffset)
    {
        putLong(out, outOffset, desEncrypt(getLong(in, inOffset)));
    }

    /**
     * Encrypts one 8-byte block with TDES.
     *
     * @param in        source buffer.
     * @param inOffset  index of the first plaintext byte.
     * @param out       destination buffer (may be {@code in}).
     * @param outOffset index at which the 8 ciphertext bytes are written.
     */
    public void encryptBlock(final DirectBuffer in, final int inOffset, final MutableDirectBuffer out, final int outOffset)
    {
        putLong(out, outOffset, encrypt(getLong(in, inOffset)));
    }

    /**
     * Decrypts one 8-byte block with TDES.
     *
     * @param in        source buffer.
     * @param inOffset  index of the first ciphertext byte.
     * @param out       destination buffer (may be {@code in}).
     * @param outOffset index at which the 8 plaintext bytes are written.
     */
    public void decryptBlock(final DirectBuffer in, final int inOffset, final MutableDirectBuffer out, final int outOffset)
    {
        putLong(out, outOffset, decrypt(getLong(in, inOffset)));
    }

    /**
     * The key check value: the first three bytes of the TDES encryption of a zero block, as six
     * upper-case hex digits. It identifies a key for operators without revealing it.
     *
     * @return six hex digits.
     */
    public String checkValue()
    {
        return Hex.encode(encrypt(0L)).substring(0, 6);
    }

    /**
     * @return the type and the key check value, never key material.
     */
    @Override
    public String toString()
    {
        return "TdesKey{checkValue=" + checkValue() + "}";
    }

    static long getLong(final byte[] array, final int offset)
    {
        return ((long)(array[offset] & 0xFF) << 56) |
            ((long)(array[offset + 1] & 0xFF) << 48) |
            ((long)(array[offset + 2] & 0xFF) << 40) |
            ((long)(array[offset + 3] & 0xFF) << 32) |
            ((long)(array[offset + 4] & 0xFF) << 24) |
            ((array[offset + 5] & 0xFF) << 16) |
            ((array[offset + 6] & 0xFF) << 8) |
            (array[offset + 7] & 0xFF);
    }

    static void putLong(final byte[] array, final int offset, final long value)
    {
        array[offset] = (byte)(value >>> 56);
        array[offset + 1] = (byte)(value >>> 48);
        array[offset + 2] = (byte)(value >>> 40);
        array[offset + 3] = (byte)(value >>> 32);
        array[offset + 4] = (byte)(value >>> 24);
        array[offset + 5] = (byte)(value >>> 16);
        array[offset + 6] = (byte)(value >>> 8);
        array[offset + 7] = (byte)value;
    }

    static long getLong(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset, ByteOrder.BIG_ENDIAN);
    }

    static void putLong(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        buffer.putLong(offset, value, ByteOrder.BIG_ENDIAN);
    }
}
