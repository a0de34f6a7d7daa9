package org.unicard.tools.demo;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.HdrHistogram.Histogram;
import org.unicard.authorizer.ResponseCode;
import org.unicard.context.SwitchContext;
import org.unicard.generate.DataSetGenerator;
import org.unicard.generate.GenerationSummary;
import org.unicard.importer.DataSetImporter;
import org.unicard.journal.ChronicleJournal;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.server.SwitchOptions;
import org.unicard.server.UnicardSwitch;
import org.unicard.settlement.SettlementLine;
import org.unicard.settlement.SettlementReport;
import org.unicard.state.DataSet;
import org.unicard.state.TerminalTable;
import org.unicard.time.CairoCalendar;

/**
 * The default demo: a month of Port Said in about a minute. Generates the data set, starts the switch
 * with its business clock at the first simulated day and running {@code days × 86,400 / seconds}
 * times faster than real time, plays {@link MonthStory} over TCP ({@link MonthTraffic}), checking every
 * answer against {@link MonthModel}, prints a line per simulated day, and ends with the month per
 * program, the bread points credited across the month boundary, the settlement per terminal read from
 * the journal and the state of every household, all compared with the demo's own account; writes an
 * HTML report ({@link DemoReport}).
 *
 * @see StoryEvent the extension point for the story's later chapters
 */
final class MonthDemo
{
    /**
     * What to run.
     *
     * @param directory  where the data set, journal and report go (emptied first).
     * @param households data-set size.
     * @param seed       data-set and story seed.
     * @param start      the first simulated Cairo day.
     * @param days       simulated days, 1 to 62.
     * @param seconds    real seconds the days take.
     * @param configFile the switch's configuration, or {@code null} for the defaults (the rules the model
     *                   knows; tests give other rules to see the demo catch them).
     */
    record Options(Path directory, long households, long seed, LocalDate start, int days, int seconds, Path configFile)
    {
        Options
        {
            if (days < 1 || days > 62)
            {
                throw new IllegalArgumentException("days=" + days + " range=[1,62]");
            }
            if (seconds < 1 || seconds > 3_600)
            {
                throw new IllegalArgumentException("seconds=" + seconds + " range=[1,3600]");
            }
        }

        long clockRate()
        {
            return Math.max(1, days * 86_400L / seconds);
        }
    }

    private static final String[] CODE_MEANING = new String[100];

    static
    {
        CODE_MEANING[ResponseCode.INSUFFICIENT_FUNDS] = "over quota/balance";
        CODE_MEANING[ResponseCode.WRONG_PIN] = "wrong PIN";
        CODE_MEANING[ResponseCode.NOT_PERMITTED_ON_TERMINAL] = "wrong terminal";
        CODE_MEANING[ResponseCode.LOST_CARD] = "lost card";
        CODE_MEANING[ResponseCode.PIN_TRIES_EXCEEDED] = "PIN tries exceeded";
    }

    /** Balance inquiries sent at go-live, with the clock held, before the month starts. */
    static final int WARM_UP_INQUIRIES = 20_000;

    private final Options options;
    private final PrintStream out;
    private long unsentReported;

    MonthDemo(final Options options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
    }

    static String meaning(final int code)
    {
        return code >= 0 && code < 100 && CODE_MEANING[code] != null ? CODE_MEANING[code] : "code " + ResponseCode.text(code);
    }

