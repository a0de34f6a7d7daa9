package org.unicard.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.security.Hex;
import org.unicard.security.TdesKey;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalConnection;
import org.unicard.terminal.TerminalRequest;

/**
 * Pipelined wallet purchases (00/94 with PIN) from many simulated grocer terminals, spread over the
 * members, each terminal retransmitting a request unanswered after {@link #RETRANSMIT_MS} (the same
 * frame: same STAN and field 7), to another member when its connection is gone. Records every answer
 * ever received; a second answer to the same request must equal the first (code, field 38, 37, 54).
 * Driven by one thread ({@link #step}); answers arrive on the terminals' event loop.
 */
final class ClusterLoad implements AutoCloseable
{
    static final long RETRANSMIT_MS = 2_500;
    static final long FIELD_7 = 1123090000L;

    /** An answer as the terminal saw it. */
    record Answer(int member, String code, String authorization, String reference, String balances, long atMs)
    {
        boolean sameAs(final Answer other)
        {
            return code.equals(other.code) && authorization.equals(other.authorization) && reference.equals(other.reference)
                && balances.equals(other.balances);
        }
    }

    /** A request sent and not yet answered. */
    static final class Outstanding
    {
        final int household;
        final long amount;
        final byte[] frame;
        final int length;
        final long firstSentMs;
        volatile long lastSentMs;
        volatile long lastSentNs = System.nanoTime();
        volatile int member;
        int attempts = 1;

        Outstanding(final int household, final long amount, final byte[] frame, final int length, final long nowMs, final int member)
        {
            this.household = household;
            this.amount = amount;
            this.frame = frame;
            this.length = length;
            this.firstSentMs = nowMs;
            this.lastSentMs = nowMs;
            this.member = member;
        }
    }

    final class Terminal
    {
        final int index;
        final Map<Integer, Outstanding> outstanding = new ConcurrentHashMap<>();
        final Map<Integer, Answer> answers = new ConcurrentHashMap<>();
        final Map<Integer, Outstanding> sent = new ConcurrentHashMap<>();
        TerminalConnection connection;
        int member;
        int nextStan = 1;

        Terminal(final int index, final int member)
        {
            this.index = index;
            this.member = member;
        }

