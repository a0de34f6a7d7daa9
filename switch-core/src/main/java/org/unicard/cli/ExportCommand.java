package org.unicard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.unicard.context.SwitchContext;
import org.unicard.export.DataSetExporter;
import org.unicard.snapshot.StateRecovery;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard export --data DIR [--journal DIR] --out NEWDIR}: recovers the switch's state as
 * {@code snapshot} does (newest fitting snapshot or import, then the journal, read-only, so it may run
 * beside the switch) and writes its current master data as a §10 data set in NEWDIR, with progress.
 * The month-boundary procedure is in docs/operations.md.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write the switch's current master data (changes applied, statuses, wallet balances) as a new data set.")
public final class ExportCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private DataSetOptions dataSet;

    @Option(names = "--out", required = true, paramLabel = "NEWDIR", description = "A new (or empty) directory for the data set.")
    private Path out;

    @Override
    public Integer call()
    {
        final PrintWriter err = spec.commandLine().getErr();
        try
        {
            final SwitchContext context = dataSet.context().conclude();
            context.checkHeap(Runtime.getRuntime().maxMemory());
            final ProgressReporter progress = ProgressReporter.forConsole(err);
            try (SwitchContext.Recovery recovery = context.recover(SwitchContext.JournalAccess.READ_ONLY, new RecoveryProgress(progress)))
            {
                final StateRecovery.Recovered state = recovery.state();
                final long total = (long)state.data().households().size() + state.data().cards().size() + state.data().terminals().size() +
                    state.data().acquirers().size();
                final long started = System.nanoTime();
                final DataSetExporter.Summary summary = DataSetExporter.export(state.data(), state.authorizer(), context.localMasterKey(), out,
                    rows -> progress.update("export", "rows", rows, total));
                progress.finish("export", "rows", total, total);
                spec.commandLine().getOut().printf("event=exported out=%s households=%d cards=%d terminals=%d acquirers=%d " +
                        "journal-records=%d cash-not-carried-piasters=%d (listed in %s) ms=%d%n", out, summary.households(), summary.cards(),
                    summary.terminals(), summary.acquirers(), state.position().records, summary.cashNotCarriedPiasters(),
                    DataSetExporter.NOT_CARRIED, (System.nanoTime() - started) / 1_000_000);
                spec.commandLine().getOut().flush();
                return 0;
            }
        }
        catch (final Exception ex)
        {
            err.println("unicard export: " + ex.getMessage());
            return 1;
        }
    }
}
