package org.unicard.benchmarks.replay;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.unicard.authorizer.Authorizer;
import org.unicard.cli.DataSetOptions;
import org.unicard.context.SwitchContext;
import org.unicard.http.CardHistory;
import org.unicard.journal.JournalLookup;
import org.unicard.state.CardTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard card-history}: a measuring tool for the console's transaction history. Recovers
 * the state as {@code serve} does (which rebuilds every card's history chain and the record
 * positions by replay), then walks the chains of randomly chosen cards that have at least
 * {@code --limit} records, with the same {@link CardHistory} and journal lookup the operator API
 * uses, and prints the walk times (median, p99, max) of a first pass and of a second pass over the
 * same cards (the second reads pages the first brought into memory: the first pass is the honest
 * figure for a cold card), then a baseline (pass 0: as many consecutive records read with the same
 * lookup) and the walks' CPU time (apart from waiting for a loaded processor).
 */
@Command(name = "card-history", mixinStandardHelpOptions = true,
    description = "Measuring tool: time walks of card histories (the console's transactions route) on a journal.")
public final class CardHistoryCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private DataSetOptions dataSet;

    @Option(names = "--cards", paramLabel = "N", description = "Cards to walk (default 200).")
    private int cards = 200;

    @Option(names = "--limit", paramLabel = "N", description = "Records per walk (default 50).")
    private int limit = 50;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default 1).")
    private long seed = 1;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final SwitchContext context = dataSet.context().conclude();
        final long loadStart = System.nanoTime();
        final SwitchContext.Recovery recovery = ToolRecovery.recover(context, "card-history", spec.commandLine().getErr());
        if (recovery == null)
        {
            return 1;
        }
        try (recovery; JournalLookup lookup = recovery.journal().lookup(recovery.state().authorizer().positions()))
        {
            final Authorizer authorizer = recovery.state().authorizer();
            final CardTable table = recovery.state().data().cards();
            out.println("event=recovered from=" + recovery.from() + " records=" + recovery.state().position().records +
                " sequence=" + authorizer.sequence() + " cards=" + table.size() + " ms=" + (System.nanoTime() - loadStart) / 1_000_000);
            final CardHistory history = new CardHistory(lookup, lookup::release);
            // Pass 1 walks random cards, none read before, keeping those with a full chain of --limit records;
            // pass 2 walks the same cards again (their records now in memory).
            final SplittableRandom random = new SplittableRandom(seed);
            final int[] chosen = new int[cards];
            final long[] first = new long[cards];
            int found = 0;
            long spanSum = 0;
            for (int tries = 0; found < cards && tries < cards * 1_000; tries++)
            {
                final int card = random.nextInt(table.size());
                final long head = table.lastSequence(card);
                final long start = System.nanoTime();
                final CardHistory.Walk walk = history.walk(head, card, limit);
                final long ns = System.nanoTime() - start;
                if (walk.entries().size() == limit)
                {
                    chosen[found] = card;
                    first[found++] = ns;
                    spanSum += head - walk.entries().getLast().outcome().sequence;
                }
            }
            report(out, 1, Arrays.copyOf(first, found), spanSum / Math.max(1, found));
            final long[] second = new long[found];
            for (int i = 0; i < found; i++)
            {
                final long start = System.nanoTime();
                history.walk(table.lastSequence(chosen[i]), chosen[i], limit);
                second[i] = System.nanoTime() - start;
            }
            report(out, 2, second, spanSum / Math.max(1, found));
            // Baseline in the same run: the same number of records per card, read with the same lookup but
            // consecutive (the 50 records before each card's head), so the ratio shows what the chain's
            // random places in the journal cost over reading near one place.
            final long[] baseline = new long[found];
            final long[] cpu = new long[found];
            final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            final org.unicard.authorizer.AuthRequest request = new org.unicard.authorizer.AuthRequest();
            final org.unicard.authorizer.AuthOutcome outcome = new org.unicard.authorizer.AuthOutcome();
            for (int i = 0; i < found; i++)
            {
                final long head = table.lastSequence(chosen[i]);
                final long start = System.nanoTime();
                for (long sequence = head; sequence > head - limit && sequence > 0; sequence--)
                {
                    lookup.read(sequence, request, outcome);
                }
                baseline[i] = System.nanoTime() - start;
            }
            report(out, 0, baseline, limit);
            // CPU time of walks of the chosen cards (a third time): the work itself, apart from waiting for the
            // processor on a loaded machine.
            for (int i = 0; i < found; i++)
            {
                final long start = threads.getCurrentThreadCpuTime();
                history.walk(table.lastSequence(chosen[i]), chosen[i], limit);
                cpu[i] = threads.getCurrentThreadCpuTime() - start;
            }
            Arrays.sort(cpu);
            out.printf("event=walked-cpu cards=%d limit=%d median-cpu-ms=%.3f p99-cpu-ms=%.3f%n", found, limit, cpu[found / 2] / 1e6,
                cpu[(int)Math.min(found - 1, Math.ceil(found * 0.99) - 1)] / 1e6);
            out.printf("event=load-average %.2f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            return 0;
        }
    }

    private void report(final PrintWriter out, final int pass, final long[] ns, final long meanSpan)
    {
        Arrays.sort(ns);
        if (ns.length == 0)
        {
            out.println("event=walked pass=" + pass + " cards=0 (no card has " + limit + " records)");
            return;
        }
        out.printf("event=walked pass=%d cards=%d limit=%d median-ms=%.3f p99-ms=%.3f max-ms=%.3f mean-span-records=%d%n",
            pass, ns.length, limit, ns[ns.length / 2] / 1e6, ns[(int)Math.min(ns.length - 1, Math.ceil(ns.length * 0.99) - 1)] / 1e6,
            ns[ns.length - 1] / 1e6, meanSpan);
    }
}
