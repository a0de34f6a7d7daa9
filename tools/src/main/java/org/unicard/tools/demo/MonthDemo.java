package org.unicard.tools.demo;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.unicard.authorizer.ResponseCode;
import org.unicard.changes.ChangesClient;
import org.unicard.context.SwitchContext;
import org.unicard.generate.DataSetGenerator;
import org.unicard.generate.GenerationSummary;
import org.unicard.importer.DataSetImporter;
import org.unicard.journal.ChronicleJournal;
import org.unicard.notify.Notifier;
import org.unicard.security.KeyCipher;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.PinVerificationValue;
import org.unicard.security.TdesKey;
import org.unicard.server.SwitchOptions;
import org.unicard.server.UnicardSwitch;
import org.unicard.settlement.SettlementLine;
import org.unicard.settlement.SettlementReport;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;
import org.unicard.time.CairoCalendar;
import org.unicard.tools.gateway.GatewaySimulator;

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
        CODE_MEANING[ResponseCode.RESTRICTED_CARD] = "replaced card";
    }

    /** Balance inquiries sent at go-live, with the clock held, before the month starts. */
    static final int WARM_UP_INQUIRIES = 20_000;

    /** How long the summary waits for the notifier to send the last day's digests and the statements. */
    static final long NOTIFIER_WAIT_MS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final PrintStream out;
    private long unsentReported;
    private TdesKey lmk;
    private MonthStory story;
    private MonthTraffic traffic;
    private ChangesClient changes;
    /** What the story's change batches did: replacement cards issued, first used, old cards answered 62; bakery sales. */
    private int replacementsIssued;
    private int replacementDayPosted = Integer.MIN_VALUE;
    private boolean notifierCaughtUp;

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
        lmk = LocalMasterKey.parse(lmkHex, "the demo's key");
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
        story = new MonthStory(data, model, options.seed(), firstDay, options.days());
        List<MonthStory.Visit> nextVisits = story.visits(firstDay);
        final String apiToken = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        final Instant goLive = Instant.ofEpochMilli(MonthTraffic.dayStartMs(firstDay));
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        traffic = new MonthTraffic(data, model, options.seed(), firstDay, options.days());
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final List<String> problems = new ArrayList<>();
        final long[] realMsByDay = new long[options.days()];
        int exitCode;
        UnicardSwitch unicard = null;
        // The citizens' SMS gateway (spec §14): the simulator on loopback, any free port.
        final GatewaySimulator gateway = new GatewaySimulator(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
        try
        {
            // The clock stays at 1 November 00:00 until the terminals have signed on and a few balance inquiries (which
            // move nothing) have warmed the code: at full rate a second of that would be half a day.
            unicard = UnicardSwitch.start(switchContext(directory, goLive, lmkHex, apiToken, rate).notifyUrl(gateway.url()).holdClock(true),
                UnicardSwitch.StartListener.NONE);
            changes = new ChangesClient("http://127.0.0.1:" + unicard.httpPort(), apiToken);
            traffic.connect(group, unicard.terminalPort(), unicard.clock(), true);
            traffic.playDay(firstDay, story.warmUp(WARM_UP_INQUIRIES), List.of(), event -> { });
            traffic.warm(false);
            unicard.clock().run();
            out.printf("demo: the switch went live at %s 00:00 Cairo time; %d terminals signed on and %,d balance inquiries warmed " +
                "it up with the clock held; now its clock runs %,d times faster than real time, a day every %.1f s (%d days in " +
                "about %d s); %d families' lost cards will be reported, %d replaced by change batches, and %d bakery will open; " +
                "citizen messages go to the gateway simulator at %s%n", options.start(), traffic.connections(), WARM_UP_INQUIRIES,
                rate, 86_400.0 / rate, options.days(), options.seconds(), count(StoryEvent.LostCardReported.class),
                count(StoryEvent.ReplacementCardIssued.class), count(StoryEvent.BakeryOpened.class), gateway.url());
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
            traffic.endOfRun();
            traffic.awaitAnswers(10_000);
            final double seconds = (System.nanoTime() - started) / 1e9;
            notifierCaughtUp = awaitNotifier(unicard, gateway, lastDay);
            exitCode = summary(traffic, model, story, unicard, data, problems, seconds, gateway);
            final Path report = directory.resolve("report.html");
            DemoReport.write(report, options, traffic, planned, seconds, unicard.clock().waitedAtLimitNs() / 1e9, generated,
                gateway.byKind(), gateway.samples());
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
            gateway.close();
        }
        return exitCode;
    }

    private long count(final Class<? extends StoryEvent> type)
    {
        return story.events().stream().filter(type::isInstance).count();
    }

    /**
     * Waits (at most {@link #NOTIFIER_WAIT_MS}) until the business clock has closed the run's last day and the notifier
     * has read the whole journal and delivered every event it made: the last day's bread digests and the month's
     * statements are then at the gateway.
     *
     * @return whether it caught up in time.
     */
    private boolean awaitNotifier(final UnicardSwitch unicard, final GatewaySimulator gateway, final int lastDay) throws InterruptedException
    {
        final Notifier notifier = unicard.notifier();
        if (notifier == null)
        {
            return false;
        }
        final long deadline = System.nanoTime() + NOTIFIER_WAIT_MS * 1_000_000L;
        final long dayClosedMs = MonthTraffic.dayStartMs(lastDay + 1) + 3_600_000L;
        long lastDelivered = -1;
        int stable = 0;
        while (System.nanoTime() - deadline < 0)
        {
            final long delivered = notifier.counters().delivered.get();
            final boolean idle = notifier.counters().lagRecords.get() == 0 && unicard.clock().nowMs() >= dayClosedMs &&
                notifier.counters().generated.get() == delivered && gateway.accepted() + gateway.duplicates() >= delivered;
            stable = idle && delivered == lastDelivered ? stable + 1 : 0;
            if (stable >= 5)
            {
                return true;
            }
            lastDelivered = delivered;
            Thread.sleep(100);
        }
        return false;
    }

    /** The citizen messages the gateway accepted, by kind, with one sample of each in Arabic and English. */
    private void messages(final GatewaySimulator gateway, final Notifier notifier, final boolean caughtUp)
    {
        final Map<String, Long> byKind = gateway.byKind();
        final Map<String, JsonNode> samples = gateway.samples();
        out.printf("  citizen messages (spec §14): %,d accepted by the gateway simulator%n", gateway.accepted());
        if (notifier != null)
        {
            out.printf("    the notifier made %,d, delivered %,d; %,d not made: no mobile number on the card or its household's head%s%n",
                notifier.counters().generated.get(), notifier.counters().delivered.get(), notifier.counters().droppedNoMobile.get(),
                caughtUp ? "" : String.format(" (note: it had not caught up after %d s; later messages are not counted)",
                    NOTIFIER_WAIT_MS / 1000));
        }
        for (final Map.Entry<String, Long> kind : byKind.entrySet())
        {
            out.printf("    %-18s %,9d%n", kind.getKey(), kind.getValue());
        }
        for (final Map.Entry<String, JsonNode> sample : samples.entrySet())
        {
            out.printf("    %s, e.g.:%n      en: %s%n      ar: %s%n", sample.getKey(), sample.getValue().path("text_en").asText(),
                sample.getValue().path("text_ar").asText());
        }
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
        if (event instanceof StoryEvent.ReplacementCardIssued replacement)
        {
            replace(replacement, model, data, problems);
        }
        else if (event instanceof StoryEvent.BakeryOpened bakery)
        {
            openBakery(bakery, data, problems);
        }
        else if (event instanceof StoryEvent.LostCardReported lost)
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

    /**
     * Issues the day's replacements of lost cards through {@code POST /api/changes} (spec §12), one batch for the day at
     * its first replacement event (the later ones of the day find theirs done) and, once the switch has accepted it, adds
     * them to the demo's copy of the card table and tells the model and the story.
     */
    private void replace(final StoryEvent.ReplacementCardIssued first, final MonthModel model, final DataSet data,
        final List<String> problems)
    {
        if (first.day() == replacementDayPosted)
        {
            return;
        }
        replacementDayPosted = first.day();
        final List<StoryEvent.ReplacementCardIssued> today = story.events().stream()
            .filter(event -> event instanceof StoryEvent.ReplacementCardIssued && event.day() == first.day())
            .map(event -> (StoryEvent.ReplacementCardIssued)event).toList();
        final StringBuilder batch = new StringBuilder();
        final int[] pvvs = new int[today.size()];
        for (int i = 0; i < today.size(); i++)
        {
            pvvs[i] = replacementLine(today.get(i), data, batch);
        }
        if (post("demo-replacements-" + LocalDate.ofEpochDay(first.day()), batch.toString(), problems))
        {
            final CardTable cards = data.cards();
            for (int i = 0; i < today.size(); i++)
            {
                final StoryEvent.ReplacementCardIssued event = today.get(i);
                final int old = event.oldCard();
                final int card = cards.add(event.newPan(), cards.nationalId(old), event.household(), cards.hasFlag(old, CardTable.FLAG_HEAD),
                    CardStatus.COLLECTED, event.day(), cards.expiryYyMm(old), pvvs[i], cards.programs(old), 0,
                    cards.hasFlag(old, CardTable.FLAG_HEALTH_EXEMPT));
                cards.replacesCard(card, old);
                cards.mobile(card, cards.mobile(old));
                model.issueReplacement(card, old);
                story.replacementIssued(event.household(), card, event.day());
                replacementsIssued++;
            }
        }
    }

    /**
     * Appends the {@code card} line of a replacement: a new PAN with the PVV of its PIN, everything else the lost card's.
     *
     * @return the PVV.
     */
    private int replacementLine(final StoryEvent.ReplacementCardIssued event, final DataSet data, final StringBuilder batch)
    {
        final CardTable cards = data.cards();
        final int old = event.oldCard();
        final long pan = event.newPan();
        final int pvv = PinVerificationValue.compute(TdesKey.of(data.pinVerificationKey()), pan, 16, 1,
            DataSetGenerator.syntheticPin(options.seed(), pan), 4);
        final long mobile = cards.mobile(old);
        final ObjectNode line = JSON.createObjectNode()
            .put("op", "card")
            .put("pan", Long.toString(pan))
            .put("national_id", Long.toString(cards.nationalId(old)))
            .put("household_id", Long.toString(data.households().householdId(event.household())))
            .put("role", cards.hasFlag(old, CardTable.FLAG_HEAD) ? "head" : "member")
            .put("status", "collected")
            .put("issued_on", LocalDate.ofEpochDay(event.day()).toString())
            .put("expiry", String.format("%04d", cards.expiryYyMm(old)))
            .put("pvv", String.format("%04d", pvv))
            .put("programs", Program.names(cards.programs(old)))
            .put("health_exempt", cards.hasFlag(old, CardTable.FLAG_HEALTH_EXEMPT))
            .put("replaces_pan", Long.toString(cards.pan(old)))
            .put("mobile", mobile == 0 ? "" : "0" + mobile)
            .put("wallet_piasters", 0);
        batch.append(line).append('\n');
        return pvv;
    }

    /**
     * Opens the new bakery through {@code POST /api/changes} (a {@code terminal} line, its keys under the demo's LMK as
     * the generator writes them) and, once accepted, adds it to the demo's copy, connects its terminal and tells the story.
     */
    private void openBakery(final StoryEvent.BakeryOpened event, final DataSet data, final List<String> problems)
    {
        final java.util.SplittableRandom keys = new java.util.SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + event.day());
        final byte[] pinKey = KeyCipher.generateKey(keys);
        final byte[] macKey = KeyCipher.generateKey(keys);
        final String name = "مخبز الافتتاح " + event.terminalId().substring(1);
        final ObjectNode line = JSON.createObjectNode()
            .put("op", "terminal")
            .put("terminal_id", event.terminalId())
            .put("merchant_id", event.merchantId())
            .put("type", "bakery")
            .put("governorate", String.format("%02d", event.governorate()))
            .put("name", name)
            .put("tpk_under_lmk", KeyCipher.encryptUnderLmkHex(lmk, pinKey))
            .put("tak_under_lmk", KeyCipher.encryptUnderLmkHex(lmk, macKey))
            .put("status", "active");
        if (post("demo-bakery-" + event.terminalId(), line + "\n", problems))
        {
            final int terminal = data.terminals().add(event.terminalId(), event.merchantId(), TerminalType.BAKERY, event.governorate(), name,
                pinKey, macKey, true);
            try
            {
                traffic.connectTerminal(terminal);
                story.bakeryOpened(terminal, event.day());
            }
            catch (final Exception ex)
            {
                problems.add("connecting the new bakery " + event.terminalId() + " failed: " + ex);
            }
        }
    }

    private boolean post(final String batch, final String lines, final List<String> problems)
    {
        try
        {
            final ChangesClient.Answer answer = changes.post(lines.getBytes(java.nio.charset.StandardCharsets.UTF_8), batch);
            if (answer.applied())
            {
                return true;
            }
            problems.add("change batch " + batch + " answered HTTP " + answer.status() + ": " + answer.body());
        }
        catch (final Exception ex)
        {
            problems.add("change batch " + batch + " failed: " + ex);
        }
        return false;
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
        final DataSet data, final List<String> problems, final double seconds, final GatewaySimulator gateway)
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
        if (unicard.clock().limitsReached() > 0)
        {
            out.printf("  note: this machine fell behind the business clock; the clock waited for the visits %,d times, %.1f s in all, " +
                "so the month took longer than --seconds %d instead of skipping visits%n", unicard.clock().limitsReached(),
                unicard.clock().waitedAtLimitNs() / 1e9, options.seconds());
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
        storyChanges(model, data);
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
        messages(gateway, unicard.notifier(), notifierCaughtUp);
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

    /** What the story's change batches (spec §12) did, in the demo's own count (every answer was checked against it). */
    private void storyChanges(final MonthModel model, final DataSet data)
    {
        int superseded = 0;
        for (int h = 0; h < data.households().size(); h++)
        {
            final int card = story.replacementCard(h);
            if (card >= 0 && model.superseded(data.cards().replacesCard(card)))
            {
                superseded++;
            }
        }
        out.printf("  change batches (spec §12): %d replacement cards issued after a lost-card block, %d of them used, superseding the " +
            "old card (62 from then on)%n", replacementsIssued, superseded);
        final int bakery = story.newBakery();
        if (bakery >= 0)
        {
            out.printf("  the new bakery %s (%s) opened: %,d loaves sold in %,d purchases%n",
                TerminalTable.unpackTerminalId(data.terminals().terminalId[bakery]).trim(), data.terminals().name[bakery],
                model.terminalTotal(bakery, 0), model.terminalCount(bakery, 0));
        }
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
