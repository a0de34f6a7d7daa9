package org.unicard.testing;

import java.time.Duration;
import java.time.ZonedDateTime;

import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.config.ProgramRules;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.time.CairoCalendar;

/**
 * An authorizer over a fresh {@link TestData} set with a business clock the test moves, and request
 * builders that take the clock's time and the next STAN. One per test.
 */
public final class AuthorizerHarness
{
    public static final int WINDOW_CAPACITY = 4_096;
    public static final int LEDGER_CAPACITY = 4_096;
    /**
     * A duplicate-window detail ring small enough that most hits read the detail back from a
     * journal (tests of the journal read-back path attach one).
     */
    public static final int SMALL_WINDOW_DETAIL = 16;

    public final DataSet data;
    public final Authorizer authorizer;
    public final HouseholdTable households;
    public final CardTable cards;
    private long nowMs;
    private int nextStan = 1;

    private AuthorizerHarness(final ZonedDateTime genesis, final int windowDetailEntries)
    {
        this(genesis, WINDOW_CAPACITY, windowDetailEntries);
    }

    private AuthorizerHarness(final ZonedDateTime genesis, final int windowCapacity, final int windowDetailEntries)
    {
        data = TestData.dataSet();
        households = data.households();
        cards = data.cards();
        authorizer = new Authorizer(data, ProgramRules.defaults(), windowCapacity, LEDGER_CAPACITY, windowDetailEntries);
        nowMs = genesis.toInstant().toEpochMilli();
        authorizer.genesis(nowMs);
    }

    /** Genesis at {@link TestData#GENESIS}. */
    public static AuthorizerHarness atGenesis()
    {
        return new AuthorizerHarness(TestData.GENESIS, org.unicard.authorizer.DuplicateWindow.DETAIL_ENTRIES);
    }

    /**
     * @param windowDetailEntries requests whose detail the duplicate window keeps in memory.
     */
    public static AuthorizerHarness atGenesis(final int windowDetailEntries)
    {
        return new AuthorizerHarness(TestData.GENESIS, windowDetailEntries);
    }

    /**
     * @param windowCapacity the duplicate window's capacity (small, to make it evict early).
     */
    public static AuthorizerHarness withWindowOf(final int windowCapacity)
    {
        return new AuthorizerHarness(TestData.GENESIS, windowCapacity, org.unicard.authorizer.DuplicateWindow.DETAIL_ENTRIES);
    }

    public static AuthorizerHarness withGenesis(final ZonedDateTime genesis)
    {
        return new AuthorizerHarness(genesis, org.unicard.authorizer.DuplicateWindow.DETAIL_ENTRIES);
    }

    public long nowMs()
    {
        return nowMs;
    }

    public void at(final ZonedDateTime businessTime)
    {
        nowMs = businessTime.toInstant().toEpochMilli();
    }

    public void at(final int year, final int month, final int day, final int hour, final int minute)
    {
        at(ZonedDateTime.of(year, month, day, hour, minute, 0, 0, CairoCalendar.ZONE));
    }

    public void advance(final Duration duration)
    {
        nowMs += duration.toMillis();
    }

    public int nextStan()
    {
        return nextStan++;
    }

    /** A 0200 from a terminal at the current time with the next STAN. */
    public Requests financial(final int terminal)
    {
        return Requests.financial().terminal(terminal).at(nowMs).stan(nextStan());
    }

    /** A 0100 from a terminal at the current time with the next STAN. */
    public Requests authorization(final int terminal)
    {
        return Requests.authorization().terminal(terminal).at(nowMs).stan(nextStan());
    }

    /** A 0200 from an acquirer link at the current time with the next STAN. */
    public Requests acquirerFinancial(final int acquirer)
    {
        return Requests.financial().acquirer(acquirer, TestData.ACQUIRER_TERMINAL).at(nowMs).stan(nextStan());
    }

    /** A 0400 of an original at the current time with the next STAN. */
    public Requests reversalOf(final AuthRequest original)
    {
        return Requests.reversalOf(original).at(nowMs).stan(nextStan());
    }

    public AuthOutcome command(final byte command, final int card)
    {
        return send(Requests.command(command, TestData.pan(card)).at(nowMs).build());
    }

    /**
     * @return the same request again (same key and content) stamped with the harness's current time,
     * as a terminal's retransmission arrives.
     */
    public AuthRequest again(final AuthRequest original)
    {
        final AuthRequest copy = new AuthRequest();
        copy.copyFrom(original);
        copy.businessTimeMs = nowMs;
        return copy;
    }

    public AuthOutcome send(final Requests request)
    {
        return send(request.build());
    }

    public AuthOutcome send(final AuthRequest request)
    {
        final AuthOutcome outcome = new AuthOutcome();
        authorizer.authorize(request, outcome);
        return outcome;
    }

    // Common transactions.

    /** 00/91 ration purchase at a grocer. */
    public AuthOutcome buyRation(final int card, final long piasters)
    {
        return send(financial(TestData.GROCER).card(TestData.pan(card)).code(9100).egp(piasters));
    }

    /** 00/92 bread purchase at the bakery. */
    public AuthOutcome buyBread(final int card, final long loaves)
    {
        return send(financial(TestData.BAKERY).card(TestData.pan(card)).code(9200).loaves(loaves));
    }

    /** 00/94 wallet purchase at a grocer with the right PIN. */
    public AuthOutcome payFromWallet(final int card, final long piasters)
    {
        return send(financial(TestData.GROCER).card(TestData.pan(card)).code(9400).egp(piasters).rightPin());
    }

    /** 01/95 cash-support withdrawal at the post office with the right PIN. */
    public AuthOutcome withdrawCash(final int card, final long piasters)
    {
        return send(financial(TestData.POST).card(TestData.pan(card)).code(19500).egp(piasters).rightPin());
    }

    /** 31/00 balance inquiry at the post office (every account, no PIN). */
    public AuthOutcome inquire(final int card)
    {
        return send(financial(TestData.POST).card(TestData.pan(card)).code(310000));
    }

    // State.

    public long ration(final int household)
    {
        return households.rationBalancePiasters(household);
    }

    public long cash(final int household)
    {
        return households.cashBalancePiasters(household);
    }

    public int loavesTakenToday(final int household)
    {
        return households.loavesTakenToday(household);
    }

    public long wallet(final int card)
    {
        return cards.walletBalancePiasters(card);
    }

    public int pinTries(final int card)
    {
        return cards.pinTries(card);
    }

    public byte status(final int card)
    {
        return cards.status(card);
    }

    /**
     * @return the balance of an account in an outcome's field 54, or {@link Long#MIN_VALUE} when absent.
     */
    public static long balance(final AuthOutcome outcome, final int account)
    {
        for (int i = 0; i < outcome.balanceCount; i++)
        {
            if (outcome.balanceAccount[i] == account)
            {
                return outcome.balanceAmount[i];
            }
        }
        return Long.MIN_VALUE;
    }

    /**
     * @return the accounts of an outcome's field 54, in order.
     */
    public static int[] balanceAccounts(final AuthOutcome outcome)
    {
        final int[] accounts = new int[outcome.balanceCount];
        System.arraycopy(outcome.balanceAccount, 0, accounts, 0, outcome.balanceCount);
        return accounts;
    }
}
