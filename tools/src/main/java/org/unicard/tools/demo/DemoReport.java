package org.unicard.tools.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

import org.HdrHistogram.Histogram;
import org.unicard.authorizer.ResponseCode;
import org.unicard.generate.GenerationSummary;

/**
 * The demo's report: one self-contained HTML file (inline CSS and SVG, nothing fetched) with the
 * requests per day by program, approvals against declines per day with the declines by code, and
 * the latency percentiles, overall and per day.
 */
final class DemoReport
{
    private static final String[] COLOURS = {"#c8892b", "#2e7d32", "#1565c0", "#6a1b9a", "#00838f"};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 220;
    private static final int LEFT = 70;

    private DemoReport()
    {
    }

    static void write(final Path file, final MonthDemo.Options options, final MonthTraffic traffic, final long planned,
        final double seconds, final double clockWaitedS, final GenerationSummary generated, final java.util.Map<String, Long> messagesByKind,
        final java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> messageSamples) throws IOException
    {
        final int days = options.days();
        final long[][] requests = new long[days][MonthTraffic.PROGRAMS];
        final long[] approved = new long[days];
        final long[] declined = new long[days];
        final long[] declinedByCode = new long[100];
        for (int d = 0; d < days; d++)
        {
            for (int p = 0; p < MonthTraffic.PROGRAMS; p++)
            {
                requests[d][p] = traffic.requests(d, p);
            }
            approved[d] = traffic.codes(d, ResponseCode.APPROVED);
            for (int code = 1; code < 100; code++)
            {
                declined[d] += traffic.codes(d, code);
                declinedByCode[code] += traffic.codes(d, code);
            }
        }
        final StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Unicard demo: a month of Port Said</title>")
            .append("<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:960px}")
            .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 6px}p{margin:4px 0}")
            .append("table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}")
            .append("th:first-child,td:first-child{text-align:left}.legend span{display:inline-block;margin-right:14px;font-size:13px}")
            .append(".legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px}")
            .append("svg text{font-size:11px;fill:#444}</style></head><body>");
        final long total = traffic.received();
        html.append("<h1>A month of Port Said</h1>")
            .append(String.format(Locale.ENGLISH, "<p>%,d households, %,d citizens, %,d cards, %,d bakeries, %,d grocers, %,d health units, " +
                    "%,d post offices. %d days from %s in %.0f s (asked: %d s%s); %,d visits planned, %,d requests answered%s.</p>",
                generated.households(), generated.citizens(), generated.cards(), generated.bakeries(), generated.grocers(),
                generated.healthProviders(), generated.postOffices(), days, options.start(), seconds, options.seconds(),
                clockWaitedS == 0 ? "" : String.format(Locale.ENGLISH, "; the clock waited %.0f s for the visits", clockWaitedS), planned, total,
                traffic.unsent.get() == 0 ? "" : String.format(Locale.ENGLISH, " (%,d not sent: the machine fell behind the clock)",
                    traffic.unsent.get())));

        html.append("<h2>Requests per day, by program</h2><div class=\"legend\">");
        for (int p = 0; p < MonthTraffic.PROGRAMS; p++)
        {
            html.append("<span><i style=\"background:").append(COLOURS[p]).append("\"></i>").append(MonthModel.PROGRAM_NAMES[p]).append("</span>");
        }
        html.append("</div>");
        stackedBars(html, options.start(), requests, COLOURS);

        html.append("<h2>Approved and declined, per day</h2><div class=\"legend\"><span><i style=\"background:#2e7d32\"></i>approved</span>")
            .append("<span><i style=\"background:#c62828\"></i>declined</span></div>");
        final long[][] outcome = new long[days][];
        for (int d = 0; d < days; d++)
        {
            outcome[d] = new long[] {approved[d], declined[d]};
        }
        stackedBars(html, options.start(), outcome, new String[] {"#2e7d32", "#c62828"});
        html.append("<table><tr><th>declined with</th><th>meaning</th><th>answers</th><th>per 1,000 requests</th></tr>");
        for (int code = 1; code < 100; code++)
        {
            if (declinedByCode[code] > 0)
            {
                html.append(String.format(Locale.ENGLISH, "<tr><td>%02d</td><td>%s</td><td>%,d</td><td>%.2f</td></tr>", code,
                    MonthDemo.meaning(code), declinedByCode[code], declinedByCode[code] * 1000.0 / Math.max(1, total)));
            }
        }
        html.append("</table>");

