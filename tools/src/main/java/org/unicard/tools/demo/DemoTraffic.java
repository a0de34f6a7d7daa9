package org.unicard.tools.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import io.netty.channel.EventLoopGroup;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.generate.DataSetGenerator;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;
import org.unicard.state.TerminalType;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalConnection;
import org.unicard.terminal.TerminalRequest;
import org.unicard.tools.traffic.Answers;
import org.unicard.tools.traffic.Purchases;
import org.unicard.tools.traffic.SimulatedTerminal;
import org.unicard.tools.traffic.TransmissionClock;
import org.unicard.tools.traffic.UsablePools;

/**
 * The demo's simulated bakeries and grocers: one TCP connection per simulated terminal, each with
 * a few requests in flight, driven from one thread for a fixed time. Bakeries sell bread to heads
 * of households (a morning rush that exhausts some quotas), grocers sell rationed goods; both also
 * send balance inquiries and the odd request that must be declined (blocked, uncollected or
 * unknown cards, the wrong terminal for the program, too many loaves, a wrong PIN), grocers
 * reverse and return some purchases, and every terminal retransmits now and then.
 * <p>
 * It tallies what was approved, in loaves and piasters, so the demo can check the switch's state
 * against it.
 */
final class DemoTraffic
{
    private static final int HISTORY = 4096;

    private final DataSet data;
    private final int inFlightPerConnection;
    private final long seed;
    private final List<Lane> lanes = new ArrayList<>();
    private final Recorder latency = new Recorder(3);
    private final Histogram totalLatency = new Histogram(3);
    private final AtomicLongArray codes = new AtomicLongArray(100);
    private final AtomicLong sent = new AtomicLong();
    /** Field 7 for requests sent this second (read only by the sending thread). */
    private long transmissionDateTime;
    private final AtomicLong received = new AtomicLong();
    final AtomicLong approvedLoaves = new AtomicLong();
    final AtomicLong approvedRationPiasters = new AtomicLong();
    final AtomicLong retransmissionsAnsweredAlike = new AtomicLong();
    final AtomicLong retransmissionsAnsweredDifferently = new AtomicLong();

    private final int[] breadHeads;
    private final int[] rationHeads;
    private final int[] troubleCards;

    DemoTraffic(final DataSet data, final int inFlightPerConnection, final long seed)
    {
        this.data = data;
        this.inFlightPerConnection = inFlightPerConnection;
        this.seed = seed;
        breadHeads = UsablePools.cards(data.cards(), Program.BREAD);
        rationHeads = UsablePools.cards(data.cards(), Program.RATION);
        troubleCards = UsablePools.declinedCards(data.cards());
    }

    /**
     * Opens one connection per simulated terminal: the first {@code bakeries} active bakeries and
     * {@code grocers} active grocers.
     */
    void connect(final EventLoopGroup group, final int port, final int bakeries, final int grocers) throws InterruptedException
    {
        final int[] bakeryIndexes = UsablePools.activeTerminals(data.terminals(), TerminalType.BAKERY);
        final int[] grocerIndexes = UsablePools.activeTerminals(data.terminals(), TerminalType.GROCER);
        final int[] chosen = IntStream.concat(
                Arrays.stream(bakeryIndexes).limit(Math.max(0, bakeries)), Arrays.stream(grocerIndexes).limit(Math.max(0, grocers)))
            .sorted().toArray();
        for (final int terminal : chosen)
        {
            final Lane lane = new Lane(new SimulatedTerminal(data.terminals(), terminal), new SplittableRandom(seed * 31 + terminal));
            lane.connection = TerminalConnection.connect(group, "127.0.0.1", port, lane::onResponse);
            lanes.add(lane);
        }
    }

    /**
     * Sends for the given time, keeping each connection's in-flight window full, then waits up to
     * five seconds for the last answers.
     */
    void run(final long durationMs, final Runnable everySecond)
    {
        final long end = System.currentTimeMillis() + durationMs;
        long nextTick = System.currentTimeMillis() + 1_000;
        final TransmissionClock clock = new TransmissionClock();
        while (System.currentTimeMillis() < end)
        {
            transmissionDateTime = clock.now();
            boolean sentAny = false;
            for (final Lane lane : lanes)
            {
                boolean queued = false;
                while (lane.inFlight.get() < inFlightPerConnection)
                {
                    lane.sendNext();
                    queued = true;
                }
                if (queued)
                {
                    lane.connection.flush();
                    sentAny = true;
                }
            }
            if (!sentAny)
            {
                LockSupport.parkNanos(20_000);
            }
            if (System.currentTimeMillis() >= nextTick)
            {
                nextTick += 1_000;
                everySecond.run();
            }
        }
        final long drainEnd = System.currentTimeMillis() + 5_000;
        while (received.get() < sent.get() && System.currentTimeMillis() < drainEnd)
        {
            LockSupport.parkNanos(1_000_000);
        }
    }

