package org.unicard.journal;

/**
 * The journal cannot be opened, written or replayed; the message names the directory or record
 * and the reason.
 */
public final class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public JournalException(final String message)
    {
        super(message);
    }

    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
