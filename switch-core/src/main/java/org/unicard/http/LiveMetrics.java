package org.unicard.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * {@code GET /api/live}: the switch's own series of {@code /metrics} ({@code unicard_*}) as JSON, for
 * the console's live page, which turns counters into rates between two polls:
 * {@code {"time_ms":T,"series":[{"name":N,"labels":{..},"value":V},..]}}. The same numbers as the
 * Prometheus text, so the page and Grafana never disagree.
 */
public final class LiveMetrics
{
    private static final JsonFactory JSON = new JsonFactory();

    private LiveMetrics()
    {
    }

    /**
     * @param prometheusText the text exposition.
     * @param nowMs          when it was taken.
     * @return the JSON body.
     */
    public static byte[] json(final String prometheusText, final long nowMs)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator out = JSON.createGenerator(body))
        {
            out.writeStartObject();
            out.writeNumberField("time_ms", nowMs);
            out.writeArrayFieldStart("series");
            for (final String line : prometheusText.split("\n"))
            {
                if (line.startsWith("unicard_"))
                {
                    series(out, line);
                }
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return body.toByteArray();
    }

    /**
     * Writes one sample line, {@code name{a="x",b="y"} value}, as an object; a line that is not one is skipped.
     */
    private static void series(final JsonGenerator out, final String line) throws IOException
    {
        final int brace = line.indexOf('{');
        final int space = line.lastIndexOf(' ');
        if (space < 0)
        {
            return;
        }
        final double value;
        try
        {
            value = Double.parseDouble(line.substring(space + 1));
        }
        catch (final NumberFormatException ex)
        {
            return;
        }
        final String name = brace < 0 || brace > space ? line.substring(0, space).trim() : line.substring(0, brace);
        out.writeStartObject();
        out.writeStringField("name", name);
        out.writeObjectFieldStart("labels");
        if (brace >= 0 && brace < space)
        {
            int at = brace + 1;
            while (at < line.length() && line.charAt(at) != '}')
            {
                final int equals = line.indexOf('=', at);
                if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"')
                {
                    break;
                }
                final StringBuilder text = new StringBuilder();
                int i = equals + 2;
                while (i < line.length() && line.charAt(i) != '"')
                {
                    if (line.charAt(i) == '\\' && i + 1 < line.length())
                    {
                        i++;
                    }
                    text.append(line.charAt(i));
                    i++;
                }
                out.writeStringField(line.substring(at, equals), text.toString());
                at = i + 1;
                if (at < line.length() && line.charAt(at) == ',')
                {
                    at++;
                }
            }
        }
        out.writeEndObject();
        if (Double.isFinite(value))
        {
            out.writeNumberField("value", value);
        }
        else
        {
            out.writeNullField("value");
        }
        out.writeEndObject();
    }
}
