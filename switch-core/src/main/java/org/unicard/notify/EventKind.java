package org.unicard.notify;

/**
 * The kinds of citizen event of spec §14, with their names on the wire and in
 * {@code notifications.kinds}.
 */
public enum EventKind
{
    PURCHASE("purchase"),
    WITHDRAWAL("withdrawal"),
    RETURN("return"),
    REVERSAL("reversal"),
    DECLINE("decline"),
    BLOCK("block"),
    CARD_REPLACED("card-replaced"),
    BREAD_DIGEST("bread-digest"),
    MONTHLY_STATEMENT("monthly-statement");

    private static final EventKind[] ALL = values();

    private final String wireName;

    EventKind(final String wireName)
    {
        this.wireName = wireName;
    }

    public String wireName()
    {
        return wireName;
    }

    /**
     * @return the kind of that wire name, or {@code null}.
     */
    public static EventKind ofWireName(final String name)
    {
        for (final EventKind kind : ALL)
        {
            if (kind.wireName.equals(name))
            {
                return kind;
            }
        }
        return null;
    }
}
