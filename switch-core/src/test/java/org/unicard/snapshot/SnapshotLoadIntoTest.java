package org.unicard.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.recovery.JournalReplayer;
import org.unicard.security.Hex;
import org.unicard.security.TdesKey;
import org.unicard.state.TerminalType;
import org.unicard.testing.AuthorizerHarness;
import org.unicard.testing.PublicFields;
import org.unicard.testing.RandomTraffic;
import org.unicard.testing.StateCapture;
import org.unicard.testing.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot streamed through a channel ({@link SnapshotWriter#write(java.nio.channels.WritableByteChannel, ...)})
 * and loaded in place into another state of the same data set ({@link SnapshotReader#loadInto}):
 * every column, index slot and counter equal, terminals added after the member's own; a snapshot that
 * does not fit (another data set, other capacities, fewer terminals than the member already has) is
 * refused with its reason before anything changes.
 */
class SnapshotLoadIntoTest
{
    private static final TdesKey LMK = TdesKey.of(Hex.parseKey("0123456789ABCDEFFEDCBA9876543210"));
    private static final byte[] TPK = Hex.parseKey("3D3D3D3D3D3D3D3D4F4F4F4F4F4F4F4F");

    @Test
    void shouldLoadEveryFieldInPlaceAndAddTheTerminalsTheMemberLacks() throws Exception
    {
        final AuthorizerHarness live = trafficked();
        live.data.terminals().add("NEW00001", "NEWSHOP00000001", TerminalType.GROCER, 3, "New shop", TPK.clone(), null, true);
        final AuthorizerHarness member = AuthorizerHarness.atGenesis();

        try (SnapshotReader reader = SnapshotReader.open("stream", Channels.newChannel(new java.io.ByteArrayInputStream(bytes(live)))))
        {
            assertEquals(live.authorizer.sequence(), reader.meta().sequence());
            assertEquals(-1, reader.meta().journalIndex());
            reader.loadInto(LMK, member.data, member.authorizer);
        }

        assertNull(StateCapture.firstDifference(StateCapture.of(live.data, live.authorizer), StateCapture.of(member.data, member.authorizer)));
        assertNull(PublicFields.firstDifference(live.data.terminals(), member.data.terminals()), "terminals");
        assertEquals(7, member.data.terminals().size());
        assertEquals(6, member.data.terminals().indexOf(live.data.terminals().terminalId[6]));
        assertEquals(live.authorizer.rules(), member.authorizer.rules());
        final AuthOutcome fromMember = new AuthOutcome();
        final RandomTraffic traffic = new RandomTraffic(5, live, request ->
        {
            final AuthOutcome fromLive = live.send(request);
            member.authorizer.authorize(request, fromMember);
            assertNull(fromLive.firstDifference(fromMember), "sequence " + fromLive.sequence);
            return fromLive;
        });
        for (int i = 0; i < 300; i++)
        {
            traffic.step();
        }
    }

    @Test
    void shouldRefuseASnapshotThatDoesNotFitBeforeChangingAnything() throws Exception
    {
        final AuthorizerHarness live = trafficked();
        final byte[] snapshot = bytes(live);

        final org.unicard.state.DataSet otherData = TestData.dataSet(0x0123_4567_89AB_CDEFL);
        assertRefused(snapshot, otherData, new org.unicard.authorizer.Authorizer(otherData, org.unicard.config.ProgramRules.defaults(),
                AuthorizerHarness.WINDOW_CAPACITY, AuthorizerHarness.LEDGER_CAPACITY),
            "reason=another data set: snapshot fingerprint=" + Long.toHexString(TestData.FINGERPRINT) + " this data set's=123456789abcdef");

        final AuthorizerHarness otherWindow = AuthorizerHarness.withWindowOf(1_024);
        assertRefused(snapshot, otherWindow.data, otherWindow.authorizer, "reason=does not fit: duplicate-window.capacity snapshot="
            + live.authorizer.window().capacity() + " here=" + otherWindow.authorizer.window().capacity());

        final AuthorizerHarness moreTerminals = AuthorizerHarness.atGenesis();
        moreTerminals.data.terminals().add("MINE0001", "MINE00000000001", TerminalType.GROCER, 3, "Mine", null, null, true);
        assertRefused(snapshot, moreTerminals.data, moreTerminals.authorizer, "reason=LINKS holds 6 terminals, this state already 7");

        final TdesKey otherLmk = TdesKey.of(Hex.parseKey("1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A"));
        final AuthorizerHarness member = AuthorizerHarness.atGenesis();
        final List<Object> before = StateCapture.of(member.data, member.authorizer);
        try (SnapshotReader reader = SnapshotReader.open("stream", Channels.newChannel(new java.io.ByteArrayInputStream(snapshot))))
        {
            final SnapshotException refused = assertThrows(SnapshotException.class, () -> reader.loadInto(otherLmk, member.data,
                member.authorizer));
            assertTrue(refused.getMessage().startsWith("snapshot=stream reason=written under another LMK"), refused.getMessage());
        }
        assertNull(StateCapture.firstDifference(before, StateCapture.of(member.data, member.authorizer)), "nothing changed");
    }

    @Test
    void shouldRefuseAStreamCutShortOrWithBytesAfterItsEnd() throws Exception
    {
        final byte[] snapshot = bytes(trafficked());
        final byte[] cut = java.util.Arrays.copyOf(snapshot, snapshot.length - 20);
        final AuthorizerHarness member = AuthorizerHarness.atGenesis();
        try (SnapshotReader reader = SnapshotReader.open("cut", Channels.newChannel(new java.io.ByteArrayInputStream(cut))))
        {
            final SnapshotException refused = assertThrows(SnapshotException.class, () -> reader.loadInto(LMK, member.data,
                member.authorizer));
            assertTrue(refused.getMessage().startsWith("snapshot=cut reason=truncated: the stream ends at byte " + cut.length),
                refused.getMessage());
        }
        final byte[] longer = java.util.Arrays.copyOf(snapshot, snapshot.length + 3);
        try (SnapshotReader reader = SnapshotReader.open("longer", Channels.newChannel(new java.io.ByteArrayInputStream(longer))))
        {
            final SnapshotException refused = assertThrows(SnapshotException.class, () -> reader.loadInto(LMK,
                AuthorizerHarness.atGenesis().data, AuthorizerHarness.atGenesis().authorizer));
            assertEquals("snapshot=longer reason=bytes follow the END section at byte " + snapshot.length, refused.getMessage());
        }
    }

    private static void assertRefused(
        final byte[] snapshot, final org.unicard.state.DataSet data, final org.unicard.authorizer.Authorizer authorizer, final String reason)
        throws Exception
    {
        final List<Object> before = StateCapture.of(data, authorizer);
        final int terminalsBefore = data.terminals().size();
        try (SnapshotReader reader = SnapshotReader.open("stream", Channels.newChannel(new java.io.ByteArrayInputStream(snapshot))))
        {
            final SnapshotException refused = assertThrows(SnapshotException.class, () -> reader.loadInto(LMK, data, authorizer));
            assertTrue(refused.getMessage().startsWith("snapshot=stream " + reason), refused.getMessage());
        }
        assertNull(StateCapture.firstDifference(before, StateCapture.of(data, authorizer)), "nothing changed");
        assertEquals(terminalsBefore, data.terminals().size());
    }

    private static byte[] bytes(final AuthorizerHarness live) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final long written = SnapshotWriter.write(Channels.newChannel(out), live.data, live.authorizer, new JournalReplayer.Position(),
            new DataFilesStamp(List.of()), LMK);
        assertEquals(out.size(), written);
        return out.toByteArray();
    }

    private static AuthorizerHarness trafficked()
    {
        final AuthorizerHarness live = AuthorizerHarness.atGenesis();
        live.data.terminals().pinKey[TestData.GROCER] = TPK.clone();
        final RandomTraffic traffic = new RandomTraffic(3, live, live::send);
        for (int i = 0; i < 1_000; i++)
        {
            traffic.step();
        }
        return live;
    }
}
