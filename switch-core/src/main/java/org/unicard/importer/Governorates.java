package org.unicard.importer;

/**
 * The two-digit governorate codes of the Egyptian national id (digits 8–9), which the data files
 * also use for where a household or terminal is: 01–04 the city governorates, 11–19 Lower Egypt,
 * 21–29 Upper Egypt, 31–35 the frontier governorates, 88 born abroad.
 */
public final class Governorates
{
    /** Every valid code, ascending. */
    public static final int[] CODES =
        {1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 32, 33, 34, 35, 88};

    /** Port Said, the pilot governorate. */
    public static final int PORT_SAID = 3;

    /** Code 88: born abroad, valid in a national id but not a place of residence. */
    public static final int ABROAD = 88;

    private static final boolean[] VALID = new boolean[100];

    static
    {
        for (final int code : CODES)
        {
            VALID[code] = true;
        }
    }

    private Governorates()
    {
    }

    /**
     * @param code a number.
     * @return whether it is a governorate code.
     */
    public static boolean isValid(final int code)
    {
        return code >= 0 && code < VALID.length && VALID[code];
    }
}
