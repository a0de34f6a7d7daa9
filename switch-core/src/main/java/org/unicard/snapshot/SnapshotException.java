package org.unicard.snapshot;

/**
 * A snapshot that cannot be used: damaged, truncated, of another format version, data set, LMK,
 * capacity or journal. The message names the file and the reason; the caller logs it and falls
 * back to an older snapshot or to a full import and replay.
 */
public final class SnapshotException extends Exception
{
    private static final long serialVersionUID = 1L;

    public SnapshotException(final String message)
    {
        super(message);
    }

    public SnapshotException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