        final Histogram latency = traffic.totalLatency();
        html.append("<h2>Latency (sent to answered, in the demo's process)</h2><table><tr><th>percentile</th><th>ms</th></tr>");
        for (final double percentile : new double[] {50, 90, 99, 99.9})
        {
            html.append(String.format(Locale.ENGLISH, "<tr><td>p%s</td><td>%.2f</td></tr>", trim(percentile),
                latency.getValueAtPercentile(percentile) / 1000.0));
        }
        html.append(String.format(Locale.ENGLISH, "<tr><td>max</td><td>%.2f</td></tr></table>", latency.getMaxValue() / 1000.0));
        html.append("<h2>p50 and p99 latency per day (ms)</h2>");
        final long[][] perDay = new long[days][];
        for (int d = 0; d < days; d++)
        {
            final Histogram day = traffic.latency(d);
            perDay[d] = new long[] {day.getTotalCount() == 0 ? 0 : day.getValueAtPercentile(50), day.getTotalCount() == 0 ? 0 :
                day.getValueAtPercentile(99)};
        }
        lines(html, options.start(), perDay);
        citizenMessages(html, messagesByKind, messageSamples);
        html.append("<p style=\"margin-top:16px;font-size:12px;color:#666\">Written by <code>bin/unicard demo</code>; every answer was ")
            .append("checked against the demo's own model of the month, the switch's state and its settlement.</p></body></html>");
        Files.createDirectories(file.getParent());
        Files.writeString(file, html.toString(), StandardCharsets.UTF_8);
    }

    /** The citizen messages the gateway simulator accepted (spec §14), by kind, with one sample each in both languages. */
    private static void citizenMessages(final StringBuilder html, final java.util.Map<String, Long> byKind,
        final java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> samples)
    {
        long total = 0;
        for (final long count : byKind.values())
        {
            total += count;
        }
        html.append(String.format(Locale.ENGLISH, "<h2>Citizen messages (%,d sent to the SMS gateway)</h2>", total))
            .append("<table><tr><th>kind</th><th>messages</th><th>sample (English)</th><th>sample (Arabic)</th></tr>");
        for (final java.util.Map.Entry<String, Long> kind : byKind.entrySet())
        {
            final com.fasterxml.jackson.databind.JsonNode sample = samples.get(kind.getKey());
            html.append("<tr><td>").append(escape(kind.getKey())).append("</td><td>").append(String.format(Locale.ENGLISH, "%,d", kind.getValue()))
                .append("</td><td style=\"text-align:left\">").append(sample == null ? "" : escape(sample.path("text_en").asText()))
                .append("</td><td dir=\"rtl\" style=\"text-align:right\">").append(sample == null ? "" : escape(sample.path("text_ar").asText()))
                .append("</td></tr>");
        }
        html.append("</table>");
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String trim(final double value)
    {
        return value == Math.rint(value) ? Long.toString((long)value) : Double.toString(value);
    }

    private static void stackedBars(final StringBuilder html, final LocalDate start, final long[][] values, final String[] colours)
    {
        final int days = values.length;
        long max = 1;
        for (final long[] day : values)
        {
            long sum = 0;
            for (final long value : day)
            {
                sum += value;
            }
            max = Math.max(max, sum);
        }
        final double scale = (HEIGHT - 30) / (double)max;
        final double slot = (WIDTH - LEFT - 10) / (double)days;
        html.append("<svg width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" role=\"img\">");
        axis(html, max, start, days, slot);
        for (int d = 0; d < days; d++)
        {
            double y = HEIGHT - 20;
            for (int s = 0; s < values[d].length; s++)
            {
                final double h = values[d][s] * scale;
                y -= h;
                html.append(String.format(Locale.ENGLISH, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">" +
                    "<title>%s: %,d</title></rect>", LEFT + d * slot + 1, y, Math.max(1, slot - 2), h, colours[s],
                    start.plusDays(d), values[d][s]));
            }
        }
        html.append("</svg>");
    }

    private static void lines(final StringBuilder html, final LocalDate start, final long[][] microseconds)
    {
        final int days = microseconds.length;
        long max = 1;
        for (final long[] day : microseconds)
        {
            for (final long value : day)
            {
                max = Math.max(max, value);
            }
        }
        final double scale = (HEIGHT - 30) / (double)max;
        final double slot = (WIDTH - LEFT - 10) / (double)days;
        html.append("<svg width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" role=\"img\">");
        axisMs(html, max);
        final String[] colours = {"#1565c0", "#c62828"};
        for (int series = 0; series < 2; series++)
        {
            final StringBuilder points = new StringBuilder();
            for (int d = 0; d < days; d++)
            {
                points.append(String.format(Locale.ENGLISH, "%.1f,%.1f ", LEFT + d * slot + slot / 2, HEIGHT - 20 - microseconds[d][series] * scale));
            }
            html.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colours[series]).append("\" points=\"")
                .append(points).append("\"/>");
        }
        for (int d = 0; d < days; d += Math.max(1, days / 10))
        {
            html.append(String.format(Locale.ENGLISH, "<text x=\"%.1f\" y=\"%d\">%s</text>", LEFT + d * slot, HEIGHT - 5,
                start.plusDays(d).toString().substring(5)));
        }
        html.append("<text x=\"").append(WIDTH - 160).append("\" y=\"14\" style=\"fill:#1565c0\">p50</text><text x=\"")
            .append(WIDTH - 120).append("\" y=\"14\" style=\"fill:#c62828\">p99</text></svg>");
    }

    private static void axis(final StringBuilder html, final long max, final LocalDate start, final int days, final double slot)
    {
        for (int i = 0; i <= 4; i++)
        {
            final long value = max * i / 4;
            final double y = HEIGHT - 20 - (HEIGHT - 30) * i / 4.0;
            html.append(String.format(Locale.ENGLISH, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>" +
                "<text x=\"4\" y=\"%.1f\">%,d</text>", LEFT, WIDTH - 10, y, y, y + 4, value));
        }
        for (int d = 0; d < days; d += Math.max(1, days / 10))
        {
            html.append(String.format(Locale.ENGLISH, "<text x=\"%.1f\" y=\"%d\">%s</text>", LEFT + d * slot, HEIGHT - 5,
                start.plusDays(d).toString().substring(5)));
        }
    }

    private static void axisMs(final StringBuilder html, final long maxUs)
    {
        for (int i = 0; i <= 4; i++)
        {
            final double y = HEIGHT - 20 - (HEIGHT - 30) * i / 4.0;
            html.append(String.format(Locale.ENGLISH, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>" +
                "<text x=\"4\" y=\"%.1f\">%.2f</text>", LEFT, WIDTH - 10, y, y, y + 4, maxUs * i / 4.0 / 1000.0));
        }
    }
}
