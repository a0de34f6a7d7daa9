package org.unicard.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.config.ProgramRules;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalException;
import org.unicard.journal.JournalRecord;
import org.unicard.state.DataSet;
import org.unicard.testing.Requests;
import org.unicard.testing.StateCapture;
import org.unicard.testing.TestData;

/**
 * Replay takes the card a REQUEST record names as a hint for its decision and its prefetch. A record
 * whose card field names another card of the same household (a damaged or forged field with a good
 * checksum) must not steer the decision: replay decides with the PAN's own card and stops at that
 * record, naming the card as the difference, with both codes 00 (approved).
 */
class ReplayCardHintTest
{
    @TempDir
    Path directory;

    private final JournalRecord record = new JournalRecord();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);

    private static Authorizer fresh(final DataSet data)
    {
        return new Authorizer(data, ProgramRules.defaults(), 64, 64);
    }

    /** Journals genesis and a ration purchase by the head's card, its card field replaced by {@code recordedCard}. */
    private void journalPurchase(final ChronicleJournal journal, final Authorizer live, final int recordedCard)
    {
        journal.append(buffer, record.encodeGenesis(buffer, TestData.GENESIS_MS, TestData.FINGERPRINT));
        live.genesis(TestData.GENESIS_MS);
        final AuthRequest purchase = Requests.financial().terminal(TestData.GROCER).card(TestData.pan(TestData.HEAD))
            .code(9100).egp(100).at(TestData.GENESIS_MS + 60_000).build();
        final AuthOutcome outcome = new AuthOutcome();
        live.authorize(purchase, outcome);
        assertEquals(ResponseCode.APPROVED, outcome.responseCode);
        assertEquals(TestData.HEAD, outcome.card);
        outcome.card = recordedCard;
        journal.append(buffer, record.encodeRequest(buffer, purchase, outcome));
    }

    @Test
    void shouldReplayTheRecordedCardToTheSameHouseholdsAndCards()
    {
        final DataSet liveData = TestData.dataSet();
        final Authorizer live = fresh(liveData);
        final DataSet replayedData = TestData.dataSet();
        final Authorizer replayed = fresh(replayedData);
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            journalPurchase(journal, live, TestData.HEAD);

            assertEquals(2, JournalReplayer.replay(journal, replayed, TestData.FINGERPRINT, count -> { }));
        }
        assertNull(StateCapture.firstDifference(StateCapture.of(liveData.households()), StateCapture.of(replayedData.households())));
        assertNull(StateCapture.firstDifference(StateCapture.of(liveData.cards()), StateCapture.of(replayedData.cards())));
    }

    @Test
    void shouldDecideWithThePansCardAndStopWhenTheRecordNamesAnotherCardOfTheHousehold()
    {
        final DataSet data = TestData.dataSet();
        assertEquals(data.cards().household(TestData.HEAD), data.cards().household(TestData.MEMBER), "one household");
        try (ChronicleJournal journal = ChronicleJournal.open(directory))
        {
            journalPurchase(journal, fresh(TestData.dataSet()), TestData.MEMBER);

            final JournalException stopped = assertThrows(JournalException.class,
                () -> JournalReplayer.replay(journal, fresh(data), TestData.FINGERPRINT, count -> { }));

            assertTrue(stopped.getMessage().contains("field=card recorded code=0 replayed code=0"), stopped.getMessage());
        }
    }
}
