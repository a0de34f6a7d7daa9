package org.unicard.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.bread;
import static org.unicard.server.JposTerminal.ration;
import static org.unicard.server.JposTerminal.request;
import static org.unicard.server.JposTerminal.withMac;
import static org.unicard.server.JposTerminal.withPin;

/**
 * The switch through the wire: a real switch on a hand-written data set, driven by a jPOS
 * terminal, asserting the response codes, echoed fields and balances of the spec.
 */
class SwitchWireTest
{
    private static final String SMALL_BALANCES_FRESH =
        "9102818C000000010000" + "9202999C000000000010" + "9302818C000000000000" + "9402818C000000020000";

    @TempDir
    Path directory;

    private UnicardSwitch unicard;
    private JposTerminal terminal;

    @BeforeEach
    void start() throws Exception
    {
        WireData.write(directory);
        unicard = UnicardSwitch.start(new SwitchOptions(directory, null, null, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, WireData.API_TOKEN));
        terminal = new JposTerminal(unicard.terminalPort());
    }

    @AfterEach
    void stop() throws Exception
    {
        terminal.close();
        unicard.close();
    }

    @Test
    void shouldApproveBreadAndEchoFieldsWithBalances() throws Exception
    {
        final ISOMsg response = terminal.exchange(bread(WireData.HEAD, 4, 1));

        assertEquals("0210", response.getMTI());
        assertEquals("00", response.getString(39));
        assertEquals(6, response.getString(38).length());
        assertEquals(12, response.getString(37).length());
        assertEquals("000001", response.getString(11));
        assertEquals(WireData.BAKERY, response.getString(41));
        assertEquals(WireData.MERCHANT_BAKERY, response.getString(42));
        assertEquals("009200", response.getString(3));
        assertEquals("000000000004", response.getString(4));
        assertEquals("999", response.getString(49));
        assertEquals(WireData.HEAD, response.getString(2));
        assertEquals("9102818C000000010000" + "9202999C000000000006" + "9302818C000000000000" + "9402818C000000020000",
            response.getString(54));
    }