    int run() throws Exception
    {
        final Path directory = options.directory();
        Demo.emptyDirectory(directory);
        final String lmkHex = Demo.localMasterKey(directory, out);
        final TdesKey lmk = LocalMasterKey.parse(lmkHex, "the demo's key");
        out.printf("demo: generating the Port Said pilot data set (%,d households) in %s%n", options.households(), directory);
        final GenerationSummary generated = DataSetGenerator.of(options.households(), options.seed()).generate(directory, lmk,
            (written, total) -> { });
        out.printf("demo: %,d households, %,d citizens, %,d cards, %,d bakeries, %,d grocers, %,d health units, %,d post offices%n",
            generated.households(), generated.citizens(), generated.cards(), generated.bakeries(), generated.grocers(),
            generated.healthProviders(), generated.postOffices());
        final DataSet data = DataSetImporter.load(directory, lmk);

        final int firstDay = (int)options.start().toEpochDay();
        final int lastDay = firstDay + options.days() - 1;
        final long rate = options.clockRate();
        // Everything that takes time is done before the switch starts: its clock then runs a day every few seconds.
        final MonthModel model = new MonthModel(data, firstDay);
        final MonthStory story = new MonthStory(data, model, options.seed(), firstDay, options.days());
        List<MonthStory.Visit> nextVisits = story.visits(firstDay);
        final String apiToken = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        final Instant goLive = Instant.ofEpochMilli(MonthTraffic.dayStartMs(firstDay));
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final MonthTraffic traffic = new MonthTraffic(data, model, options.seed(), firstDay, options.days());
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final List<String> problems = new ArrayList<>();
        final long[] realMsByDay = new long[options.days()];
        int exitCode;
        UnicardSwitch unicard = null;
        try
        {
            // The clock stays at 1 November 00:00 until the terminals have signed on and a few balance inquiries (which
            // move nothing) have warmed the code: at full rate a second of that would be half a day.
            unicard = UnicardSwitch.start(switchContext(directory, goLive, lmkHex, apiToken, rate).holdClock(true),
                UnicardSwitch.StartListener.NONE);
            traffic.connect(group, unicard.terminalPort(), unicard.clock(), true);
            traffic.playDay(firstDay, story.warmUp(WARM_UP_INQUIRIES), List.of(), event -> { });
            traffic.warm(false);
            unicard.clock().run();
            out.printf("demo: the switch went live at %s 00:00 Cairo time; %d terminals signed on and %,d balance inquiries warmed " +
                "it up with the clock held; now its clock runs %,d times faster than real time, a day every %.1f s (%d days in " +
                "about %d s); %d families' lost cards will be reported%n", options.start(), traffic.connections(), WARM_UP_INQUIRIES,
                rate, 86_400.0 / rate, options.days(), options.seconds(), story.events().size());
            if (unicard.authorizer().firstBusinessDay() != firstDay)
            {
                problems.add("the switch's first business day is " + LocalDate.ofEpochDay(unicard.authorizer().firstBusinessDay()) +
                    ", not " + options.start());
            }
            final UnicardSwitch running = unicard;
            long planned = 0;
            final long started = System.nanoTime();
            for (int day = firstDay; day <= lastDay; day++)
            {
                final long dayStarted = System.nanoTime();
                final List<MonthStory.Visit> visits = nextVisits;
                final int today = day;
                final List<StoryEvent> events = story.events().stream().filter(event -> event.day() == today).toList();
                traffic.playDay(day, visits, events, event -> report(http, running, apiToken, event, model, data, problems));
                realMsByDay[day - firstDay] = Math.max(1, (System.nanoTime() - dayStarted) / 1_000_000);
                progress(traffic, day, firstDay, realMsByDay[day - firstDay], visits.size());
                planned += visits.size();
                nextVisits = day < lastDay ? story.visits(day + 1) : List.of();
            }
            traffic.awaitAnswers(10_000);
            final double seconds = (System.nanoTime() - started) / 1e9;
            exitCode = summary(traffic, model, story, unicard, data, problems, seconds);
            final Path report = directory.resolve("report.html");
            DemoReport.write(report, options, traffic, planned, generated);
            out.println("demo: report written to " + report + " (one file, open it in any browser)");
        }
        finally
        {
            traffic.close();
            group.shutdownGracefully().syncUninterruptibly();
            if (unicard != null)
            {
                unicard.close();
            }
        }
        return exitCode;
    }

