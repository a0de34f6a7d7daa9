package org.unicard.benchmarks.torture;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.benchmarks.ChildProcesses;
import org.unicard.config.ProgramRules;
import org.unicard.generate.DataSetGenerator;
import org.unicard.generate.GenerationListener;
import org.unicard.importer.DataSetImporter;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;
import org.unicard.state.TerminalType;
import org.unicard.terminal.LocalPorts;
import org.unicard.terminal.RequestBuilder;
import org.unicard.terminal.TerminalConnection;
import org.unicard.terminal.TerminalRequest;
import org.unicard.tools.traffic.Answers;
import org.unicard.tools.traffic.HealthProbe;
import org.unicard.tools.traffic.Purchases;
import org.unicard.tools.traffic.SimulatedTerminal;
import org.unicard.tools.traffic.TransmissionClock;
import org.unicard.tools.traffic.UsablePools;

/**
 * Crash torture (spec §8): the real switch as a child process under pipelined load, killed with
 * SIGKILL at random moments and restarted on the same data and journal, N times; then every
 * unanswered request is retransmitted until answered, a sample of answered ones is retransmitted
 * and must get the same 39, 38 and 37, and every touched household's ration spent in the switch
 * must equal the sum of its approved purchases (exactly once: none lost, none applied twice).
 * <pre>
 *   generate data set (H households, seed)          journal dir (kept across restarts)
 *          |                                                 ^
 *          v                                                 |
 *   +-------------+  C grocer connections x K in flight  +---------------------+
 *   | load thread |------ 0200 00/91, unique STANs ----->| switch child process |
 *   | (records    |<----- 0210 (39,38,37) on event loop -| UnicardMain serve    |
 *   |  every req) |                                      +---------------------+
 *   +-------------+                                               |
 *          |   after 0.3..2 s: kill -9 (exit 137), restart, /health 200   (x N)
 *          |   or (R of the N kills) restart, /health 503 "replaying", wait 0..a quarter of the previous
 *          |   replay, /health again, kill -9 (exit 137), restart; that last /health ("replaying") and
 *          |   the killed switch's log (no "event=recovered") tell whether it landed in the replay
 *          v
 *   last restart: retransmit every unanswered request (same terminal, STAN, field 7)
 *                 until answered; retransmit a sample of answered ones: same 39/38/37
 *          v
 *   GET /api/cards/{pan}: credit - ration_piasters == sum of approved amounts, per household
 *          v
 *   SIGTERM -> exit 0;  PASS / FAIL (first mismatch)
 * </pre>
 * Every wait is bounded; a run never hangs.
 */
public final class CrashTorture
{
    /** The response code the switch gives when it sheds load; not a decision, so retransmitted. */
    private static final String SHED = "91";
    private static final long HEALTH_TIMEOUT_MS = 90_000;
    private static final long ANSWER_TIMEOUT_MS = 15_000;
    private static final int RETRANSMIT_ROUNDS = 10;
    private static final int SAMPLE = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What to run.
     *
     * @param kills       how many times to kill -9 and restart the switch.
     * @param replayKills how many of those kills happen during start-up replay instead of under load.
     * @param connections grocer terminals, one connection each.
     * @param inFlight    requests in flight per connection.
     * @param households  households in the generated data set.
     * @param seed        data set and traffic seed.
     * @param directory   an empty working directory (data set, journal, logs).
     */
    public record Options(int kills, int replayKills, int connections, int inFlight, int households, long seed, Path directory)
    {
        /**
         * Whether kill number {@code kill} (1-based) happens during start-up replay: {@link #replayKills}
         * of the kills, spread evenly, never the first (the journal is empty then).
         *
         * @param kill 1 to {@link #kills}.
         * @return true for a kill during replay.
         */
        public boolean isReplayKill(final int kill)
        {
            return kill >= 2 && kill <= kills && (long)replayKills * kill / kills > (long)replayKills * (kill - 1) / kills;
        }
    }

