package org.unicard.changes;

/**
 * A change batch id (spec §12): 1 to 64 characters of {@code A-Z a-z 0-9 . _ -}.
 */
public final class BatchId
{
    /** Longest id. */
    public static final int MAX_LENGTH = 64;

    private BatchId()
    {
    }

    /**
     * @param id a candidate id, may be {@code null}.
     * @return {@code null} when valid, else the reason.
     */
    public static String problem(final String id)
    {
        if (id == null || id.isEmpty())
        {
            return "batch id required: 1 to " + MAX_LENGTH + " characters of A-Z a-z 0-9 . _ -";
        }
        if (id.length() > MAX_LENGTH)
        {
            return "batch id length=" + id.length() + " max=" + MAX_LENGTH;
        }
        for (int i = 0; i < id.length(); i++)
        {
            final char c = id.charAt(i);
            final boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
            if (!ok)
            {
                return "batch id has a character outside A-Z a-z 0-9 . _ - at index=" + i;
            }
        }
        if (".".equals(id) || "..".equals(id))
        {
            return "batch id must not be . or ..";
        }
        return null;
    }
}
