package org.unicard.state;

/**
 * Card lifecycle statuses (spec §9) as byte codes stored in {@link CardTable}. {@code DESTROYED}
 * is never stored by the importer: an {@code ISSUED} card uncollected 60 days after issue is
 * destroyed by the rule, evaluated at the business time of each request.
 */
public final class CardStatus
{
    public static final byte ISSUED = 0;
    public static final byte COLLECTED = 1;
    public static final byte BLOCKED_LOST = 2;
    public static final byte BLOCKED_STOLEN = 3;
    public static final byte DAMAGED = 4;
    public static final byte SUPERSEDED = 5;
    public static final byte DESTROYED = 6;

    private static final String[] NAMES =
        {"issued", "collected", "blocked_lost", "blocked_stolen", "damaged", "superseded", "destroyed"};

    private CardStatus()
    {
    }

    /**
     * @param status a status code.
     * @return its name as used in {@code cards.csv} and the operator API.
     */
    public static String name(final byte status)
    {
        return NAMES[status];
    }

    /**
     * Parses the statuses {@code cards.csv} may hold (spec §10).
     *
     * @param name the CSV value.
     * @return the code, or -1 when the name is not one {@code cards.csv} accepts.
     */
    public static byte parseImported(final String name)
    {
        return switch (name)
        {
            case "issued" -> ISSUED;
            case "collected" -> COLLECTED;
            case "blocked_lost" -> BLOCKED_LOST;
            case "blocked_stolen" -> BLOCKED_STOLEN;
            case "damaged" -> DAMAGED;
            default -> -1;
        };
    }
}
