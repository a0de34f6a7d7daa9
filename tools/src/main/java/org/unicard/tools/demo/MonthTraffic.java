package org.unicard.tools.demo;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import io.netty.channel.EventLoopGroup;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.generate.DataSetGenerator;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.security.PinVerificationValue;
import org.unicard.security.TdesKey;
import org.unicard.state.DataSet;
import org.unicard.state.Program;
import org.unicard.state.TerminalType;
import org.unicard.time.BusinessClock;
import org.unicard.time.CairoCalendar;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalConnection;
import org.unicard.terminal.TerminalRequest;
import org.unicard.tools.traffic.Answers;
import org.unicard.tools.traffic.SimulatedTerminal;
import org.unicard.tools.traffic.UsablePools;

/**
 * Plays the story's days against the switch over TCP: one connection per active terminal of the data
 * set, each visit sent when the switch's business clock reaches its minute, one visit of a household
 * at a time (so the model sees a household's answers in the order they were decided). Every answer
 * is checked on arrival against {@link MonthModel} on the Cairo day the switch decided it (the
 * {@code yDDD} of field 37): its code, and every balance of field 54.
 * <p>
 * <b>Pace.</b> The traffic keeps the switch's clock within {@link #AHEAD_MAX_MS} of the oldest visit
 * (or story event) of the day it has not yet sent ({@link BusinessClock#limit}): a machine too slow for
 * the clock's rate then makes the month take longer rather than skip visits (docs/design.md, "The
 * demo's pace"), and the clock's waits are reported. Between two days the clock may run only
 * {@link #AHEAD_MAX_MS} into the next one, and within a day never to its cut-off while visits remain.
 * Safety nets stay for a switch that stops answering (no visit sent for {@link #STALL_NS} real
 * nanoseconds while visits wait lifts the limit for the rest of the run): a visit not sent within
 * {@link #GIVE_UP_AFTER_MS} of its time is given up, and a day's visits not sent by
 * {@value #CUTOFF_MINUTE_OF_DAY} minutes into the day are not sent at all; both are counted.
 */
final class MonthTraffic
{
    /** No visit of a day is sent after 23:30 of it, so that none is decided the day after. */
    static final int CUTOFF_MINUTE_OF_DAY = 23 * 60 + 30;
    /** No story event (a block, a change batch) is run after 21:00 of its day: it might straddle midnight. */
    static final int EVENTS_UNTIL_MINUTE_OF_DAY = 21 * 60;
    /** Story events not run because the machine was so far behind that the day was nearly over. */
    final AtomicLong eventsSkipped = new AtomicLong();
    /**
     * A visit not sent within two business hours of its time is given up (the customer left): a machine
     * that cannot keep up even with the clock held then thins every hour and program alike instead of
     * serving the morning only.
     */
    static final long GIVE_UP_AFTER_MS = 2 * 3_600_000L;
    /** Business time the clock may run ahead of the oldest visit or story event of the day not yet sent. */
    static final long AHEAD_MAX_MS = 20 * 60_000L;
    /** No visit sent for this long, in real time, while visits wait: the switch stopped answering. */
    static final long STALL_NS = 10_000_000_000L;
    private static final int MINUTES_PER_DAY = 24 * 60;
    /** The day's visits due and not yet sent, by minute of the day, and the earliest minute that has one. */
    private final int[] waitingByMinute = new int[MINUTES_PER_DAY];
    private int oldestWaitingMinute;
    /** The clock's limit as last set (business epoch ms). */
    private long limitMs = Long.MIN_VALUE;
    private long lastProgressNs;
    /** A stall lifted the limit: the give-up and the cut-off apply from then on. */
    private boolean paceGivenUp;
    private static final int SLOTS = 1024;
    /**
     * A terminal serves a few customers at once at most; 512 requests in flight over all terminals keep
     * the switch's batches full without queueing seconds of latency when the machine is busy.
     */
    private static final int IN_FLIGHT_PER_TERMINAL = 4;
    private static final int IN_FLIGHT_MAX = 512;
    private static final int MISMATCHES_KEPT = 20;
    static final int PROGRAMS = 5;

