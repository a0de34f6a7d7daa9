package org.unicard.importer;

import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.TdesKey;

/**
 * Parsing and checking of the kinds of value several files share: digits, governorate codes,
 * PANs, names, printable ASCII ids, keys under the LMK, active/inactive. Each method either
 * returns the value or throws the file's error for the current record.
 */
final class Values
{
    static final String REQUIRED = "value required";
    static final long MAX_PAN = Long.MAX_VALUE;

    private static final byte[] MAX_PAN_DIGITS = Long.toString(MAX_PAN).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** A digit in a doubled Luhn position becomes this. */
    private static final int[] LUHN_DOUBLED = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
    private static final byte[] ACTIVE = ascii("active");
    private static final byte[] INACTIVE = ascii("inactive");

    private Values()
    {
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static void require(final CsvFile file, final int column) throws ImportException
    {
        if (file.isEmpty(column))
        {
            throw file.error(column, REQUIRED);
        }
    }

    /**
     * @return the value, which must be {@code minDigits} to {@code maxDigits} (at most 18) digits.
     */
    static long digits(
        final CsvFile file, final int column, final int minDigits, final int maxDigits, final String reason)
        throws ImportException
    {
        require(file, column);
        final int length = file.length(column);
        final long value = file.digits(column);
        if (length < minDigits || length > maxDigits || value < 0)
        {
            throw file.error(column, reason);
        }
        return value;
    }

    static int governorate(final CsvFile file, final int column) throws ImportException
    {
        final int code = (int)digits(file, column, 2, 2, "expected a 2-digit governorate code");
        if (!Governorates.isValid(code))
        {
            throw file.error(column, "expected a 2-digit governorate code");
        }
        return code;
    }

    /**
     * A PAN: 16 to 19 digits, not starting with 0 (a PAN is held as a {@code long}, which cannot
     * keep leading zeros), at most {@value #MAX_PAN}, Luhn-valid.
     */
    static long pan(final CsvFile file, final int column) throws ImportException
    {
        require(file, column);
        final int length = file.length(column);
        if (length < 16 || length > 19)
        {
            throw file.error(column, "expected 16 to 19 digits");
        }
        int luhnSum = 0;
        for (int i = 0; i < length; i++)
        {
            final int digit = file.byteAt(column, i) - '0';
            if (digit < 0 || digit > 9)
            {
                throw file.error(column, "expected 16 to 19 digits");
            }
            luhnSum += ((length - i) & 1) == 0 ? LUHN_DOUBLED[digit] : digit;
        }
        if (file.byteAt(column, 0) == '0')
        {
            throw file.error(column, "must not start with 0");
        }
        if (length == 19)
        {
            for (int i = 0; i < 19; i++)
            {
                final int difference = file.byteAt(column, i) - MAX_PAN_DIGITS[i];
                if (difference > 0)
                {
                    throw file.error(column, "above " + MAX_PAN + ", the largest PAN supported");
                }
                if (difference < 0)
                {
                    break;
                }
            }
        }
        if (luhnSum % 10 != 0)
        {
            throw file.error(column, "fails the Luhn check");
        }
        return file.digits(column, 0, length - 1) * 10 + (file.byteAt(column, length - 1) - '0');
    }

    /**
     * @return a non-blank name without control characters.
     */
    static String name(final CsvFile file, final int column) throws ImportException
    {
        require(file, column);
        final String name = file.text(column);
        if (name.isBlank())
        {
            throw file.error(column, REQUIRED);
        }
        for (int i = 0; i < name.length(); i++)
        {
            if (Character.isISOControl(name.charAt(i)))
            {
                throw file.error(column, "control character in a name");
            }
        }
        return name;
    }

    /**
     * @return 1 to {@code maxLength} printable ASCII characters, not starting or ending with a space.
     */
    static String printableId(final CsvFile file, final int column, final int maxLength) throws ImportException
    {
        require(file, column);
        final int length = file.length(column);
        final String reason = "expected 1 to " + maxLength +
            " printable ASCII characters without leading or trailing spaces";
        if (length > maxLength || file.byteAt(column, 0) == ' ' || file.byteAt(column, length - 1) == ' ')
        {
            throw file.error(column, reason);
        }
        for (int i = 0; i < length; i++)
        {
            final int b = file.byteAt(column, i);
            if (b < 0x20 || b > 0x7E)
            {
                throw file.error(column, reason);
            }
        }
        return file.ascii(column);
    }

    /**
     * @return the clear key of a key column (32 hex digits, a double-length TDES key encrypted
     * under the LMK), or {@code null} when the value is empty and {@code required} is false.
     * The clear key must have odd parity in every byte: a key that decrypts to anything else was
     * written under another LMK.
     */
    static byte[] keyUnderLmk(final CsvFile file, final int column, final TdesKey lmk, final boolean required)
        throws ImportException
    {
        if (file.isEmpty(column))
        {
            if (required)
            {
                throw file.error(column, REQUIRED);
            }
            return null;
        }
        if (file.length(column) != 32)
        {
            throw file.error(column, "expected 32 hex digits");
        }
        for (int i = 0; i < 32; i++)
        {
            if (Character.digit(file.byteAt(column, i), 16) < 0)
            {
                throw file.error(column, "expected 32 hex digits");
            }
        }
        final byte[] clear = KeyCipher.decryptUnderLmk(lmk, Hex.parseKey(file.ascii(column)));
        if (!KeyCipher.hasOddParity(clear))
        {
            throw file.error(column,
                "does not decrypt to an odd-parity key under this LMK (was the file written under another UNICARD_LMK?)");
        }
        return clear;
    }

    static boolean active(final CsvFile file, final int column) throws ImportException
    {
        require(file, column);
        if (file.is(column, ACTIVE))
        {
            return true;
        }
        if (file.is(column, INACTIVE))
        {
            return false;
        }
        throw file.error(column, "expected active or inactive");
    }

    /**
     * @param max      the most rows the file's table can hold.
     * @param headroom room kept for live changes.
     * @return the capacity of the table to load the file into: its data rows plus the headroom,
     * within {@code max}.
     */
    static int capacity(final CsvFile file, final int max, final Headroom headroom) throws ImportException
    {
        if (file.dataRows() > max)
        {
            throw new ImportException(file.fileName(), 0, null, null,
                "rows=" + file.dataRows() + " max=" + max + " more rows than one table can hold");
        }
        return headroom.capacity(file.dataRows(), max);
    }
}
