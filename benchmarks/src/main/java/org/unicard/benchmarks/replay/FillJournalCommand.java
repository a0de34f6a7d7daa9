package org.unicard.benchmarks.replay;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.cli.DataSetOptions;
import org.unicard.context.SwitchContext;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
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

    @CommandLine.Mixin
    private DataSetOptions dataSet;

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
        final SwitchContext context = dataSet.context().conclude();
        final long loadStart = System.nanoTime();
        final SwitchContext.Recovery recovery = ToolRecovery.recover(context, "fill-journal", spec.commandLine().getErr());
        if (recovery == null)
        {
            return 1;
        }
        try (recovery)
        {
            final StateRecovery.Recovered recovered = recovery.state();
            final ChronicleJournal opened = recovery.journal();
            out.println("event=recovered from=" + recovery.from() + " records=" +
                recovered.position().records + " ms=" + (System.nanoTime() - loadStart) / 1_000_000);
            final Authorizer authorizer = recovered.authorizer();
            recovery.bootstrap(() -> Instant.parse(genesis).toEpochMilli());
            final JournalRecord record = new JournalRecord();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
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