    private final DataSet data;
    private final MonthModel model;
    private final long seed;
    private BusinessClock clock;
    private EventLoopGroup group;
    private int port;
    /** While true (the go-live warm-up), answers only free their slots: the model and the figures are not told. */
    private volatile boolean warming;
    private final int firstDay;
    private final int days;
    private final Lane[] lanes;
    private final List<Lane> connected = new ArrayList<>();
    private final AtomicIntegerArray busy;
    private final boolean[] eventPending;
    private final int[] heldRound;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final RequestBuilder builder = new RequestBuilder();
    private final TerminalRequest request = new TerminalRequest();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
    private final Recorder intervalLatency = new Recorder(3);

    /** By decided day (index 0 = first day; the last index for anything decided after the run): written by the answer thread. */
    private final AtomicLongArray requestsByDayProgram;
    private final AtomicLongArray codesByDay;
    private final Histogram[] latencyByDay;
    private final Histogram totalLatency = new Histogram(3);
    final AtomicLong unsent = new AtomicLong();
    final AtomicLong codeMismatches = new AtomicLong();
    final AtomicLong balanceMismatches = new AtomicLong();
    final AtomicLong creditsChecked = new AtomicLong();
    final AtomicLong creditsMatched = new AtomicLong();
    final AtomicLong unreadable = new AtomicLong();
    final AtomicLong notDecided = new AtomicLong();
    final List<String> mismatches = new ArrayList<>();

