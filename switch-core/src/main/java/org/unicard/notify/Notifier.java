package org.unicard.notify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.concurrent.ThreadPriorities;
import org.unicard.config.ProgramRules;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.time.BusinessClock;
import org.unicard.time.CairoCalendar;

/**
 * The citizen notifier (spec §14): one thread of the serve process that tails the journal with a
 * Chronicle tailer of its own, turns records into events ({@link RecordEvents}), and delivers them to
 * the gateway in batches, at least once. It never touches the ring: the journal is its input and its
 * queue, so a gateway that is down, answers errors or hangs only makes this thread wait and retry
 * (exponential backoff) while the journal grows; the switch decides and answers as before, and memory
 * stays flat (one batch of at most {@code notifications.batch-max-events} events, and the tallies).
 * <p>
 * <b>Order of work.</b> Read a record; a REQUEST of a later Cairo day than the tallies' first closes
 * the day: the bread digests of every household with bread that day, and when the month changed the
 * monthly statement of every household, go out before that record's own events. With no record of the
 * next day, the business clock closes the day {@code notifications.day-close-grace-ms} after it ended.
 * A batch is POSTed when full, when the journal has nothing more, or after {@code notifications.linger-ms}.
 * <p>
 * <b>Keys and position.</b> An event of a record is keyed {@code <journal index>-<event number>}; a
 * digest {@code bread-digest-<household_id>-<date>}, a statement {@code monthly-statement-<household_id>-<month>}:
 * the same on every retry and restart. After each delivered batch the position file is rewritten
 * atomically ({@link NotifierPosition}). A restart reads the journal again from the first record of the
 * month being tallied (rebuilding the tallies) and sends what comes after the position: a batch in
 * flight at a kill -9 is sent again with the same keys, nothing is lost.
 * <p>
 * <b>Record types.</b> GENESIS and RULES feed the statement's bread points; REQUEST makes events;
 * CHANGES (a live change batch, spec §12) brings the cards it added into the head index
 * ({@link #onOtherRecord}); any other type is counted and skipped, and a damaged record is counted,
 * logged and skipped.
 */
