package org.unicard.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import io.netty.channel.EventLoop;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.config.ProgramRules;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.metrics.SingleWriterCounter;
import org.unicard.state.DataSet;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalRequest;
import org.unicard.tools.traffic.Answers;
import org.unicard.tools.traffic.MorningMix;
import org.unicard.tools.traffic.Purchases;
import org.unicard.tools.traffic.SimulatedTerminal;
import org.unicard.tools.traffic.TransmissionClock;
import org.unicard.tools.traffic.UsablePools;

/**
 * N simulated terminals, each on its own TCP connection with up to K requests in flight, all driven
 * by one Netty event loop ({@link LoadConnections}: epoll, frames read in place, each connection
 * written once per batch). Even connections are bakeries selling 1–5 loaves (00/92), odd ones grocers
 * selling rationed goods (00/91), both to collected cards holding the program (the heads of
 * households), picked at random; requests are MAC-signed when the terminal has a MAC key.
 * <pre>
 *                  +----------------------+  conn 0 (bakery, K in flight)  +--------------------+
 *   schedule  ---> |  generator's event   |------------------------------>|                    |
 *  (open loop)     |  loop: sends, reads, |  conn 1 (grocer, K in flight) |  switch under test |
 *                  |  matches 0210 by     |------------------------------>|  (Unicard / jPOS)  |
 *   refill   ----> |  STAN + terminal,    |            ...                 |                    |
 *  (closed loop)   |  counts field 39,    |<------------------------------|                    |
 *                  |  records latency     |      conn N-1                  +--------------------+
 *                  +----------------------+
 * </pre>
 * Closed loop: a connection sends whenever it has fewer than K in flight, as soon as a batch of its
 * responses has been read; latency counts from the batch's send time. Open loop: request
 * {@code i} of a connection is due at its {@link IntendedStartSchedule} time and is sent once due
 * and a window slot is free; its latency counts from the due time, so a stalled server or sender
 * shows in the histogram (coordinated omission corrected).
 * <p>
 * With {@code --prepared} ({@link PreparedRequests}) every request but the morning mix's returns is built,
 * MAC-signed and framed before the run, and the event loop only copies it out when it is due.
 * <p>
 * The run ends with a correctness check (Disruptor perf-test style): every request got exactly one
 * response, matched by STAN and terminal, and every response code is one this workload may see
 * (00, 51 when a quota or balance runs out, 91 when the switch sheds load).
 */
public final class PipelinedTerminalsToSwitch
{
    /** Requests remembered per connection, by STAN; larger than any in-flight window. */
    static final int HISTORY = 1 << 13;
    /**
     * STANs run 1 to this, then start again at 1: the largest multiple of {@link #HISTORY} that fits
     * six digits, so the slot (STAN modulo HISTORY) keeps advancing by one across the wrap (1 to
     * 999,999 would jump back to slot 1 while slots 1..575 still hold the latest requests).
     */
    static final int STAN_CYCLE = 999_999 / HISTORY * HISTORY;
    /** The largest in-flight window per connection. */
    public static final int MAX_IN_FLIGHT = HISTORY / 2;
    /** The open loop's shortest tick: 10 µs, 100,000 sweeps a second. */
    static final long MIN_TICK_NS = 10_000;
    /**
     * Its longest: a request is sent at most one tick after it falls due (and its latency counts from
     * the due time), so at low rates the loop still looks every 100 µs.
     */
    static final long MAX_TICK_NS = 100_000;
    /** How long to wait for the last responses after the sending stops. */
    public static final long DRAIN_TIMEOUT_NS = 5_000_000_000L;
    /**
     * A closed loop sends as fast as the switch answers, so {@code --prepared} makes requests for this
     * rate over the whole run, above the best this 2-core machine has measured (≈ 132,000/s); beyond them
     * the connections build live.
     */
    static final int PREPARED_CLOSED_LOOP_RATE = 200_000;
    /** What a request frame usually takes (a MAC-signed 0200 is 80–100 bytes), to size the prepared arrays. */
    static final int TYPICAL_FRAME_BYTES = 96;
    /** Heap a prepared request takes: its frame, its end offset and its sale token. */
    static final int PREPARED_REQUEST_BYTES = TYPICAL_FRAME_BYTES + Integer.BYTES + Long.BYTES;
    /**
     * The prepared requests take at most this share of the heap (1/4), whatever the rate and duration asked
     * for; beyond it the connections build live.
     */
    static final int PREPARED_HEAP_DIVISOR = 4;

