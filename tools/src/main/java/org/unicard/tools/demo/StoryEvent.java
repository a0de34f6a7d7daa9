package org.unicard.tools.demo;

/**
 * Something that happens to the switch on a given simulated day besides terminal traffic: the
 * extension point of the demo's story. The demo runs each event when the business clock reaches its
 * day and minute, before that minute's visits, with nothing of the household in flight, and tells the
 * model ({@link MonthModel}) what changed once the switch has accepted it.
 * <p>
 * Today: a family reports its card lost and an operator blocks it ({@link LostCardReported}). Planned
 * (they need interfaces other helpers are building): a replacement card issued after the block
 * ({@code POST /api/changes}, spec §12, then the new card's first use supersedes the old), a bakery
 * opening mid-month (a change batch adding a terminal, then a share of the neighbourhood's families
 * buying there), and the count of citizen messages sent (spec §14).
 */
sealed interface StoryEvent
{
    /** When a family calls the hotline about a lost card: 07:00. */
    int LOST_CARD_REPORT_MINUTE = 7 * 60;

    /**
     * @return the Cairo day number it happens on.
     */
    int day();

    /**
     * @return the minute of that day.
     */
    int minuteOfDay();

    /**
     * @return the household it concerns.
     */
    int household();

    /**
     * A family reports the head's card lost: the operator blocks it ({@code POST /api/cards/{pan}/block
     * {"reason":"lost"}}, spec §11), and every later use of it is answered 41.
     *
     * @param day         the day of the call.
     * @param minuteOfDay the minute of the call.
     * @param household   the family.
     * @param card        the card blocked.
     */
    record LostCardReported(int day, int minuteOfDay, int household, int card) implements StoryEvent
    {
    }
}
