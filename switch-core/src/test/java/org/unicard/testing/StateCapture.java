package org.unicard.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.DuplicateWindow;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.StateVisitor;

/**
 * Copies everything a state's {@code visitState} methods visit (every column, index array and
 * scalar), so two states can be compared element by element, private fields included.
 */
public final class StateCapture implements StateVisitor
{
    private final List<Object> items = new ArrayList<>();

    @Override
    public void longs(final long[] column)
    {
        items.add(column.clone());
    }

    @Override
    public void ints(final int[] column)
    {
        items.add(column.clone());
    }

    @Override
    public void shorts(final short[] column)
    {
        items.add(column.clone());
    }

    @Override
    public void bytes(final byte[] column)
    {
        items.add(column.clone());
    }

    @Override
    public long scalar(final long value)
    {
        items.add(value);
        return value;
    }

    /**
     * @return the households, cards and authorizer (window, ledger, counters) of a switch's state,
     * then its rules, PIN verification key and fingerprint, and every public field of its terminals
     * and acquirers as text.
     */
    public static List<Object> of(final DataSet data, final Authorizer authorizer)
    {
        final StateCapture capture = new StateCapture();
        data.households().visitState(capture);
        data.cards().visitState(capture);
        authorizer.visitState(capture);
        capture.items.add(authorizer.rules().values());
        capture.items.add(data.pinVerificationKey().clone());
        capture.items.add(data.fingerprint());
        capture.items.add(data.terminals().size());
        capture.items.add(data.acquirers().size());
        return capture.items;
    }

    /**
     * @return every record, index slot and scalar of a household table.
     */
    public static List<Object> of(final HouseholdTable households)
    {
        final StateCapture capture = new StateCapture();
        households.visitState(capture);
        return capture.items;
    }

    /**
     * @return every record, index slot and scalar of a card table.
     */
    public static List<Object> of(final CardTable cards)
    {
        final StateCapture capture = new StateCapture();
        cards.visitState(capture);
        return capture.items;
    }

    /**
     * @return an independent copy of a household table, as it is now.
     */
    public static HouseholdTable copy(final HouseholdTable households)
    {
        final HouseholdTable copy = new HouseholdTable(households.capacity());
        copy.visitState(new Restorer(of(households)));
        return copy;
    }

    /**
     * @return a duplicate window's state, as its snapshot holds it.
     */
    public static List<Object> of(final DuplicateWindow window)
    {
        final StateCapture capture = new StateCapture();
        window.visitState(capture);
        return capture.items;
    }

    /**
     * Loads a captured window's state into another window, as a snapshot of the given format version would.
     */
    public static void restore(final DuplicateWindow into, final List<Object> items, final int formatVersion)
    {
        into.visitState(new Restorer(items, formatVersion));
    }

    /**
     * @return an independent copy of a card table, as it is now.
     */
    public static CardTable copy(final CardTable cards)
    {
        final CardTable copy = new CardTable(cards.capacity());
        copy.visitState(new Restorer(of(cards)));
        return copy;
    }

    /** Fills a state, in visiting order, with the items a capture of the same kind of state took. */
    private static final class Restorer implements StateVisitor
    {
        private final List<Object> items;
        private final int formatVersion;
        private int next;

        Restorer(final List<Object> items)
        {
            this(items, Integer.MAX_VALUE);
        }

        Restorer(final List<Object> items, final int formatVersion)
        {
            this.items = items;
            this.formatVersion = formatVersion;
        }

        @Override
        public int formatVersion()
        {
            return formatVersion;
        }

        @Override
        public void longs(final long[] column)
        {
            final long[] from = (long[])items.get(next++);
            System.arraycopy(from, 0, column, 0, column.length);
        }

        @Override
        public void ints(final int[] column)
        {
            final int[] from = (int[])items.get(next++);
            System.arraycopy(from, 0, column, 0, column.length);
        }

        @Override
        public void shorts(final short[] column)
        {
            final short[] from = (short[])items.get(next++);
            System.arraycopy(from, 0, column, 0, column.length);
        }

        @Override
        public void bytes(final byte[] column)
        {
            final byte[] from = (byte[])items.get(next++);
            System.arraycopy(from, 0, column, 0, column.length);
        }

        @Override
        public long scalar(final long value)
        {
            return (Long)items.get(next++);
        }
    }

    /**
     * @return {@code null} when equal, else the position and kind of the first difference.
     */
    public static String firstDifference(final List<Object> expected, final List<Object> actual)
    {
        if (expected.size() != actual.size())
        {
            return "items expected=" + expected.size() + " actual=" + actual.size();
        }
        for (int i = 0; i < expected.size(); i++)
        {
            final Object a = expected.get(i);
            final Object b = actual.get(i);
            final boolean equal = a instanceof long[] x ? Arrays.equals(x, (long[])b) :
                a instanceof int[] x ? Arrays.equals(x, (int[])b) :
                a instanceof short[] x ? Arrays.equals(x, (short[])b) :
                a instanceof byte[] x ? Arrays.equals(x, (byte[])b) : a.equals(b);
            if (!equal)
            {
                return "item " + i + " (" + a.getClass().getSimpleName() + ") differs" +
                    (a instanceof Long || a instanceof Integer ? ": expected=" + a + " actual=" + b : "");
            }
        }
        return null;
    }
}