    /** What the simulated terminals ask for. */
    public enum Mix
    {
        /** {@link MorningMix}: purchases within each household's quota and credit, returns, inquiries; mostly approved. */
        MORNING,
        /** Bread 1–5 loaves and rations 5–49 EGP to random cards until the quotas run out (51s after a few seconds). */
        SATURATING
    }

    private static final byte FREE = 0;
    private static final byte OUTSTANDING = 1;

    private final DataSet data;
    private final LoadOptions options;
    private final long seed;
    /** PANs of the cards bakeries sell to, as text (built once, not per request). */
    private final String[] breadPans;
    /** PANs of the cards grocers sell to. */
    private final String[] rationPans;
    private final List<Lane> lanes = new ArrayList<>();
    private final MorningMix morning;
    private LoadConnections connections;
    private final Recorder latency = new Recorder(3_600_000_000L, 3);
    /** Open loop: from each measured request's due time to the sweep that sent it, µs. */
    private final Recorder sendLag = new Recorder(3_600_000_000L, 3);
    private Histogram sendLagWindow;
    /*
     * Counted by the generator's one event loop, which sends and reads for every lane, and read by
     * the calling thread: single-writer counters (a release store, no locked instruction per request).
     */
    private final AtomicLongArray codes = new AtomicLongArray(100);
    private final SingleWriterCounter sent = new SingleWriterCounter();
    private final SingleWriterCounter received = new SingleWriterCounter();
    private final SingleWriterCounter measured = new SingleWriterCounter();
    private final SingleWriterCounter unmatched = new SingleWriterCounter();
    private final SingleWriterCounter invalid = new SingleWriterCounter();
    private volatile long measureStartNs = Long.MAX_VALUE;
    private volatile long measureEndNs = Long.MAX_VALUE;
    private long transmissionDateTime;
    private final ThreadCpu threadCpu = new ThreadCpu();
    private boolean measuring;
    private long answeredAtStart;
    private long answeredAtEnd;
    /** The sweeps on the event loop (set when the run starts; the closed loop's lanes call it after reads). */
    private SweepsOnLoop sweeps;
    private Runnable atWindowStart = () -> { };
    private Runnable atWindowEnd = () -> { };
    /** {@code --prepared}: what the preparation took, for {@link #preparation()}. */
    private long preparedFrames;
    private int preparedLimit = Integer.MAX_VALUE;
    private long preparationNs;
    private long preparationCpuNs;

    /**
     * @param data    the data set the switch runs on (cards, terminals, clear keys).
     * @param options connections, window, duration, rate.
     * @param seed    for the choice of cards and amounts.
     */
    public PipelinedTerminalsToSwitch(final DataSet data, final LoadOptions options, final long seed)
    {
        this(data, options, seed, Mix.SATURATING);
    }

    /**
     * @param data    the data set the switch runs on (cards, terminals, clear keys), as it imported it.
     * @param options connections, window, duration, rate.
     * @param seed    for the choice of cards and amounts.
     * @param mix     what the terminals ask for.
     */
    public PipelinedTerminalsToSwitch(final DataSet data, final LoadOptions options, final long seed, final Mix mix)
    {
        this.morning = mix == Mix.MORNING ? new MorningMix(data, ProgramRules.defaults()) : null;
        this.data = data;
        this.options = options;
        this.seed = seed;
        breadPans = UsablePools.pans(data.cards(), UsablePools.cards(data.cards(), Program.BREAD));
        rationPans = UsablePools.pans(data.cards(), UsablePools.cards(data.cards(), Program.RATION));
        if (breadPans.length == 0 || rationPans.length == 0)
        {
            throw new IllegalStateException("data set without usable cards: breadCards=" + breadPans.length + " rationCards=" + rationPans.length);
        }
    }

