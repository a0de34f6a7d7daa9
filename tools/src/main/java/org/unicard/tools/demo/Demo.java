package org.unicard.tools.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.HdrHistogram.Histogram;
import org.unicard.authorizer.ResponseCode;
import org.unicard.config.ProgramRules;
import org.unicard.generate.DataSetGenerator;
import org.unicard.generate.GenerationSummary;
import org.unicard.importer.DataSetImporter;
import org.unicard.journal.JournalLock;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.server.SwitchOptions;
import org.unicard.server.UnicardSwitch;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.time.CairoCalendar;

/**
 * Runs the stress demo ({@code bin/unicard demo --rush}): generate → import → serve → simulated terminals → summary and accounting check.
 * Returns 0 when every approved loaf and piaster is found in the switch's state, 1 otherwise.
 */
public final class Demo
{
    /**
     * What to run.
     *
     * @param directory   where the data set and journal go (emptied first, unless a switch still
     *                    writes the journal there: then nothing is deleted and the demo stops).
     * @param households  data-set size.
     * @param seed        data-set seed.
     * @param seconds     how long terminals send.
     * @param bakeries    simulated bakeries (one connection each).
     * @param grocers     simulated grocers.
     * @param inFlight    requests each terminal keeps in flight.
     */
    public record Options(Path directory, long households, long seed, int seconds, int bakeries, int grocers, int inFlight)
    {
    }

    private final Options options;
    private final PrintStream out;
    private final boolean interactive;

    public Demo(final Options options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
        this.interactive = System.console() != null && System.console().isTerminal();
    }

    /**
     * @return the process exit code.
     */
    public int run() throws Exception
    {
        final Path directory = options.directory();
        emptyDirectory(directory);
        final String lmkHex = localMasterKey(directory, out);
        final TdesKey lmk = LocalMasterKey.parse(lmkHex, "the demo's key");

        out.printf("demo: generating the Port Said pilot data set (%,d households) in %s%n", options.households(), directory);
        final GenerationSummary generated = DataSetGenerator.of(options.households(), options.seed()).generate(directory, lmk,
            (written, total) -> { });
        out.printf("demo: %,d households, %,d citizens, %,d cards, %,d bakeries, %,d grocers, %,d health providers, %,d post offices (%.1f s)%n",
            generated.households(), generated.citizens(), generated.cards(), generated.bakeries(), generated.grocers(),
            generated.healthProviders(), generated.postOffices(), generated.elapsedNs() / 1e9);

        final DataSet data = DataSetImporter.load(directory, lmk);
        final UnicardSwitch unicard = UnicardSwitch.start(
            new SwitchOptions(directory, directory.resolve("journal"), null, 0, 0, 0, null, lmkHex, null));
        out.printf("demo: switch ready: terminals on port %d, acquirers on port %d, http://127.0.0.1:%d/health%n",
            unicard.terminalPort(), unicard.acquirerPort(), unicard.httpPort());

        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final DemoTraffic traffic = new DemoTraffic(data, options.inFlight(), options.seed());
        final int startDay = CairoCalendar.instance().dayNumber(System.currentTimeMillis());
        int exitCode;
        try
        {
            traffic.connect(group, unicard.terminalPort(), options.bakeries(), options.grocers());
            out.printf("demo: --rush: %d simulated terminals connected; a stress test for %d s that sends far more than families " +
                "buy, so it exhausts bread quotas and ration credit on purpose (most answers become 51); the default demo tells the " +
                "month as it is lived%n", traffic.connections(), options.seconds());
            final long started = System.nanoTime();
            final long[] lastReceived = {0};
            traffic.run(options.seconds() * 1_000L, () -> progress(traffic, started, lastReceived));
            if (interactive)
            {
                out.println();
            }
            traffic.close();
            exitCode = summary(traffic, unicard, started, startDay);
        }
        finally
        {
            group.shutdownGracefully().syncUninterruptibly();
            unicard.close();
        }
        return exitCode;
    }

    /**
     * @return the LMK from {@code UNICARD_LMK}, else a throw-away one; says which.
     */
    static String localMasterKey(final Path directory, final PrintStream out)
    {
        if (LocalMasterKey.fromEnvironment().isPresent())
        {
            out.println("demo: using the local master key from " + LocalMasterKey.ENVIRONMENT_VARIABLE);
            return LocalMasterKey.fromEnvironment().get();
        }
        out.println("demo: generated a throw-away local master key for this run (set " + LocalMasterKey.ENVIRONMENT_VARIABLE +
            " to use your own); keys in " + directory + " are stored under it");
        return LocalMasterKey.generateHex(new SecureRandom());
    }

