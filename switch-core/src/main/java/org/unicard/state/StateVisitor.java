package org.unicard.state;

/**
 * Visits the primitive columns and scalar counters of a piece of in-memory state, in a fixed
 * order, so that one method per class serves both saving it (the visitor copies each column out
 * and returns each scalar unchanged) and loading it (the visitor fills each column in place and
 * returns the saved scalar, which the class then adopts). Used by snapshots; never on the request
 * path.
 * <p>
 * A visitor that loads must check that each column has the length the saved one had, so state of
 * another capacity is refused rather than half-filled.
 */
public interface StateVisitor
{
    /**
     * @param column a whole column.
     */
    void longs(long[] column);

    /**
     * @param column a whole column.
     */
    void ints(int[] column);

    /**
     * @param column a whole column.
     */
    void shorts(short[] column);

    /**
     * @param column a whole column.
     */
    void bytes(byte[] column);

    /**
     * @param value the current value of a scalar.
     * @return the value the state must hold from now on: {@code value} when saving, the saved one
     * when loading.
     */
    long scalar(long value);

    /**
     * @return the snapshot format version of the state being loaded (a snapshot's header gives it),
     * so that a class whose layout changed can convert what an older build saved;
     * {@link Integer#MAX_VALUE} (the default) for a visitor that saves, or that loads state copied
     * in this build's layout with no version of its own.
     */
    default int formatVersion()
    {
        return Integer.MAX_VALUE;
    }
}
