package org.unicard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.unicard.generate.DataSetGenerator;
import org.unicard.generate.GenerationSummary;
import org.unicard.importer.Governorates;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard generate}: writes a synthetic data directory (spec §10, §11) with
 * {@link DataSetGenerator}. Exit 0 on success, 1 on an operating error (a directory that cannot be
 * written, a bad {@code UNICARD_LMK}), 2 on a usage error.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
        "Write a synthetic data set (households, cards, terminals, acquirers, keys), deterministic for a seed " +
            "and an LMK.",
        "",
        "Keys are written under the LMK in UNICARD_LMK (32 hex digits). Without it, a new LMK is made, printed on " +
            "stderr and written to <out>/lmk.hex.",
        "",
        "FOR DEMOS AND TESTS ONLY: lmk.hex holds the master key in clear, every key derives from the seed and the " +
            "LMK, and every PIN from the seed and the PAN."})
public final class GenerateCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--households", paramLabel = "N", defaultValue = "42000",
        description = "Households to generate, 1 to 100000000 (default: ${DEFAULT-VALUE}, the Port Said pilot).")
    private long households;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write the data set to.")
    private Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--governorate", paramLabel = "CODE",
        description = "Governorate code of every household and terminal, or 'all' to spread them by population " +
            "(default: 03 up to 100000 households, else all).")
    private String governorate;

    @Option(names = "--threads", paramLabel = "T", description = "Threads rendering households (default: processors).")
    private Integer threads;

    @Option(names = "--force", description = "Write into a directory that is not empty (replacing the data files).")
    private boolean force;

    private final Supplier<Optional<String>> lmkSource;

    /** A command reading the LMK from {@code UNICARD_LMK}. */
    public GenerateCommand()
    {
        this(LocalMasterKey::fromEnvironment);
    }

    /**
     * @param lmkSource where the LMK's hex comes from (the environment, or a test's value).
     */
    public GenerateCommand(final Supplier<Optional<String>> lmkSource)
    {
        this.lmkSource = lmkSource;
    }

    @Override
    public Integer call()
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter stderr = spec.commandLine().getErr();
        final DataSetGenerator generator = generator();
        try
        {
            if (Files.exists(out) && !Files.isDirectory(out))
            {
                stderr.println("generate: out=" + out + " is not a directory");
                return 1;
            }
            if (!force && isNonEmptyDirectory(out))
            {
                stderr.println("generate: out=" + out + " is not empty; use --force to replace its data files");
                return 1;
            }
            Files.createDirectories(out);

            final Optional<String> lmkHex = lmkSource.get().filter(hex -> !hex.isEmpty());
            final TdesKey lmk;
            if (lmkHex.isPresent())
            {
                lmk = LocalMasterKey.parse(lmkHex.get(), LocalMasterKey.ENVIRONMENT_VARIABLE);
                Files.deleteIfExists(out.resolve(DataSetGenerator.LMK_FILE));
            }
            else
            {
                final String hex = LocalMasterKey.generateHex(new SecureRandom());
                lmk = LocalMasterKey.parse(hex, "generated LMK");
                writeLmkFile(out.resolve(DataSetGenerator.LMK_FILE), hex);
                stderr.println("generated a local master key; export " + LocalMasterKey.ENVIRONMENT_VARIABLE + "=" + hex +
                    " to serve this data set");
                stderr.println("(" + LocalMasterKey.ENVIRONMENT_VARIABLE + " was not set; the key is also in " +
                    out.resolve(DataSetGenerator.LMK_FILE) + "; for demos and tests only)");
                stderr.flush();
            }

            final ProgressReporter progress = ProgressReporter.forConsole(stdout);
            final GenerationSummary summary = generator.generate(out, lmk,
                (written, total) -> progress.update("households", "households", written, total));
            printSummary(stdout, summary);
            return 0;
        }
        catch (final IllegalArgumentException ex)
        {
            stderr.println("generate: " + ex.getMessage());
            return 1;
        }
        catch (final IOException | UncheckedIOException ex)
        {
            stderr.println("generate: out=" + out + " cannot be written: " + ex);
            return 1;
        }
    }

    private DataSetGenerator generator()
    {
        if (households < 1 || households > DataSetGenerator.MAX_HOUSEHOLDS)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--households=" + households + " must be 1 to " + DataSetGenerator.MAX_HOUSEHOLDS);
        }
        final int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (threadCount < 1 || threadCount > 256)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads=" + threadCount + " must be 1 to 256");
        }
        int code = DataSetGenerator.defaultGovernorate(households);
        if (governorate != null)
        {
            if (governorate.equals("all"))
            {
                code = 0;
            }
            else
            {
                code = governorate.matches("[0-9]{2}") ? Integer.parseInt(governorate) : -1;
                if (!Governorates.isValid(code) || code == Governorates.ABROAD)
                {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                        "--governorate=" + governorate + " must be a 2-digit governorate code or 'all'");
                }
            }
        }
        return new DataSetGenerator(households, seed, code, threadCount);
    }

    private static boolean isNonEmptyDirectory(final Path directory) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.findAny().isPresent();
        }
    }

    private static void writeLmkFile(final Path file, final String hex) throws IOException
    {
        Files.deleteIfExists(file);
        try
        {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        catch (final UnsupportedOperationException ex)
        {
            Files.createFile(file);
        }
        Files.writeString(file, hex + "\n", StandardCharsets.US_ASCII);
    }

    private static void printSummary(final PrintWriter stdout, final GenerationSummary summary)
    {
        final double seconds = summary.elapsedNs() / 1e9;
        stdout.printf(Locale.ROOT,
            "generated households=%d citizens=%d cards=%d terminals=%d (bakery=%d grocer=%d health=%d post=%d) " +
            "acquirers=%d elapsed=%.1fs rate=%.0f households/s%n",
            summary.households(), summary.citizens(), summary.cards(), summary.terminals(), summary.bakeries(),
            summary.grocers(), summary.healthProviders(), summary.postOffices(), summary.acquirers(), seconds,
            summary.households() / Math.max(seconds, 1e-9));
        stdout.flush();
    }
}
