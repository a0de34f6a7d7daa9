package org.unicard.authorizer;

import static org.unicard.authorizer.ProcessingCode.TYPE_BALANCE_INQUIRY;
import static org.unicard.authorizer.ProcessingCode.TYPE_CASH_WITHDRAWAL;
import static org.unicard.authorizer.ProcessingCode.TYPE_PURCHASE;
import static org.unicard.authorizer.ProcessingCode.TYPE_RETURN;

import org.unicard.state.Program;
import org.unicard.state.TerminalType;

/**
 * Which transactions each terminal type may do (spec §4), and which processing codes exist at
 * all. A table of bits: one row per terminal type, one bit per (transaction type, account).
 */
public final class TransactionPermissions
{
    private static final int[] TYPES = {TYPE_PURCHASE, TYPE_CASH_WITHDRAWAL, TYPE_RETURN, TYPE_BALANCE_INQUIRY};
    private static final int[] ACCOUNTS = {
        Program.ACCOUNT_ALL, Program.ACCOUNT_RATION, Program.ACCOUNT_BREAD, Program.ACCOUNT_HEALTH,
        Program.ACCOUNT_WALLET, Program.ACCOUNT_CASH};

    private static final long[] ALLOWED = new long[TerminalType.ACQUIRER_LINK + 1];

    static
    {
        allow(TerminalType.BAKERY, TYPE_PURCHASE, Program.ACCOUNT_BREAD);
        allow(TerminalType.BAKERY, TYPE_BALANCE_INQUIRY, Program.ACCOUNT_BREAD);
        allow(TerminalType.BAKERY, TYPE_BALANCE_INQUIRY, Program.ACCOUNT_ALL);

        allow(TerminalType.GROCER, TYPE_PURCHASE, Program.ACCOUNT_RATION);
        allow(TerminalType.GROCER, TYPE_RETURN, Program.ACCOUNT_RATION);
        allow(TerminalType.GROCER, TYPE_PURCHASE, Program.ACCOUNT_WALLET);
        allow(TerminalType.GROCER, TYPE_BALANCE_INQUIRY, Program.ACCOUNT_RATION);
        allow(TerminalType.GROCER, TYPE_BALANCE_INQUIRY, Program.ACCOUNT_WALLET);
        allow(TerminalType.GROCER, TYPE_BALANCE_INQUIRY, Program.ACCOUNT_ALL);

        allow(TerminalType.HEALTH, TYPE_PURCHASE, Program.ACCOUNT_HEALTH);
        allow(TerminalType.HEALTH, TYPE_BALANCE_INQUIRY, Program.ACCOUNT_ALL);

        allow(TerminalType.POST, TYPE_CASH_WITHDRAWAL, Program.ACCOUNT_WALLET);
        allow(TerminalType.POST, TYPE_CASH_WITHDRAWAL, Program.ACCOUNT_CASH);
        allow(TerminalType.POST, TYPE_PURCHASE, Program.ACCOUNT_WALLET);
        for (final int account : ACCOUNTS)
        {
            allow(TerminalType.POST, TYPE_BALANCE_INQUIRY, account);
        }

        allow(TerminalType.ACQUIRER_LINK, TYPE_PURCHASE, Program.ACCOUNT_WALLET);
        allow(TerminalType.ACQUIRER_LINK, TYPE_RETURN, Program.ACCOUNT_WALLET);
        allow(TerminalType.ACQUIRER_LINK, TYPE_BALANCE_INQUIRY, Program.ACCOUNT_WALLET);
    }

    private TransactionPermissions()
    {
    }

    /**
     * @return whether the processing code's type and account exist (spec §4), whatever the terminal.
     */
    public static boolean isSupported(final int type, final int account)
    {
        return bit(type, account) >= 0 && (type == TYPE_BALANCE_INQUIRY || account != Program.ACCOUNT_ALL);
    }

    /**
     * @return whether a terminal of the type may do the transaction.
     */
    public static boolean isAllowed(final byte terminalType, final int type, final int account)
    {
        final int bit = bit(type, account);
        return bit >= 0 && (ALLOWED[terminalType] & (1L << bit)) != 0;
    }

    private static void allow(final byte terminalType, final int type, final int account)
    {
        ALLOWED[terminalType] |= 1L << bit(type, account);
    }

    private static int bit(final int type, final int account)
    {
        int typeIndex = -1;
        for (int i = 0; i < TYPES.length; i++)
        {
            if (TYPES[i] == type)
            {
                typeIndex = i;
            }
        }
        int accountIndex = -1;
        for (int i = 0; i < ACCOUNTS.length; i++)
        {
            if (ACCOUNTS[i] == account)
            {
                accountIndex = i;
            }
        }
        return typeIndex < 0 || accountIndex < 0 ? -1 : typeIndex * ACCOUNTS.length + accountIndex;
    }
}