    /**
     * Connects, sends for the warm-up and the measured duration, drains, closes.
     *
     * @param name what the target is, for the result.
     * @param host the switch's terminal listener host.
     * @param port its port.
     * @return the measured result and the correctness check.
     */
    public LoadResult run(final String name, final String host, final int port) throws InterruptedException
    {
        makeLanes();
        if (options.prepared())
        {
            prepare(Math.min(preparedPerLane(options, Runtime.getRuntime().maxMemory()), preparedLimit));
        }
        connections = new LoadConnections(options.connections(), options.spin());
        try
        {
            connect(host, port);
            return drive(name);
        }
        finally
        {
            connections.close();
        }
    }

    private void makeLanes()
    {
        final TerminalTable terminals = data.terminals();
        final int[] bakeries = UsablePools.activeTerminals(terminals, TerminalType.BAKERY);
        final int[] grocers = UsablePools.activeTerminals(terminals, TerminalType.GROCER);
        final int wantBakeries = (options.connections() + 1) / 2;
        final int wantGrocers = options.connections() / 2;
        if (bakeries.length < wantBakeries || grocers.length < wantGrocers)
        {
            throw new IllegalStateException("too few terminals for connections=" + options.connections() +
                " bakeries=" + bakeries.length + " grocers=" + grocers.length);
        }
        for (int i = 0; i < options.connections(); i++)
        {
            final int terminal = i % 2 == 0 ? bakeries[i / 2] : grocers[i / 2];
            final SimulatedTerminal simulated = new SimulatedTerminal(terminals, terminal);
            lanes.add(new Lane(i, simulated, new SplittableRandom(seed * 31 + terminal),
                morning == null ? null : morning.till(simulated, seed * 37 + terminal)));
        }
    }

    private void connect(final String host, final int port) throws InterruptedException
    {
        for (final Lane lane : lanes)
        {
            connections.connect(lane.index, host, port, lane::onResponse, options.rate() == null ? lane::afterReads : null);
        }
    }

    /**
     * @param options      the run.
     * @param maxHeapBytes the heap the prepared requests share a quarter of.
     * @return how many requests each connection may send over the whole run, warm-up included: an open
     *         loop's schedule exactly (plus one for rounding), a closed loop's at {@link #PREPARED_CLOSED_LOOP_RATE};
     *         at most what a quarter of the heap holds.
     */
    static int preparedPerLane(final LoadOptions options, final long maxHeapBytes)
    {
        final long runNs = (options.warmupSeconds() + (long)options.durationSeconds()) * 1_000_000_000L;
        final long perLane = options.rate() != null
            ? runNs / IntendedStartSchedule.intervalNs(options.rate(), options.connections()) + 2
            : (long)PREPARED_CLOSED_LOOP_RATE * (runNs / 1_000_000_000L) / options.connections() + options.inFlight();
        final long heapPerLane = maxHeapBytes / PREPARED_HEAP_DIVISOR / PREPARED_REQUEST_BYTES / options.connections();
        return (int)Math.max(1, Math.min(Math.min(perLane, heapPerLane), Integer.MAX_VALUE / TYPICAL_FRAME_BYTES));
    }

    /**
     * Builds every lane's requests ahead of the run, one request per lane in turn (so that the lanes
     * draw households from the morning mix interleaved, as their sweeps would), timed for {@link #preparation()}.
     *
     * @param perLane requests per lane.
     */
    private void prepare(final int perLane)
    {
        final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        final long cpuStart = threads.getCurrentThreadCpuTime();
        final long start = System.nanoTime();
        final TransmissionClock clock = new TransmissionClock();
        for (final Lane lane : lanes)
        {
            lane.prepared = new PreparedRequests(perLane, TYPICAL_FRAME_BYTES);
            if (lane.till != null)
            {
                lane.till.deferReturns();
            }
        }
        for (int k = 0; k < perLane; k++)
        {
            final long transmission = clock.now();
            for (final Lane lane : lanes)
            {
                lane.prepareNext(k, transmission);
            }
        }
        preparedFrames = (long)perLane * lanes.size();
        preparationNs = System.nanoTime() - start;
        preparationCpuNs = threads.getCurrentThreadCpuTime() - cpuStart;
    }

