package org.unicard.tools.traffic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.Authorizer;
import org.unicard.generate.DataSetGenerator;
import org.unicard.importer.DataSetImporter;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalRequest;

/**
 * The traffic model every generator shares, on a small generated data set: which cards and
 * terminals are drawn, and the request a simulated terminal builds from them.
 */
class TrafficModelTest
{
    @TempDir
    static Path directory;

    private static DataSet data;

    @BeforeAll
    static void generate() throws Exception
    {
        final TdesKey lmk = LocalMasterKey.parse(LocalMasterKey.generateHex(new SecureRandom()), "the test's key");
        DataSetGenerator.of(300, 5).generate(directory, lmk, (written, total) -> { });
        data = DataSetImporter.load(directory, lmk);
    }

    @Test
    void shouldDrawOnlyCollectedUnreplacedCardsHoldingTheProgram()
    {
        final CardTable cards = data.cards();
        final int[] ration = UsablePools.cards(cards, Program.RATION);
        assertTrue(ration.length > 0);
        int expected = 0;
        for (int card = 0; card < cards.size(); card++)
        {
            final boolean usable = cards.status(card) == CardStatus.COLLECTED && cards.replacesCard(card) == CardTable.NO_CARD;
            assertEquals(usable, UsablePools.canTransact(cards, card), "card " + card);
            expected += usable && (cards.programs(card) & Program.RATION) != 0 ? 1 : 0;
        }
        assertEquals(expected, ration.length);
        for (final int card : UsablePools.headCards(cards, Program.RATION))
        {
            assertTrue(cards.hasFlag(card, CardTable.FLAG_HEAD) && UsablePools.canTransact(cards, card), "card " + card);
        }
        for (final int card : UsablePools.declinedCards(cards))
        {
            assertFalse(UsablePools.canTransact(cards, card), "card " + card);
        }
        assertEquals(Long.toString(cards.pan(ration[0])), UsablePools.pans(cards, ration)[0]);
    }

    @Test
    void shouldDrawActiveTerminalsOfTheTypeInTableOrder()
    {
        final TerminalTable terminals = data.terminals();
        final int[] bakeries = UsablePools.activeTerminals(terminals, TerminalType.BAKERY);
        assertTrue(bakeries.length > 0);
        for (int i = 0; i < bakeries.length; i++)
        {
            assertTrue(terminals.active[bakeries[i]] && terminals.type[bakeries[i]] == TerminalType.BAKERY);
            assertTrue(i == 0 || bakeries[i] > bakeries[i - 1]);
        }
    }

    @Test
    void shouldBuildABreadPurchaseAddressedAndSignedAsTheTerminal()
    {
        final int index = UsablePools.activeTerminals(data.terminals(), TerminalType.BAKERY)[0];
        final SimulatedTerminal bakery = new SimulatedTerminal(data.terminals(), index);
        final TerminalRequest request = bakery.start(new TerminalRequest(), 42, 1203101530L);
        request.pan = UsablePools.pans(data.cards(), UsablePools.cards(data.cards(), Program.BREAD))[0];
        Purchases.bread(request, 3);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
        final int length = new RequestBuilder().build(request, frame);

        final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY);
        reader.wrap(frame, Framing.LENGTH_PREFIX_BYTES, length - Framing.LENGTH_PREFIX_BYTES);
        assertTrue(reader.isValid());
        assertTrue(bakery.isBakery());
        assertEquals(200, reader.mti());
        assertEquals(Purchases.BREAD, reader.numeric(3));
        assertEquals(3, reader.numeric(4));
        assertEquals(42, reader.numeric(11));
        assertEquals(1203101530L, reader.numeric(7));
        assertEquals(Long.toString(Authorizer.CURRENCY_NONE), Answers.text(reader, 49));
        assertEquals(bakery.terminalId(), Answers.text(reader, 41));
        assertTrue(bakery.isAddressee(reader));
        assertEquals(data.terminals().macKey[index] != null, reader.hasField(64), "MAC-signed when the terminal has a MAC key");
        assertNull(request.pinKey);
    }

    @Test
    void shouldGiveEachPurchaseItsProcessingCodeAndCurrency()
    {
        final TerminalRequest request = new TerminalRequest();
        Purchases.ration(request, 1_500);
        assertArrayEquals(new long[] {Purchases.RATION, 1_500, Authorizer.CURRENCY_EGP},
            new long[] {request.processingCode, request.amount, request.currency});
        Purchases.rationReturn(request.clear(), 700);
        assertArrayEquals(new long[] {Purchases.RATION_RETURN, 700, Authorizer.CURRENCY_EGP},
            new long[] {request.processingCode, request.amount, request.currency});
        Purchases.balanceInquiry(request.clear());
        assertArrayEquals(new long[] {Purchases.BALANCE_INQUIRY, -1, -1}, new long[] {request.processingCode, request.amount, request.currency});
    }
}