    @Test
    void shouldAnswerRetransmissionWithTheOriginalResponseAndChangeNothing() throws Exception
    {
        final ISOMsg first = terminal.exchange(bread(WireData.HEAD, 4, 2));
        final ISOMsg again = terminal.exchange(bread(WireData.HEAD, 4, 2));

        assertEquals("00", again.getString(39));
        assertEquals(first.getString(38), again.getString(38));
        assertEquals(first.getString(37), again.getString(37));
        assertEquals(first.getString(54), again.getString(54));
        final ISOMsg inquiry = terminal.exchange(request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "319200", -1, null, 3));
        assertEquals("00", inquiry.getString(39));
        assertTrue(inquiry.getString(54).contains("9202999C000000000006"), inquiry.getString(54));
    }

    @Test
    void shouldAnswer94ForTheSameKeyWithOtherContent() throws Exception
    {
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 2, 4)).getString(39));
        assertEquals("94", terminal.exchange(bread(WireData.HEAD, 3, 4)).getString(39));
    }

    @Test
    void shouldDecline51OverTheDailyQuotaWithBalances() throws Exception
    {
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 10, 5)).getString(39));
        final ISOMsg declined = terminal.exchange(bread(WireData.HEAD, 1, 6));

        assertEquals("51", declined.getString(39));
        assertEquals(null, declined.getString(38));
        assertTrue(declined.getString(54).contains("9202999C000000000000"), declined.getString(54));
    }

    @Test
    void shouldDecline13ForMoreThanFiftyLoaves() throws Exception
    {
        assertEquals("13", terminal.exchange(bread(WireData.LARGE_HEAD, 51, 7)).getString(39));
    }

    @Test
    void shouldDecline13ForBreadInPiasters() throws Exception
    {
        final ISOMsg m = request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "009200", 5, "818", 8);
        assertEquals("13", terminal.exchange(m).getString(39));
    }

    @Test
    void shouldAnswer03ForUnknownAndInactiveTerminals() throws Exception
    {
        final ISOMsg unknown = request("0200", "X0000001", WireData.MERCHANT_BAKERY, WireData.HEAD, "009200", 1, "999", 9);
        assertEquals("03", terminal.exchange(unknown).getString(39));
        final ISOMsg inactive = request("0200", WireData.INACTIVE, "MB0000000000009", WireData.HEAD, "009200", 1, "999", 10);
        assertEquals("03", terminal.exchange(inactive).getString(39));
        final ISOMsg wrongMerchant = request("0200", WireData.BAKERY, "MB0000000000999", WireData.HEAD, "009200", 1, "999", 11);
        assertEquals("03", terminal.exchange(wrongMerchant).getString(39));
    }

    @Test
    void shouldAnswer58ForRationAtABakery() throws Exception
    {
        final ISOMsg m = request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "009100", 100, "818", 12);
        assertEquals("58", terminal.exchange(m).getString(39));
    }

    @Test
    void shouldAnswerCardStatusCodes() throws Exception
    {
        assertEquals("41", terminal.exchange(inquiryAtBakery(WireData.LOST, 13)).getString(39));
        assertEquals("43", terminal.exchange(inquiryAtBakery(WireData.STOLEN, 14)).getString(39));
        assertEquals("62", terminal.exchange(inquiryAtBakery(WireData.UNCOLLECTED, 15)).getString(39));
    }

    @Test
    void shouldAnswer12ForAProcessingCodeTheSpecDoesNotHave() throws Exception
    {
        final ISOMsg m = request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "409200", 1, "999", 110);
        assertEquals("12", terminal.exchange(m).getString(39));
        final ISOMsg notZero = request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "009201", 1, "999", 111);
        assertEquals("12", terminal.exchange(notZero).getString(39));
    }

    @Test
    void shouldAnswer54ForAnExpiredCardOrAnotherExpiry() throws Exception
    {
        assertEquals("54", terminal.exchange(inquiryAtBakery(WireData.EXPIRED, 112)).getString(39));
        final ISOMsg wrongExpiry = inquiryAtBakery(WireData.HEAD, 113);
        wrongExpiry.set(14, "3011");
        assertEquals("54", terminal.exchange(wrongExpiry).getString(39));
        final ISOMsg rightExpiry = inquiryAtBakery(WireData.HEAD, 114);
        rightExpiry.set(14, "3012");
        assertEquals("00", terminal.exchange(rightExpiry).getString(39));
    }

    @Test
    void shouldAnswer57WhenTheCardDoesNotHoldTheProgram() throws Exception
    {
        final ISOMsg m = request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.MEMBER, "009200", 1, "999", 115);
        assertEquals("57", terminal.exchange(m).getString(39));
    }

    @Test
    void shouldAnswer14ForAPanFailingLuhn() throws Exception
    {
        final String bad = WireData.HEAD.substring(0, 15) + (char)('0' + (WireData.HEAD.charAt(15) - '0' + 1) % 10);
        assertEquals("14", terminal.exchange(inquiryAtBakery(bad, 16)).getString(39));
    }

    @Test
    void shouldAnswer30WhenARequiredFieldIsMissing() throws Exception
    {
        final ISOMsg m = bread(WireData.HEAD, 1, 17);
        m.unset(3);
        final ISOMsg response = terminal.exchange(m);
        assertEquals("0210", response.getMTI());
        assertEquals("30", response.getString(39));
        assertEquals("000017", response.getString(11));
    }

    @Test
    void shouldAnswerNetworkManagement() throws Exception
    {
        final ISOMsg echo = new ISOMsg("0800");
        echo.set(7, "1123070000");
        echo.set(11, "000018");
        echo.set(41, WireData.BAKERY);
        echo.set(70, "301");
        final ISOMsg response = terminal.exchange(echo);
        assertEquals("0810", response.getMTI());
        assertEquals("00", response.getString(39));
        assertEquals("301", response.getString(70));
    }

    @Test
    void shouldReverseABreadPurchaseOnceAndRestoreTheQuota() throws Exception
    {
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 5, 20)).getString(39));
        final ISOMsg reversal = bread(WireData.HEAD, 5, 21);
        reversal.setMTI("0400");
        reversal.set(90, "0200" + "000020" + "1123070000" + "0".repeat(22));
        final ISOMsg reversed = terminal.exchange(reversal);
        assertEquals("0410", reversed.getMTI());
        assertEquals("00", reversed.getString(39));

        final ISOMsg repeated = bread(WireData.HEAD, 5, 22);
        repeated.setMTI("0400");
        repeated.set(90, "0200" + "000020" + "1123070000" + "0".repeat(22));
        assertEquals("00", terminal.exchange(repeated).getString(39));

        final ISOMsg inquiry = terminal.exchange(request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.HEAD, "310000", -1, null, 23));
        assertEquals(SMALL_BALANCES_FRESH, inquiry.getString(54));
    }

    @Test
    void shouldAnswer25ForAReversalBeforeItsOriginalAndThenDeclineTheOriginal() throws Exception
    {
        final ISOMsg reversal = bread(WireData.HEAD, 3, 31);
        reversal.setMTI("0420");
        reversal.set(90, "0200" + "000030" + "1123070000" + "0".repeat(22));
        assertEquals("25", terminal.exchange(reversal).getString(39));
        final ISOMsg late = terminal.exchange(bread(WireData.HEAD, 3, 30));
        assertEquals("05", late.getString(39));
        assertEquals("05", terminal.exchange(bread(WireData.HEAD, 3, 30)).getString(39));
    }

    @Test
    void shouldAnswer55ForAMissingRequiredPinThenApproveWithTheRightPin() throws Exception
    {
        final ISOMsg noPin = request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.HEAD, "009400", 1_500, "818", 40);
        assertEquals("55", terminal.exchange(noPin).getString(39));
        final ISOMsg withPin = withPin(
            request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.HEAD, "009400", 1_500, "818", 41),
            WireData.PIN, JposTerminal.TPK);
        final ISOMsg approved = terminal.exchange(withPin);
        assertEquals("00", approved.getString(39));
        assertTrue(approved.getString(54).contains("9402818C000000018500"), approved.getString(54));
    }

    @Test
    void shouldBlockThePinOnTheThirdWrongPin() throws Exception
    {
        for (int stan = 50; stan < 52; stan++)
        {
            final ISOMsg wrong = withPin(
                request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.HEAD, "009400", 100, "818", stan),
                WireData.PIN + 1, JposTerminal.TPK);
            assertEquals("55", terminal.exchange(wrong).getString(39));
        }
        final ISOMsg third = withPin(
            request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.HEAD, "009400", 100, "818", 52),
            WireData.PIN + 1, JposTerminal.TPK);
        assertEquals("75", terminal.exchange(third).getString(39));
        final ISOMsg right = withPin(
            request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.HEAD, "009400", 100, "818", 53),
            WireData.PIN, JposTerminal.TPK);
        assertEquals("75", terminal.exchange(right).getString(39));
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 54)).getString(39));
    }

    @Test
    void shouldAnswer63ForAMissingOrWrongMacAndSignTheResponse() throws Exception
    {
        final ISOMsg unsigned = request("0200", WireData.GROCER, WireData.MERCHANT_GROCER, WireData.HEAD, "009100", 1_000, "818", 60);
        assertEquals("63", terminal.exchange(unsigned).getString(39));

        final ISOMsg wrong = withMac(
            request("0200", WireData.GROCER, WireData.MERCHANT_GROCER, WireData.HEAD, "009100", 1_000, "818", 61), JposTerminal.TPK);
        assertEquals("63", terminal.exchange(wrong).getString(39));

        final ISOMsg signed = withMac(
            request("0200", WireData.GROCER, WireData.MERCHANT_GROCER, WireData.HEAD, "009100", 1_000, "818", 62), JposTerminal.TAK);
        final ISOMsg response = terminal.exchange(signed);
        assertEquals("00", response.getString(39));
        assertNotNull(response.getBytes(64));
        assertTrue(JposTerminal.macValid(response, JposTerminal.TAK));
        assertTrue(response.getString(54).startsWith("9102818C000000009000"), response.getString(54));
    }

    @Test
    void shouldSignEveryAnswerToATerminalWithAMacKeyAndNoOther() throws Exception
    {
        final byte[] key = org.unicard.security.Hex.parseKey(WireData.TAK_HEX);
        final ISOMsg noTransmissionTime = withMac(
            request("0200", WireData.GROCER, WireData.MERCHANT_GROCER, WireData.HEAD, "009100", 1, "818", 63), JposTerminal.TAK);
        noTransmissionTime.unset(7);
        final ISOMsg formatError = terminal.exchange(noTransmissionTime);
        assertEquals("30", formatError.getString(39), "field 7 missing: decided before the terminal is looked up");
        assertTrue(JceRetailMac.verifiesLastEightBytes(key, packed(formatError)), "the 30 is signed with the terminal's key");

        final ISOMsg otherMerchant = withMac(
            request("0200", WireData.GROCER, "MG0000000000999", WireData.HEAD, "009100", 1, "818", 64), JposTerminal.TAK);
        final ISOMsg refused = terminal.exchange(otherMerchant);
        assertEquals("03", refused.getString(39));
        assertTrue(JceRetailMac.verifiesLastEightBytes(key, packed(refused)), "the 03 is signed with the terminal's key");

        final ISOMsg unsigned = terminal.exchange(
            request("0200", WireData.GROCER, WireData.MERCHANT_GROCER, WireData.HEAD, "009100", 1, "818", 65));
        assertEquals("63", unsigned.getString(39));
        assertTrue(JceRetailMac.verifiesLastEightBytes(key, packed(unsigned)), "the 63 is signed with the terminal's key");

        final ISOMsg unknown = terminal.exchange(request("0200", "X0000001", WireData.MERCHANT_GROCER, WireData.HEAD, "009100", 1, "818", 66));
        assertEquals("03", unknown.getString(39));
        assertFalse(unknown.hasField(64), "no key, no MAC");
        final ISOMsg noKey = ration(WireData.HEAD, 1, 67);
        noKey.unset(7);
        final ISOMsg noKeyFormatError = terminal.exchange(noKey);
        assertEquals("30", noKeyFormatError.getString(39));
        assertFalse(noKeyFormatError.hasField(64), "a terminal without a MAC key gets none");
    }

    private static byte[] packed(final ISOMsg response) throws Exception
    {
        response.setPackager(JposTerminal.packager());
        return response.pack();
    }

    @Test
    void shouldLimitReturnsToWhatWasSpentAtTheTerminal() throws Exception
    {
        assertEquals("00", terminal.exchange(ration(WireData.HEAD, 3_000, 70)).getString(39));
        final ISOMsg tooMuch = request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.HEAD, "209100", 3_001, "818", 71);
        assertEquals("13", terminal.exchange(tooMuch).getString(39));
        final ISOMsg allowed = request("0200", WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, WireData.HEAD, "209100", 3_000, "818", 72);
        final ISOMsg credited = terminal.exchange(allowed);
        assertEquals("00", credited.getString(39));
        assertTrue(credited.getString(54).startsWith("9102818C000000010000"), credited.getString(54));
    }

    @Test
    void shouldDebitHealthCoPaymentsFromTheWalletUnlessExempt() throws Exception
    {
        final ISOMsg paid = terminal.exchange(
            request("0200", WireData.HEALTH, WireData.MERCHANT_HEALTH, WireData.MEMBER, "009300", 1_000, "818", 80));
        assertEquals("00", paid.getString(39));
        assertEquals("9302818C000000000000" + "9402818C000000004000", paid.getString(54));
        final ISOMsg exempt = terminal.exchange(
            request("0200", WireData.HEALTH, WireData.MERCHANT_HEALTH, WireData.EXEMPT, "009300", 1_000, "818", 81));
        assertEquals("00", exempt.getString(39));
        assertEquals("9302818C000000000000" + "9402818C000000001000", exempt.getString(54));
    }

    @Test
    void shouldPayCashSupportAtThePostOffice() throws Exception
    {
        final ISOMsg withdrawal = withPin(
            request("0200", WireData.POST, WireData.MERCHANT_POST, WireData.LARGE_HEAD, "019500", 20_000, "818", 90),
            WireData.PIN, JposTerminal.TPK);
        final ISOMsg response = terminal.exchange(withdrawal);
        assertEquals("00", response.getString(39));
        assertTrue(response.getString(54).endsWith("9502818C000000030000"), response.getString(54));
    }

    @Test
    void shouldApproveAWalletPurchaseOnAnAcquirerLinkWithTheZonePinKey() throws Exception
    {
        try (JposTerminal acquirer = new JposTerminal(unicard.acquirerPort()))
        {
            final ISOMsg purchase = request("0200", "ATM00001", null, WireData.HEAD, "009400", 2_000, "818", 100);
            purchase.set(32, Long.toString(WireData.ACQUIRER));
            final ISOMsg response = acquirer.exchange(withPin(purchase, WireData.PIN, JposTerminal.ZPK));
            assertEquals("00", response.getString(39));
            assertEquals(Long.toString(WireData.ACQUIRER), response.getString(32));

            final ISOMsg unknown = request("0200", "ATM00001", null, WireData.HEAD, "009400", 2_000, "818", 101);
            unknown.set(32, "999");
            assertEquals("03", acquirer.exchange(unknown).getString(39));
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsMatchedBySTAN() throws Exception
    {
        final int count = 50;
        for (int stan = 200; stan < 200 + count; stan++)
        {
            terminal.send(inquiryAtBakery(WireData.HEAD, stan));
        }
        final Set<String> stans = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            final ISOMsg response = terminal.receive();
            assertEquals("00", response.getString(39));
            stans.add(response.getString(11));
        }
        assertEquals(count, stans.size());
    }

    /** Restarts the switch of this test with {@code listener.max-in-flight-per-connection = 1}, on a journal of its own. */
    private void restartWithOneRequestInFlightPerConnection() throws Exception
    {
        restartWith("one-in-flight", "listener.max-in-flight-per-connection = 1\n");
    }

    /** Restarts the switch of this test with these settings, on a journal of its own named after them. */
    private void restartWith(final String name, final String properties) throws Exception
    {
        terminal.close();
        unicard.close();
        final Path config = directory.resolve(name + ".properties");
        java.nio.file.Files.writeString(config, properties);
        unicard = UnicardSwitch.start(new SwitchOptions(directory, directory.resolve("journal-" + name), config, 0, 0, 0, WireData.CLOCK,
            WireData.LMK_HEX, null));
        terminal = new JposTerminal(unicard.terminalPort());
    }

    /** Reads one answer's message bytes (its 2-byte length prefix read and dropped). */
    private static byte[] readFrame(final java.io.DataInputStream in) throws Exception
    {
        final byte[] frame = new byte[in.readUnsignedShort()];
        in.readFully(frame);
        return frame;
    }

    /** The message jPOS unpacks from an answer's bytes. */
    private static ISOMsg unpacked(final byte[] frame) throws Exception
    {
        final ISOMsg response = new ISOMsg();
        response.setPackager(JposTerminal.packager());
        response.unpack(frame);
        return response;
    }

    /** Appends one message with its 2-byte length prefix (spec §1). */
    private static void writeFramed(final java.io.ByteArrayOutputStream out, final byte[] message)
    {
        out.write(message.length >> 8);
        out.write(message.length & 0xFF);
        out.write(message, 0, message.length);
    }

    @Test
    void shouldAnswer91BeyondTheInFlightLimitOfAConnection() throws Exception
    {
        restartWithOneRequestInFlightPerConnection();
        final java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
        final int count = 20;
        for (int stan = 600; stan < 600 + count; stan++)
        {
            final ISOMsg m = inquiryAtBakery(WireData.HEAD, stan);
            m.setPackager(JposTerminal.packager());
            writeFramed(burst, m.pack());
        }
        try (Socket socket = new Socket("127.0.0.1", unicard.terminalPort()))
        {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(burst.toByteArray());
            socket.getOutputStream().flush();
            final java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            int overloaded = 0;
            int approved = 0;
            for (int i = 0; i < count; i++)
            {
                final byte[] frame = readFrame(in);
                final ISOMsg response = unpacked(frame);
                if ("91".equals(response.getString(39)))
                {
                    overloaded++;
                }
                else if ("00".equals(response.getString(39)))
                {
                    approved++;
                }
            }
            assertEquals(count, overloaded + approved);
            assertTrue(approved >= 1, "the first request of the burst is taken");
            assertTrue(overloaded >= 1, "the burst arrives in one read, so requests beyond the first are answered 91");
        }
    }

    @Test
    void shouldSign91AnswersToATerminalWithAMacKey() throws Exception
    {
        restartWithOneRequestInFlightPerConnection();
        final java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
        final int count = 20;
        for (int stan = 700; stan < 700 + count; stan++)
        {
            final ISOMsg m = withMac(request("0200", WireData.GROCER, WireData.MERCHANT_GROCER, WireData.HEAD, "009100", 1, "818", stan),
                JposTerminal.TAK);
            writeFramed(burst, m.pack());
        }
        final byte[] key = org.unicard.security.Hex.parseKey(WireData.TAK_HEX);
        try (Socket socket = new Socket("127.0.0.1", unicard.terminalPort()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(burst.toByteArray());
            socket.getOutputStream().flush();
            final java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            int overloaded = 0;
            int approved = 0;
            for (int i = 0; i < count; i++)
            {
                final byte[] frame = readFrame(in);
                final ISOMsg response = unpacked(frame);
                final String code = response.getString(39);
                assertTrue(response.hasField(64), "response " + code + " to a terminal with a MAC key carries field 64");
                assertTrue(JceRetailMac.verifiesLastEightBytes(key, frame), "field 64 of the " + code + " verifies with the terminal's key");
                overloaded += "91".equals(code) ? 1 : 0;
                approved += "00".equals(code) ? 1 : 0;
            }
            assertEquals(count, overloaded + approved);
            assertTrue(overloaded >= 1, "the burst arrives in one read, so requests beyond the first are answered 91");
            assertEquals(overloaded, unicard.listeners().overloads(), "every 91 was answered on the event loop");
        }
    }

    @Test
    void shouldVerifyAndSignABurstsMacsTogetherAnsweringEachAsAloneAndDebitingEachOnce() throws Exception
    {
        restartWith("burst", "listener.max-in-flight-per-connection = 256\nring.threads = shared\n");
        final java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
        final int count = 200;
        final Set<String> badMacs = new HashSet<>();
        for (int stan = 1000; stan < 1000 + count; stan++)
        {
            final ISOMsg m = withMac(request("0200", WireData.GROCER, WireData.MERCHANT_GROCER, WireData.HEAD, "009100", 1, "818", stan),
                JposTerminal.TAK);
            final byte[] packed = m.pack();
            if (stan % 9 == 0)
            {
                packed[packed.length - 1 - stan % 8] ^= 0x40; // a wrong MAC: answered 63, nothing debited
                badMacs.add(String.format("%06d", stan));
            }
            writeFramed(burst, packed);
        }
        final byte[] key = org.unicard.security.Hex.parseKey(WireData.TAK_HEX);
        final Set<String> stans = new HashSet<>();
        try (Socket socket = new Socket("127.0.0.1", unicard.terminalPort()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(burst.toByteArray());
            socket.getOutputStream().flush();
            final java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            for (int i = 0; i < count; i++)
            {
                final byte[] frame = readFrame(in);
                final ISOMsg response = unpacked(frame);
                assertEquals(badMacs.contains(response.getString(11)) ? "63" : "00", response.getString(39), "STAN " + response.getString(11));
                assertTrue(JceRetailMac.verifiesLastEightBytes(key, frame), "field 64 of STAN " + response.getString(11) + " verifies");
                stans.add(response.getString(11));
            }
        }
        assertEquals(count, stans.size(), "every request answered once");
        assertEquals(badMacs.size(), unicard.decodeCounters().macFailures.get());
        assertTrue(unicard.decodeCounters().macsVerifiedTogether.get() >= org.unicard.security.RetailMacBatch.BITSLICED_FROM,
            "the burst's requests were verified together: " + unicard.decodeCounters().macsVerifiedTogether.get());
        assertTrue(unicard.replyCounters().signedTogether.get() >= org.unicard.security.RetailMacBatch.BITSLICED_FROM,
            "the burst's responses were signed together: " + unicard.replyCounters().signedTogether.get());
        final ISOMsg inquiry = terminal.exchange(withMac(
            request("0200", WireData.GROCER, WireData.MERCHANT_GROCER, WireData.HEAD, "319100", -1, null, 2000), JposTerminal.TAK));
        assertTrue(inquiry.getString(54).contains("9102818C" + String.format("%012d", 10_000 - count + badMacs.size())), inquiry.getString(54));
    }

    @Test
    void shouldCloseTheConnectionOnAZeroLengthFrame() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", unicard.terminalPort()))
        {
            socket.setSoTimeout(5_000);
            final OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0, 0});
            out.flush();
            final InputStream in = socket.getInputStream();
            assertEquals(-1, in.read());
        }
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 1, 300)).getString(39));
    }

    @Test
    void shouldCloseTheConnectionOnAnOversizeFrame() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", unicard.terminalPort()))
        {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(new byte[] {0x10, 0x01});
            socket.getOutputStream().flush();
            assertEquals(-1, socket.getInputStream().read());
        }
    }

    @Test
    void shouldReportHealthReady() throws Exception
    {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + unicard.httpPort() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("ready\n", response.body());
    }

    @Test
    void shouldCountAnswersInMetricsWithoutAnyPan() throws Exception
    {
        terminal.exchange(bread(WireData.HEAD, 1, 500));
        terminal.exchange(bread(WireData.HEAD, 51, 501));
        final String metrics = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + unicard.httpPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();

        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("unicard_requests_total{") && line.contains("mti=\"0200\"") &&
            line.contains("response_code=\"00\"") && line.contains("terminal_type=\"bakery\"") && line.endsWith(" 1.0")), metrics);
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("unicard_requests_total{") && line.contains("response_code=\"13\"") &&
            line.endsWith(" 1.0")), metrics);
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("unicard_requests_by_processing_code_total{") &&
            line.contains("processing_code=\"00/92\"") && line.endsWith(" 2.0")), metrics);
        assertTrue(metrics.contains("unicard_request_latency_seconds{quantile=\"0.99\"}"), metrics);
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("unicard_requests_answered_within_seconds{le=\"+Inf\"}") &&
            line.endsWith(" 2.0")), metrics);
        assertTrue(metrics.contains("unicard_requests_answered_within_seconds{le=\"0.001\"}"), metrics);
        assertTrue(metrics.contains("unicard_ring_occupancy"), metrics);
        assertFalse(metrics.contains(WireData.HEAD), "no PAN in metrics");
    }

    @Test
    void shouldJournalEveryDecidedRequest() throws Exception
    {
        final long before = unicard.journal().appended();
        terminal.exchange(bread(WireData.HEAD, 1, 400));
        terminal.exchange(bread(WireData.HEAD, 1, 400));
        terminal.exchange(request("0200", "X0000001", WireData.MERCHANT_BAKERY, WireData.HEAD, "009200", 1, "999", 401));
        assertEquals(2, unicard.journal().appended() - before, "two decided requests (the retransmission included), not the 03");
        assertFalse(unicard.journalHealth().failed());
        assertEquals(2, unicard.authorizer().sequence());
    }

    private static ISOMsg inquiryAtBakery(final String pan, final int stan) throws Exception
    {
        return request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, pan, "310000", -1, null, stan);
    }
}