    private final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY);
    private final TdesKey pinVerificationKey;
    private int round;

    MonthTraffic(final DataSet data, final MonthModel model, final long seed, final int firstDay, final int days)
    {
        this.data = data;
        this.model = model;
        this.seed = seed;
        this.firstDay = firstDay;
        this.days = days;
        this.lanes = new Lane[data.terminals().capacity()];
        this.pinVerificationKey = TdesKey.of(data.pinVerificationKey());
        this.busy = new AtomicIntegerArray(data.households().size());
        this.eventPending = new boolean[data.households().size()];
        this.heldRound = new int[data.households().size()];
        this.requestsByDayProgram = new AtomicLongArray((days + 1) * PROGRAMS);
        this.codesByDay = new AtomicLongArray((days + 1) * 100);
        this.latencyByDay = new Histogram[days + 1];
        for (int i = 0; i <= days; i++)
        {
            latencyByDay[i] = new Histogram(3);
        }
    }

    /**
     * Connects every active bakery, grocer, health unit and post office to a (re)started switch,
     * closing the connections to the one before.
     *
     * @param clock the switch's business clock, which paces the visits.
     * @param warm  whether what is sent now is the go-live warm-up, which no figure counts.
     */
    void connect(final EventLoopGroup group, final int port, final BusinessClock clock, final boolean warm) throws Exception
    {
        close();
        connected.clear();
        this.clock = clock;
        this.group = group;
        this.port = port;
        this.warming = warm;
        final List<Lane> wanted = new ArrayList<>();
        for (final byte type : new byte[] {TerminalType.BAKERY, TerminalType.GROCER, TerminalType.HEALTH, TerminalType.POST})
        {
            for (final int terminal : UsablePools.activeTerminals(data.terminals(), type))
            {
                wanted.add(new Lane(new SimulatedTerminal(data.terminals(), terminal), terminal));
            }
        }
        // Connected side by side: the business clock runs hours per real second while the terminals connect.
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try
        {
            final List<java.util.concurrent.Future<TerminalConnection>> connections = new ArrayList<>();
            for (final Lane lane : wanted)
            {
                connections.add(pool.submit(() -> TerminalConnection.connect(group, "127.0.0.1", port, lane::onResponse)));
            }
            for (int i = 0; i < wanted.size(); i++)
            {
                final Lane lane = wanted.get(i);
                lane.connection = connections.get(i).get();
                lanes[lane.index] = lane;
                connected.add(lane);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    /**
     * Connects a terminal added while the switch runs (a bakery opened by a change batch, spec §12).
     *
     * @param terminal its index in the demo's copy of the terminal table.
     */
    void connectTerminal(final int terminal) throws Exception
    {
        final Lane lane = new Lane(new SimulatedTerminal(data.terminals(), terminal), terminal);
        lane.connection = TerminalConnection.connect(group, "127.0.0.1", port, lane::onResponse);
        lanes[terminal] = lane;
        connected.add(lane);
    }

    /**
     * @param warm whether answers from now on belong to the warm-up, which no figure counts.
     */
    void warm(final boolean warm)
    {
        awaitAnswers(10_000);
        this.warming = warm;
    }

    int connections()
    {
        return connected.size();
    }

    /**
     * Plays one day: its events and visits, each when the business clock reaches its minute, until
     * all are sent or the day's cut-off; then waits (up to 5 s) for the answers.
     *
     * @param day      the Cairo day.
     * @param visits   its visits, by minute.
     * @param events   its events, by minute.
     * @param onEvent  runs an event (blocking) and tells the model.
     * @return the visits sent.
     */
    int playDay(final int day, final List<MonthStory.Visit> visits, final List<StoryEvent> events,
        final java.util.function.Consumer<StoryEvent> onEvent)
    {
        final long dayStartMs = dayStartMs(day);
        final long cutoffMs = dayStartMs + CUTOFF_MINUTE_OF_DAY * 60_000L;
        for (final StoryEvent event : events)
        {
            eventPending[event.household()] = true;
        }
        lastProgressNs = System.nanoTime();
        final ArrayDeque<MonthStory.Visit> pending = new ArrayDeque<>();
        Arrays.fill(waitingByMinute, 0);
        oldestWaitingMinute = 0;
        int next = 0;
        int nextEvent = 0;
        int sentToday = 0;
        while (next < visits.size() || !pending.isEmpty() || nextEvent < events.size())
        {
            final long nowMs = clock.nowMs();
            if (nowMs >= cutoffMs)
            {
                break;
            }
            while (nextEvent < events.size() && dayStartMs + events.get(nextEvent).minuteOfDay() * 60_000L <= nowMs &&
                busy.get(events.get(nextEvent).household()) == 0)
            {
                final StoryEvent event = events.get(nextEvent++);
                if (nowMs < dayStartMs + EVENTS_UNTIL_MINUTE_OF_DAY * 60_000L)
                {
                    onEvent.accept(event);
                }
                else
                {
                    eventsSkipped.incrementAndGet();
                }
                eventPending[event.household()] = false;
            }
            while (next < visits.size() && dayStartMs + visits.get(next).minuteOfDay * 60_000L <= nowMs)
            {
                final MonthStory.Visit visit = visits.get(next++);
                pending.addLast(visit);
                waitingByMinute[visit.minuteOfDay]++;
            }
            // Minutes not yet due may still get visits: the earliest minute waiting is looked for up to the due one only.
            final long dueMinute = Math.min(MINUTES_PER_DAY - 1, Math.floorDiv(nowMs - dayStartMs, 60_000L));
            while (oldestWaitingMinute < dueMinute && waitingByMinute[oldestWaitingMinute] == 0)
            {
                oldestWaitingMinute++;
            }
            int frontierMinute = oldestWaitingMinute <= dueMinute && waitingByMinute[oldestWaitingMinute] > 0 ?
                oldestWaitingMinute : MINUTES_PER_DAY;
            if (next < visits.size())
            {
                frontierMinute = Math.min(frontierMinute, visits.get(next).minuteOfDay);
            }
            if (nextEvent < events.size())
            {
                frontierMinute = Math.min(frontierMinute, events.get(nextEvent).minuteOfDay());
            }
            pace(Math.min(dayStartMs + frontierMinute * 60_000L + AHEAD_MAX_MS, cutoffMs - 1), pending.isEmpty());
            round++;
            boolean sentAny = false;
            final int count = pending.size();
            for (int i = 0; i < count && inFlight.get() < IN_FLIGHT_MAX; i++)
            {
                final MonthStory.Visit visit = pending.pollFirst();
                if (dayStartMs + visit.minuteOfDay * 60_000L + GIVE_UP_AFTER_MS < nowMs && !eventPending[visit.household])
                {
                    waitingByMinute[visit.minuteOfDay]--;
                    unsent.incrementAndGet();
                    continue;
                }
                final Lane lane = lanes[visit.terminal];
                if (busy.get(visit.household) != 0 || eventPending[visit.household] || heldRound[visit.household] == round ||
                    lane.inFlight.get() >= IN_FLIGHT_PER_TERMINAL)
                {
                    // A later visit of the same household must wait for this one: keep the order.
                    heldRound[visit.household] = round;
                    pending.addLast(visit);
                    continue;
                }
                send(lane, visit, nowMs);
                waitingByMinute[visit.minuteOfDay]--;
                lastProgressNs = System.nanoTime();
                sentToday++;
                sentAny = true;
            }
            for (final Lane lane : connected)
            {
                lane.connection.flush();
            }
            if (!sentAny)
            {
                LockSupport.parkNanos(50_000);
            }
        }
        // The next day's first visits may be at midnight: while the demo prepares them the clock stays near.
        pace(dayStartMs(day + 1) + AHEAD_MAX_MS, true);
        unsent.addAndGet(visits.size() - next + pending.size());
        for (final StoryEvent event : events)
        {
            eventPending[event.household()] = false;
        }
        // The day's last answers, but not into the next day's first visits: the clock does not wait.
        final long nextMorningMs = dayStartMs(day + 1) + 5 * 3_600_000L;
        final long endNs = System.nanoTime() + 2_000_000_000L;
        while (inFlight.get() > 0 && clock.nowMs() < nextMorningMs && System.nanoTime() - endNs < 0)
        {
            LockSupport.parkNanos(200_000);
        }
        return sentToday;
    }

    /**
     * Sets the clock's limit (when it changed), unless the warm-up holds the clock or a stall lifted the
     * limit for good: visits waiting and none sent for {@link #STALL_NS}.
     *
     * @param limitMs    the latest business time the clock may show.
     * @param noneWaits  whether no due visit waits to be sent (the traffic is not stalled).
     */
    private void pace(final long limitMs, final boolean noneWaits)
    {
        if (warming || paceGivenUp)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        if (noneWaits)
        {
            lastProgressNs = nowNs;
        }
        else if (nowNs - lastProgressNs > STALL_NS)
        {
            paceGivenUp = true;
            clock.limit(Long.MAX_VALUE);
            return;
        }
        if (limitMs != this.limitMs)
        {
            clock.limit(limitMs);
            this.limitMs = limitMs;
        }
    }

    /** Lifts the clock's limit after the last day, so that the switch's day and month close. */
    void endOfRun()
    {
        clock.limit(Long.MAX_VALUE);
        limitMs = Long.MAX_VALUE;
    }

    void awaitAnswers(final long timeoutMs)
    {
        final long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() - end < 0)
        {
            LockSupport.parkNanos(200_000);
        }
    }

    private void send(final Lane lane, final MonthStory.Visit visit, final long nowMs)
    {
        lane.stan = lane.stan % 999_999 + 1;
        final int slot = lane.stan % SLOTS;
        lane.terminal.start(request, lane.stan, field7(nowMs));
        request.processingCode = visit.processingCode;
        if (visit.processingCode != MonthModel.BALANCE_INQUIRY)
        {
            request.amount = visit.amount;
            request.currency = visit.processingCode == MonthModel.BREAD ? Authorizer.CURRENCY_NONE : Authorizer.CURRENCY_EGP;
        }
        final long pan = data.cards().pan(visit.card);
        request.pan = Long.toString(pan);
        if (visit.pin != 0)
        {
            final int pin = DataSetGenerator.syntheticPin(seed, pan);
            request.pin = visit.pin == 1 ? pin : wrongPin(visit.card, pan, pin);
            request.pinKey = lane.terminal.pinKey();
        }
        final int length = builder.build(request, frame);
        lane.visits[slot] = visit;
        lane.sentNs[slot] = System.nanoTime();
        lane.warmUp[slot] = warming;
        lane.inFlight.incrementAndGet();
        busy.set(visit.household, 1);
        inFlight.incrementAndGet();
        if (!warming)
        {
            // The warm-up's inquiries are neither requests of the month nor checked: not counted.
            sent.incrementAndGet();
        }
        lane.connection.queue(frame, length);
    }

    /**
     * A wrong PIN that the card's PVV does not accept: a PVV has 4 digits, so about one PIN in 10,000 other than the
     * card's verifies too (spec §6 checks the PVV, not the PIN), and the demo must not send one of those as "wrong".
     */
    private int wrongPin(final int card, final long pan, final int pin)
    {
        return wrongPin(pinVerificationKey, pan, pin, data.cards().pvv(card));
    }

    /**
     * @return the first PIN after {@code pin} (4 digits, wrapping) whose PVV (PVKI 1, as the generator writes it) is not {@code pvv}.
     */
    static int wrongPin(final TdesKey pinVerificationKey, final long pan, final int pin, final int pvv)
    {
        for (int step = 1; step < 10_000; step++)
        {
            final int candidate = (pin + step) % 10_000;
            if (PinVerificationValue.compute(pinVerificationKey, pan, 16, 1, candidate, 4) != pvv)
            {
                return candidate;
            }
        }
        throw new IllegalStateException("every PIN has pvv=" + pvv);
    }

    private long lastField7Ms = Long.MIN_VALUE;
    private long lastField7;

    private long field7(final long nowMs)
    {
        final long second = nowMs / 1_000;
        if (second != lastField7Ms)
        {
            lastField7Ms = second;
            lastField7 = RequestBuilder.transmissionDateTime(second * 1_000);
        }
        return lastField7;
    }

    static long dayStartMs(final int day)
    {
        return LocalDate.ofEpochDay(day).atStartOfDay(CairoCalendar.ZONE).toInstant().toEpochMilli();
    }

    long sent()
    {
        return sent.get();
    }

    long received()
    {
        return received.get();
    }

    Histogram intervalLatency()
    {
        return intervalLatency.getIntervalHistogram();
    }

    long requests(final int dayIndex, final int program)
    {
        return requestsByDayProgram.get(dayIndex * PROGRAMS + program);
    }

    long codes(final int dayIndex, final int code)
    {
        return codesByDay.get(dayIndex * 100 + code);
    }

    Histogram latency(final int dayIndex)
    {
        return latencyByDay[dayIndex];
    }

    Histogram totalLatency()
    {
        totalLatency.reset();
        for (final Histogram day : latencyByDay)
        {
            totalLatency.add(day);
        }
        return totalLatency;
    }

    /**
     * @return the visits still waiting for an answer, described (for the mismatch list).
     */
    List<String> unanswered(final int limit)
    {
        final List<String> found = new ArrayList<>();
        for (final Lane lane : connected)
        {
            for (int slot = 0; slot < SLOTS && found.size() < limit; slot++)
            {
                final MonthStory.Visit visit = lane.visits[slot];
                if (visit != null)
                {
                    found.add("no answer from terminal " + lane.terminal.terminalId() + " to STAN slot " + slot + " card …" +
                        data.cards().pan(visit.card) % 10_000 + " processing code " + visit.processingCode + " amount " + visit.amount);
                }
            }
        }
        return found;
    }

    void close()
    {
        for (final Lane lane : connected)
        {
            lane.connection.close();
        }
    }

    /**
     * @param rrn field 37: {@code yDDD} of the Cairo business date, then 8 digits.
     * @return the Cairo day it names, the one of the run's years whose last digit is {@code y}.
     */
    int decidedDay(final long rrn)
    {
        final int yDdd = (int)(rrn / 100_000_000L);
        final int yearDigit = yDdd / 1000;
        final int dayOfYear = yDdd % 1000;
        final int firstYear = LocalDate.ofEpochDay(firstDay).getYear();
        int year = firstYear - firstYear % 10 + yearDigit;
        if (year < firstYear - 1)
        {
            year += 10;
        }
        return (int)LocalDate.ofYearDay(year, dayOfYear).toEpochDay();
    }

    private void mismatch(final String line)
    {
        synchronized (mismatches)
        {
            if (mismatches.size() < MISMATCHES_KEPT)
            {
                mismatches.add(line);
            }
        }
    }

    /** One simulated terminal and its connection. */
    private final class Lane
    {
        private final SimulatedTerminal terminal;
        private final int index;
        private final MonthStory.Visit[] visits = new MonthStory.Visit[SLOTS];
        private final long[] sentNs = new long[SLOTS];
        private final boolean[] warmUp = new boolean[SLOTS];
        private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        private TerminalConnection connection;
        private int stan;

        Lane(final SimulatedTerminal terminal, final int index)
        {
            this.terminal = terminal;
            this.index = index;
        }

        void onResponse(final DirectBuffer buffer, final int offset, final int length)
        {
            reader.wrap(buffer, offset, length);
            if (!reader.isValid() || !reader.hasField(11) || !reader.hasField(39))
            {
                unreadable.incrementAndGet();
                return;
            }
            final int slot = (int)(reader.numeric(11) % SLOTS);
            final MonthStory.Visit visit = visits[slot];
            if (visit == null)
            {
                unreadable.incrementAndGet();
                return;
            }
            final long latencyUs = Math.max(1, (System.nanoTime() - sentNs[slot]) / 1_000);
            final int code = Answers.responseCode(reader);
            if (warmUp[slot])
            {
                release(visit, slot);
                return;
            }
            if (!reader.hasField(37))
            {
                // Not decided (91: the switch was overloaded, spec §7): nothing moved, the model is not told.
                final int dayIndex = Math.min(days, Math.max(0, CairoCalendar.instance().dayNumber(clock.nowMs()) - firstDay));
                notDecided.incrementAndGet();
                codesByDay.incrementAndGet(dayIndex * 100 + Math.max(0, Math.min(99, code)));
                release(visit, slot);
                return;
            }
            final int day = decidedDay(Long.parseLong(Answers.text(reader, 37)));
            final int dayIndex = Math.min(days, Math.max(0, day - firstDay));
            final boolean newMonthBefore = model.rationMonth(visit.household) < CairoCalendar.monthOfDay(day) &&
                CairoCalendar.monthOfDay(day) > model.firstMonth();
            final int expected = model.decide(index, visit.card, visit.processingCode, visit.amount, visit.pin, day);
            final int account = visit.processingCode / 100 % 100;
            if (code != expected)
            {
                codeMismatches.incrementAndGet();
                mismatch(String.format("%s terminal %s card …%04d processing code %06d amount %d: switch answered %02d, the demo expected %02d",
                    LocalDate.ofEpochDay(day), terminal.terminalId(), data.cards().pan(visit.card) % 10_000, visit.processingCode,
                    visit.amount, code, expected));
            }
            else if ((code == ResponseCode.APPROVED || code == ResponseCode.INSUFFICIENT_FUNDS) && reader.hasField(54))
            {
                checkBalances(visit, day, newMonthBefore);
            }
            requestsByDayProgram.incrementAndGet(dayIndex * PROGRAMS + MonthModel.programIndex(account));
            codesByDay.incrementAndGet(dayIndex * 100 + Math.max(0, Math.min(99, code)));
            latencyByDay[dayIndex].recordValue(latencyUs);
            intervalLatency.recordValue(latencyUs);
            release(visit, slot);
        }

        private void release(final MonthStory.Visit visit, final int slot)
        {
            visits[slot] = null;
            inFlight.decrementAndGet();
            busy.set(visit.household, 0);
            MonthTraffic.this.inFlight.decrementAndGet();
            if (!warmUp[slot])
            {
                received.incrementAndGet();
            }
        }

        private void checkBalances(final MonthStory.Visit visit, final int day, final boolean newMonth)
        {
            final int blocks = reader.valueLength(54) / 20;
            for (int b = 0; b < blocks; b++)
            {
                final int at = b * 20;
                final int account = digit(at) * 10 + digit(at + 1);
                long amount = 0;
                for (int i = 8; i < 20; i++)
                {
                    amount = amount * 10 + digit(at + i);
                }
                if (reader.charAt(54, at + 7) == 'D')
                {
                    amount = -amount;
                }
                final long expected = account < 100 ? model.expectedBalance[account] : -1;
                if (newMonth && account == Program.ACCOUNT_RATION)
                {
                    creditsChecked.incrementAndGet();
                    if (amount == expected)
                    {
                        creditsMatched.incrementAndGet();
                    }
                }
                if (expected >= 0 && amount != expected)
                {
                    balanceMismatches.incrementAndGet();
                    mismatch(String.format("%s terminal %s card …%04d field 54 account %d: switch %d, the demo %d",
                        LocalDate.ofEpochDay(day), terminal.terminalId(), data.cards().pan(visit.card) % 10_000, account, amount,
                        expected));
                }
            }
        }

        private int digit(final int index)
        {
            return reader.charAt(54, index) - '0';
        }
    }
}