    /**
     * What a run found.
     *
     * @param passed      whether every check held.
     * @param firstFailure the first mismatch, or {@code null}.
     * @param sent        requests sent (first transmissions).
     * @param approved    approved purchases.
     * @param retransmittedUnanswered requests unanswered at a kill that were retransmitted.
     * @param sampled     answered requests retransmitted and compared.
     * @param households  households checked.
     * @param replayKills kills that landed during the start-up replay: {@code /health} said
     *                    {@code replaying} just before the kill and the killed switch's log shows no
     *                    end of the recovery ({@link ReplayKillCheck}).
     */
    public record Result(boolean passed, String firstFailure, long sent, long approved, long retransmittedUnanswered,
        long sampled, long households, long replayKills)
    {
    }

    private final Options options;
    private final PrintStream out;
    private final String lmkHex;
    private final String apiToken;
    private final SplittableRandom random;
    private final List<Lane> lanes = new ArrayList<>();
    private final AtomicLong invalid = new AtomicLong();
    private DataSet data;
    private String[] pans;
    private int[] households;
    private Process process;
    private int port;
    private int acquirerPort;
    private int httpPort;
    private int starts;
    private long lastReplayMs = -1;
    private long replayKillsLanded;

    /**
     * @param options what to run.
     * @param out     where progress goes.
     */
    public CrashTorture(final Options options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
        this.lmkHex = LocalMasterKey.generateHex(new SecureRandom());
        final byte[] token = new byte[16];
        new SecureRandom().nextBytes(token);
        this.apiToken = java.util.HexFormat.of().formatHex(token);
        this.random = new SplittableRandom(options.seed() * 7919 + 17);
    }

