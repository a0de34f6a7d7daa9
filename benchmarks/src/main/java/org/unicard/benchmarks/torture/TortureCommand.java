package org.unicard.benchmarks.torture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard torture}: runs {@link CrashTorture} (kill -9 the real switch N times, under
 * load or during its start-up replay, then check exactly-once accounting); exit 0 on PASS, 1 on FAIL, 2 on bad options.
 */
@Command(name = "torture", mixinStandardHelpOptions = true,
    description = "Kill -9 the real switch under pipelined load N times, restart it, then check every answer and balance.")
public final class TortureCommand implements Callable<Integer>
{
    @Option(names = "--kills", defaultValue = "20", description = "kill -9 and restart this many times (default ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--replay-kills", defaultValue = "-1", paramLabel = "N",
        description = "How many of the kills happen during start-up replay instead of under load (default: a quarter of --kills).")
    int replayKills;

    @Option(names = "--connections", defaultValue = "8", description = "Grocer terminals, one connection each (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--in-flight", defaultValue = "8", description = "Requests in flight per connection (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--households", defaultValue = "400", description = "Households in the generated data set (default ${DEFAULT-VALUE}).")
    int households;

    @Option(names = "--seed", defaultValue = "1", description = "Data set and traffic seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dir", paramLabel = "DIR", description = "Working directory (data set, journal, switch logs); a new temporary one without it.")
    Path directory;

    @Override
    public Integer call() throws Exception
    {
        final int duringReplay = replayKills < 0 ? kills / 4 : replayKills;
        if (kills < 1 || duringReplay >= kills || connections < 1 || inFlight < 1 || inFlight > 64 || households < 10)
        {
            System.err.println("torture: need --kills >= 1, 0 <= --replay-kills < --kills, --connections >= 1, 1 <= --in-flight <= 64, --households >= 10");
            return 2;
        }
        final Path dir = directory != null ? Files.createDirectories(directory) : Files.createTempDirectory("unicard-torture");
        System.out.println("torture: working directory " + dir);
        final CrashTorture.Result result = new CrashTorture(
            new CrashTorture.Options(kills, duringReplay, connections, inFlight, households, seed, dir), System.out).run();
        return result.passed() ? 0 : 1;
    }
}