    private void progress(final DemoTraffic traffic, final long started, final long[] lastReceived)
    {
        final long received = traffic.received();
        final Histogram interval = traffic.intervalLatency();
        final long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        final String line = String.format("t=%3ds  tps=%,7d  answered=%,9d  approved=%,9d  declined: 51=%,d 41/43=%,d 62=%,d 58=%,d 13=%,d 55=%,d  p99=%.2fms",
            seconds, received - lastReceived[0], received, traffic.count(ResponseCode.APPROVED),
            traffic.count(ResponseCode.INSUFFICIENT_FUNDS), traffic.count(ResponseCode.LOST_CARD) + traffic.count(ResponseCode.STOLEN_CARD),
            traffic.count(ResponseCode.RESTRICTED_CARD), traffic.count(ResponseCode.NOT_PERMITTED_ON_TERMINAL),
            traffic.count(ResponseCode.INVALID_AMOUNT), traffic.count(ResponseCode.WRONG_PIN),
            interval.getTotalCount() == 0 ? 0.0 : interval.getValueAtPercentile(99) / 1000.0);
        lastReceived[0] = received;
        if (interactive)
        {
            out.print("\r" + line);
            out.flush();
        }
        else
        {
            out.println(line);
        }
    }

    private int summary(final DemoTraffic traffic, final UnicardSwitch unicard, final long started, final int startDay)
    {
        final double seconds = (System.nanoTime() - started) / 1e9;
        final Histogram latency = traffic.totalLatency();
        out.println("demo: summary");
        out.printf("  requests sent %,d, answered %,d in %.1f s (%,.0f per second)%n",
            traffic.sent(), traffic.received(), seconds, traffic.received() / seconds);
        out.printf("  latency µs: p50 %,d  p99 %,d  p99.9 %,d  max %,d%n", latency.getValueAtPercentile(50),
            latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue());
        out.print("  answers by code:");
        for (final int code : ResponseCode.ALL)
        {
            final long count = traffic.count(code);
            if (count > 0)
            {
                out.printf(" %s=%,d", ResponseCode.text(code), count);
            }
        }
        out.println();
        out.printf("  retransmissions answered with the original code: %,d (differently: %,d)%n",
            traffic.retransmissionsAnsweredAlike.get(), traffic.retransmissionsAnsweredDifferently.get());
        out.printf("  journal: %,d records in %s%n", unicard.journal().appended(), unicard.journalDirectory());

        final int today = CairoCalendar.instance().dayNumber(System.currentTimeMillis());
        if (today != startDay)
        {
            out.println("  accounting check skipped: the run crossed Cairo midnight");
            return traffic.retransmissionsAnsweredDifferently.get() == 0 ? 0 : 1;
        }
        final HouseholdTable households = unicard.households();
        final long loaves = DemoTraffic.loavesTakenToday(households, today);
        final long rationSpent = rationSpentThisMonth(households, unicard.authorizer().rules(), CairoCalendar.monthOfDay(today));
        final boolean loavesMatch = loaves == traffic.approvedLoaves.get();
        final boolean rationMatches = rationSpent == traffic.approvedRationPiasters.get();
        out.printf("  bread: %,d loaves approved to terminals, %,d taken in the switch's state: %s%n",
            traffic.approvedLoaves.get(), loaves, loavesMatch ? "match" : "MISMATCH");
        out.printf("  ration: %,d piasters approved net of reversals and returns, %,d spent in the switch's state: %s%n",
            traffic.approvedRationPiasters.get(), rationSpent, rationMatches ? "match" : "MISMATCH");
        final boolean ok = loavesMatch && rationMatches && traffic.retransmissionsAnsweredDifferently.get() == 0 &&
            traffic.received() == traffic.sent();
        out.println(ok ? "demo: every loaf and piaster accounted for" : "demo: FAILED: see above");
        return ok ? 0 : 1;
    }

    private static long rationSpentThisMonth(final HouseholdTable households, final ProgramRules rules, final int month)
    {
        long spent = 0;
        for (int h = 0; h < households.size(); h++)
        {
            if (households.rationMonth(h) == month)
            {
                // The demo's journal is new, so last month earns no bread points: this month's credit is the plain allowance.
                spent += rules.monthlyRationPiasters(households.rationIndividuals(h)) - households.rationBalancePiasters(h);
            }
        }
        return spent;
    }

    static void emptyDirectory(final Path directory) throws IOException
    {
        final Path journal = directory.resolve("journal");
        if (Files.isDirectory(journal))
        {
            // A switch (another demo's) still writing this journal keeps its lock: stop before deleting its files.
            JournalLock.acquire(journal).close();
        }
        if (Files.exists(directory))
        {
            try (Stream<Path> paths = Files.walk(directory))
            {
                paths.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(directory)).forEach(path ->
                {
                    try
                    {
                        Files.delete(path);
                    }
                    catch (final IOException ex)
                    {
                        throw new IllegalStateException("cannot empty " + directory + ": " + ex.getMessage(), ex);
                    }
                });
            }
        }
        Files.createDirectories(directory);
    }
}
