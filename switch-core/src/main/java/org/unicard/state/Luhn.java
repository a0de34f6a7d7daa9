package org.unicard.state;

/**
 * The Luhn (mod 10) check digit of card numbers, over a PAN held as a {@code long}.
 */
public final class Luhn
{
    private Luhn()
    {
    }

    /**
     * @param pan a positive card number, check digit last.
     * @return whether its last digit is the Luhn check digit of the others.
     */
    public static boolean isValid(final long pan)
    {
        return pan > 0 && checkDigit(pan / 10) == pan % 10;
    }

    /**
     * @param payload a card number without its check digit.
     * @return the digit to append so that the whole number passes the Luhn check.
     */
    public static int checkDigit(final long payload)
    {
        long rest = payload;
        int sum = 0;
        boolean doubled = true;
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
        return (10 - sum % 10) % 10;
    }
}
