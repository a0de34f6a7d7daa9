package org.unicard.tools.traffic;

import java.util.SplittableRandom;

import org.unicard.authorizer.AuthRequest;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;

/**
 * A seeded stream of decoded requests over a whole data set, for measuring the authorizer, the
 * journal and replay at scale ({@code bin/unicard fill-journal}) (not for tests of behaviour: {@code RandomTraffic} does that): a
 * random card each time; a head card buys rations at a grocer (40%) or bread at a bakery (30%),
 * any card asks its balances (10%) or pays from its wallet with a PIN (10%); 5% of requests are
 * retransmissions of a recent one and 5% reversals of a recent purchase. The business time runs
 * from a start at a fixed step. Each terminal counts its own STANs; field 7 follows the clock.
 */
public final class SyntheticTraffic
{
    private static final int RECENT = 1 << 12;

    private final SplittableRandom random;
    private final CardTable cards;
    private final TerminalTable terminals;
    private final int[] bakeries;
    private final int[] grocers;
    private final int[] stans;
    private final long stepMs;
    private final AuthRequest[] recent = new AuthRequest[RECENT];
    private long nowMs;
    private long sent;

    /**
     * @param data    the data set (read only).
     * @param seed    the random seed.
     * @param startMs the business time of the first request.
     * @param stepMs  business time between two requests.
     */
    public SyntheticTraffic(final DataSet data, final long seed, final long startMs, final long stepMs)
    {
        random = new SplittableRandom(seed);
        cards = data.cards();
        terminals = data.terminals();
        bakeries = UsablePools.activeTerminals(terminals, TerminalType.BAKERY);
        grocers = UsablePools.activeTerminals(terminals, TerminalType.GROCER);
        if (bakeries.length == 0 || grocers.length == 0)
        {
            throw new IllegalArgumentException("the data set needs active bakeries and grocers: bakeries=" + bakeries.length +
                " grocers=" + grocers.length);
        }
        stans = new int[terminals.size()];
        this.nowMs = startMs;
        this.stepMs = stepMs;
        for (int i = 0; i < RECENT; i++)
        {
            recent[i] = new AuthRequest();
        }
    }

    /**
     * Fills the next request.
     *
     * @param request filled (cleared first).
     */
    public void next(final AuthRequest request)
    {
        nowMs += stepMs;
        final int kind = random.nextInt(100);
        if (sent >= RECENT && kind >= 90)
        {
            final AuthRequest earlier = recent[random.nextInt(RECENT)];
            if (kind < 95 || earlier.mti != 200 || earlier.processingCode == Purchases.BALANCE_INQUIRY)
            {
                request.copyFrom(earlier);
                request.businessTimeMs = nowMs;
            }
            else
            {
                reversalOf(earlier, request);
            }
            return;
        }
        request.clear();
        request.mti = 200;
        request.businessTimeMs = nowMs;
        request.sourceType = AuthRequest.SOURCE_TERMINAL;
        final int card = random.nextInt(cards.size());
        request.pan = cards.pan(card);
        request.panDigits = digits(request.pan);
        final boolean head = cards.hasFlag(card, CardTable.FLAG_HEAD);
        if (head && kind < 40)
        {
            terminal(request, grocers);
            request.processingCode = Purchases.RATION;
            request.amount = 100 + random.nextInt(20) * 100;
            request.currency = 818;
        }
        else if (head && kind < 70)
        {
            terminal(request, bakeries);
            request.processingCode = Purchases.BREAD;
            request.amount = 1 + random.nextInt(10);
            request.currency = 999;
        }
        else if (kind < 80)
        {
            terminal(request, grocers);
            request.processingCode = Purchases.BALANCE_INQUIRY;
        }
        else
        {
            terminal(request, grocers);
            request.processingCode = 9400;
            request.amount = 500 + random.nextInt(50) * 100;
            request.currency = 818;
            request.pinResult = AuthRequest.PIN_CORRECT;
        }
        request.contentHash = digest(request);
        recent[(int)(sent++ & (RECENT - 1))].copyFrom(request);
    }

    public long sent()
    {
        return sent;
    }

    private void reversalOf(final AuthRequest original, final AuthRequest request)
    {
        request.copyFrom(original);
        request.mti = 400;
        request.businessTimeMs = nowMs;
        request.originalMti = 200;
        request.originalStan = original.stan;
        request.originalTransmissionDateTime = original.transmissionDateTime;
        request.stan = nextStan(request.sourceIndex);
        request.transmissionDateTime = transmission(nowMs);
        request.pinResult = AuthRequest.PIN_ABSENT;
    }

    private void terminal(final AuthRequest request, final int[] ofType)
    {
        final int terminal = ofType[random.nextInt(ofType.length)];
        request.sourceIndex = terminal;
        request.terminalId = terminals.terminalId[terminal];
        request.stan = nextStan(terminal);
        request.transmissionDateTime = transmission(nowMs);
    }

    private int nextStan(final int terminal)
    {
        stans[terminal] = stans[terminal] % 999_999 + 1;
        return stans[terminal];
    }

    private static long transmission(final long timeMs)
    {
        return (timeMs / 1000) % 10_000_000_000L;
    }

    private static long digest(final AuthRequest request)
    {
        long h = request.pan * 0x9E3779B97F4A7C15L;
        h = (h ^ request.processingCode) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ request.amount) * 0x165667B19E3779F9L;
        h = (h ^ request.currency) * 0x9E3779B97F4A7C15L;
        h = (h ^ request.terminalId) * 0xC2B2AE3D27D4EB4FL;
        return h ^ (h >>> 31);
    }

    private static int digits(final long value)
    {
        return Long.toString(value).length();
    }
}
