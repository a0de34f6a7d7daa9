package org.unicard.notify;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonGenerator;
import org.unicard.time.CairoCalendar;

/**
 * One citizen event of spec §14, as it is written into the JSON array POSTed to the gateway. The
 * notifier keeps a bounded array of these per batch and refills them; a value that does not apply
 * is {@link #ABSENT} (or {@code null}) and is left out of the JSON.
 * <p>
 * What an event may hold is limited by construction: the card's last 4 digits, never its PAN, no
 * national id, no PIN block or key (spec §6, docs/security.md).
 */
public final class CitizenEvent
{
    public static final long ABSENT = Long.MIN_VALUE;

    /** ISO-8601 with the offset, to the second; milliseconds are added by hand. */
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx");

    /** The last second formatted (events come in time order, many in one second), per thread. */
    private static final ThreadLocal<String[]> LAST_SECOND = ThreadLocal.withInitial(() -> new String[3]);

    /** Unique per event, the same on every retry and after restarts. */
    public String key;
    /** The business time of the decision (a digest: the end of its day; a statement: the start of the month after). */
    public long timeMs;
    /** The mobile number without its leading 0 (10 digits), as {@code CardTable} keeps it. */
    public long mobile;
    /** The card's last 4 digits, or -1 for household events without a card. */
    public int cardLast4 = -1;
    public long householdId;
    public EventKind kind;
    /** {@code ration}, {@code bread}, {@code health}, {@code wallet} or {@code cash}; or {@code null}. */
    public String program;
    /** In the program's unit (piasters or loaves), or {@link #ABSENT}. */
    public long amount = ABSENT;
    /** After the decision, in the program's unit, or {@link #ABSENT}. */
    public long balance = ABSENT;
    /** Field 39 of a decline, or -1. */
    public int code = -1;
    public String textAr;
    public String textEn;
    /** The journal index of the record the event came from (not sent; for the position). */
    long recordIndex;

    /** Resets every field to absent. */
    public void clear()
    {
        key = null;
        timeMs = 0;
        mobile = 0;
        cardLast4 = -1;
        householdId = 0;
        kind = null;
        program = null;
        amount = ABSENT;
        balance = ABSENT;
        code = -1;
        textAr = null;
        textEn = null;
        recordIndex = -1;
    }

    /**
     * Writes the event as one JSON object.
     */
    public void write(final JsonGenerator json) throws IOException
    {
        json.writeStartObject();
        json.writeStringField("key", key);
        json.writeStringField("time", time(timeMs));
        json.writeStringField("mobile", mobileText(mobile));
        if (cardLast4 >= 0)
        {
            json.writeStringField("card_last4", last4Text(cardLast4));
        }
        json.writeStringField("household_id", Long.toString(householdId));
        json.writeStringField("kind", kind.wireName());
        if (program != null)
        {
            json.writeStringField("program", program);
        }
        if (amount != ABSENT)
        {
            json.writeNumberField("amount", amount);
        }
        if (balance != ABSENT)
        {
            json.writeNumberField("balance", balance);
        }
        if (code >= 0)
        {
            json.writeStringField("code", code < 10 ? "0" + code : Integer.toString(code));
        }
        json.writeStringField("text_ar", textAr);
        json.writeStringField("text_en", textEn);
        json.writeEndObject();
    }

    /**
     * @return the time as ISO-8601 with milliseconds and Cairo's offset at that instant, e.g.
     * {@code 2026-11-23T09:00:01.250+02:00}.
     */
    public static String time(final long epochMs)
    {
        final long second = Math.floorDiv(epochMs, 1000);
        final String[] last = LAST_SECOND.get();
        if (last[0] == null || Long.parseLong(last[0]) != second)
        {
            final OffsetDateTime at = OffsetDateTime.ofInstant(Instant.ofEpochSecond(second), CairoCalendar.ZONE);
            last[0] = Long.toString(second);
            last[1] = at.format(SECOND);
            last[2] = at.format(OFFSET);
        }
        final int millis = (int)Math.floorMod(epochMs, 1000);
        return last[1] + (millis < 10 ? ".00" : millis < 100 ? ".0" : ".") + millis + last[2];
    }

    /**
     * @param mobile a mobile number as {@code CardTable} keeps it: without the leading 0.
     * @return {@code 0} and the 10 digits.
     */
    public static String mobileText(final long mobile)
    {
        return "0" + pad(mobile, 10);
    }

    public static String last4Text(final int last4)
    {
        return pad(last4, 4);
    }

    private static String pad(final long value, final int digits)
    {
        final String text = Long.toString(value);
        return text.length() >= digits ? text : "0".repeat(digits - text.length()) + text;
    }
}
