package org.unicard.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.RecordPositions;
import org.unicard.changes.BatchMemory;
import org.unicard.changes.ChangeApplier;
import org.unicard.changes.ChangeFiles;
import org.unicard.changes.ChangeParser;
import org.unicard.changes.ChangeReplayer;
import org.unicard.changes.ChangeSubmission;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import org.unicard.metrics.SingleWriterCounter;
import org.unicard.ring.TableGate;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;

/**
 * Spec §12 change batches on a cluster member: logged commands, applied by every member's clustered
 * service at the same log position.
 * <ol>
 *   <li>The member that receives {@code POST /api/changes} validates the batch off the ring as a
 *       single machine does ({@code ChangesEndpoint}: the same parser and 422 body), then
 *       {@link #route} hands its text to the {@link ClusterGateway}, which offers it to the log in
 *       chunks of at most {@link LogMessages#MAX_CHANGE_CHUNK_BYTES} ({@link LogMessages#TYPE_CHANGE_BATCH}),
 *       keyed by this member, its gateway's incarnation and a batch number; after a new leader, or
 *       {@link ClusterGateway#BATCH_RESEND_NS} without an outcome, it offers the whole batch again.</li>
 *   <li>Every member's service ({@link #apply}) puts the chunks together ({@link ChangeBatchAssembler}:
 *       one batch per origin member; a chunk 0 starts it again; a chunk out of order drops it, and the
 *       gateway's resend brings it whole), and at the last chunk, between two requests: checks the SHA-256, looks the
 *       id up in the {@link BatchMemory} (applied before: nothing is applied, the receiving member
 *       answers the original 200 or 409), parses, writes the batch's text to the journal's
 *       {@code changes/} directory, closes the {@link TableGate} (the ring's decode and reply stages
 *       stay out of the tables), prepares and commits with the same {@link ChangeApplier}, opens the
 *       gate, and journals the CHANGES record. Then the receiving member's service completes the
 *       waiting HTTP call: the 200 leaves only once the batch is committed, applied and journaled by
 *       that member.</li>
 * </ol>
 * Deterministic: the inputs are the log's entries and their timestamps, the tables and the batch
 * memory, which are the same on every member at the same log position; the LMK must be the same on
 * every member (it is part of the configuration every member shares).
 * <p>
 * A restarted member recovers its tables from its journal (CHANGES records included, through
 * {@link ChangeReplayer}), then the cluster replays the log from its last snapshot: a batch before
 * the journal's last request is already in the journal and is skipped; between the journal's last
 * request and the next, the batches journaled there come again in the same order and are skipped, and
 * so is any other batch before the last of them (taken then, and not applied).
 */
