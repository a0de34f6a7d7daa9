package org.unicard.journal;

/**
 * Another process (or another writer in this one) holds the journal's writer lock
 * ({@link JournalLock}); the message names the journal directory and the holder's PID.
 */
public final class JournalLockedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public JournalLockedException(final String message)
    {
        super(message);
    }
}
