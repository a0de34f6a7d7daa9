package org.unicard.tools.traffic;

import org.unicard.authorizer.Authorizer;
import org.unicard.terminal.TerminalRequest;

/**
 * What simulated terminals ask for, by processing code, amount and currency (spec §5), written
 * once for every generator: bread by the loaf, rationed goods in piasters, a return, a balance
 * inquiry. The caller sets the card ({@code request.pan}).
 */
public final class Purchases
{
    /** Processing code of a bread purchase: loaves of the daily quota. */
    public static final int BREAD = 9200;
    /** Processing code of a ration purchase: piasters of the monthly credit. */
    public static final int RATION = 9100;
    /** Processing code of a ration return. */
    public static final int RATION_RETURN = 209100;
    /** Processing code of a balance inquiry on every program. */
    public static final int BALANCE_INQUIRY = 310000;

    private Purchases()
    {
    }

    /**
     * @param request started by {@link SimulatedTerminal#start}.
     * @param loaves  field 4.
     * @return the request.
     */
    public static TerminalRequest bread(final TerminalRequest request, final long loaves)
    {
        return content(request, BREAD, loaves, Authorizer.CURRENCY_NONE);
    }

    /**
     * @param request  started by {@link SimulatedTerminal#start}.
     * @param piasters field 4.
     * @return the request.
     */
    public static TerminalRequest ration(final TerminalRequest request, final long piasters)
    {
        return content(request, RATION, piasters, Authorizer.CURRENCY_EGP);
    }

    /**
     * @param request  started by {@link SimulatedTerminal#start}.
     * @param piasters field 4: how much of an approved ration purchase comes back.
     * @return the request.
     */
    public static TerminalRequest rationReturn(final TerminalRequest request, final long piasters)
    {
        return content(request, RATION_RETURN, piasters, Authorizer.CURRENCY_EGP);
    }

    /**
     * @param request started by {@link SimulatedTerminal#start}.
     * @return the request: no amount, no currency.
     */
    public static TerminalRequest balanceInquiry(final TerminalRequest request)
    {
        request.processingCode = BALANCE_INQUIRY;
        return request;
    }

    private static TerminalRequest content(
        final TerminalRequest request, final int processingCode, final long amount, final int currency)
    {
        request.processingCode = processingCode;
        request.amount = amount;
        request.currency = currency;
        return request;
    }
}
