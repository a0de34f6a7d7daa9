package org.unicard.server;

import java.io.IOException;
import java.util.Arrays;

import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOPackager;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.packager.GenericPackager;
import org.unicard.security.Hex;
import org.unicard.security.PinBlock;
import org.unicard.security.RetailMac;
import org.unicard.security.TdesKey;

/**
 * A real jPOS terminal for wire tests: a {@link NACChannel} (2-byte length, no header) with the
 * iso87binary packager, plus helpers that build the requests of the spec, PIN blocks and MACs.
 */
public final class JposTerminal implements AutoCloseable
{
    public static final TdesKey TPK = TdesKey.of(Hex.parseKey(WireData.TPK_HEX));
    public static final TdesKey TAK = TdesKey.of(Hex.parseKey(WireData.TAK_HEX));
    public static final TdesKey ZPK = TdesKey.of(Hex.parseKey(WireData.ZPK_HEX));

    private final NACChannel channel;
    private final ISOPackager packager;

    public JposTerminal(final int port) throws ISOException, IOException
    {
        packager = packager();
        channel = new NACChannel("127.0.0.1", port, packager, null);
        channel.setTimeout(10_000);
        channel.connect();
    }

    public static ISOPackager packager() throws ISOException
    {
        return new GenericPackager("jar:packager/iso87binary.xml");
    }

    public ISOMsg exchange(final ISOMsg request) throws ISOException, IOException
    {
        channel.send(request);
        return channel.receive();
    }

    void send(final ISOMsg request) throws ISOException, IOException
    {
        channel.send(request);
    }

    ISOMsg receive() throws ISOException, IOException
    {
        return channel.receive();
    }

    boolean isConnected()
    {
        return channel.isConnected();
    }

    /**
     * A financial or authorization request from a registered terminal.
     */
    public static ISOMsg request(
        final String mti, final String terminal, final String merchant, final String pan, final String processingCode,
        final long amount, final String currency, final int stan) throws ISOException
    {
        final ISOMsg m = new ISOMsg(mti);
        m.set(2, pan);
        m.set(3, processingCode);
        if (amount >= 0)
        {
            m.set(4, String.format("%012d", amount));
        }
        m.set(7, "1123070000");
        m.set(11, String.format("%06d", stan));
        m.set(41, terminal);
        if (merchant != null)
        {
            m.set(42, merchant);
        }
        if (currency != null)
        {
            m.set(49, currency);
        }
        return m;
    }

    static ISOMsg bread(final String pan, final long loaves, final int stan) throws ISOException
    {
        return request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, pan, "009200", loaves, "999", stan);
    }

    static ISOMsg ration(final String pan, final long piasters, final int stan) throws ISOException
    {
        return request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, pan, "009100", piasters, "818", stan);
    }

    /**
     * Sets field 52 to the PIN's format-0 block under the key.
     */
    public static ISOMsg withPin(final ISOMsg m, final int pin, final TdesKey key) throws ISOException
    {
        final String pan = m.getString(2);
        final byte[] clear = new byte[8];
        PinBlock.encodeFormat0(pin, 4, Long.parseLong(pan), pan.length(), clear, 0);
        final byte[] encrypted = new byte[8];
        key.encryptBlock(clear, 0, encrypted, 0);
        m.set(52, encrypted);
        return m;
    }

    /**
     * Sets field 64 to the X9.19 MAC over every byte before it (field 64 must be the last field).
     */
    public static ISOMsg withMac(final ISOMsg m, final TdesKey key) throws ISOException
    {
        m.setPackager(packager());
        m.set(64, new byte[8]);
        final byte[] packed = m.pack();
        final byte[] mac = new byte[8];
        RetailMac.compute(key, new org.agrona.concurrent.UnsafeBuffer(packed), 0, packed.length - 8, mac, 0);
        m.set(64, mac);
        return m;
    }

    /**
     * @return whether the response's field 64 is the right MAC over every byte before it.
     */
    static boolean macValid(final ISOMsg response, final TdesKey key) throws ISOException
    {
        response.setPackager(packager());
        final byte[] packed = response.pack();
        final byte[] mac = new byte[8];
        RetailMac.compute(key, new org.agrona.concurrent.UnsafeBuffer(packed), 0, packed.length - 8, mac, 0);
        return Arrays.equals(mac, response.getBytes(64));
    }

    @Override
    public void close() throws IOException
    {
        channel.disconnect();
    }
}
