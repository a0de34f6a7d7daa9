package org.unicard.cluster;

import org.unicard.authorizer.Authorizer;
import org.unicard.state.DataSet;
import org.unicard.state.StateVisitor;

/**
 * A 64-bit digest of a member's decided state: every household and card record (balances, cycles,
 * statuses, PIN tries), the terminals and acquirers (not their keys), the change batches applied, and
 * the authorizer's sequence and business time. Equal on every member that
 * has applied the same log entries, which is what the failover test compares. Journal positions are
 * left out: they are where this member's own queue put each record. Computed on the service thread,
 * between two entries, on request only: it reads every record.
 */
public final class StateDigest
{
    /**
     * @param requests log requests applied when it was computed.
     * @param sequence the authorizer's sequence then.
     * @param digest   the digest.
     */
    public record Value(long requests, long sequence, long digest)
    {
        @Override
        public String toString()
        {
            return "requests=" + requests + " digest=" + Long.toHexString(digest);
        }
    }

    private final DataSet data;
    private final Authorizer authorizer;

    public StateDigest(final DataSet data, final Authorizer authorizer)
    {
        this.data = data;
        this.authorizer = authorizer;
    }

    /**
     * @param requests log requests applied so far.
     * @return the digest now.
     */
    public Value compute(final long requests)
    {
        final Hashing hashing = new Hashing();
        data.households().visitState(hashing);
        data.cards().visitState(hashing);
        terminals(hashing);
        acquirers(hashing);
        hashing.scalar(authorizer.batches().count());
        hashing.scalar(authorizer.sequence());
        hashing.scalar(authorizer.lastTimeMs());
        hashing.scalar(authorizer.firstBusinessDay());
        return new Value(requests, authorizer.sequence(), hashing.hash);
    }

    /** The terminals live changes touch (spec §12): id, type, governorate, status and which keys it has (never the keys). */
    private void terminals(final Hashing hashing)
    {
        final org.unicard.state.TerminalTable terminals = data.terminals();
        hashing.scalar(terminals.size());
        for (int i = 0; i < terminals.size(); i++)
        {
            hashing.scalar(terminals.terminalId[i]);
            hashing.scalar(terminals.type[i] << 8 | terminals.governorate[i] & 0xFF);
            hashing.scalar((terminals.active[i] ? 1 : 0) | (terminals.pinKey[i] != null ? 2 : 0) | (terminals.macKey[i] != null ? 4 : 0));
        }
    }

    private void acquirers(final Hashing hashing)
    {
        final org.unicard.state.AcquirerTable acquirers = data.acquirers();
        hashing.scalar(acquirers.size());
        for (int i = 0; i < acquirers.size(); i++)
        {
            hashing.scalar(acquirers.acquirerId[i]);
            hashing.scalar((acquirers.active[i] ? 1 : 0) | (acquirers.zonePinKey[i] != null ? 2 : 0));
        }
    }

    /** Folds every value into one hash (a multiply-xorshift mix, order-sensitive). */
    static final class Hashing implements StateVisitor
    {
        long hash = 0x9E3779B97F4A7C15L;

        private void mix(final long value)
        {
            long h = (hash ^ value) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
            hash = h * 0x94D049BB133111EBL;
        }

        @Override
        public void longs(final long[] column)
        {
            mix(column.length);
            for (final long value : column)
            {
                mix(value);
            }
        }

        @Override
        public void ints(final int[] column)
        {
            mix(column.length);
            for (final int value : column)
            {
                mix(value);
            }
        }

        @Override
        public void shorts(final short[] column)
        {
            mix(column.length);
            for (final short value : column)
            {
                mix(value);
            }
        }

        @Override
        public void bytes(final byte[] column)
        {
            mix(column.length);
            for (final byte value : column)
            {
                mix(value);
            }
        }

        @Override
        public long scalar(final long value)
        {
            mix(value);
            return value;
        }
    }
}
