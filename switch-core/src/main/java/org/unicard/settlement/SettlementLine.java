package org.unicard.settlement;

/**
 * Totals of one terminal and program on one day. Amounts are those approved in field 4.
 */
public final class SettlementLine
{
    final String terminalId;
    final long acquirerId;
    final int account;
    long purchases;
    long purchasesTotal;
    long returns;
    long returnsTotal;
    long reversals;
    /** Reversed purchases minus reversed returns. */
    long reversalsTotal;

    SettlementLine(final String terminalId, final long acquirerId, final int account)
    {
        this.terminalId = terminalId;
        this.acquirerId = acquirerId;
        this.account = account;
    }

    public String terminalId()
    {
        return terminalId;
    }

    public long acquirerId()
    {
        return acquirerId;
    }

    public int account()
    {
        return account;
    }

    public long purchases()
    {
        return purchases;
    }

    public long purchasesTotal()
    {
        return purchasesTotal;
    }

    public long returns()
    {
        return returns;
    }

    public long returnsTotal()
    {
        return returnsTotal;
    }

    public long reversals()
    {
        return reversals;
    }

    public long reversalsTotal()
    {
        return reversalsTotal;
    }

    /**
     * @return purchases minus returns minus reversals: what the merchant is owed.
     */
    public long net()
    {
        return purchasesTotal - returnsTotal - reversalsTotal;
    }
}