    void close()
    {
        for (final Lane lane : lanes)
        {
            lane.connection.close();
        }
    }

    long sent()
    {
        return sent.get();
    }

    long received()
    {
        return received.get();
    }

    long count(final int code)
    {
        return codes.get(code);
    }

    int connections()
    {
        return lanes.size();
    }

    /**
     * @return latency since the last call, and folds it into the run's total.
     */
    Histogram intervalLatency()
    {
        final Histogram interval = latency.getIntervalHistogram();
        totalLatency.add(interval);
        return interval;
    }

    Histogram totalLatency()
    {
        intervalLatency();
        return totalLatency;
    }

    /** One simulated terminal and its connection. */
    private final class Lane
    {
        private final SimulatedTerminal terminal;
        private final SplittableRandom random;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final TerminalRequest request = new TerminalRequest();
        private final RequestBuilder builder = new RequestBuilder();
        private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
        private final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY);
        private TerminalConnection connection;
        private int stan;

        /** What was sent, by STAN modulo the history size: kind, PAN card, amount, field 7, send time. */
        private final byte[] kind = new byte[HISTORY];
        private final int[] card = new int[HISTORY];
        private final long[] amount = new long[HISTORY];
        private final long[] transmission = new long[HISTORY];
        private final long[] sentNs = new long[HISTORY];
        private final String[] expectedCode = new String[HISTORY];
        /** Approved purchases not yet reversed or returned, as STANs. */
        /**
         * Approved purchases not yet reversed or returned: STAN, card, amount and field 7, copied
         * when the approval arrives (the history slots are reused). Filled by the response thread,
         * drained by the sending thread, so guarded by this lane's monitor.
         */
        private final int[] approvedStan = new int[64];
        private final int[] approvedCard = new int[64];
        private final long[] approvedAmount = new long[64];
        private final long[] approvedTransmission = new long[64];
        private int approvedCount;
        /** The approved purchase last taken off the list (sending thread only). */
        private int takenStan;
        private int takenCard;
        private long takenAmount;
        private long takenTransmission;
        private int lastFrameLength;
        private final UnsafeBuffer lastFrame = new UnsafeBuffer(new byte[1024]);
        private int lastStan = -1;
        private String lastCode;

        private static final byte PURCHASE = 1;
        private static final byte REVERSAL = 2;
        private static final byte RETURN = 3;
        private static final byte OTHER = 4;
        private static final byte RETRANSMISSION = 5;

        Lane(final SimulatedTerminal terminal, final SplittableRandom random)
        {
            this.terminal = terminal;
            this.random = random;
        }

        void sendNext()
        {
            final int roll = random.nextInt(1000);
            if (roll < 10 && lastStan >= 0 && lastCode != null)
            {
                retransmit();
                return;
            }
            stan = stan % 999_999 + 1;
            final int slot = stan % HISTORY;
            terminal.start(request, stan, transmissionDateTime);
            byte sentKind = PURCHASE;
            int sentCard;
            if (terminal.isBakery())
            {
                sentCard = breadHeads[random.nextInt(breadHeads.length)];
                if (roll < 40)
                {
                    Purchases.balanceInquiry(request);
                    sentKind = OTHER;
                }
                else if (roll < 60 && troubleCards.length > 0)
                {
                    sentCard = troubleCards[random.nextInt(troubleCards.length)];
                    Purchases.bread(request, 5);
                }
                else if (roll < 75)
                {
                    Purchases.ration(request, 1_000);
                    sentKind = OTHER;
                }
                else if (roll < 85)
                {
                    Purchases.bread(request, 51 + random.nextInt(20));
                }
                else
                {
                    Purchases.bread(request, 1 + random.nextInt(10));
                }
            }
            else
            {
                sentCard = rationHeads[random.nextInt(rationHeads.length)];
                if (roll < 60 && takeApproved())
                {
                    sentCard = takenCard;
                    if (roll < 40)
                    {
                        request.mti = 400;
                        request.originalMti = 200;
                        request.originalStan = takenStan;
                        request.originalTransmissionDateTime = takenTransmission;
                        Purchases.ration(request, takenAmount);
                        sentKind = REVERSAL;
                    }
                    else
                    {
                        Purchases.rationReturn(request, Math.max(1, takenAmount / 2));
                        sentKind = RETURN;
                    }
                }
                else if (roll < 90)
                {
                    request.processingCode = 319100;
                    sentKind = OTHER;
                }
                else if (roll < 110 && terminal.pinKey() != null)
                {
                    Purchases.ration(request, 500 + random.nextInt(20) * 100);
                    request.pin = (DataSetGenerator.syntheticPin(seed, data.cards().pan(sentCard)) + 1) % 10_000;
                    request.pinKey = terminal.pinKey();
                    sentKind = OTHER;
                }
                else if (roll < 130 && terminal.pinKey() != null)
                {
                    Purchases.ration(request, 500 + random.nextInt(20) * 100);
                    request.pin = DataSetGenerator.syntheticPin(seed, data.cards().pan(sentCard));
                    request.pinKey = terminal.pinKey();
                }
                else if (roll < 140)
                {
                    Purchases.bread(request, 5);
                    sentKind = OTHER;
                }
                else
                {
                    Purchases.ration(request, 500 + random.nextInt(45) * 100);
                }
            }
            request.pan = Long.toString(data.cards().pan(sentCard));
            kind[slot] = sentKind;
            card[slot] = sentCard;
            amount[slot] = request.amount;
            transmission[slot] = request.transmissionDateTime;
            lastFrameLength = builder.build(request, frame);
            lastFrame.putBytes(0, frame, 0, lastFrameLength);
            lastStan = stan;
            lastCode = null;
            send(slot, frame, lastFrameLength);
        }

