package org.unicard.iso8583.message;

/**
 * Message type indicators of the Unicard interface (spec §3) as the readers and writers take them:
 * the four digits as a number ({@code 0200} is {@code 200}), and the digits' meaning.
 */
public final class Mti
{
    /** Authorization request (no debit): balance inquiry, health eligibility. */
    public static final int AUTHORIZATION_REQUEST = 100;
    /** Authorization response. */
    public static final int AUTHORIZATION_RESPONSE = 110;
    /** Financial request: purchase, return, cash withdrawal, balance inquiry. */
    public static final int FINANCIAL_REQUEST = 200;
    /** Financial response. */
    public static final int FINANCIAL_RESPONSE = 210;
    /** Reversal request. */
    public static final int REVERSAL_REQUEST = 400;
    /** Reversal response. */
    public static final int REVERSAL_RESPONSE = 410;
    /** Reversal advice (handled as a reversal request). */
    public static final int REVERSAL_ADVICE = 420;
    /** Reversal advice response. */
    public static final int REVERSAL_ADVICE_RESPONSE = 430;
    /** Network management request (field 70, see {@link NetworkCode}). */
    public static final int NETWORK_REQUEST = 800;
    /** Network management response. */
    public static final int NETWORK_RESPONSE = 810;

    private Mti()
    {
    }

    /**
     * @return whether the message function (third digit) is a request (0) or an advice (2), the
     * messages a switch answers; responses and others are not.
     */
    public static boolean isRequestOrAdvice(final int mti)
    {
        final int function = (mti / 10) % 10;
        return function == 0 || function == 2;
    }

    /**
     * @return whether the switch decides messages of this type: 0100, 0200, 0400, 0420 and 0800.
     */
    public static boolean isSupportedRequest(final int mti)
    {
        return mti == AUTHORIZATION_REQUEST || mti == FINANCIAL_REQUEST || isReversal(mti) || mti == NETWORK_REQUEST;
    }

    /**
     * @return whether the message is a reversal: 0400, or the 0420 advice that repeats it.
     */
    public static boolean isReversal(final int mti)
    {
        return mti == REVERSAL_REQUEST || mti == REVERSAL_ADVICE;
    }

    /**
     * @return the MTI of the response to a request: message function 0 → 1, 2 → 3 (0200 → 0210,
     * 0420 → 0430).
     */
    public static int responseTo(final int requestMti)
    {
        return requestMti + 10;
    }
}