    /**
     * With {@code --prepared}: prepare at most this many requests per connection (about
     * {@value #PREPARED_REQUEST_BYTES} bytes of heap each); a run that sends more builds the rest live.
     *
     * @param perLane the most per connection, at least 1.
     * @return this driver.
     */
    public PipelinedTerminalsToSwitch limitPrepared(final int perLane)
    {
        if (perLane < 1)
        {
            throw new IllegalArgumentException("prepared requests per connection must be at least 1: perLane=" + perLane);
        }
        preparedLimit = perLane;
        return this;
    }

    /**
     * @return with {@code --prepared}, after {@link #run}: how many requests were prepared, what that took,
     *         and how many of the sent ones came from them; without it, {@code null}.
     */
    public String preparation()
    {
        if (!options.prepared())
        {
            return null;
        }
        long taken = 0;
        long returns = 0;
        for (final Lane lane : lanes)
        {
            taken += lane.prepared.taken();
            returns += lane.returnsBuiltLive;
        }
        return String.format(java.util.Locale.ROOT,
            "%,d requests made before the run in %.1f s (%.2f µs of CPU each, not in the window's figures); sent %,d of " +
                "them, of which %,d returns built as sent; %,d built live after the prepared ran out", preparedFrames,
            preparationNs / 1e9, preparedFrames == 0 ? 0.0 : preparationCpuNs / 1e3 / preparedFrames, taken, returns, builtLive());
    }

    /**
     * @return with {@code --prepared}, after {@link #run}: requests built during the run because a connection
     *         had sent all its prepared ones; else 0.
     */
    public long builtLive()
    {
        long live = 0;
        for (final Lane lane : lanes)
        {
            live += lane.builtLive;
        }
        return live;
    }

    private LoadResult drive(final String name) throws InterruptedException
    {
        final int window = options.inFlight();
        final boolean open = options.rate() != null;
        final long startNs = System.nanoTime();
        final long warmupNs = options.warmupSeconds() * 1_000_000_000L;
        final long endNs = startNs + warmupNs + options.durationSeconds() * 1_000_000_000L;
        if (open)
        {
            final long intervalNs = IntendedStartSchedule.intervalNs(options.rate(), lanes.size());
            for (int i = 0; i < lanes.size(); i++)
            {
                lanes.get(i).schedule = new IntendedStartSchedule(startNs + intervalNs * i / lanes.size(), intervalNs);
            }
        }
        measureStartNs = startNs + warmupNs;
        measureEndNs = endNs;
        final Sweep sweep = new Sweep(window, open);
        sweeps = new SweepsOnLoop(sweep, endNs, connections.loop());
        final long stoppedNs;
        if (open)
        {
            // A spinning loop looks at its timers on every turn, so the shortest tick costs it nothing more.
            final long tickNs = options.spin() ? MIN_TICK_NS : Math.clamp((long)(1e9 / options.rate()), MIN_TICK_NS, MAX_TICK_NS);
            stoppedNs = sweeps.runOpen(tickNs);
        }
        else
        {
            stoppedNs = sweeps.runClosed();
        }
        answeredAtEnd = received.get();
        threadCpu.end();
        atWindowEnd.run();
        final long drainEndNs = System.nanoTime() + DRAIN_TIMEOUT_NS;
        while (received.get() < sent.get() && System.nanoTime() - drainEndNs < 0)
        {
            LockSupport.parkNanos(1_000_000);
        }
        LockSupport.parkNanos(50_000_000);
        return result(name, measureEndNs - measureStartNs, stoppedNs);
    }

