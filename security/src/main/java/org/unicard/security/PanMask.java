package org.unicard.security;

import java.util.regex.Pattern;

/**
 * The one way a PAN is shown outside the card tables (spec §6: logs, metrics, reports, API answers
 * and error messages never hold more than the first 6 and the last 4 digits): the first 6 and last 4
 * characters kept, every one between replaced by {@code *}. A value of 10 characters or fewer (no
 * PAN is that short) is replaced by {@code *} entirely, because keeping 6 + 4 of it would show all
 * of it.
 */
public final class PanMask
{
    private static final int SHOWN_FIRST = 6;
    private static final int SHOWN_LAST = 4;

    /** Digit runs long enough to be a PAN (spec §3: 12 to 19 digits, and anything longer). */
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{12,}");

    private PanMask()
    {
    }

    /**
     * @param pan a PAN, or any value given where a PAN was expected.
     * @return it with all but its first 6 and last 4 characters replaced by {@code *}; all of it
     * replaced when it has 10 characters or fewer.
     */
    public static String masked(final String pan)
    {
        final int length = pan.length();
        if (length <= SHOWN_FIRST + SHOWN_LAST)
        {
            return "*".repeat(length);
        }
        return pan.substring(0, SHOWN_FIRST) + "*".repeat(length - SHOWN_FIRST - SHOWN_LAST) + pan.substring(length - SHOWN_LAST);
    }

    /**
     * @param pan a PAN (its decimal digits, without leading zeros).
     * @return it masked as {@link #masked(String)} does.
     */
    public static String masked(final long pan)
    {
        return masked(Long.toString(pan));
    }

    /**
     * @param text any text, e.g. an error message echoing a request's path or body.
     * @return the text with every run of 12 or more digits masked as a PAN.
     */
    public static String maskedDigitRuns(final String text)
    {
        return DIGIT_RUN.matcher(text).replaceAll(run -> masked(run.group()));
    }
}
