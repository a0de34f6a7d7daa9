package org.unicard.generate;

/**
 * Told how far a generation has got, after each chunk of households is written, on the thread
 * that called {@link DataSetGenerator#generate}.
 */
@FunctionalInterface
public interface GenerationListener
{
    /** A listener that ignores every report. */
    GenerationListener NONE = (written, total) -> {};

    /**
     * @param householdsWritten households (with their cards) written so far.
     * @param householdsTotal   households the data set will have.
     */
    void onProgress(long householdsWritten, long householdsTotal);
}