    /** Opens the measured window when its time comes: answers so far, thread CPU, the caller's hook. */
    private void openWindowIfDue(final long nowNs)
    {
        if (!measuring && nowNs - measureStartNs >= 0)
        {
            measuring = true;
            answeredAtStart = received.get();
            threadCpu.start();
            atWindowStart.run();
        }
    }

    /**
     * One pass over the connections: every lane sends what is due (open loop) or what its window
     * has room for (closed loop).
     */
    private final class Sweep
    {
        private final int window;
        private final boolean open;
        private final TransmissionClock clock = new TransmissionClock();

        Sweep(final int window, final boolean open)
        {
            this.window = window;
            this.open = open;
        }

        /**
         * @return whether anything was queued on a connection.
         */
        boolean run(final long nowNs)
        {
            openWindowIfDue(nowNs);
            transmissionDateTime = clock.now();
            boolean sentAny = false;
            for (int i = 0; i < lanes.size(); i++)
            {
                sentAny |= fill(lanes.get(i), nowNs) > 0;
            }
            return sentAny;
        }

        /**
         * Queues what one lane may send now: what is due (open loop) or what its window has room for
         * (closed loop).
         *
         * @return how many requests were queued.
         */
        private int fill(final Lane lane, final long nowNs)
        {
            int queued = 0;
            while (lane.inFlight < window && queued < window)
            {
                final long intendedNs;
                if (open)
                {
                    if (!lane.schedule.isDue(nowNs))
                    {
                        break;
                    }
                    intendedNs = lane.schedule.nextIntendedNs();
                    lane.schedule.advance();
                    if (intendedNs - measureStartNs >= 0 && intendedNs - measureEndNs < 0)
                    {
                        sendLag.recordValue(IntendedStartSchedule.latencyUs(intendedNs, nowNs));
                    }
                }
                else
                {
                    intendedNs = nowNs;
                }
                lane.sendNext(intendedNs);
                queued++;
            }
            return queued;
        }
    }

    /**
     * The sweeps on the generator's event loop, so that sending costs no thread of its own and no
     * hand-over (one thread fewer to schedule on a small machine). One task for the whole run, re-queued
     * by the event loop: nothing allocated per sweep (a task scheduled anew per sweep was 2 MB/s of
     * garbage at 20,000/s, and a young collection inside the measured window).
     * <ul>
     * <li>Open loop ({@link #runOpen}): a periodic task, one tick per request interval of the whole run
     * (50 µs at 20,000/s; from {@link #MIN_TICK_NS} to {@link #MAX_TICK_NS}); each tick sends what has
     * fallen due. The first tick at or after the end stops the sending.</li>
     * <li>Closed loop ({@link #runClosed}): a first sweep fills every connection's window; then, whenever
     * responses have been read, one sweep runs after the loop's reads of that turn ({@link #responsesRead},
     * queued once however many connections had responses) and sends every window full again. One sweep
     * per turn, rather than one write per connection per read, keeps the writes to the switch as few and
     * as full as a sender thread's were. A timer at the end of the run stops the sending.</li>
     * </ul>
     * Each sweep writes each connection once: no response frees a window slot during a sweep on the loop,
     * so one pass sends all that can go.
     */
    private final class SweepsOnLoop implements Runnable
    {
        private final Sweep sweep;
        private final long endNs;
        private final EventLoop loop;
        private final CountDownLatch ended = new CountDownLatch(1);
        private boolean sweepQueued;
        private boolean stopped;
        private volatile long stoppedNs;

        SweepsOnLoop(final Sweep sweep, final long endNs, final EventLoop loop)
        {
            this.sweep = sweep;
            this.endNs = endNs;
            this.loop = loop;
        }

        /** Closed loop, on the event loop after a batch of a lane's responses: a sweep runs once this turn's reads are done. */
        void responsesRead()
        {
            if (!stopped && !sweepQueued)
            {
                sweepQueued = true;
                loop.execute(this);
            }
        }

