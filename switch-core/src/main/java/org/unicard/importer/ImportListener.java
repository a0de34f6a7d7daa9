package org.unicard.importer;

/**
 * Told how far an import has got, so a command line can show progress. Called on the importing
 * thread, at most every {@link DataSetImporter#PROGRESS_INTERVAL_ROWS} rows and once at the end
 * of each file.
 */
@FunctionalInterface
public interface ImportListener
{
    /** A listener that ignores every report. */
    ImportListener NONE = (fileName, rowsRead, rowsTotal) -> {};

    /**
     * @param fileName  the file being read, e.g. {@code cards.csv}.
     * @param rowsRead  data rows of that file read and validated so far.
     * @param rowsTotal data rows the file holds.
     */
    void onProgress(String fileName, long rowsRead, long rowsTotal);
}
