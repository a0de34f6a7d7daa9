package org.unicard.concurrent;

/**
 * Small helpers for the few threads the switch starts outside its ring (import scans, the replay
 * reader).
 */
public final class Threads
{
    private Threads()
    {
    }

    /**
     * Waits for a thread to end, even when interrupted meanwhile; the interrupt is kept for the
     * caller to see. For threads that end on their own soon (a scan, a reader told to stop), whose
     * state the caller must not touch before they have ended.
     *
     * @param thread a started thread.
     */
    public static void joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