        /**
         * Takes an approved purchase off the list into the {@code taken} fields.
         *
         * @return {@code false} when there is none.
         */
        private synchronized boolean takeApproved()
        {
            if (approvedCount == 0)
            {
                return false;
            }
            approvedCount--;
            takenStan = approvedStan[approvedCount];
            takenCard = approvedCard[approvedCount];
            takenAmount = approvedAmount[approvedCount];
            takenTransmission = approvedTransmission[approvedCount];
            return true;
        }

        private synchronized void keepApproved(final int stan, final int approvedCardIndex, final long piasters, final long field7)
        {
            if (approvedCount < approvedStan.length)
            {
                approvedStan[approvedCount] = stan;
                approvedCard[approvedCount] = approvedCardIndex;
                approvedAmount[approvedCount] = piasters;
                approvedTransmission[approvedCount] = field7;
                approvedCount++;
            }
        }

        private void retransmit()
        {
            final int slot = lastStan % HISTORY;
            kind[slot] = RETRANSMISSION;
            expectedCode[slot] = lastCode;
            lastCode = null;
            send(slot, lastFrame, lastFrameLength);
        }

        private void send(final int slot, final DirectBuffer bytes, final int length)
        {
            inFlight.incrementAndGet();
            sent.incrementAndGet();
            sentNs[slot] = System.nanoTime();
            connection.queue(bytes, length);
        }

        void onResponse(final DirectBuffer buffer, final int offset, final int length)
        {
            reader.wrap(buffer, offset, length);
            received.incrementAndGet();
            inFlight.decrementAndGet();
            if (!reader.isValid() || !reader.hasField(11) || !reader.hasField(39))
            {
                return;
            }
            final int responseStan = (int)reader.numeric(11);
            final int slot = responseStan % HISTORY;
            latency.recordValue(Math.max(1, (System.nanoTime() - sentNs[slot]) / 1_000));
            final int code = Answers.responseCode(reader);
            final String codeText = ResponseCode.text(code);
            if (kind[slot] == RETRANSMISSION)
            {
                if (codeText.equals(expectedCode[slot]))
                {
                    retransmissionsAnsweredAlike.incrementAndGet();
                }
                else
                {
                    retransmissionsAnsweredDifferently.incrementAndGet();
                }
                return;
            }
            if (code >= 0 && code < 100)
            {
                codes.incrementAndGet(code);
            }
            if (responseStan == lastStan)
            {
                lastCode = codeText;
            }
            if (code != ResponseCode.APPROVED)
            {
                return;
            }
            final int processingCode = reader.hasField(3) ? (int)reader.numeric(3) : 0;
            final long sentAmount = reader.hasField(4) ? reader.numeric(4) : 0;
            final int mti = reader.mti();
            if (processingCode == Purchases.BREAD && mti == 210)
            {
                approvedLoaves.addAndGet(sentAmount);
            }
            else if (processingCode == Purchases.RATION && mti == 210)
            {
                approvedRationPiasters.addAndGet(sentAmount);
                if (kind[slot] == PURCHASE)
                {
                    keepApproved(responseStan, card[slot], amount[slot], transmission[slot]);
                }
            }
            else if (processingCode == Purchases.RATION && mti == 410)
            {
                approvedRationPiasters.addAndGet(-sentAmount);
            }
            else if (processingCode == Purchases.RATION_RETURN && mti == 210)
            {
                approvedRationPiasters.addAndGet(-sentAmount);
            }
        }
    }

    /**
     * @return loaves the switch counts as taken today over all households.
     */
    static long loavesTakenToday(final HouseholdTable households, final int today)
    {
        long total = 0;
        for (int h = 0; h < households.size(); h++)
        {
            if (households.breadDay(h) == today)
            {
                total += households.loavesTakenToday(h);
            }
        }
        return total;
    }
}