    /**
     * Runs the whole torture; always stops the child.
     *
     * @return the result; {@link Result#passed()} tells PASS or FAIL.
     */
    public Result run() throws Exception
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try
        {
            prepare();
            port = LocalPorts.free();
            acquirerPort = LocalPorts.free();
            httpPort = LocalPorts.free();
            start();
            for (int kill = 1; kill <= options.kills(); kill++)
            {
                if (options.isReplayKill(kill))
                {
                    final String failure = killDuringReplay(kill);
                    if (failure != null)
                    {
                        return fail(failure);
                    }
                    restartFor(kill + 1);
                    continue;
                }
                connectAll(group);
                final long delayMs = 300 + random.nextInt(1_700);
                final long sentBefore = sentCount();
                load(delayMs);
                topUpWindows();
                process.destroyForcibly();
                if (!process.waitFor(30, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("the switch did not die within 30 s of SIGKILL");
                }
                final int exit = process.exitValue();
                closeAll();
                out.printf("torture: kill %d/%d after %d ms: exit %d, sent %d, unanswered so far %d%n",
                    kill, options.kills(), delayMs, exit, sentCount() - sentBefore, unansweredCount());
                if (exit != 137)
                {
                    return fail("kill " + kill + ": exit " + exit + " instead of 137 (SIGKILL)");
                }
                restartFor(kill + 1);
            }
            connectAll(group);
            final long unanswered = unansweredCount();
            final String retransmitFailure = retransmitUnanswered();
            if (retransmitFailure != null)
            {
                return fail(retransmitFailure);
            }
            final List<Request> sample = sample();
            final String sampleFailure = retransmitSample(sample);
            if (sampleFailure != null)
            {
                return fail(sampleFailure);
            }
            closeAll();
            final long[] checked = new long[1];
            final String balanceFailure = checkBalances(checked);
            if (balanceFailure != null)
            {
                return fail(balanceFailure);
            }
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                return fail("the switch did not stop within 30 s of SIGTERM");
            }
            if (process.exitValue() != 0)
            {
                return fail("SIGTERM: exit " + process.exitValue() + " instead of 0");
            }
            if (invalid.get() != 0)
            {
                return fail(invalid.get() + " responses could not be read or matched");
            }
            final Result result = new Result(true, null, sentCount(), approvedCount(), unanswered, sample.size(), checked[0],
                replayKillsLanded);
            out.printf("torture: PASS: %d kills (%d during replay by plan, %d landed in it), %d requests, %d approved (the rest declined), "
                + "%d unanswered at a kill retransmitted, %d answered retransmitted alike, %d households exact%n",
                options.kills(), plannedReplayKills(), replayKillsLanded, result.sent(), result.approved(), unanswered, sample.size(),
                checked[0]);
            return result;
        }
        finally
        {
            closeAll();
            if (process != null && process.isAlive())
            {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Result fail(final String why)
    {
        out.println("torture: FAIL: " + why);
        out.println("torture: switch logs in " + options.directory());
        return new Result(false, why, sentCount(), approvedCount(), unansweredCount(), 0, 0, replayKillsLanded);
    }

    private int plannedReplayKills()
    {
        int planned = 0;
        for (int kill = 1; kill <= options.kills(); kill++)
        {
            planned += options.isReplayKill(kill) ? 1 : 0;
        }
        return planned;
    }

    /**
     * Starts the switch again: when the next kill is one during replay, only launches it (that
     * kill waits for the replay), else waits until it is healthy.
     */
    private void restartFor(final int nextKill) throws Exception
    {
        if (options.isReplayKill(nextKill))
        {
            launch();
        }
        else
        {
            start();
        }
    }

    /**
     * Kills the launched switch with SIGKILL during its start-up replay: waits until {@code /health}
     * says {@code replaying}, then a random time up to a quarter of the previous start's replay, reads
     * {@code /health} once more and kills at once. Whether the kill landed in the replay is decided
     * by {@link ReplayKillCheck} from that last health body and the killed switch's log.
     *
     * @return null, or why the run failed.
     */
    private static final long SHORT_REPLAY_MS = 1_000;

    private String killDuringReplay(final int kill) throws Exception
    {
        final HealthProbe health = new HealthProbe(httpPort);
        final String phase = awaitPhase(health, ReplayKillCheck.REPLAYING);
        // Up to a quarter of the previous replay: the journal only grows, so this one takes at least as
        // long unless the machine is busier; the previous time read from the log also counts building
        // the authorizer before the replay, so it is an upper bound.
        // A replay shorter than SHORT_REPLAY_MS (a small journal on a fast machine) is killed at once:
        // polling /health already spends a good part of it.
        final long delayMs = lastReplayMs >= SHORT_REPLAY_MS ? random.nextLong(lastReplayMs / 4) : 0;
        String lastHealth = phase;
        if (delayMs > 0)
        {
            Thread.sleep(delayMs);
            lastHealth = health.read();
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            return "kill " + kill + " (during replay): the switch did not die within 30 s of SIGKILL";
        }
        final int exit = process.exitValue();
        final String log = Files.readString(options.directory().resolve("switch-" + starts + ".log"));
        final ReplayKillCheck.Verdict verdict = ReplayKillCheck.verdict(lastHealth, log);
        replayKillsLanded += verdict == ReplayKillCheck.Verdict.IN_REPLAY ? 1 : 0;
        out.printf("torture: kill %d/%d during replay: health said '%s', killed %d ms later (previous replay %d ms), "
                + "health just before the kill '%s': exit %d, %s%n",
            kill, options.kills(), phase, delayMs, lastReplayMs, lastHealth, exit, switch (verdict)
            {
                case IN_REPLAY -> "landed in the replay (the log shows no event=recovered)";
                case AFTER_REPLAY -> "missed it: the recovery had ended";
                case BEFORE_REPLAY -> "missed it: the replay had not started";
            });
        if (exit != 137)
        {
            return "kill " + kill + " (during replay): exit " + exit + " instead of 137 (SIGKILL)";
        }
        return null;
    }

    /**
     * Polls {@code /health} until its 503 body names the phase, or the switch is ready.
     *
     * @return the health body seen last (trimmed; {@code ready} when it answered 200).
     */
    private String awaitPhase(final HealthProbe health, final String wanted) throws Exception
    {
        return health.await(process, wanted, HEALTH_TIMEOUT_MS, 1, this::startLog);
    }

    /** The log of the latest start. */
    private String startLog() throws IOException
    {
        return Files.readString(options.directory().resolve("switch-" + starts + ".log"));
    }

    /** Replay time of the last start, from its log ({@link ReplayKillCheck#replayMs}). */
    private void readReplayTime() throws IOException
    {
        final long replayMs = ReplayKillCheck.replayMs(Files.readString(options.directory().resolve("switch-" + starts + ".log")));
        if (replayMs >= 0)
        {
            lastReplayMs = replayMs;
            out.printf("torture: start %d: %d ms from the end of its import to the end of its replay%n", starts, replayMs);
        }
    }

    private void prepare() throws Exception
    {
        final Path dataDir = options.directory().resolve("data");
        Files.createDirectories(dataDir);
        final TdesKey lmk = LocalMasterKey.parse(lmkHex, "torture");
        DataSetGenerator.of(options.households(), options.seed()).generate(dataDir, lmk, GenerationListener.NONE);
        data = DataSetImporter.load(dataDir, lmk);
        final CardTable cards = data.cards();
        final int[] heads = UsablePools.headCards(cards, Program.RATION);
        if (heads.length == 0)
        {
            throw new IllegalStateException("data set without collected ration head cards");
        }
        pans = UsablePools.pans(cards, heads);
        households = new int[heads.length];
        for (int i = 0; i < heads.length; i++)
        {
            households[i] = cards.household(heads[i]);
        }
        final int[] grocers = UsablePools.activeTerminals(data.terminals(), TerminalType.GROCER);
        if (grocers.length == 0)
        {
            throw new IllegalStateException("data set without an active grocer terminal");
        }
        // With fewer grocers than connections, a grocer has several connections sharing one STAN counter.
        final Map<Integer, AtomicInteger> stans = new HashMap<>();
        for (int i = 0; i < options.connections(); i++)
        {
            final int terminal = grocers[i % grocers.length];
            lanes.add(new Lane(new SimulatedTerminal(data.terminals(), terminal), stans.computeIfAbsent(terminal, t -> new AtomicInteger())));
        }
        out.printf("torture: %d households, %d head cards, %d grocer connections (%d terminals) x %d in flight, %d kills%n",
            options.households(), pans.length, lanes.size(), stans.size(), options.inFlight(), options.kills());
    }

    private void start() throws Exception
    {
        launch();
        awaitHealthy();
        readReplayTime();
    }

    private void launch() throws Exception
    {
        starts++;
        final List<String> command = ChildProcesses.javaCommand();
        command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain", "serve",
            "--data", options.directory().resolve("data").toString(),
            "--config", ChildProcesses.noSnapshotAfterImportConfig(options.directory()).toString(),
            "--port", Integer.toString(port),
            "--acquirer-port", Integer.toString(acquirerPort),
            "--http-port", Integer.toString(httpPort)));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(LocalMasterKey.ENVIRONMENT_VARIABLE, lmkHex);
        builder.environment().put("UNICARD_API_TOKEN", apiToken);
        builder.redirectErrorStream(true);
        builder.redirectOutput(options.directory().resolve("switch-" + starts + ".log").toFile());
        process = builder.start();
    }

