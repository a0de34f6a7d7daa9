package org.unicard.recovery;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalException;
import org.unicard.journal.JournalRecord;

/**
 * Replays a journal into an authorizer: GENESIS sets the first business day (and must name the
 * same data set), RULES switch the program rules, and every REQUEST is decided again and compared
 * with the outcome the journal recorded. A checksum failure or a different decision stops the
 * replay with an error naming the record; nothing is skipped silently.
 */
public final class JournalReplayer
{
    /** Told about progress every {@link #PROGRESS_EVERY} records. */
    @FunctionalInterface
    public interface Progress
    {
        void records(long replayed);
    }

    public static final int PROGRESS_EVERY = 1 << 16;

    private JournalReplayer()
    {
    }

    /**
     * @param journal     the journal to read from its first record.
     * @param authorizer  a fresh authorizer over the imported data set.
     * @param fingerprint the imported data set's fingerprint.
     * @param progress    told how far the replay has come.
     * @return the number of records replayed.
     */
    public static long replay(
        final ChronicleJournal journal, final Authorizer authorizer, final long fingerprint, final Progress progress)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        final JournalRecord record = new JournalRecord();
        final AuthRequest request = new AuthRequest();
        final AuthOutcome recorded = new AuthOutcome();
        final AuthOutcome decided = new AuthOutcome();
        long count = 0;
        try (ChronicleJournal.Reader reader = journal.reader())
        {
            int length;
            while ((length = reader.next(buffer)) >= 0)
            {
                final String damage = record.verify(buffer, length);
                if (damage != null)
                {
                    throw new JournalException("journal=" + journal.directory() + " index=" + Long.toHexString(reader.index()) +
                        " record=" + (count + 1) + " reason=damaged record: " + damage);
                }
                switch (JournalRecord.type(buffer))
                {
                    case JournalRecord.TYPE_GENESIS ->
                    {
                        final long recordedFingerprint = JournalRecord.genesisFingerprint(buffer);
                        if (recordedFingerprint != fingerprint)
                        {
                            throw new JournalException("journal=" + journal.directory() +
                                " reason=belongs to another data set: journal fingerprint=" + Long.toHexString(recordedFingerprint) +
                                " data set fingerprint=" + Long.toHexString(fingerprint));
                        }
                        authorizer.genesis(JournalRecord.genesisTimeMs(buffer));
                    }
                    case JournalRecord.TYPE_RULES -> authorizer.rules(JournalRecord.decodeRules(buffer));
                    case JournalRecord.TYPE_REQUEST ->
                    {
                        request.clear();
                        JournalRecord.decodeRequest(buffer, request, recorded);
                        authorizer.authorize(request, decided);
                        final String difference = decided.firstDifference(recorded);
                        if (difference != null)
                        {
                            throw new JournalException("journal=" + journal.directory() + " sequence=" + recorded.sequence +
                                " reason=replay decided differently field=" + difference +
                                " recorded code=" + recorded.responseCode + " replayed code=" + decided.responseCode);
                        }
                    }
                    default -> throw new JournalException("journal=" + journal.directory() + " record=" + (count + 1) +
                        " reason=unknown record type=" + JournalRecord.type(buffer));
                }
                count++;
                if ((count & (PROGRESS_EVERY - 1)) == 0)
                {
                    progress.records(count);
                }
            }
        }
        progress.records(count);
        return count;
    }
}