        /** One sweep, on the event loop. */
        @Override
        public void run()
        {
            sweepQueued = false;
            if (stopped)
            {
                return;
            }
            final long nowNs = System.nanoTime();
            if (nowNs - endNs >= 0)
            {
                stop(nowNs);
                return;
            }
            if (sweep.run(nowNs))
            {
                connections.writeQueued();
            }
        }

        private void stop(final long nowNs)
        {
            if (!stopped)
            {
                stopped = true;
                stoppedNs = nowNs;
                ended.countDown();
            }
        }

        /**
         * Runs the open loop's sweeps, one a tick, until the end of the run.
         *
         * @return when the sending stopped.
         */
        long runOpen(final long tickNs) throws InterruptedException
        {
            return runUntilEnd(loop.scheduleAtFixedRate(this, 0, tickNs, TimeUnit.NANOSECONDS));
        }

        /**
         * Runs the closed loop until the end of the run.
         *
         * @return when the sending stopped.
         */
        long runClosed() throws InterruptedException
        {
            loop.execute(this);
            return runUntilEnd(loop.schedule(() -> stop(System.nanoTime()), Math.max(0, endNs - System.nanoTime()), TimeUnit.NANOSECONDS));
        }

        private long runUntilEnd(final ScheduledFuture<?> timer) throws InterruptedException
        {
            try
            {
                ended.await();
            }
            finally
            {
                timer.cancel(false);
            }
            return stoppedNs;
        }
    }

    /**
     * Runs {@code start} when the measured window opens (on the thread that sends: the event loop in an
     * open loop) and {@code end} when it closes (on the caller of {@link #run}); the load test reads the
     * switch's own latency recorder there.
     *
     * @param start at the window's start.
     * @param end   at its end.
     * @return this driver.
     */
    public PipelinedTerminalsToSwitch atWindow(final Runnable start, final Runnable end)
    {
        atWindowStart = start;
        atWindowEnd = end;
        return this;
    }

    /**
     * @return CPU per request answered during the measured window, by thread role (after {@link #run}).
     */
    public String threadCpuPerAnswer()
    {
        return threadCpu.perAnswer(answeredAtEnd - answeredAtStart);
    }

    /**
     * @return open loop: the generator's own lateness over the measured window, from each request's due
     *         time to the sweep that sent it (a tick late at most when the generator's thread gets a core
     *         on time), so that the end-to-end latency can be split; closed loop: {@code null}.
     */
    public String sendLag()
    {
        final Histogram lag = sendLagHistogram();
        if (lag == null)
        {
            return null;
        }
        if (lag.getTotalCount() == 0)
        {
            return "no requests sent in the window";
        }
        return String.format(java.util.Locale.ROOT, "due -> sent ms p50=%.3f p99=%.3f p99.9=%.3f max=%.3f (n=%d)",
            lag.getValueAtPercentile(50) / 1e3, lag.getValueAtPercentile(99) / 1e3, lag.getValueAtPercentile(99.9) / 1e3,
            lag.getMaxValue() / 1e3, lag.getTotalCount());
    }

    /**
     * @return open loop, after {@link #run}: the send lags of the measured window in microseconds (the same
     *         histogram on every call); closed loop: {@code null}.
     */
    public Histogram sendLagHistogram()
    {
        if (options.rate() == null)
        {
            return null;
        }
        if (sendLagWindow == null)
        {
            sendLagWindow = sendLag.getIntervalHistogram();
        }
        return sendLagWindow;
    }

    /**
     * @return heap bytes allocated per answered request over the measured window, by thread role.
     */
    public String threadAllocationPerAnswer()
    {
        return threadCpu.allocatedPerAnswer(answeredAtEnd - answeredAtStart);
    }

    /**
     * @return CPU nanoseconds by thread role over the measured window.
     */
    public java.util.Map<String, Long> threadCpuNs()
    {
        return threadCpu.byRole();
    }

    /**
     * @return responses received during the measured window (what the thread CPU is divided by).
     */
    public long answeredInWindow()
    {
        return answeredAtEnd - answeredAtStart;
    }

