package org.unicard.state;

/**
 * Terminal types of {@code terminals.csv} (spec §4, §10) as byte codes, plus the pseudo-type of an
 * acquirer link, whose terminal ids are not registered with the switch.
 */
public final class TerminalType
{
    public static final byte BAKERY = 0;
    public static final byte GROCER = 1;
    public static final byte HEALTH = 2;
    public static final byte POST = 3;
    public static final byte ACQUIRER_LINK = 4;

    private static final String[] NAMES = {"bakery", "grocer", "health", "post", "acquirer"};

    private TerminalType()
    {
    }

    public static String name(final byte type)
    {
        return NAMES[type];
    }

    /**
     * @param name a {@code terminals.csv} type.
     * @return the code, or -1 when unknown.
     */
    public static byte parse(final String name)
    {
        return switch (name)
        {
            case "bakery" -> BAKERY;
            case "grocer" -> GROCER;
            case "health" -> HEALTH;
            case "post" -> POST;
            default -> -1;
        };
    }
}
