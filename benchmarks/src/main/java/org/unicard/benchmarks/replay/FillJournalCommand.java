package org.unicard.benchmarks.replay;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.config.ProgramRules;
import org.unicard.config.Settings;
import org.unicard.config.SwitchSettings;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalLockedException;
import org.unicard.journal.JournalRecord;
import org.unicard.recovery.JournalReplayer;
import org.unicard.security.TdesKey;
import org.unicard.server.UnicardSwitch;
import org.unicard.snapshot.SnapshotSettings;
import org.unicard.snapshot.StateRecovery;
import org.unicard.tools.traffic.SyntheticTraffic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard fill-journal}: a measuring tool. Recovers the state as {@code serve} would
 * (snapshot + tail, or import + replay), then decides N synthetic requests ({@link SyntheticTraffic})
 * with the real authorizer and appends each to the journal exactly as the journal stage does, so
 * that a later {@code unicard snapshot} or {@code serve} times the replay of a realistic journal.
 * It lives in the benchmarks jar, not in the production command line: it writes journals for
 * measuring only. It takes the journal's writer lock like any writer, so it refuses a journal a
 * switch is using.
 */
@Command(name = "fill-journal", mixinStandardHelpOptions = true,
    description = "Measuring tool: append N synthetic requests, decided by the real authorizer, to a journal.")
public final class FillJournalCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data directory.")
    private Path data;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default DATA/journal).")
    private Path journal;

    @Option(names = "--snapshots", paramLabel = "DIR", description = "Snapshot directory (default DATA/snapshots).")
    private Path snapshots;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration overriding config/unicard.properties.")
    private Path config;

    @Option(names = "--requests", required = true, paramLabel = "N", description = "Requests to append.")
    private long requests;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default 1).")
    private long seed = 1;

    @Option(names = "--step-ms", paramLabel = "MS", description = "Business time between two requests (default 10).")
    private long stepMs = 10;

    @Option(names = "--genesis", paramLabel = "INSTANT", description = "Business time of GENESIS when the journal has none (default 2026-11-01T06:00:00Z).")
    private String genesis = "2026-11-01T06:00:00Z";

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Properties properties = Settings.load(config);
        final String source = config == null ? "defaults" : config.toString();
        final ProgramRules rules = ProgramRules.from(properties, source);
        final SwitchSettings settings = SwitchSettings.from(properties, source);
        final TdesKey lmk = UnicardSwitch.localMasterKey(null, settings);
        final Path snapshotDirectory = snapshots != null ? snapshots : SnapshotSettings.from(properties, source).directoryFor(data);
        final ChronicleJournal opened;
        try
        {
            opened = ChronicleJournal.open(journal != null ? journal : data.resolve("journal"));
        }
        catch (final JournalLockedException ex)
        {
            spec.commandLine().getErr().println("unicard fill-journal: " + ex.getMessage());
            return 1;
        }
        try (opened)
        {
            final long loadStart = System.nanoTime();
            final StateRecovery.Recovered recovered = StateRecovery.recover(
                new StateRecovery.Inputs(data, lmk, rules, settings.duplicateWindowCapacity(), settings.spendLedgerCapacity(), snapshotDirectory),
                opened, JournalReplayer.TO_END, StateRecovery.Listener.NONE);
            out.println("event=recovered from=" + (recovered.snapshot() != null ? recovered.snapshot() : "import") + " records=" +
                recovered.position().records + " ms=" + (System.nanoTime() - loadStart) / 1_000_000);
            final Authorizer authorizer = recovered.authorizer();
            final JournalRecord record = new JournalRecord();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
            if (!authorizer.hasGenesis())
            {
                final long genesisMs = Instant.parse(genesis).toEpochMilli();
                opened.append(buffer, record.encodeGenesis(buffer, genesisMs, recovered.data().fingerprint()));
                authorizer.genesis(genesisMs);
            }
            if (!authorizer.rulesJournaled() || !authorizer.rules().equals(rules))
            {
                opened.append(buffer, record.encodeRules(buffer, rules));
                authorizer.rules(rules);
            }
            final SyntheticTraffic traffic = new SyntheticTraffic(recovered.data(), seed, authorizer.lastTimeMs(), stepMs);
            final AuthRequest request = new AuthRequest();
            final AuthOutcome outcome = new AuthOutcome();
            final long[] codes = new long[100];
            final long start = System.nanoTime();
            for (long i = 0; i < requests; i++)
            {
                traffic.next(request);
                authorizer.authorize(request, outcome);
                opened.append(buffer, record.encodeRequest(buffer, request, outcome));
                codes[outcome.responseCode]++;
            }
            final long ns = System.nanoTime() - start;
            final StringBuilder mix = new StringBuilder();
            for (int code = 0; code < codes.length; code++)
            {
                if (codes[code] > 0)
                {
                    mix.append(mix.isEmpty() ? "" : ",").append(String.format("%02d", code)).append('=').append(codes[code]);
                }
            }
            out.println("event=filled requests=" + requests + " ms=" + ns / 1_000_000 + " per-second=" + (long)(requests * 1e9 / Math.max(1, ns)) +
                " codes=" + mix + " sequence=" + authorizer.sequence() + " window-entries=" + authorizer.window().size() +
                " window-overflow-evictions=" + authorizer.window().overflowEvictions());
            return 0;
        }
    }
}