public final class Notifier implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    /** Longest wait for the thread to stop. */
    private static final long STOP_WAIT_MS = 5_000;
    /** Longest nap when the journal has nothing new. */
    private static final long IDLE_PARK_NS_MAX = TimeUnit.MILLISECONDS.toNanos(10);
    /** How often the position is written while records without events go by, and lag is refreshed. */
    private static final long IDLE_POSITION_WRITE_NS = TimeUnit.SECONDS.toNanos(1);

    private final NotifySettings settings;
    private final ChronicleJournal journal;
    private final DataSet data;
    private final Path positionDirectory;
    private final BusinessClock clock;
    private final LongSupplier journaledSequence;
    private final NotifierCounters counters;
    private final HouseholdTally tally;
    /** The journal index up to which change batches' cards are in {@link #tally} (notifier thread). */
    private long changesIndexedUpTo;
    /** Cards in the head index: the table's first {@code cardsIndexed} (notifier thread). */
    private int cardsIndexed;
    private final RecordEvents events;
    private final GatewayClient gateway;
    private final CairoCalendar calendar = CairoCalendar.instance();
    private final JournalRecord record = new JournalRecord();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
    private final AuthRequest request = new AuthRequest();
    private final AuthOutcome outcome = new AuthOutcome();
    private final CitizenEvent[] batch;
    private final JsonFactory jsonFactory = new JsonFactory();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    private final Thread thread;

    private volatile boolean running = true;
    private volatile String state = "starting";
    private volatile String lastError = "";

    /** The position as read at start: what was delivered before is not sent again. */
    private NotifierPosition resume;
    /** The position in the file. */
    private final NotifierPosition committed = new NotifierPosition();
    /** The position once the batch being filled is delivered. */
    private final NotifierPosition pending = new NotifierPosition();
    private long committedSequence;
    private long committedTimeMs;
    private long pendingSequence;
    private long pendingTimeMs;
    /** The business time of the oldest record read and not yet delivered (0: none since the last commit). */
    private long oldestWaitingTimeMs;

    private int count;
    private long batchStartNs;
    private int currentDay = HouseholdTable.NO_CYCLE;
    private int currentMonth = HouseholdTable.NO_CYCLE;
    private long lastReadIndex = -1;
    private boolean markScanFromOnNextRecord;

    /** A REQUEST of a new day, waiting for the day's digests (and the month's statements) to go out first. */
    private boolean held;
    private long heldIndex;

    private boolean scanning;
    private int scanHousehold;
    private int scanDay;
    private int scanMonth;
    private boolean scanStatements;
    private int scanNewDay;

    /**
     * @param settings           the notifier's settings (enabled).
     * @param journal            the switch's journal; the notifier opens a tailer of its own.
     * @param data               the data set (cards, households, terminals); see {@link RecordEvents} for what is read.
     * @param rules              the program rules in force (RULES records change them).
     * @param firstBusinessDay   the data set's first business day (bread points).
     * @param clock              the business clock (closes a day with no record after it).
     * @param journaledSequence  the sequence of the last request journaled (lag).
     * @param counters           the notifier's counts.
     */
    public Notifier(
        final NotifySettings settings,
        final ChronicleJournal journal,
        final DataSet data,
        final ProgramRules rules,
        final int firstBusinessDay,
        final BusinessClock clock,
        final LongSupplier journaledSequence,
        final NotifierCounters counters)
    {
        this.settings = settings;
        this.journal = journal;
        this.data = data;
        this.positionDirectory = settings.directory() != null ? settings.directory() : journal.directory();
        this.clock = clock;
        this.journaledSequence = journaledSequence;
        this.counters = counters;
        this.tally = new HouseholdTally(data.households().capacity());
        this.events = new RecordEvents(data, tally, settings, counters, rules, firstBusinessDay);
        this.gateway = new GatewayClient(settings.url(), settings.timeoutMs());
        this.batch = new CitizenEvent[settings.batchMaxEvents() + RecordEvents.MAX_EVENTS_PER_RECORD];
        for (int i = 0; i < batch.length; i++)
        {
            batch[i] = new CitizenEvent();
        }
        this.thread = new Thread(this::run, "unicard-notifier");
        this.thread.setDaemon(true);
    }

    /**
     * Starts the thread.
     *
     * @return this.
     */
    public Notifier start()
    {
        thread.start();
        LOG.info("event=notifier-started url={} position-directory={} kinds={} batch-max-events={}", settings.safeUrl(),
            positionDirectory, settings.kinds(), settings.batchMaxEvents());
        return this;
    }

    /**
     * @return one line for {@code /health}: state, gateway, lag and counts.
     */
    public String healthLine()
    {
        return "notifier=" + state + " url=" + settings.safeUrl() + " lag-records=" + counters.lagRecords.get() +
            " lag-seconds=" + counters.lagSeconds.get() + " delivered=" + counters.delivered.get() +
            " failed-attempts=" + counters.failedAttempts.get() + (lastError.isEmpty() ? "" : " last-error=\"" + lastError + "\"");
    }

    public String state()
    {
        return state;
    }

    public NotifierCounters counters()
    {
        return counters;
    }

    /** The notifier's thread (for measuring its CPU time). */
    Thread thread()
    {
        return thread;
    }

    /**
     * Record types other than GENESIS, RULES and REQUEST. A live change batch (spec §12, CHANGES)
     * journaled after this notifier indexed the card table brings its added cards into the head
     * index: cards are appended densely, so they are the next {@code changesCardsAdded} after those
     * indexed, and they were written before the record was journaled (the happens-before chain of
     * {@link RecordEvents}). Changed cards need nothing: their mobile is read from the table.
     * Other types are counted and skipped.
     */
    private void onOtherRecord(final int type, final long index)
    {
        if (type == JournalRecord.TYPE_CHANGES)
        {
            if (index > changesIndexedUpTo)
            {
                final int added = JournalRecord.changesCardsAdded(buffer);
                for (int i = 0; i < added; i++)
                {
                    tally.cardAdded(data.cards(), cardsIndexed + i);
                }
                cardsIndexed += added;
                changesIndexedUpTo = index;
            }
            return;
        }
        counters.unknownRecords.increment();
        if (counters.unknownRecords.get() == 1)
        {
            LOG.info("event=notifier-record-skipped type={} index={} reason=type not handled by the notifier (counted)", type, index);
        }
    }

    private void run()
    {
        ThreadPriorities.lowerCurrentThread();
        ChronicleJournal.Reader reader = null;
        try
        {
            Files.createDirectories(positionDirectory);
            resume = NotifierPosition.read(positionDirectory);
            committed.copyFrom(resume);
            pending.copyFrom(resume);
            // Batches journaled up to here were applied before the table is read below; later ones add their cards as they come.
            changesIndexedUpTo = journal.lastIndex();
            cardsIndexed = tally.indexHeads(data.cards());
            reader = resume.scanFromIndex >= 0 ? journal.readerAt(resume.scanFromIndex) : null;
            if (reader == null)
            {
                if (resume.scanFromIndex >= 0)
                {
                    LOG.warn("event=notifier-scan-start-missing index={} action=reading from the journal's first record",
                        resume.scanFromIndex);
                }
                reader = journal.reader();
            }
            LOG.info("event=notifier-resuming {}", resume);
            state = "catching-up";
            loop(reader);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            if (running)
            {
                state = "failed";
                lastError = String.valueOf(ex.getMessage());
                LOG.error("event=notifier-failed reason={}", ex.toString(), ex);
            }
        }
        finally
        {
            if (reader != null)
            {
                reader.close();
            }
            if (!"failed".equals(state))
            {
                state = "stopped";
            }
        }
    }

    private void loop(final ChronicleJournal.Reader reader) throws InterruptedException, IOException
    {
        long idleParkNs = 1_000;
        long lastIdleWriteNs = System.nanoTime();
        while (running)
        {
            if (count >= settings.batchMaxEvents() ||
                count > 0 && System.nanoTime() - batchStartNs >= TimeUnit.MILLISECONDS.toNanos(settings.lingerMs()))
            {
                deliver();
                continue;
            }
            if (scanning)
            {
                scanStep();
                continue;
            }
            if (held)
            {
                held = false;
                request(heldIndex);
                continue;
            }
            final int length = reader.next(buffer);
            if (length < 0)
            {
                if (count > 0)
                {
                    deliver();
                    continue;
                }
                if (closeDayByClock())
                {
                    continue;
                }
                if (System.nanoTime() - lastIdleWriteNs >= IDLE_POSITION_WRITE_NS)
                {
                    lastIdleWriteNs = System.nanoTime();
                    commitIfMoved();
                    updateLag();
                    state = "up-to-date";
                }
                LockSupport.parkNanos(idleParkNs);
                idleParkNs = Math.min(IDLE_PARK_NS_MAX, idleParkNs * 2);
                if (Thread.interrupted())
                {
                    throw new InterruptedException();
                }
                continue;
            }
            idleParkNs = 1_000;
            counters.recordsRead.increment();
            onRecord(length, reader.index());
        }
    }

    private void onRecord(final int length, final long index)
    {
        lastReadIndex = index;
        if (markScanFromOnNextRecord)
        {
            markScanFromOnNextRecord = false;
            pending.scanFromIndex = index;
        }
        final String damage = record.verify(buffer, length);
        if (damage != null)
        {
            counters.damagedRecords.increment();
            LOG.warn("event=notifier-record-damaged index={} reason={} action=skipped", index, damage);
            pending.deliveredIndex = Math.max(pending.deliveredIndex, index);
            return;
        }
        final int type = JournalRecord.type(buffer);
        switch (type)
        {
            case JournalRecord.TYPE_GENESIS -> events.firstBusinessDay(calendar.dayNumber(JournalRecord.genesisTimeMs(buffer)));
            case JournalRecord.TYPE_RULES -> events.rules(JournalRecord.decodeRules(buffer));
            case JournalRecord.TYPE_REQUEST ->
            {
                request.clear();
                JournalRecord.decodeRequest(buffer, request, outcome);
                final int day = calendar.dayNumber(request.businessTimeMs);
                if (currentDay == HouseholdTable.NO_CYCLE)
                {
                    currentDay = day;
                    currentMonth = CairoCalendar.monthOfDay(day);
                }
                else if (day > currentDay)
                {
                    held = true;
                    heldIndex = index;
                    startScan(day);
                    return;
                }
                request(index);
                return;
            }
            default -> onOtherRecord(type, index);
        }
        // Every event of the records before is in the batch: once it is delivered, this record is done too.
        pending.deliveredIndex = Math.max(pending.deliveredIndex, index);
    }

    /** Makes the events of the decoded request (unless they were delivered before this start) and marks it done. */
    private void request(final long index)
    {
        final boolean emit = index > resume.deliveredIndex;
        final int made = events.onRequest(index, request, outcome, emit, batch, count);
        if (made > 0)
        {
            if (count == 0)
            {
                batchStartNs = System.nanoTime();
            }
            count += made;
            counters.generated.add(made);
        }
        pending.deliveredIndex = Math.max(pending.deliveredIndex, index);
        pendingSequence = outcome.sequence;
        pendingTimeMs = request.businessTimeMs;
        if (emit && oldestWaitingTimeMs == 0)
        {
            oldestWaitingTimeMs = request.businessTimeMs;
        }
    }

    /**
     * The business clock is past the current day's end plus the grace, and no record of a later day has
     * come: close the day (and month) now.
     */
    private boolean closeDayByClock()
    {
        if (currentDay == HouseholdTable.NO_CYCLE)
        {
            return false;
        }
        final int clockDay = calendar.dayNumber(clock.nowMs() - settings.dayCloseGraceMs());
        if (clockDay <= currentDay)
        {
            return false;
        }
        startScan(clockDay);
        return true;
    }

    private void startScan(final int newDay)
    {
        scanning = true;
        scanHousehold = 0;
        scanDay = currentDay;
        scanMonth = currentMonth;
        scanStatements = CairoCalendar.monthOfDay(newDay) != currentMonth;
        scanNewDay = newDay;
        LOG.info("event=notifier-day-closing day={} month-closing={} resend={}", java.time.LocalDate.ofEpochDay(scanDay),
            scanStatements, scanDay > resume.digestDay);
    }

    /** Fills the batch with the next households' digests and statements; clears their tallies. */
    private void scanStep()
    {
        final HouseholdTable households = data.households();
        final int size = Math.min(households.size(), tally.capacity());
        final boolean digests = scanDay > resume.digestDay;
        final boolean statements = scanStatements && scanMonth > resume.statementMonth;
        while (scanHousehold < size && count < settings.batchMaxEvents())
        {
            final int household = scanHousehold++;
            if (digests && events.breadDigest(household, scanDay, batch[count]))
            {
                added(batch[count]);
            }
            tally.clearDay(household);
            if (scanStatements)
            {
                if (statements && events.monthlyStatement(household, scanMonth, batch[count]))
                {
                    added(batch[count]);
                }
                tally.clearMonth(household);
            }
        }
        if (scanHousehold < size)
        {
            return;
        }
        scanning = false;
        pending.digestDay = Math.max(pending.digestDay, scanDay);
        if (scanStatements)
        {
            pending.statementMonth = Math.max(pending.statementMonth, scanMonth);
            if (held)
            {
                pending.scanFromIndex = heldIndex;
            }
            else
            {
                markScanFromOnNextRecord = true;
            }
        }
        currentDay = scanNewDay;
        currentMonth = CairoCalendar.monthOfDay(scanNewDay);
        if (count == 0)
        {
            commitIfMoved();
        }
    }

    private void added(final CitizenEvent event)
    {
        event.recordIndex = lastReadIndex;
        if (count == 0)
        {
            batchStartNs = System.nanoTime();
        }
        count++;
        counters.generated.increment();
    }

    /**
     * POSTs the batch until the gateway takes it (or the notifier stops), then commits the position.
     */
    private void deliver() throws InterruptedException
    {
        final byte[] json = json();
        long backoffMs = settings.retryInitialMs();
        boolean first = true;
        while (running)
        {
            final GatewayClient.Result result = gateway.post(json);
            if (result == GatewayClient.Result.DELIVERED)
            {
                counters.delivered.add(count);
                counters.batchesDelivered.increment();
                count = 0;
                if ("retrying".equals(state) || "starting".equals(state))
                {
                    state = "catching-up";
                }
                lastError = "";
                commit();
                return;
            }
            counters.failedAttempts.increment();
            if (!first)
            {
                counters.retried.add(count);
            }
            first = false;
            final String error = result == GatewayClient.Result.REFUSED ? "status=" + gateway.lastStatus() : gateway.lastError();
            if (!error.equals(lastError) || !"retrying".equals(state))
            {
                LOG.warn("event=notifier-delivery-failed url={} events={} result={} {} retry-in-ms={}", settings.safeUrl(), count,
                    result, error, backoffMs);
            }
            lastError = error;
            state = "retrying";
            updateLag();
            final long untilNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
            while (running && System.nanoTime() < untilNs)
            {
                LockSupport.parkNanos(Math.min(untilNs - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)));
                if (Thread.interrupted())
                {
                    throw new InterruptedException();
                }
            }
            backoffMs = Math.min(settings.retryMaxMs(), backoffMs * 2);
        }
    }

    private byte[] json()
    {
        body.reset();
        try (JsonGenerator generator = jsonFactory.createGenerator(body, JsonEncoding.UTF8))
        {
            generator.writeStartArray();
            for (int i = 0; i < count; i++)
            {
                batch[i].write(generator);
            }
            generator.writeEndArray();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write events as JSON: " + ex.getMessage(), ex);
        }
        return body.toByteArray();
    }

    private void commit()
    {
        try
        {
            pending.write(positionDirectory);
            committed.copyFrom(pending);
            committedSequence = pendingSequence;
            committedTimeMs = pendingTimeMs;
            oldestWaitingTimeMs = 0;
        }
        catch (final IOException ex)
        {
            // The events are delivered; an old position only means they are sent again (same keys) after a restart.
            lastError = "position not written: " + ex.getMessage();
            LOG.warn("event=notifier-position-not-written directory={} reason={}", positionDirectory, ex.toString());
        }
        updateLag();
    }

    private void commitIfMoved()
    {
        if (pending.deliveredIndex != committed.deliveredIndex || pending.scanFromIndex != committed.scanFromIndex ||
            pending.digestDay != committed.digestDay || pending.statementMonth != committed.statementMonth)
        {
            commit();
        }
        else
        {
            committedSequence = pendingSequence;
            committedTimeMs = pendingTimeMs;
            updateLag();
        }
    }

    private void updateLag()
    {
        final long behind = Math.max(0, journaledSequence.getAsLong() - committedSequence);
        counters.lagRecords.set(behind);
        // Measured from the oldest record waiting, else from the last one delivered: before anything is delivered after a
        // start (the gateway down since), the last delivered is unknown but the waiting records' time is not.
        final long sinceMs = oldestWaitingTimeMs != 0 ? oldestWaitingTimeMs : committedTimeMs;
        counters.lagSeconds.set(behind == 0 || sinceMs == 0 ? 0 : Math.max(0, (clock.nowMs() - sinceMs) / 1000));
    }

    /**
     * Tells the thread to stop, without waiting: a POST in flight is abandoned (its batch is sent again
     * by the next start, with the same keys). The switch calls it when its stop begins, so that the
     * thread is gone by the time the journal closes.
     */
    public void stopAsync()
    {
        running = false;
        thread.interrupt();
    }

    /**
     * Stops the thread ({@link #stopAsync}) and waits for it, at most {@value #STOP_WAIT_MS} ms. Call
     * before the journal is closed.
     */
    @Override
    public void close()
    {
        stopAsync();
        try
        {
            thread.join(STOP_WAIT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            LOG.warn("event=notifier-stop-cut-short limit-ms={}", STOP_WAIT_MS);
        }
        gateway.close();
        LOG.info("event=notifier-stopped delivered={} position={}", counters.delivered.get(), committed);
    }
}
