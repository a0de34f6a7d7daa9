package org.unicard.state;

/**
 * The Luhn (mod 10) check digit of card numbers, over a PAN held as a {@code long}.
 * <p>
 * {@link #isValid} runs on every request the authorizer decides, live and in replay, so it takes
 * the number four digits at a time: the digits of a PAN are weighted 1, 2, 1, 2, … from the right
 * (a doubled digit counting as the sum of its two digits), a run of four digits starts on weight 1
 * wherever it sits, and so one table of the weighted sums of 0000–9999 serves every run. A 16-digit
 * PAN is four lookups and four divisions by a constant instead of sixteen of each. The table is
 * built once when the class loads and only read afterwards.
 */
public final class Luhn
{
    private static final int RUN = 10_000;
    /** For every four-digit run, the sum of its digits weighted 1, 2, 1, 2 from the right. Never written after class initialisation. */
    private static final byte[] RUN_SUMS = new byte[RUN];

    static
    {
        for (int run = 0; run < RUN; run++)
        {
            RUN_SUMS[run] = (byte)weightedSum(run, false);
        }
    }

    private Luhn()
    {
    }

    /**
     * @param pan a positive card number, check digit last.
     * @return whether its last digit is the Luhn check digit of the others.
     */
    public static boolean isValid(final long pan)
    {
        if (pan <= 0)
        {
            return false;
        }
        long rest = pan;
        int sum = 0;
        while (rest > 0)
        {
            sum += RUN_SUMS[(int)(rest % RUN)];
            rest /= RUN;
        }
        return sum % 10 == 0;
    }

    /**
     * @param payload a card number without its check digit.
     * @return the digit to append so that the whole number passes the Luhn check.
     */
    public static int checkDigit(final long payload)
    {
        return (10 - weightedSum(payload, true) % 10) % 10;
    }

    /**
     * The Luhn sum of a number, digit by digit from the right.
     *
     * @param value        a number, 0 or more.
     * @param doubledFirst whether its last digit is doubled (a payload without its check digit) or
     *                     not (a whole PAN).
     */
    private static int weightedSum(final long value, final boolean doubledFirst)
    {
        long rest = value;
        int sum = 0;
        boolean doubled = doubledFirst;
        while (rest > 0)
        {
            int digit = (int)(rest % 10);
            rest /= 10;
            if (doubled)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum;
    }
}
