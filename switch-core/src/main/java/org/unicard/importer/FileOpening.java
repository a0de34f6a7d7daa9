package org.unicard.importer;

import org.unicard.concurrent.Threads;

/**
 * Opens one data file on a thread of its own, so its scan (a read of the whole file to count
 * records and digest bytes) runs while the file before it is parsed: the import uses the second
 * core for the scans. The importer takes the file with {@link #await()} in file order, so the first
 * bad file or row reported is the same as with one thread; a file opened for an import that failed
 * before needing it is closed with {@link #abandon()}.
 */
final class FileOpening
{
    /** Opens a file; {@link CsvFile#open} in practice. */
    @FunctionalInterface
    interface Opener
    {
        CsvFile open() throws ImportException;
    }

    private final Thread thread;
    private CsvFile file;
    private ImportException failure;
    private Throwable crash;
    private boolean done;
    private boolean abandoned;

    private FileOpening(final String fileName, final Opener opener)
    {
        thread = new Thread(() -> run(opener), "import-scan-" + fileName);
        thread.setDaemon(true);
    }

    /**
     * @param fileName names the thread.
     * @param opener   opens the file.
     * @return the opening, under way.
     */
    static FileOpening start(final String fileName, final Opener opener)
    {
        final FileOpening opening = new FileOpening(fileName, opener);
        opening.thread.start();
        return opening;
    }

    /**
     * Waits for the file to be open.
     *
     * @return the open file, whose closing is now the caller's.
     * @throws ImportException as opening it threw.
     */
    CsvFile await() throws ImportException
    {
        Threads.joinUninterruptibly(thread);
        if (crash instanceof Error error)
        {
            throw error;
        }
        if (crash instanceof RuntimeException runtime)
        {
            throw runtime;
        }
        if (failure != null)
        {
            throw failure;
        }
        return file;
    }

    /**
     * Says the file will not be taken: it is closed once open (now, if it already is).
     */
    void abandon()
    {
        final CsvFile open;
        synchronized (this)
        {
            abandoned = true;
            open = done ? file : null;
        }
        if (open != null)
        {
            open.close();
        }
    }

    private void run(final Opener opener)
    {
        CsvFile opened = null;
        try
        {
            opened = opener.open();
        }
        catch (final ImportException ex)
        {
            failure = ex;
        }
        catch (final RuntimeException | Error ex)
        {
            crash = ex;
        }
        final boolean closeNow;
        synchronized (this)
        {
            file = opened;
            done = true;
            closeNow = abandoned && opened != null;
        }
        if (closeNow)
        {
            opened.close();
        }
    }
}
