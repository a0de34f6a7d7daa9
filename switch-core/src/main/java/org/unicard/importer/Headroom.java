package org.unicard.importer;

/**
 * Room the tables keep for live changes (spec §12): each table is built for its file's rows plus
 * {@code percent}% of them, and at least {@code minimum} more ({@code changes.headroom-percent},
 * {@code changes.headroom-minimum}). A change batch that would add beyond it is refused whole.
 * The capacity is fixed when the data set is imported; a snapshot keeps the capacity it was taken
 * with, so a new headroom takes effect at the next start that imports the CSV files.
 *
 * @param percent 0 to 100.
 * @param minimum rows added at least.
 */
public record Headroom(int percent, int minimum)
{
    /** 5% more, at least 1000 more. */
    public static final Headroom DEFAULT = new Headroom(5, 1000);

    public Headroom
    {
        if (percent < 0 || percent > 100 || minimum < 0)
        {
            throw new IllegalArgumentException("headroom percent=" + percent + " range=[0,100] minimum=" + minimum + " range=[0,)");
        }
    }

    /**
     * @param rows the rows imported.
     * @param max  the most the table can hold.
     * @return the table's capacity: rows plus the headroom, at most {@code max}.
     */
    public int capacity(final long rows, final int max)
    {
        final long extra = Math.max(minimum, (rows * percent + 99) / 100);
        return (int)Math.min(max, rows + extra);
    }
}
