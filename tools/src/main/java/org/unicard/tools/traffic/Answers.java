package org.unicard.tools.traffic;

import org.unicard.iso8583.message.IsoMessageReader;

/**
 * Reading a switch's answer the way every generator does: the response code as a number, a field
 * as text (for the few that keep an answer to compare it later).
 */
public final class Answers
{
    private Answers()
    {
    }

    /**
     * @param response a valid response holding field 39.
     * @return field 39 as a number (two digits; 0 to 99 for a well-formed code).
     */
    public static int responseCode(final IsoMessageReader response)
    {
        return (response.charAt(39, 0) - '0') * 10 + (response.charAt(39, 1) - '0');
    }

    /**
     * @param response a valid response.
     * @param field    a field it holds.
     * @return the field's characters as text (allocates: not for the measured path).
     */
    public static String text(final IsoMessageReader response, final int field)
    {
        final int count = response.valueLength(field);
        final StringBuilder text = new StringBuilder(count);
        for (int i = 0; i < count; i++)
        {
            text.append((char)response.charAt(field, i));
        }
        return text.toString();
    }
}
