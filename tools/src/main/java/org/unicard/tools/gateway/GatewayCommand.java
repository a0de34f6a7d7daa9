package org.unicard.tools.gateway;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code bin/unicard gateway}: runs the gateway simulator until SIGTERM or SIGINT, then prints its
 * summary. Point a switch at it with {@code serve --notify-url http://127.0.0.1:PORT/events}.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = {"A citizen-notification gateway simulator (spec section 14): records the events a switch POSTs,",
        "drops duplicate keys, and can be told to fail or hang (POST /control?mode=accept|fail|hang); GET /summary."})
public final class GatewayCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "8090", description = "Port (default ${DEFAULT-VALUE}; 0: any).")
    private int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    private String bind;

    @Option(names = "--out", paramLabel = "FILE", description = "Append every accepted event to FILE as a JSON line.")
    private Path out;

    @Option(names = "--mode", defaultValue = "accept", description = "accept, fail (503) or hang (default ${DEFAULT-VALUE}).")
    private String mode;

    @Override
    public Integer call() throws Exception
    {
        final GatewaySimulator.Mode start = switch (mode)
        {
            case "accept" -> GatewaySimulator.Mode.ACCEPT;
            case "fail" -> GatewaySimulator.Mode.FAIL;
            case "hang" -> GatewaySimulator.Mode.HANG;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--mode: accept, fail or hang, not " + mode);
        };
        final CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        final PrintWriter printer = spec.commandLine().getOut();
        try (GatewaySimulator simulator = new GatewaySimulator(new InetSocketAddress(bind, port), out))
        {
            simulator.mode(start);
            printer.println("event=gateway-listening url=" + simulator.url() + " mode=" + mode +
                (out == null ? "" : " out=" + out));
            printer.flush();
            stop.await();
            printer.println(simulator.summaryJson());
            printer.flush();
        }
        return 0;
    }
}