final class ClusterChangeBatches implements LogMessages.LoggedCommand
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterChangeBatches.class);

    private final SwitchClusteredService service;
    private final Authorizer authorizer;
    private final ChronicleJournal journal;
    private final Path journalDirectory;
    private final ChangeParser parser;
    private final TableGate gate;
    private final int memberId;
    private final long incarnation;
    private final ChangeBatchAssembler assembler = new ChangeBatchAssembler();
    private final JournalRecord record = new JournalRecord();
    private final UnsafeBuffer recordBuffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
    private final AtomicLong nextCorrelation = new AtomicLong(1);
    private final SingleWriterCounter applied = new SingleWriterCounter();
    private final SingleWriterCounter refused = new SingleWriterCounter();
    private final SingleWriterCounter repeated = new SingleWriterCounter();

    /** The batches journaled after the journal's last request, in log order (see {@link #journaledAfterLastRequest}). */
    private final ArrayDeque<String> journalTail = new ArrayDeque<>();
    private volatile ChangeApplier applier;
    private volatile Outgoing waiting;
    private ClusterGateway gateway;

    /**
     * @param service     the service whose log this applies.
     * @param data        the tables.
     * @param authorizer  the authorizer (its batch memory and live state).
     * @param journal     this member's journal.
     * @param lmk         the LMK the batches' keys are under.
     * @param gate        keeps the ring's table readers out while a batch is applied.
     * @param memberId    this member.
     * @param incarnation this run of this member's gateway.
     */
    ClusterChangeBatches(
        final SwitchClusteredService service,
        final DataSet data,
        final Authorizer authorizer,
        final ChronicleJournal journal,
        final TdesKey lmk,
        final TableGate gate,
        final int memberId,
        final long incarnation)
    {
        if (memberId < 0 || memberId >= ChangeBatchAssembler.ORIGINS)
        {
            throw new IllegalArgumentException("memberId=" + memberId + " range=[0," + (ChangeBatchAssembler.ORIGINS - 1) + "]");
        }
        this.service = service;
        this.authorizer = authorizer;
        this.journal = journal;
        this.journalDirectory = journal.directory();
        this.parser = new ChangeParser(lmk);
        this.gate = gate;
        this.memberId = memberId;
        this.incarnation = incarnation;
        // Until the switch is wired, no key schedule exists yet to rebuild: those built later read the tables as they are then.
        this.applier = new ChangeApplier(data, authorizer);
    }

    /**
     * Reads the ids of the CHANGES records after the journal's last request, in journal order (the log's
     * order): at the journal's tail, the log replay meets those batches again, and any batch between them
     * that is not journaled was not applied the first time.
     *
     * @param lastSequence the journal's last request sequence (0: none).
     */
    void journaledAfterLastRequest(final ChronicleJournal journalToRead, final RecordPositions positions, final long lastSequence)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        final long index = lastSequence == 0 ? -1 : positions.indexOf(lastSequence);
        ChronicleJournal.Reader reader = index < 0 ? null : journalToRead.readerAt(index);
        final boolean fromStart = reader == null;
        if (fromStart)
        {
            // The last request's record is not located (or there is none): read the whole journal, keeping what follows its last request.
            reader = journalToRead.reader();
        }
        else
        {
            reader.next(buffer);
        }
        try (ChronicleJournal.Reader records = reader)
        {
            int length;
            while ((length = records.next(buffer)) >= 0)
            {
                final int type = JournalRecord.type(buffer);
                if (type == JournalRecord.TYPE_REQUEST)
                {
                    journalTail.clear();
                }
                else if (type == JournalRecord.TYPE_CHANGES && length >= JournalRecord.CHANGES_BYTES)
                {
                    journalTail.addLast(JournalRecord.changesBatchId(buffer));
                }
            }
        }
        if (!journalTail.isEmpty())
        {
            LOG.info("event=changes-journal-tail member={} after-sequence={} batches={} read-from-start={}", memberId, lastSequence,
                journalTail, fromStart);
        }
    }

    /**
     * The switch is wired: batches from now on rebuild the key schedules through {@code wired}.
     */
    void wired(final ChangeApplier wired, final ClusterGateway clusterGateway)
    {
        gateway = clusterGateway;
        applier = wired;
    }

    /**
     * The route of a batch validated by {@code ChangesEndpoint} (one at a time): offered to the log;
     * completes once this member's service applied it (or refused it).
     */
    CompletableFuture<ChangeApplier.Outcome> route(final ChangeSubmission submission)
    {
        final byte[] body = submission.body();
        if (body == null || gateway == null)
        {
            return CompletableFuture.failedFuture(new IllegalStateException("change batches are not wired into this cluster member"));
        }
        final Outgoing outgoing = new Outgoing(nextCorrelation.getAndIncrement(), submission.batch().id(), submission.batch().sha256(),
            body);
        final Outgoing before = waiting;
        if (before != null)
        {
            before.result.completeExceptionally(new IllegalStateException("superseded by batch " + outgoing.id));
        }
        waiting = outgoing;
        gateway.offerBatch(outgoing);
        LOG.info("event=changes-offered member={} batch={} correlation={} bytes={} chunks={}", memberId, outgoing.id,
            outgoing.correlation, body.length, outgoing.chunks);
        return outgoing.result;
    }

    @Override
    public void apply(final DirectBuffer buffer, final int offset, final int length, final long businessTimeMs)
    {
        final ChangeBatchAssembler.Batch batch = assembler.onChunk(buffer, offset, length);
        if (batch != null)
        {
            complete(batch, businessTimeMs, batch.origin() == memberId && batch.incarnation() == incarnation);
        }
    }

    /**
     * @return the batches in assembly at this log position (see {@link ChangeBatchAssembler#write}).
     */
    ChangeBatchAssembler assembler()
    {
        return assembler;
    }

    /** The batches in assembly go into the cluster snapshot: a member started from it completes them as the others do. */
    @Override
    public void snapshot(final java.io.DataOutput out) throws java.io.IOException
    {
        assembler.write(out);
    }

    @Override
    public void load(final java.io.DataInput in) throws java.io.IOException
    {
        assembler.read(in);
    }

    /**
     * The batch is whole: applies it (or refuses it) between two requests.
     */
    private void complete(final ChangeBatchAssembler.Batch batch, final long businessTimeMs, final boolean ours)
    {
        if (!MessageDigest.isEqual(ChangeParser.sha256(batch.body()), batch.sha256()))
        {
            LOG.warn("event=changes-refused member={} batch={} reason=content-differs-from-its-sha256", memberId, batch.id());
            answer(ours, batch, null, new IllegalStateException("batch=" + batch.id() + " arrived damaged (SHA-256 differs)"));
            return;
        }
        if (service.journalCoversLogPosition())
        {
            // Before the journal's last request: this member's recovered state already holds the batch's outcome.
            return;
        }
        if (!journalTail.isEmpty())
        {
            if (service.journalTailPassed() || service.startedWithinJournalTail())
            {
                // The log is past the journal's tail (a cluster snapshot ahead of the journal), or replays from a snapshot
                // taken within it (which of those batches come again is unknown): the batch memory alone tells repeats.
                LOG.info("event=changes-journal-tail-dropped member={} batches={} tail-passed={}", memberId, journalTail,
                    service.journalTailPassed());
                journalTail.clear();
            }
            else
            {
                // Between the journal's last request and the next: a batch journaled then comes now, in log order; any other
                // batch before the last of them was taken then and not applied (refused, or an id applied before): not now either.
                if (journalTail.peekFirst().equals(batch.id()))
                {
                    journalTail.removeFirst();
                }
                return;
            }
        }
        final BatchMemory.Applied before = authorizer.batches().find(batch.id());
        if (before != null)
        {
            repeated.increment();
            LOG.info("event=changes-repeated member={} batch={} same-content={}", memberId, batch.id(),
                MessageDigest.isEqual(before.sha256(), batch.sha256()));
            answer(ours, batch, null, new ChangeSubmission.AlreadyApplied(batch.id()));
            return;
        }
        final ChangeParser.Result parsed = parser.parse(batch.id(), batch.body());
        if (!parsed.ok())
        {
            refused.increment();
            LOG.info("event=changes-refused member={} batch={} errors={} stage=validation", memberId, batch.id(), parsed.errors().size());
            answer(ours, batch, new ChangeApplier.Outcome(null, parsed.errors(), businessTimeMs), null);
            return;
        }
        if (!service.journalFailed())
        {
            writeFile(batch);
        }
        if (!authorizer.hasGenesis())
        {
            service.appendGenesis(businessTimeMs);
        }
        final ChangeApplier.Outcome outcome;
        gate.close();
        try
        {
            outcome = applier.apply(parsed.batch(), businessTimeMs);
        }
        finally
        {
            gate.open();
        }
        if (!outcome.applied())
        {
            refused.increment();
            LOG.info("event=changes-refused member={} batch={} errors={} stage=tables", memberId, batch.id(), outcome.errors().size());
            answer(ours, batch, outcome, null);
            return;
        }
        journalChanges(parsed, outcome);
        applied.increment();
        LOG.info("event=changes-applied member={} batch={} applied={} counts={}", memberId, batch.id(), outcome.counts().applied(),
            outcome.counts());
        answer(ours, batch, outcome, null);
    }

    /**
     * Writes the batch's text beside the journal. Tried twice: this member's HTTP thread may be
     * writing the same file (the same batch posted here while another member's copy is applied),
     * and the second try finds it complete.
     */
    private void writeFile(final ChangeBatchAssembler.Batch batch)
    {
        IOException failure = null;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                ChangeFiles.write(journalDirectory, batch.id(), batch.sha256(), batch.body());
                return;
            }
            catch (final IOException ex)
            {
                failure = ex;
            }
        }
        service.journalFailure(new IllegalStateException("change batch file not written: batch=" + batch.id() + " " + failure, failure));
    }

    private void journalChanges(final ChangeParser.Result parsed, final ChangeApplier.Outcome outcome)
    {
        if (service.journalFailed())
        {
            return;
        }
        try
        {
            final int recordLength = record.encodeChanges(recordBuffer, outcome.businessTimeMs(), outcome.counts().applied(),
                parsed.batch().lines(), parsed.batch().bodyBytes(), parsed.batch().sha256(), ChangeReplayer.countsOf(outcome.counts()),
                parsed.batch().id());
            journal.append(recordBuffer, recordLength);
        }
        catch (final RuntimeException ex)
        {
            service.journalFailure(ex);
        }
    }

    /**
     * Completes the waiting HTTP call when the batch came through this member's gateway in this run.
     */
    private void answer(final boolean ours, final ChangeBatchAssembler.Batch batch, final ChangeApplier.Outcome outcome, final RuntimeException failure)
    {
        final Outgoing outgoing = waiting;
        if (!ours || outgoing == null || outgoing.correlation != batch.correlation())
        {
            return;
        }
        outgoing.done = true;
        if (failure != null)
        {
            outgoing.result.completeExceptionally(failure);
        }
        else
        {
            outgoing.result.complete(outcome);
        }
    }

    long applied()
    {
        return applied.get();
    }

    long refused()
    {
        return refused.get();
    }

    long repeated()
    {
        return repeated.get();
    }

    /** A batch this member's gateway offers to the log, until its outcome comes back. */
    static final class Outgoing
    {
        final long correlation;
        final String id;
        final byte[] sha256;
        final byte[] body;
        final int chunks;
        final CompletableFuture<ChangeApplier.Outcome> result = new CompletableFuture<>();
        volatile boolean done;
        /** Gateway thread only: the next chunk to offer, and when the last one was. */
        int nextChunk;
        long allOfferedNs;
        int offers;

        Outgoing(final long correlation, final String id, final byte[] sha256, final byte[] body)
        {
            if (body.length > org.unicard.changes.ChangeParser.MAX_BODY_BYTES)
            {
                throw new IllegalArgumentException("batch=" + id + " bytes=" + body.length + " max=" + ChangeParser.MAX_BODY_BYTES);
            }
            this.correlation = correlation;
            this.id = id;
            this.sha256 = Arrays.copyOf(sha256, sha256.length);
            this.body = body;
            this.chunks = LogMessages.changeChunks(body.length);
        }

        boolean finished()
        {
            return done || result.isDone();
        }
    }
}
