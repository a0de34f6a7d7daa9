package org.unicard.state;

/**
 * The benefit programs a card can hold, as bits of a card's program mask, and the ISO 8583
 * account type (digits 3–4 of the processing code) each one is reached by (spec §4).
 */
public final class Program
{
    public static final int RATION = 1;
    public static final int BREAD = 1 << 1;
    public static final int HEALTH = 1 << 2;
    public static final int WALLET = 1 << 3;
    public static final int CASH = 1 << 4;

    /** Programs kept per household, on the head's card. */
    public static final int HOUSEHOLD_PROGRAMS = RATION | BREAD | CASH;

    public static final int ACCOUNT_ALL = 0;
    public static final int ACCOUNT_RATION = 91;
    public static final int ACCOUNT_BREAD = 92;
    public static final int ACCOUNT_HEALTH = 93;
    public static final int ACCOUNT_WALLET = 94;
    public static final int ACCOUNT_CASH = 95;

    /** Accounts in the order balances are reported in field 54. */
    public static final int[] ACCOUNTS = {ACCOUNT_RATION, ACCOUNT_BREAD, ACCOUNT_HEALTH, ACCOUNT_WALLET, ACCOUNT_CASH};

    private Program()
    {
    }

    /**
     * @param account an account type 91..95.
     * @return the program bit it belongs to, or 0 for any other account.
     */
    public static int forAccount(final int account)
    {
        return switch (account)
        {
            case ACCOUNT_RATION -> RATION;
            case ACCOUNT_BREAD -> BREAD;
            case ACCOUNT_HEALTH -> HEALTH;
            case ACCOUNT_WALLET -> WALLET;
            case ACCOUNT_CASH -> CASH;
            default -> 0;
        };
    }

    /**
     * Parses one program name of {@code cards.csv}.
     *
     * @param name {@code ration}, {@code bread}, {@code health}, {@code wallet} or {@code cash}.
     * @return the bit, or 0 when the name is unknown.
     */
    public static int parse(final String name)
    {
        return switch (name)
        {
            case "ration" -> RATION;
            case "bread" -> BREAD;
            case "health" -> HEALTH;
            case "wallet" -> WALLET;
            case "cash" -> CASH;
            default -> 0;
        };
    }

    /**
     * @param programs a program mask.
     * @return the names separated by {@code ;}, in account order (as {@code cards.csv} writes them).
     */
    public static String names(final int programs)
    {
        final StringBuilder names = new StringBuilder();
        final String[] all = {"ration", "bread", "health", "wallet", "cash"};
        for (int i = 0; i < all.length; i++)
        {
            if ((programs & (1 << i)) != 0)
            {
                if (!names.isEmpty())
                {
                    names.append(';');
                }
                names.append(all[i]);
            }
        }
        return names.toString();
    }
}
