package org.unicard.authorizer;

import org.unicard.state.Program;

/**
 * The switch's profile of field 3, the processing code (spec §4): digits 1–2 the transaction type,
 * 3–4 the account (program), 5–6 {@code 00}. The code is held as the number the reader gives
 * ({@code 209100} is a return on the ration account), and split only here. Account numbers are
 * {@link Program}'s {@code ACCOUNT_*}.
 */
public final class ProcessingCode
{
    /** Purchase or service (debit). */
    public static final int TYPE_PURCHASE = 0;
    /** Cash withdrawal (debit). */
    public static final int TYPE_CASH_WITHDRAWAL = 1;
    /** Return (credit back what this card spent at this terminal). */
    public static final int TYPE_RETURN = 20;
    /** Balance inquiry. */
    public static final int TYPE_BALANCE_INQUIRY = 31;

    private static final int TYPE_UNIT = 10_000;
    private static final int ACCOUNT_UNIT = 100;

    private ProcessingCode()
    {
    }

    /**
     * @return digits 1–2, the transaction type ({@code TYPE_*}).
     */
    public static int type(final int code)
    {
        return code / TYPE_UNIT;
    }

    /**
     * @return digits 3–4, the account ({@link Program}{@code .ACCOUNT_*}).
     */
    public static int account(final int code)
    {
        return (code / ACCOUNT_UNIT) % 100;
    }

    /**
     * @return whether the code has the switch's form: not negative, digits 5–6 {@code 00}.
     */
    public static boolean isWellFormed(final int code)
    {
        return code >= 0 && code % ACCOUNT_UNIT == 0;
    }

    /**
     * @return the processing code of a type and an account.
     */
    public static int of(final int type, final int account)
    {
        return type * TYPE_UNIT + account * ACCOUNT_UNIT;
    }

    /**
     * @return whether a transaction of the type carries an amount and a currency (fields 4 and 49):
     * purchases, cash withdrawals and returns.
     */
    public static boolean needsAmount(final int type)
    {
        return type == TYPE_PURCHASE || type == TYPE_CASH_WITHDRAWAL || type == TYPE_RETURN;
    }
}
