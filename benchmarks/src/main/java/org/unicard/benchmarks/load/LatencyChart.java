package org.unicard.benchmarks.load;

import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * A self-contained HTML page with an inline SVG percentile plot (latency against percentile on
 * the usual 1/(1-p) axis, as HdrHistogram's plotter draws it), one line per result. No scripts,
 * no network resources.
 */
public final class LatencyChart
{
    private static final int WIDTH = 800;
    private static final int HEIGHT = 420;
    private static final int MARGIN = 60;
    /** The plot runs from percentile 0 to 1 - 10^-NINES. */
    private static final double NINES = 5;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    private LatencyChart()
    {
    }

    /**
     * @param title   the page title.
     * @param results the runs to draw.
     * @return the HTML page.
     */
    public static String html(final String title, final List<LoadResult> results)
    {
        double maxMs = 0.001;
        for (final LoadResult result : results)
        {
            maxMs = Math.max(maxMs, result.maxMs());
        }
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d'>", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#888'/>",
            MARGIN, MARGIN / 2, WIDTH - 2 * MARGIN, HEIGHT - MARGIN - MARGIN / 2));
        final String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int nines = 0; nines <= NINES; nines++)
        {
            final double x = x(nines);
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/>", x, MARGIN / 2, x, HEIGHT - MARGIN));
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='12' text-anchor='middle'>%s</text>", x, HEIGHT - MARGIN + 18,
                labels[nines]));
        }
        for (int tick = 0; tick <= 4; tick++)
        {
            final double ms = maxMs * tick / 4;
            final double y = y(ms, maxMs);
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' font-size='12' text-anchor='end'>%.2f</text>", MARGIN - 6, y + 4, ms));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='13' text-anchor='middle'>percentile</text>", WIDTH / 2, HEIGHT - 15));
        svg.append(String.format(Locale.ROOT, "<text x='14' y='%d' font-size='13' transform='rotate(-90 14 %d)' text-anchor='middle'>latency ms</text>",
            HEIGHT / 2, HEIGHT / 2));
        for (int i = 0; i < results.size(); i++)
        {
            final LoadResult result = results.get(i);
            final String colour = COLOURS[i % COLOURS.length];
            svg.append("<polyline fill='none' stroke-width='2' stroke='").append(colour).append("' points='");
            final Histogram histogram = result.latencyUs();
            if (histogram.getTotalCount() > 0)
            {
                for (int step = 0; step <= NINES * 20; step++)
                {
                    final double nines = step / 20.0;
                    final double percentile = 100.0 * (1 - Math.pow(10, -nines));
                    final double ms = histogram.getValueAtPercentile(percentile) / 1000.0;
                    svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(nines), y(ms, maxMs)));
                }
            }
            svg.append("'/>");
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='13' fill='%s'>%s: %,.0f/s, p99 %.3f ms</text>",
                MARGIN + 10, MARGIN / 2 + 18 + 16 * i, colour, escape(result.name()), result.throughput(), result.latencyMs(99)));
        }
        svg.append("</svg>");
        final StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html><html><head><meta charset='utf-8'><title>").append(escape(title)).append("</title></head><body>");
        page.append("<h1>").append(escape(title)).append("</h1>").append(svg);
        page.append("<pre>");
        for (final LoadResult result : results)
        {
            page.append(escape(result.summary())).append("\n\n");
        }
        page.append("</pre></body></html>\n");
        return page.toString();
    }

    private static double x(final double nines)
    {
        return MARGIN + (WIDTH - 2 * MARGIN) * nines / NINES;
    }

    private static double y(final double ms, final double maxMs)
    {
        return HEIGHT - MARGIN - (HEIGHT - MARGIN - MARGIN / 2.0) * ms / maxMs;
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
