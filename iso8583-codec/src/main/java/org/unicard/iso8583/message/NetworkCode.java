package org.unicard.iso8583.message;

/**
 * Network management information codes (field 70 of an 0800) the switch answers with 00 (spec §3);
 * any other code is answered 12.
 */
public final class NetworkCode
{
    /** Sign-on. */
    public static final int SIGN_ON = 1;
    /** Sign-off. */
    public static final int SIGN_OFF = 2;
    /** Echo test. */
    public static final int ECHO = 301;

    private NetworkCode()
    {
    }

    /**
     * @return whether the code is one of sign-on, sign-off and echo.
     */
    public static boolean isSupported(final long code)
    {
        return code == SIGN_ON || code == SIGN_OFF || code == ECHO;
    }
}