    /**
     * Open loop: requests that were due within the measured time but never sent, because the
     * windows were full, go into the histogram too, with the time from their due time to the end
     * of sending as a lower bound on their latency; leaving them out would hide the backlog.
     */
    private long recordNeverSent(final IntendedStartSchedule schedule, final long stoppedNs)
    {
        long count = 0;
        while (schedule.nextIntendedNs() - measureEndNs < 0)
        {
            final long intended = schedule.nextIntendedNs();
            schedule.advance();
            if (intended - measureStartNs >= 0)
            {
                latency.recordValue(IntendedStartSchedule.latencyUs(intended, stoppedNs));
                count++;
            }
        }
        return count;
    }

    private LoadResult result(final String name, final long measuredNs, final long stoppedNs)
    {
        long outstanding = 0;
        long behind = 0;
        for (final Lane lane : lanes)
        {
            outstanding += lane.outstanding();
            if (lane.schedule != null)
            {
                behind += recordNeverSent(lane.schedule, stoppedNs);
            }
        }
        final long[] codeCounts = new long[100];
        long unexpected = 0;
        for (int code = 0; code < 100; code++)
        {
            codeCounts[code] = codes.get(code);
            if (codeCounts[code] > 0 && !isExpected(code))
            {
                unexpected += codeCounts[code];
            }
        }
        final Histogram histogram = latency.getIntervalHistogram();
        return new LoadResult(name, options.rate() == null ? "closed" : options.spin() ? "open-spin" : "open", options.connections(), options.inFlight(),
            options.rate(), measuredNs / 1e9, sent.get(), received.get(), measured.get(), codeCounts,
            outstanding, unmatched.get() + invalid.get(), unexpected, behind, histogram);
    }

    /**
     * @param code a field 39 value.
     * @return whether this workload may legitimately get it.
     */
    public static boolean isExpected(final int code)
    {
        return code == ResponseCode.APPROVED || code == ResponseCode.INSUFFICIENT_FUNDS || code == ResponseCode.SYSTEM_UNAVAILABLE;
    }

    /** One simulated terminal on its own connection. */
    private final class Lane
    {
        private final SimulatedTerminal terminal;
        private final SplittableRandom random;
        private final MorningMix.Till till;
        /** Requests sent and not answered; only the event loop reads and writes it. */
        private int inFlight;
        private final TerminalRequest request = new TerminalRequest();
        private final RequestBuilder builder = new RequestBuilder();
        private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
        private final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY);
        private final byte[] state = new byte[HISTORY];
        private final long[] intendedNs = new long[HISTORY];
        /** Morning mix: the sale token of each ration purchase in flight, -1 for other requests. */
        private final long[] sale = new long[HISTORY];
        private final int index;
        private IntendedStartSchedule schedule;
        private int stan;
        /** {@code --prepared}: this lane's requests, built before the run; else {@code null}. */
        private PreparedRequests prepared;
        /** What the morning mix's till made of the last request {@link #compose} filled in. */
        private int lastKind;
        /** {@code --prepared}: requests built during the run after the prepared ones ran out. */
        private long builtLive;
        /** {@code --prepared}: returns built as they were sent (their places prepared empty). */
        private long returnsBuiltLive;

        Lane(final int index, final SimulatedTerminal terminal, final SplittableRandom random, final MorningMix.Till till)
        {
            this.index = index;
            this.terminal = terminal;
            this.random = random;
            this.till = till;
        }

