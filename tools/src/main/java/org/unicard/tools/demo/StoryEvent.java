package org.unicard.tools.demo;

/**
 * Something that happens to the switch on a given simulated day besides terminal traffic: the
 * extension point of the demo's story. The demo runs each event when the business clock reaches its
 * day and minute, before that minute's visits, with nothing of the household in flight, and tells the
 * model ({@link MonthModel}) what changed once the switch has accepted it.
 * <p>
 * The chapters: a family reports its card lost and an operator blocks it ({@link LostCardReported});
 * the next day a replacement card is issued by a change batch ({@link ReplacementCardIssued},
 * {@code POST /api/changes}, spec §12; the new card's first use supersedes the old, spec §9); mid-month
 * a bakery opens ({@link BakeryOpened}, a change batch adding a terminal, then some of the
 * neighbourhood's families buy there).
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

    /** When a replacement card is issued: 07:00 of the day after the block. */
    int REPLACEMENT_MINUTE = 7 * 60;

    /** When the new bakery's terminal is added: 04:00, before the morning bread. */
    int BAKERY_OPENING_MINUTE = 4 * 60;

    /**
     * The replacement of a lost head card: a change batch with one {@code card} line ({@code replaces_pan} the
     * lost card, status {@code collected}, same household, role, national id, programs; a new PAN and the PVV of
     * its PIN). From the next day the family uses the new card; its first approval supersedes the old (62).
     *
     * @param household the family.
     * @param oldCard   the lost card.
     * @param newPan    the new card's PAN (prefix {@link MonthStory#REPLACEMENT_PAN_PREFIX}, which the generator never uses).
     */
    record ReplacementCardIssued(int day, int minuteOfDay, int household, int oldCard, long newPan) implements StoryEvent
    {
    }

    /**
     * A bakery opens: a change batch with one {@code terminal} line (keys under the demo's LMK); from the next day
     * some households of the neighbourhood buy their bread there.
     *
     * @param household   the first household that moves to it (its visits wait for the opening).
     * @param terminalId  field 41, never generated ({@link MonthStory#NEW_BAKERY_ID}).
     * @param merchantId  field 42.
     * @param governorate the data set's governorate, the neighbourhood's.
     */
    record BakeryOpened(int day, int minuteOfDay, int household, String terminalId, String merchantId, int governorate) implements StoryEvent
    {
    }
}
