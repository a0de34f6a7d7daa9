package org.unicard.iso8583.message;

/**
 * The ISO 8583:1987 field numbers the Unicard interface uses (spec §3), by name, so that no code
 * writes a bare field number. Field specs (length, encoding) are in
 * {@link org.unicard.iso8583.dialect.IsoDialect}; this type only names the numbers.
 */
public final class IsoFields
{
    /** Primary account number (PAN). */
    public static final int PAN = 2;
    /** Processing code: type (2 digits), account (2), {@code 00}; see the switch's {@code ProcessingCode}. */
    public static final int PROCESSING_CODE = 3;
    /** Amount, transaction. */
    public static final int AMOUNT = 4;
    /** Transmission date and time, MMDDhhmmss (GMT). */
    public static final int TRANSMISSION_DATE_TIME = 7;
    /** Systems trace audit number (STAN). */
    public static final int STAN = 11;
    /** Local transaction time, hhmmss. */
    public static final int LOCAL_TIME = 12;
    /** Local transaction date, MMDD. */
    public static final int LOCAL_DATE = 13;
    /** Expiration date, YYMM. */
    public static final int EXPIRY = 14;
    /** POS entry mode. */
    public static final int POS_ENTRY_MODE = 22;
    /** Acquiring institution identification code. */
    public static final int ACQUIRER = 32;
    /** Track 2 data: PAN, separator {@code =}, expiry YYMM, ... */
    public static final int TRACK2 = 35;
    /** Retrieval reference number (RRN). */
    public static final int RRN = 37;
    /** Authorization identification response. */
    public static final int AUTHORIZATION_ID = 38;
    /** Response code. */
    public static final int RESPONSE_CODE = 39;
    /** Card acceptor terminal identification. */
    public static final int TERMINAL = 41;
    /** Card acceptor identification code (merchant). */
    public static final int MERCHANT = 42;
    /** Currency code, transaction. */
    public static final int CURRENCY = 49;
    /** PIN data (an encrypted PIN block). */
    public static final int PIN_BLOCK = 52;
    /** Additional amounts (balances). */
    public static final int BALANCES = 54;
    /** Message authentication code, when the message has no secondary bitmap. */
    public static final int MAC = 64;
    /** Network management information code (0800/0810 only; see {@link NetworkCode}). */
    public static final int NETWORK_CODE = 70;
    /** Original data elements: MTI (4), STAN (6), field 7 (10), acquirer (11), forwarder (11). */
    public static final int ORIGINAL_DATA = 90;
    /** Message authentication code, when the message has a secondary bitmap. */
    public static final int MAC_SECONDARY = 128;

    /** Offset of the original MTI in field 90. */
    public static final int ORIGINAL_DATA_MTI_OFFSET = 0;
    /** Digits of the original MTI in field 90. */
    public static final int ORIGINAL_DATA_MTI_DIGITS = 4;
    /** Offset of the original STAN in field 90. */
    public static final int ORIGINAL_DATA_STAN_OFFSET = 4;
    /** Digits of the original STAN in field 90. */
    public static final int ORIGINAL_DATA_STAN_DIGITS = 6;
    /** Offset of the original field 7 in field 90. */
    public static final int ORIGINAL_DATA_TRANSMISSION_OFFSET = 10;
    /** Digits of the original field 7 in field 90. */
    public static final int ORIGINAL_DATA_TRANSMISSION_DIGITS = 10;
    /** Offset of the original acquirer in field 90. */
    public static final int ORIGINAL_DATA_ACQUIRER_OFFSET = 20;
    /** Digits of the original acquirer in field 90. */
    public static final int ORIGINAL_DATA_ACQUIRER_DIGITS = 11;

    private IsoFields()
    {
    }

    /**
     * @param secondaryBitmap whether the message has a secondary bitmap.
     * @return the field that carries the message's MAC: the last field of its last bitmap.
     */
    public static int macField(final boolean secondaryBitmap)
    {
        return secondaryBitmap ? MAC_SECONDARY : MAC;
    }
}
