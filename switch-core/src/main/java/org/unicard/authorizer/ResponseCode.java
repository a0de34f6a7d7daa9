package org.unicard.authorizer;

/**
 * Response codes of field 39 (spec §7) as two-digit numbers. {@link #NONE} marks an outcome not
 * decided yet.
 */
public final class ResponseCode
{
    public static final int NONE = -1;
    public static final int APPROVED = 0;
    public static final int INVALID_TERMINAL = 3;
    public static final int DO_NOT_HONOUR = 5;
    public static final int INVALID_PROCESSING_CODE = 12;
    public static final int INVALID_AMOUNT = 13;
    public static final int INVALID_CARD_NUMBER = 14;
    public static final int ORIGINAL_NOT_FOUND = 25;
    public static final int FORMAT_ERROR = 30;
    public static final int LOST_CARD = 41;
    public static final int STOLEN_CARD = 43;
    public static final int INSUFFICIENT_FUNDS = 51;
    public static final int EXPIRED_CARD = 54;
    public static final int WRONG_PIN = 55;
    public static final int PROGRAM_NOT_HELD = 57;
    public static final int NOT_PERMITTED_ON_TERMINAL = 58;
    public static final int RESTRICTED_CARD = 62;
    public static final int MAC_FAILURE = 63;
    public static final int PIN_TRIES_EXCEEDED = 75;
    public static final int SYSTEM_UNAVAILABLE = 91;
    public static final int DUPLICATE_KEY_OTHER_CONTENT = 94;
    public static final int INTERNAL_ERROR = 96;

    /** Every code the switch sends, for metrics and tests. */
    public static final int[] ALL = {
        APPROVED, INVALID_TERMINAL, DO_NOT_HONOUR, INVALID_PROCESSING_CODE, INVALID_AMOUNT, INVALID_CARD_NUMBER,
        ORIGINAL_NOT_FOUND, FORMAT_ERROR, LOST_CARD, STOLEN_CARD, INSUFFICIENT_FUNDS, EXPIRED_CARD, WRONG_PIN,
        PROGRAM_NOT_HELD, NOT_PERMITTED_ON_TERMINAL, RESTRICTED_CARD, MAC_FAILURE, PIN_TRIES_EXCEEDED,
        SYSTEM_UNAVAILABLE, DUPLICATE_KEY_OTHER_CONTENT, INTERNAL_ERROR};

    private ResponseCode()
    {
    }

    /**
     * @param code a response code 0..99.
     * @return its two ASCII digits as field 39 carries them, e.g. "05".
     */
    public static String text(final int code)
    {
        return code < 10 ? "0" + code : Integer.toString(code);
    }
}