    private void awaitHealthy() throws Exception
    {
        new HealthProbe(httpPort).await(process, null, HEALTH_TIMEOUT_MS, 50, this::startLog);
    }

    private void connectAll(final EventLoopGroup group) throws InterruptedException
    {
        for (final Lane lane : lanes)
        {
            lane.inFlight.set(0);
            lane.connection = TerminalConnection.connect(group, "127.0.0.1", port, lane::onResponse);
        }
    }

    private void closeAll()
    {
        for (final Lane lane : lanes)
        {
            if (lane.connection != null)
            {
                lane.connection.close();
                lane.connection = null;
            }
        }
    }

    /**
     * Sends one more request on every lane whose window has room, right before a kill, so that the kill
     * finds requests in flight: the load's last sweep may have parked, and its requests been answered,
     * before the kill lands.
     */
    private void topUpWindows()
    {
        final long transmissionDateTime = new TransmissionClock().now();
        for (final Lane lane : lanes)
        {
            if (lane.inFlight.get() < options.inFlight())
            {
                lane.queue(lane.newRequest(transmissionDateTime, random.nextInt(pans.length), 5 + random.nextInt(36)));
                lane.connection.flush();
            }
        }
    }

    /** Closed-loop pipelined load for the given time; every request recorded before it is queued. */
    private void load(final long durationMs)
    {
        final long endNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
        final TransmissionClock clock = new TransmissionClock();
        while (System.nanoTime() - endNs < 0)
        {
            final long transmissionDateTime = clock.now();
            boolean sentAny = false;
            for (final Lane lane : lanes)
            {
                int queued = 0;
                while (lane.inFlight.get() < options.inFlight() && queued < options.inFlight())
                {
                    final int card = random.nextInt(pans.length);
                    final Request request = lane.newRequest(transmissionDateTime, card, 5 + random.nextInt(36));
                    lane.queue(request);
                    queued++;
                }
                if (queued > 0)
                {
                    lane.connection.flush();
                    sentAny = true;
                }
            }
            if (!sentAny)
            {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** Retransmits every unanswered (or shed) request, a window at a time per lane, until all are answered. */
    private String retransmitUnanswered() throws InterruptedException
    {
        for (int round = 1; round <= RETRANSMIT_ROUNDS; round++)
        {
            final Map<Lane, List<Request>> pending = new HashMap<>();
            long count = 0;
            for (final Lane lane : lanes)
            {
                final List<Request> open = new ArrayList<>();
                for (final Request request : lane.requests.values())
                {
                    if (!request.answered())
                    {
                        open.add(request);
                    }
                }
                open.sort((a, b) -> Integer.compare(a.stan, b.stan));
                pending.put(lane, open);
                count += open.size();
            }
            if (count == 0)
            {
                return null;
            }
            out.printf("torture: retransmitting %d unanswered requests (round %d)%n", count, round);
            for (final Map.Entry<Lane, List<Request>> entry : pending.entrySet())
            {
                entry.getKey().retransmitAndAwait(entry.getValue());
            }
        }
        for (final Lane lane : lanes)
        {
            for (final Request request : lane.requests.values())
            {
                if (!request.answered())
                {
                    return "still unanswered after " + RETRANSMIT_ROUNDS + " rounds: " + request;
                }
            }
        }
        return null;
    }

    private List<Request> sample()
    {
        final List<Request> answered = new ArrayList<>();
        for (final Lane lane : lanes)
        {
            for (final Request request : lane.requests.values())
            {
                if (request.answered() && !request.retransmitted)
                {
                    answered.add(request);
                }
            }
        }
        answered.sort((a, b) -> a.lane.terminal.terminalId().equals(b.lane.terminal.terminalId()) ?
            Integer.compare(a.stan, b.stan) : a.lane.terminal.terminalId().compareTo(b.lane.terminal.terminalId()));
        final List<Request> sample = new ArrayList<>();
        for (int i = 0; i < answered.size() && sample.size() < SAMPLE; i++)
        {
            if (random.nextInt(answered.size()) < SAMPLE)
            {
                sample.add(answered.get(i));
            }
        }
        return sample;
    }

    private String retransmitSample(final List<Request> sample) throws InterruptedException
    {
        out.printf("torture: retransmitting %d answered requests%n", sample.size());
        for (final Lane lane : lanes)
        {
            final List<Request> mine = new ArrayList<>();
            for (final Request request : sample)
            {
                if (request.lane == lane)
                {
                    request.checking = true;
                    mine.add(request);
                }
            }
            lane.retransmitAndAwait(mine);
        }
        for (final Request request : sample)
        {
            if (request.recheckCode == null)
            {
                return "no answer to a retransmitted answered request: " + request;
            }
            if (SHED.equals(request.recheckCode))
            {
                continue;
            }
            if (!request.code.equals(request.recheckCode) || !Objects.equals(request.authCode, request.recheckAuthCode)
                || !Objects.equals(request.reference, request.recheckReference))
            {
                return "retransmission answered differently: " + request + " now 39=" + request.recheckCode
                    + " 38=" + request.recheckAuthCode + " 37=" + request.recheckReference;
            }
        }
        return null;
    }

    private String checkBalances(final long[] checked) throws Exception
    {
        final long[] approvedByCard = new long[pans.length];
        final boolean[] touched = new boolean[pans.length];
        for (final Lane lane : lanes)
        {
            for (final Request request : lane.requests.values())
            {
                touched[request.card] = true;
                if ("00".equals(request.code))
                {
                    approvedByCard[request.card] += request.amount;
                }
            }
        }
        final ProgramRules rules = ProgramRules.defaults();
        final HouseholdTable table = data.households();
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int card = 0; card < pans.length; card++)
        {
            if (!touched[card])
            {
                continue;
            }
            final HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/cards/" + pans[card]))
                    .header("Authorization", "Bearer " + apiToken).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
            final JsonNode balance = response.statusCode() == 200 ? rationBalance(response.body()) : null;
            if (balance == null || !balance.canConvertToLong())
            {
                return "GET /api/cards/<card " + card + ">: " + response.statusCode() + " " + response.body();
            }
            final long credit = rules.monthlyRationPiasters(table.rationIndividuals(households[card]));
            final long spent = credit - balance.longValue();
            if (spent != approvedByCard[card])
            {
                return "household " + table.householdId(households[card]) + " (card index " + card + "): switch spent "
                    + spent + " piasters, approved purchases sum to " + approvedByCard[card];
            }
            checked[0]++;
        }
        return null;
    }

    /**
     * @param body the operator API's answer to {@code GET /api/cards/{pan}}.
     * @return its {@code balances.ration_piasters}, or {@code null} when the body is not JSON or lacks it.
     */
    static JsonNode rationBalance(final String body)
    {
        try
        {
            final JsonNode balance = JSON.readTree(body).path("balances").path("ration_piasters");
            return balance.isIntegralNumber() ? balance : null;
        }
        catch (final JsonProcessingException ex)
        {
            return null;
        }
    }

    private long sentCount()
    {
        long count = 0;
        for (final Lane lane : lanes)
        {
            count += lane.requests.size();
        }
        return count;
    }

    private long unansweredCount()
    {
        long count = 0;
        for (final Lane lane : lanes)
        {
            for (final Request request : lane.requests.values())
            {
                count += request.answered() ? 0 : 1;
            }
        }
        return count;
    }

    private long approvedCount()
    {
        long count = 0;
        for (final Lane lane : lanes)
        {
            for (final Request request : lane.requests.values())
            {
                count += "00".equals(request.code) ? 1 : 0;
            }
        }
        return count;
    }



    /** One request as first sent, and what came back. Response fields are written on the event loop. */
    private static final class Request
    {
        final Lane lane;
        final int stan;
        final long transmissionDateTime;
        final int card;
        final long amount;
        volatile String code;
        volatile String authCode;
        volatile String reference;
        volatile boolean retransmitted;
        volatile boolean checking;
        volatile String recheckCode;
        volatile String recheckAuthCode;
        volatile String recheckReference;

        Request(final Lane lane, final int stan, final long transmissionDateTime, final int card, final long amount)
        {
            this.lane = lane;
            this.stan = stan;
            this.transmissionDateTime = transmissionDateTime;
            this.card = card;
            this.amount = amount;
        }

        boolean answered()
        {
            return code != null && !SHED.equals(code);
        }

        @Override
        public String toString()
        {
            return "terminal " + lane.terminal.terminalId() + " STAN " + stan + " field 7 " + transmissionDateTime + " card index " + card
                + " amount " + amount + " 39=" + code + " 38=" + authCode + " 37=" + reference;
        }
    }

    /**
     * One connection of a grocer terminal (a new one after each restart); the requests sent on it,
     * by STAN (unique per terminal, also when a terminal has several connections).
     */
    private final class Lane
    {
        private final SimulatedTerminal terminal;
        private final Map<Integer, Request> requests = new ConcurrentHashMap<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final TerminalRequest request = new TerminalRequest();
        private final RequestBuilder builder = new RequestBuilder();
        private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
        private final IsoMessageReader reader = new IsoMessageReader(IsoDialect.BINARY);
        private final AtomicInteger stans;
        private TerminalConnection connection;

        Lane(final SimulatedTerminal terminal, final AtomicInteger stans)
        {
            this.terminal = terminal;
            this.stans = stans;
        }

        Request newRequest(final long transmissionDateTime, final int card, final long amount)
        {
            final int stan = stans.incrementAndGet();
            if (stan > 999_999)
            {
                throw new IllegalStateException("STANs exhausted on terminal " + terminal.terminalId());
            }
            final Request recorded = new Request(this, stan, transmissionDateTime, card, amount);
            requests.put(stan, recorded);
            return recorded;
        }

        /** Builds the frame exactly as the first time (same STAN, field 7, content) and queues it. */
        void queue(final Request recorded)
        {
            terminal.start(request, recorded.stan, recorded.transmissionDateTime);
            request.pan = pans[recorded.card];
            Purchases.ration(request, recorded.amount);
            final int length = builder.build(request, frame);
            inFlight.incrementAndGet();
            connection.queue(frame, length);
        }

        void retransmitAndAwait(final List<Request> list) throws InterruptedException
        {
            for (int from = 0; from < list.size(); from += options.inFlight())
            {
                final List<Request> window = list.subList(from, Math.min(list.size(), from + options.inFlight()));
                for (final Request recorded : window)
                {
                    recorded.retransmitted = true;
                    if (!recorded.checking && SHED.equals(recorded.code))
                    {
                        recorded.code = null;
                    }
                    queue(recorded);
                }
                connection.flush();
                final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MS);
                while (!allAnswered(window) && System.nanoTime() - deadline < 0)
                {
                    Thread.sleep(1);
                }
            }
        }

        private boolean allAnswered(final List<Request> window)
        {
            for (final Request recorded : window)
            {
                if (recorded.checking ? recorded.recheckCode == null : recorded.code == null)
                {
                    return false;
                }
            }
            return true;
        }

        void onResponse(final DirectBuffer buffer, final int offset, final int length)
        {
            reader.wrap(buffer, offset, length);
            if (!reader.isValid() || !reader.hasField(11) || !reader.hasField(39) || !reader.hasField(41) || !terminal.isAddressee(reader))
            {
                invalid.incrementAndGet();
                return;
            }
            final Request recorded = requests.get((int)reader.numeric(11));
            if (recorded == null)
            {
                invalid.incrementAndGet();
                return;
            }
            inFlight.decrementAndGet();
            final String code = Answers.text(reader, 39);
            final String authCode = reader.hasField(38) ? Answers.text(reader, 38) : null;
            final String reference = reader.hasField(37) ? Answers.text(reader, 37) : null;
            if (recorded.checking)
            {
                recorded.recheckAuthCode = authCode;
                recorded.recheckReference = reference;
                recorded.recheckCode = code;
            }
            else if (recorded.code == null)
            {
                recorded.authCode = authCode;
                recorded.reference = reference;
                recorded.code = code;
            }
        }
    }
}