        void onResponse(final int fromMember, final DirectBuffer buffer, final int offset, final int length)
        {
            final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY).wrap(buffer, offset, length);
            final int stan = (int)reader.numeric(11);
            final Answer answer = new Answer(fromMember, text(reader, 39), text(reader, 38), text(reader, 37), text(reader, 54),
                System.currentTimeMillis());
            final Answer first = answers.putIfAbsent(stan, answer);
            if (first != null && !first.sameAs(answer))
            {
                problems.add("terminal=" + ClusterTestData.terminal(index) + " stan=" + stan + " first=" + first + " again=" + answer);
            }
            if (first != null)
            {
                repeatedAnswers.incrementAndGet();
            }
            final Outstanding request = outstanding.remove(stan);
            if (first == null && request != null)
            {
                answered.add(new long[]{request.household, request.amount, answer.code.equals("00") ? 1 : 0, request.lastSentMs, fromMember,
                    answer.atMs, System.nanoTime() - request.lastSentNs});
            }
        }
    }

    private static String text(final IsoMessageReader reader, final int field)
    {
        if (!reader.hasField(field))
        {
            return "";
        }
        final UnsafeBuffer out = new UnsafeBuffer(new byte[reader.valueLength(field) + 8]);
        final int length = reader.copyChars(field, out, 0);
        return out.getStringWithoutLengthAscii(0, length);
    }

    private final ClusterProcesses cluster;
    private final int households;
    private final int depth;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Terminal> terminals = new ArrayList<>();
    private final RequestBuilder builder = new RequestBuilder();
    private final TerminalRequest request = new TerminalRequest();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
    private final TdesKey pinKey = TdesKey.of(Hex.parseKey(ClusterTestData.TPK_HEX));
    private final Random random;
    final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    /** household, amount, approved (1/0), sent ms, member, answered ms, latency ns (from the last sending). */
    final ConcurrentLinkedQueue<long[]> answered = new ConcurrentLinkedQueue<>();
    final AtomicLong repeatedAnswers = new AtomicLong();
    long retransmissions;
    private int rotation;
    long sentRequests;

    ClusterLoad(final ClusterProcesses cluster, final int terminalCount, final int households, final int depth, final long seed)
    {
        this.cluster = cluster;
        this.households = households;
        this.depth = depth;
        this.random = new Random(seed);
        for (int t = 0; t < terminalCount; t++)
        {
            terminals.add(new Terminal(t, t % cluster.count()));
        }
    }

    /**
     * One round: new requests up to the pipeline depth (at most {@code budget} in all), retransmissions
     * of those unanswered for {@link #RETRANSMIT_MS}, reconnections.
     *
     * @param budget     most new requests this round.
     * @param sendNew    whether to send new requests at all (false: only finish what is outstanding).
     */
    void step(final int budget, final boolean sendNew) throws InterruptedException
    {
        final long nowMs = System.currentTimeMillis();
        int left = budget;
        rotation = (rotation + 1) % terminals.size();
        for (int i = 0; i < terminals.size(); i++)
        {
            final Terminal terminal = terminals.get((rotation + i) % terminals.size());
            if (!connected(terminal))
            {
                continue;
            }
            for (final Map.Entry<Integer, Outstanding> entry : terminal.outstanding.entrySet())
            {
                final Outstanding request = entry.getValue();
                if (nowMs - request.lastSentMs > RETRANSMIT_MS)
                {
                    request.lastSentMs = nowMs;
                    request.lastSentNs = System.nanoTime();
                    request.member = terminal.member;
                    request.attempts++;
                    terminal.connection.queue(new UnsafeBuffer(request.frame), request.length);
                    retransmissions++;
                }
            }
            while (sendNew && left > 0 && terminal.outstanding.size() < depth)
            {
                left--;
                final int household = 1 + random.nextInt(households);
                final long amount = 100 + random.nextInt(1_400);
                final int stan = terminal.nextStan++;
                request.clear();
                request.mti = 200;
                request.processingCode = 9400;
                request.amount = amount;
                request.currency = 818;
                request.stan = stan;
                request.transmissionDateTime = FIELD_7;
                request.terminalId = ClusterTestData.terminal(terminal.index);
                request.merchantId = ClusterTestData.merchant(terminal.index);
                request.pan = ClusterTestData.pan(household);
                request.pin = ClusterTestData.PIN;
                request.pinKey = pinKey;
                final int length = builder.build(request, frame);
                final byte[] bytes = new byte[length];
                frame.getBytes(0, bytes);
                final Outstanding outstanding = new Outstanding(household, amount, bytes, length, nowMs, terminal.member);
                terminal.outstanding.put(stan, outstanding);
                terminal.sent.put(stan, outstanding);
                terminal.connection.queue(new UnsafeBuffer(bytes), length);
                sentRequests++;
            }
            terminal.connection.flush();
        }
    }

    private boolean connected(final Terminal terminal) throws InterruptedException
    {
        if (terminal.connection != null && terminal.connection.isActive())
        {
            return true;
        }
        if (terminal.connection != null)
        {
            terminal.connection.close();
            terminal.connection = null;
            terminal.member = (terminal.member + 1) % cluster.count();
        }
        for (int tries = 0; tries < cluster.count(); tries++)
        {
            final int member = terminal.member;
            if (cluster.isRunning(member))
            {
                try
                {
                    terminal.connection = TerminalConnection.connect(group, "127.0.0.1", cluster.terminalPort(member),
                        (buffer, offset, length) -> terminal.onResponse(member, buffer, offset, length));
                    // What was outstanding on the old connection goes again at once on the new one.
                    for (final Outstanding request : terminal.outstanding.values())
                    {
                        request.lastSentMs = 0;
                    }
                    return true;
                }
                catch (final InterruptedException ex)
                {
                    throw ex;
                }
                catch (final Exception ex)
                {
                    // Connection refused: a member still starting; try the next one.
                }
            }
            terminal.member = (terminal.member + 1) % cluster.count();
        }
        return false;
    }

    long outstanding()
    {
        long total = 0;
        for (final Terminal terminal : terminals)
        {
            total += terminal.outstanding.size();
        }
        return total;
    }

    List<Terminal> terminals()
    {
        return terminals;
    }

    /**
     * Puts every terminal back on its own member ({@code index % members}), e.g. after a restart; what
     * was outstanding goes again on the new connection (a retransmission to another member).
     */
    void rebalance()
    {
        for (final Terminal terminal : terminals)
        {
            final int home = terminal.index % cluster.count();
            if (terminal.member != home || terminal.connection == null)
            {
                if (terminal.connection != null)
                {
                    terminal.connection.close();
                    terminal.connection = null;
                }
                terminal.member = home;
            }
        }
    }

    /** Moves every terminal's connection to another member (used to send retransmissions elsewhere). */
    void reconnectElsewhere()
    {
        for (final Terminal terminal : terminals)
        {
            if (terminal.connection != null)
            {
                terminal.connection.close();
            }
        }
    }

    @Override
    public void close()
    {
        for (final Terminal terminal : terminals)
        {
            if (terminal.connection != null)
            {
                terminal.connection.close();
            }
        }
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