    /**
     * @param start the clock's start; a restart resumes from the journal's last business time when it is later.
     */
    private SwitchContext switchContext(final Path directory, final Instant start, final String lmkHex, final String apiToken,
        final long rate)
    {
        return new SwitchOptions(directory, directory.resolve("journal"), options.configFile(), 0, 0, 0, start, lmkHex, apiToken, null)
            .context()
            .clockRate(rate);
    }

    private void report(final HttpClient http, final UnicardSwitch unicard, final String token, final StoryEvent event, final MonthModel model,
        final DataSet data, final List<String> problems)
    {
        if (event instanceof StoryEvent.LostCardReported lost)
        {
            final long pan = data.cards().pan(lost.card());
            try
            {
                final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + unicard.httpPort() + "/api/cards/" + pan + "/block"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"lost\"}")).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200)
                {
                    model.blockLost(lost.card(), CairoCalendar.instance().dayNumber(unicard.clock().nowMs()));
                }
                else
                {
                    problems.add("blocking the lost card …" + pan % 10_000 + " answered HTTP " + answer.statusCode() + ": " + answer.body());
                }
            }
            catch (final Exception ex)
            {
                problems.add("blocking the lost card …" + pan % 10_000 + " failed: " + ex);
            }
        }
    }

    private void progress(final MonthTraffic traffic, final int day, final int firstDay, final long realMs, final int planned)
    {
        final long unsentBefore = unsentReported;
        unsentReported = traffic.unsent.get();
        final int index = day - firstDay;
        long requests = 0;
        for (int p = 0; p < MonthTraffic.PROGRAMS; p++)
        {
            requests += traffic.requests(index, p);
        }
        final long approved = traffic.codes(index, ResponseCode.APPROVED);
        final StringBuilder declines = new StringBuilder();
        for (int code = 1; code < 100; code++)
        {
            final long count = traffic.codes(index, code);
            if (count > 0)
            {
                declines.append(String.format(" %02d %s=%,d", code, meaning(code), count));
            }
        }
        final Histogram latency = traffic.intervalLatency();
        final LocalDate date = LocalDate.ofEpochDay(day);
        out.printf("%s %s  %,7.0f req/s  approved %,7d  declined%s  p99 %.1f ms%s%n", date,
            date.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH), requests * 1000.0 / realMs, approved,
            declines.isEmpty() ? " none" : declines, latency.getTotalCount() == 0 ? 0.0 : latency.getValueAtPercentile(99) / 1000.0,
            unsentReported == unsentBefore ? "" : String.format("  (%,d of %,d visits not sent: behind the clock)", unsentReported - unsentBefore,
                planned));
    }

    private int summary(final MonthTraffic traffic, final MonthModel model, final MonthStory story, final UnicardSwitch unicard,
        final DataSet data, final List<String> problems, final double seconds)
    {
        final Histogram latency = traffic.totalLatency();
        out.println("demo: summary");
        out.printf("  %,d requests in %.1f s (%,.0f per second), all answered: %s; latency p50 %.2f ms, p99 %.2f ms, max %.1f ms%n",
            traffic.sent(), seconds, traffic.received() / seconds, traffic.received() == traffic.sent() ? "yes" : "NO",
            latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
        final StringBuilder declines = new StringBuilder();
        for (int code = 1; code < 100; code++)
        {
            long count = 0;
            for (int d = 0; d <= story.days(); d++)
            {
                count += traffic.codes(d, code);
            }
            if (count > 0)
            {
                declines.append(String.format("  %02d %s %,d (%.2f‰)", code, meaning(code), count, count * 1000.0 / Math.max(1, traffic.received())));
            }
        }
        out.println("  declined, as the story provokes them:" + (declines.isEmpty() ? " none" : declines));
        if (traffic.received() != traffic.sent())
        {
            problems.add((traffic.sent() - traffic.received()) + " requests were never answered");
            problems.addAll(traffic.unanswered(5));
        }
        if (traffic.notDecided.get() > 0)
        {
            out.printf("  note: %,d requests were answered 91 (switch overloaded: not decided, nothing moved)%n", traffic.notDecided.get());
        }
        if (traffic.eventsSkipped.get() > 0)
        {
            out.printf("  note: %,d story events were not run: the machine was too far behind the clock%n", traffic.eventsSkipped.get());
        }
        if (traffic.unsent.get() > 0)
        {
            out.printf("  note: %,d visits were not sent: this machine fell behind the business clock (try --seconds %d)%n",
                traffic.unsent.get(), options.seconds() * 2);
        }
        final int firstMonth = model.firstMonth();
        final int lastMonth = CairoCalendar.monthOfDay(story.firstDay() + story.days() - 1);
        for (int month = firstMonth; month <= lastMonth; month++)
        {
            out.printf("  %s:%n", monthName(month));
            for (int p = 0; p < MonthTraffic.PROGRAMS; p++)
            {
                final String unit = p == 0 ? "loaves" : "EGP";
                final long units = model.programUnits(month, p);
                out.printf("    %-26s %14s %-6s  families served %,7d%n", MonthModel.PROGRAM_NAMES[p],
                    p == 0 ? String.format("%,d", units) : String.format("%,.2f", units / 100.0), unit, model.familiesServed(month, p));
            }
        }
        breadPoints(traffic, model, story, unicard, firstMonth, lastMonth);
        out.printf("  answers: %,d checked against the demo's model: %,d with another code, %,d balances (field 54) that differ%n",
            traffic.received(), traffic.codeMismatches.get(), traffic.balanceMismatches.get());
        if (traffic.codeMismatches.get() + traffic.balanceMismatches.get() + traffic.unreadable.get() > 0)
        {
            problems.add(traffic.codeMismatches.get() + " answers with another code than the demo's, " + traffic.balanceMismatches.get() +
                " balances that differ, " + traffic.unreadable.get() + " unreadable answers");
            problems.addAll(traffic.mismatches);
        }
        settlement(model, unicard, data, story, problems);
        final List<String> stateMismatches = new ArrayList<>();
        final int differing = model.compareHouseholds(unicard.households(), stateMismatches, 10);
        out.printf("  state: every household's ration credit, loaves today and this month and cash support in the switch: %s%n",
            differing == 0 ? "equal to the demo's" : differing + " households DIFFER");
        if (differing > 0)
        {
            problems.add(differing + " households' state differs from the demo's");
            problems.addAll(stateMismatches);
        }
        if (problems.isEmpty())
        {
            out.println("demo: every loaf and piaster accounted for");
            return 0;
        }
        out.println("demo: FAILED: these do not add up:");
        for (final String problem : problems)
        {
            out.println("  - " + problem);
        }
        return 1;
    }

    private void breadPoints(final MonthTraffic traffic, final MonthModel model, final MonthStory story, final UnicardSwitch unicard,
        final int firstMonth, final int lastMonth)
    {
        if (lastMonth == firstMonth)
        {
            out.println("  bread points: the run ends inside " + monthName(firstMonth) +
                "; run past the month's end (--days) to see them credited");
            return;
        }
        final int month = firstMonth;
        long families = 0;
        long piasters = 0;
        long loaves = 0;
        final int[] heads = story.headCards();
        for (int h = 0; h < heads.length; h++)
        {
            if (heads[h] >= 0)
            {
                final long points = model.breadPointsEarned(h, month);
                if (points > 0)
                {
                    families++;
                    piasters += points;
                    loaves += points / MonthModel.BREAD_POINT_PIASTERS_PER_LOAF;
                }
            }
        }
        out.printf("  bread points earned in %s (demo's count): %,d families left %,d loaves of their quota unused = %,.2f EGP for %s%n",
            monthName(month), families, loaves, piasters / 100.0, monthName(month + 1));
        out.printf("  credited by the switch on %s (field 54 of each family's first answer of the month): %,d families, %,d equal to the demo's%n",
            LocalDate.ofEpochDay(CairoCalendar.firstDayOfMonth(month + 1)), traffic.creditsChecked.get(), traffic.creditsMatched.get());
        int shown = 0;
        for (int h = 0; h < heads.length && shown < 3; h += 997)
        {
            if (heads[h] >= 0 && model.rationCredit(h, month + 1) >= 0 && model.breadPointsEarned(h, month) > 0)
            {
                final int quota = model.quotaLoaves(h);
                final int counted = model.daysCounted(month);
                out.printf("    family %d: %d loaves a day × %d days = %,d, took %,d → %,d unused × 10 = %,.2f EGP; %s ration %,.2f + %,.2f = %,.2f EGP%n",
                    unicard.households().householdId(h), quota, counted, (long)quota * counted, model.loavesInMonth(h, month),
                    model.breadPointsEarned(h, month) / 10, model.breadPointsEarned(h, month) / 100.0, monthName(month + 1),
                    model.rationAllowancePiasters(h) / 100.0, model.breadPointsCredited(h, month + 1) / 100.0,
                    model.rationCredit(h, month + 1) / 100.0);
                shown++;
            }
        }
    }

    private void settlement(final MonthModel model, final UnicardSwitch unicard, final DataSet data, final MonthStory story,
        final List<String> problems)
    {
        final SettlementReport report;
        // Read as the settlement command reads it: a reader of its own beside the switch.
        try (ChronicleJournal journal = ChronicleJournal.openReadOnly(unicard.journalDirectory()))
        {
            report = SettlementReport.of(journal, LocalDate.ofEpochDay(story.firstDay()), LocalDate.ofEpochDay(story.firstDay() + story.days()),
                records -> { });
        }
        final Map<String, long[]> expected = new HashMap<>();
        final TerminalTable terminals = data.terminals();
        for (int t = 0; t < terminals.size(); t++)
        {
            for (int p = 0; p < MonthTraffic.PROGRAMS; p++)
            {
                if (model.terminalCount(t, p) > 0)
                {
                    expected.put(TerminalTable.unpackTerminalId(terminals.terminalId[t]) + "|" + MonthModel.PROGRAM_ACCOUNTS[p],
                        new long[] {model.terminalCount(t, p), model.terminalTotal(t, p)});
                }
            }
        }
        int matching = 0;
        int differing = 0;
        final java.util.Set<String> terminalsSettled = new java.util.HashSet<>();
        for (final SettlementLine line : report.lines())
        {
            final long[] demo = expected.remove(line.terminalId() + "|" + line.account());
            terminalsSettled.add(line.terminalId());
            if (demo != null && demo[0] == line.purchases() && demo[1] == line.purchasesTotal() && line.returns() == 0 &&
                line.reversals() == 0)
            {
                matching++;
            }
            else
            {
                differing++;
                if (differing <= 5)
                {
                    problems.add("settlement of terminal " + line.terminalId() + " account " + line.account() + ": journal " +
                        line.purchases() + " purchases " + line.purchasesTotal() + ", demo " +
                        (demo == null ? "none" : demo[0] + " purchases " + demo[1]));
                }
            }
        }
        differing += expected.size();
        for (final String missing : expected.keySet().stream().limit(5).toList())
        {
            problems.add("settlement: the demo approved sales at " + missing + " that the journal does not settle");
        }
        out.printf("  settlement per terminal (read from the journal, %,d records): %,d terminals, %,d lines by program: %s%n",
            report.recordsRead(), terminalsSettled.size(), matching + differing,
            differing == 0 ? "every line equals the demo's sales" : differing + " lines DIFFER");
        if (differing > 0)
        {
            problems.add(differing + " settlement lines differ from the demo's sales");
        }
    }

    static String monthName(final int month)
    {
        final LocalDate first = LocalDate.ofEpochDay(CairoCalendar.firstDayOfMonth(month));
        return first.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + first.getYear();
    }
}
