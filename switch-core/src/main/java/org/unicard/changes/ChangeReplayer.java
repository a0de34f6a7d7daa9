package org.unicard.changes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.unicard.authorizer.Authorizer;
import org.unicard.journal.JournalException;
import org.unicard.journal.JournalRecord;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;

/**
 * Applies a journaled change batch again during replay (spec §12, durable): reads the batch's file
 * next to the journal, checks its SHA-256 against the CHANGES record, parses and applies it at the
 * recorded business time, and checks that it applied exactly what the record says it did.
 */
public final class ChangeReplayer implements Authorizer.ChangeReplay
{
    private final Path journalDirectory;
    private final ChangeParser parser;
    private final ChangeApplier applier;

    public ChangeReplayer(final Path journalDirectory, final TdesKey lmk, final DataSet data, final Authorizer authorizer)
    {
        this.journalDirectory = journalDirectory;
        this.parser = new ChangeParser(lmk);
        this.applier = new ChangeApplier(data, authorizer);
    }

    /**
     * Sets up change replay on an authorizer.
     */
    public static void install(final Path journalDirectory, final TdesKey lmk, final DataSet data, final Authorizer authorizer)
    {
        authorizer.changeReplay(new ChangeReplayer(journalDirectory, lmk, data, authorizer));
    }

    @Override
    public void replay(final DirectBuffer record)
    {
        final String id = JournalRecord.changesBatchId(record);
        final byte[] sha256 = JournalRecord.changesSha256(record);
        final Path file = ChangeFiles.file(journalDirectory, id, sha256);
        final byte[] body;
        try
        {
            body = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new JournalException("journal=" + journalDirectory + " batch=" + id + " reason=cannot read the batch file " + file +
                ": " + ex);
        }
        if (!Arrays.equals(ChangeParser.sha256(body), sha256))
        {
            throw new JournalException("journal=" + journalDirectory + " batch=" + id + " reason=the batch file " + file +
                " does not hold the journaled content (SHA-256 differs)");
        }
        final ChangeParser.Result parsed = parser.parse(id, body);
        if (!parsed.ok())
        {
            throw new JournalException("journal=" + journalDirectory + " batch=" + id + " reason=the batch no longer parses: " +
                parsed.errors().getFirst());
        }
        final ChangeApplier.Outcome outcome = applier.apply(parsed.batch(), JournalRecord.changesTimeMs(record));
        if (!outcome.applied())
        {
            throw new JournalException("journal=" + journalDirectory + " batch=" + id + " reason=replay refused the batch: " +
                outcome.errors().getFirst());
        }
        final int[] recorded = JournalRecord.changesCounts(record);
        final int[] replayed = countsOf(outcome.counts());
        if (!Arrays.equals(recorded, replayed) || outcome.counts().applied() != JournalRecord.changesApplied(record))
        {
            throw new JournalException("journal=" + journalDirectory + " batch=" + id + " reason=replay applied differently recorded=" +
                Arrays.toString(recorded) + " replayed=" + Arrays.toString(replayed));
        }
    }

    /**
     * @return the eight counts in the order of the CHANGES record.
     */
    public static int[] countsOf(final ChangeApplier.Counts counts)
    {
        return new int[]{counts.householdsAdded(), counts.householdsChanged(), counts.cardsAdded(), counts.cardsChanged(),
            counts.terminalsAdded(), counts.terminalsChanged(), counts.acquirersAdded(), counts.acquirersChanged()};
    }
}
