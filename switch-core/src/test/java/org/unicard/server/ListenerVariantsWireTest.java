package org.unicard.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jpos.iso.ISOMsg;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.packager.GenericPackager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Listener configurations of spec §1–§2 other than the default: a 5-byte TPDU after the length
 * prefix, and the iso87ascii packager.
 */
class ListenerVariantsWireTest
{
    @TempDir
    Path directory;

    private UnicardSwitch unicard;

    @AfterEach
    void stop()
    {
        if (unicard != null)
        {
            unicard.close();
        }
    }

    @Test
    void shouldAnswerWithTheTpduAddressesSwapped() throws Exception
    {
        start("listener.terminal.tpdu = true\n");
        final ISOMsg request = JposTerminal.bread(WireData.HEAD, 2, 1);
        request.setPackager(JposTerminal.packager());
        final byte[] message = request.pack();
        final byte[] tpdu = {0x60, 0x00, 0x01, 0x00, 0x02};
        try (Socket socket = new Socket("127.0.0.1", unicard.terminalPort()))
        {
            socket.setSoTimeout(5_000);
            final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(tpdu.length + message.length);
            out.write(tpdu);
            out.write(message);
            out.flush();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final byte[] frame = new byte[in.readUnsignedShort()];
            in.readFully(frame);

            assertArrayEquals(new byte[] {0x60, 0x00, 0x02, 0x00, 0x01}, java.util.Arrays.copyOf(frame, 5));
            final ISOMsg response = new ISOMsg();
            response.setPackager(JposTerminal.packager());
            response.unpack(java.util.Arrays.copyOfRange(frame, 5, frame.length));
            assertEquals("0210", response.getMTI());
            assertEquals("00", response.getString(39));
        }
    }

    @Test
    void shouldSpeakTheAsciiPackagerWhenConfigured() throws Exception
    {
        start("listener.terminal.packager = iso87ascii\n");
        final NACChannel channel = new NACChannel("127.0.0.1", unicard.terminalPort(), new GenericPackager("jar:packager/iso87ascii.xml"), null);
        channel.setTimeout(5_000);
        channel.connect();
        try
        {
            channel.send(JposTerminal.bread(WireData.HEAD, 3, 2));
            final ISOMsg response = channel.receive();
            assertEquals("0210", response.getMTI());
            assertEquals("00", response.getString(39));
            assertTrue(response.getString(54).contains("9202999C000000000007"), response.getString(54));

            final ISOMsg withPin = JposTerminal.withPin(
                JposTerminal.request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.HEAD, "009400", 500, "818", 3),
                WireData.PIN, JposTerminal.TPK);
            channel.send(withPin);
            assertEquals("00", channel.receive().getString(39), "the hex-encoded PIN block of iso87ascii verifies");
        }
        finally
        {
            channel.disconnect();
        }
    }

    private void start(final String configuration) throws Exception
    {
        WireData.write(directory);
        final Path config = directory.resolve("listener.properties");
        Files.writeString(config, configuration);
        unicard = UnicardSwitch.start(new SwitchOptions(directory, null, config, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null));
    }
}
