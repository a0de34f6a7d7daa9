package org.unicard.importer;

/**
 * The import of a data directory failed: a file is missing or unreadable, or a row breaks a rule
 * of spec §10. The message carries its context as key=value, for example
 * {@code cards.csv line=17 column=expiry value="13/27" reason=expected YYMM}. It never holds a key
 * value, and a PAN in it is masked to its first 6 and last 4 digits.
 */
public final class ImportException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String fileName;
    private final long line;
    private final String column;
    private final String reason;

    /**
     * @param fileName the data file, e.g. {@code cards.csv}.
     * @param line     1-based line the offending record starts on, or 0 when the error is not
     *                 about one line.
     * @param column   the column name, or {@code null}.
     * @param value    the offending value already made safe to show (masked, truncated), or
     *                 {@code null} when it must not or need not be shown.
     * @param reason   what is wrong, in words.
     */
    public ImportException(
        final String fileName, final long line, final String column, final String value, final String reason)
    {
        super(message(fileName, line, column, value, reason));
        this.fileName = fileName;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /**
     * @param fileName the data file.
     * @param reason   what is wrong.
     * @param cause    the I/O error behind it.
     */
    public ImportException(final String fileName, final String reason, final Throwable cause)
    {
        super(message(fileName, 0, null, null, reason), cause);
        this.fileName = fileName;
        this.line = 0;
        this.column = null;
        this.reason = reason;
    }

    /**
     * @return the data file the error is in, e.g. {@code cards.csv}.
     */
    public String fileName()
    {
        return fileName;
    }

    /**
     * @return the 1-based line the offending record starts on, or 0.
     */
    public long line()
    {
        return line;
    }

    /**
     * @return the column name, or {@code null}.
     */
    public String column()
    {
        return column;
    }

    /**
     * @return what is wrong, in words.
     */
    public String reason()
    {
        return reason;
    }

    private static String message(
        final String fileName, final long line, final String column, final String value, final String reason)
    {
        final StringBuilder message = new StringBuilder(96).append(fileName);
        if (line > 0)
        {
            message.append(" line=").append(line);
        }
        if (column != null)
        {
            message.append(" column=").append(column);
        }
        if (value != null)
        {
            message.append(" value=\"").append(value).append('"');
        }
        return message.append(" reason=").append(reason).toString();
    }
}