        void sendNext(final long intended)
        {
            stan = stan % STAN_CYCLE + 1;
            final int slot = stan % HISTORY;
            if (state[slot] != FREE)
            {
                throw new IllegalStateException("STAN slot still in use: stan=" + stan + " slot=" + slot + " terminal=" + terminal.terminalId());
            }
            state[slot] = OUTSTANDING;
            intendedNs[slot] = intended;
            inFlight++;
            sent.increment();
            if (prepared != null && prepared.hasNext())
            {
                final int preparedLength = prepared.nextLength();
                sale[slot] = prepared.nextSale();
                if (preparedLength > 0)
                {
                    connections.queue(index, prepared.bytes(), prepared.nextOffset(), preparedLength);
                    prepared.advance();
                    return;
                }
                // A return's place: built now, from a purchase whose approval has come back, as a live run does.
                prepared.advance();
                returnsBuiltLive++;
                terminal.start(request, stan, transmissionDateTime);
                till.giveBackOrInquiry(request);
            }
            else
            {
                if (prepared != null)
                {
                    builtLive++;
                }
                sale[slot] = compose(stan, transmissionDateTime);
                if (till != null && lastKind == MorningMix.KIND_RETURN_LATER)
                {
                    till.giveBackOrInquiry(request);
                }
            }
            final int length = builder.build(request, frame);
            connections.queue(index, frame.byteArray(), 0, length);
        }

        /**
         * {@code --prepared}, before the run: builds request number {@code k} (from 0) into {@link #prepared},
         * with the STAN the {@code k}-th {@link #sendNext} gives it. A morning-mix return is left as an empty
         * place, built when it is sent: which purchases may be returned depends on their answers (a purchase
         * the mix thought within the household's quota or credit may still be declined 51, and its return
         * would be declined 13).
         */
        void prepareNext(final int k, final long transmission)
        {
            final long saleToken = compose(k % STAN_CYCLE + 1, transmission);
            if (till != null && lastKind == MorningMix.KIND_RETURN_LATER)
            {
                prepared.add(frame, 0, -1);
                return;
            }
            prepared.add(frame, builder.build(request, frame), saleToken);
        }

        /**
         * Fills {@link #request} with this terminal's next purchase, return or inquiry.
         *
         * @return the morning mix's sale token when it is a ration purchase, else -1.
         */
        private long compose(final int requestStan, final long transmission)
        {
            terminal.start(request, requestStan, transmission);
            if (till != null)
            {
                lastKind = till.next(request);
                return till.lastSale();
            }
            if (terminal.isBakery())
            {
                request.pan = breadPans[random.nextInt(breadPans.length)];
                Purchases.bread(request, 1 + random.nextInt(5));
            }
            else
            {
                request.pan = rationPans[random.nextInt(rationPans.length)];
                Purchases.ration(request, 500 + random.nextInt(45) * 100);
            }
            return -1;
        }

        void onResponse(final DirectBuffer buffer, final int offset, final int length)
        {
            final long nowNs = System.nanoTime();
            reader.wrap(buffer, offset, length);
            if (!reader.isValid() || !reader.hasField(11) || !reader.hasField(39) || !reader.hasField(41))
            {
                invalid.increment();
                return;
            }
            final int responseStan = (int)reader.numeric(11);
            final int slot = responseStan % HISTORY;
            if (responseStan < 1 || state[slot] != OUTSTANDING || !terminal.isAddressee(reader))
            {
                unmatched.increment();
                return;
            }
            state[slot] = FREE;
            final long intended = intendedNs[slot];
            received.increment();
            inFlight--;
            if (intended - measureStartNs >= 0 && intended - measureEndNs < 0)
            {
                measured.increment();
                latency.recordValue(IntendedStartSchedule.latencyUs(intended, nowNs));
                final int code = Answers.responseCode(reader);
                confirm(slot, code);
                if (code >= 0 && code < 100)
                {
                    codes.lazySet(code, codes.get(code) + 1);
                }
                else
                {
                    invalid.increment();
                }
            }
            else
            {
                confirm(slot, Answers.responseCode(reader));
            }
        }

        /** Closed loop, on the event loop after a batch of this lane's responses: windows are refilled this turn. */
        void afterReads()
        {
            sweeps.responsesRead();
        }

        /** Morning mix: an approved ration purchase may now be returned. */
        private void confirm(final int slot, final int code)
        {
            if (till != null && code == ResponseCode.APPROVED)
            {
                till.confirmSale(sale[slot]);
            }
        }

        int outstanding()
        {
            int count = 0;
            for (final byte s : state)
            {
                count += s == OUTSTANDING ? 1 : 0;
            }
            return count;
        }
    }
}
