package org.unicard.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.unicard.changes.BatchId;
import org.unicard.changes.ChangesClient;
import org.unicard.http.OperatorApi;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/unicard apply-changes --file FILE --batch ID [--http URL]} (spec §12): posts a change
 * batch to a running switch with the token of {@code UNICARD_API_TOKEN}, shows the upload's
 * progress, prints the switch's answer; exit 0 when applied (or applied before), 1 otherwise, with
 * every error of a 422 printed one a line.
 */
@Command(name = "apply-changes", mixinStandardHelpOptions = true,
    description = "Post a change batch (JSON Lines, spec §12) to a running switch; all or nothing, exactly once per batch id.")
public final class ApplyChangesCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The batch: one change per line.")
    private Path file;

    @Option(names = "--batch", required = true, paramLabel = "ID", description = "The batch id: 1-64 of A-Z a-z 0-9 . _ -")
    private String batch;

    @Option(names = "--http", paramLabel = "URL", description = "The switch's HTTP address (default: ${DEFAULT-VALUE}).",
        defaultValue = ChangesClient.DEFAULT_URL)
    private String http;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String problem = BatchId.problem(batch);
        if (problem != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch: " + problem);
        }
        if (!Files.isRegularFile(file))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--file: no such file " + file);
        }
        final String token = System.getenv(OperatorApi.TOKEN_VARIABLE);
        if (token == null || token.isEmpty())
        {
            err.println("unicard apply-changes: set " + OperatorApi.TOKEN_VARIABLE + " to the switch's operator API token");
            return 1;
        }
        final long total = Files.size(file);
        final ProgressReporter progress = ProgressReporter.forConsole(err);
        final String task = "apply-changes " + batch;
        final ChangesClient.Answer answer;
        try
        {
            answer = new ChangesClient(http, token).post(file, batch, sent -> progress.update(task, "bytes", sent, total));
        }
        catch (final java.io.IOException ex)
        {
            err.println("unicard apply-changes: cannot reach the switch at " + http + ": " + ex);
            return 1;
        }
        progress.finish(task, "bytes", total, total);
        out.println(answer.body());
        out.flush();
        if (answer.status() == 422)
        {
            final int errors = printErrors(answer.body(), err);
            err.printf("apply-changes: batch %s refused (%d errors), nothing applied%n", batch, errors);
            return 1;
        }
        if (!answer.applied())
        {
            err.printf("apply-changes: batch %s not applied: HTTP %d%n", batch, answer.status());
            return 1;
        }
        err.printf("apply-changes: batch %s applied%n", batch);
        return 0;
    }

    /**
     * Prints each error of a 422 body as {@code line N field F: reason}.
     *
     * @return how many.
     */
    static int printErrors(final String body, final PrintWriter err) throws java.io.IOException
    {
        int count = 0;
        try (JsonParser parser = new JsonFactory().createParser(body))
        {
            JsonToken token;
            while ((token = parser.nextToken()) != null)
            {
                if (token == JsonToken.FIELD_NAME && "errors".equals(parser.currentName()) && parser.getParsingContext().getParent().inRoot())
                {
                    parser.nextToken();
                    while (parser.nextToken() == JsonToken.START_OBJECT)
                    {
                        long line = 0;
                        String field = "-";
                        String reason = "";
                        while (parser.nextToken() == JsonToken.FIELD_NAME)
                        {
                            final String name = parser.currentName();
                            final JsonToken value = parser.nextToken();
                            switch (name)
                            {
                                case "line" -> line = parser.getLongValue();
                                case "field" -> field = value == JsonToken.VALUE_NULL ? "-" : parser.getText();
                                case "reason" -> reason = parser.getText();
                                default -> parser.skipChildren();
                            }
                        }
                        err.printf("line %d field %s: %s%n", line, field, reason);
                        count++;
                    }
                }
            }
        }
        return count;
    }
}
