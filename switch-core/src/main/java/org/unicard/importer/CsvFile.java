package org.unicard.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;

import org.unicard.security.PanMask;

/**
 * One data file read as RFC 4180 CSV over bytes: a header row naming the columns (in any order,
 * each exactly once, none unknown), then data records, each with exactly one value per column.
 * <p>
 * Conventions: UTF-8, an optional UTF-8 byte-order mark, records ended by LF or CRLF (the last
 * one may lack it), a value in double quotes may hold commas, line ends and doubled quotes, a
 * quote inside an unquoted value is an error, a blank line is an error, a record is at most
 * {@link #MAX_RECORD_BYTES} bytes and {@link #MAX_COLUMNS} values. Values are not trimmed.
 * <p>
 * Before reading, {@link #open} scans the whole file once to count its records (so tables can be
 * sized exactly) and to digest its bytes. A record's values are copied, unquoted, into one reused
 * byte array; the loaders parse numbers straight from it, so no {@code String} is made per value
 * except for names.
 */
final class CsvFile implements AutoCloseable
{
    /** Most bytes of one record. */
    static final int MAX_RECORD_BYTES = 1 << 16;
    /** Most values in one record. */
    static final int MAX_COLUMNS = 32;

    /** The column's values are shown in errors as they are. */
    static final byte SHOW = 0;
    /** The column holds PANs: errors show the first 6 and last 4 characters only. */
    static final byte MASK_PAN = 1;
    /** The column holds keys: errors never show its values. */
    static final byte HIDE = 2;

    private static final int READ_BUFFER_BYTES = 1 << 20;
    private static final int MAX_SHOWN_CHARACTERS = 40;

    private final String fileName;
    private final String[] columnNames;
    private final byte[] columnDisplay;
    private final InputStream input;
    private final byte[] buffer = new byte[READ_BUFFER_BYTES];
    private int position;
    private int limit;
    private boolean endOfInput;

    private byte[] record = new byte[1024];
    private int recordLength;
    private final int[] fieldStart = new int[MAX_COLUMNS];
    private final int[] fieldEnd = new int[MAX_COLUMNS];
    private int fieldCount;
    private long nextLine = 1;
    private long recordLine;

    private final int[] positionOfColumn;
    private final long dataRows;
    private long rowsRead;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);

    private CsvFile(
        final String fileName,
        final String[] columnNames,
        final byte[] columnDisplay,
        final InputStream input,
        final long records)
    {
        this.fileName = fileName;
        this.columnNames = columnNames;
        this.columnDisplay = columnDisplay;
        this.input = input;
        this.positionOfColumn = new int[columnNames.length];
        this.dataRows = Math.max(0, records - 1);
    }

    /**
     * Scans, digests and opens a data file and reads its header row.
     *
     * @param directory     the data directory.
     * @param fileName      the file's name in it.
     * @param columnNames   the columns the file must have, in the spec's order; loaders address
     *                      values by the index of their column in this array.
     * @param columnDisplay how each column's values may be shown in errors.
     * @param digest        updated with the file's bytes.
     * @return the file, positioned before its first data record.
     * @throws ImportException when the file is missing, unreadable, empty or its header is wrong.
     */
    static CsvFile open(
        final Path directory,
        final String fileName,
        final String[] columnNames,
        final byte[] columnDisplay,
        final MessageDigest digest) throws ImportException
    {
        final Path path = directory.resolve(fileName);
        final long records = scan(path, fileName, digest);
        final InputStream input;
        try
        {
            input = Files.newInputStream(path);
        }
        catch (final IOException ex)
        {
            throw new ImportException(fileName, "cannot open: " + ex, ex);
        }
        final CsvFile file = new CsvFile(fileName, columnNames, columnDisplay, input, records);
        try
        {
            file.skipByteOrderMark();
            file.readHeader();
            return file;
        }
        catch (final ImportException ex)
        {
            file.close();
            throw ex;
        }
    }

    /**
     * @return data records in the file, as counted by the scan (the header row not counted).
     */
    long dataRows()
    {
        return dataRows;
    }

    /**
     * @return data records read so far.
     */
    long rowsRead()
    {
        return rowsRead;
    }

    /**
     * @return the 1-based line the current record starts on.
     */
    long line()
    {
        return recordLine;
    }

    String fileName()
    {
        return fileName;
    }

    /**
     * Reads the next data record and checks it has one value per column.
     *
     * @return {@code false} at the end of the file.
     */
    boolean next() throws ImportException
    {
        if (!readRecord())
        {
            return false;
        }
        if (fieldCount != columnNames.length)
        {
            if (fieldCount == 1 && fieldEnd[0] == fieldStart[0])
            {
                throw lineError("empty line");
            }
            throw lineError("expected " + columnNames.length + " columns, found " + fieldCount);
        }
        if (++rowsRead > dataRows)
        {
            throw lineError("the file changed while it was being imported");
        }
        return true;
    }

    /**
     * @param column a column index (spec order).
     * @return the value's length in bytes.
     */
    int length(final int column)
    {
        final int position = positionOfColumn[column];
        return fieldEnd[position] - fieldStart[position];
    }

    boolean isEmpty(final int column)
    {
        return length(column) == 0;
    }

    /**
     * @param column a column index.
     * @param index  0-based byte index in the value.
     * @return the byte, 0..255.
     */
    int byteAt(final int column, final int index)
    {
        return record[fieldStart[positionOfColumn[column]] + index] & 0xFF;
    }

    /**
     * @param column a column index.
     * @param text   ASCII bytes.
     * @return whether the value is exactly those bytes.
     */
    boolean is(final int column, final byte[] text)
    {
        final int start = fieldStart[positionOfColumn[column]];
        if (length(column) != text.length)
        {
            return false;
        }
        for (int i = 0; i < text.length; i++)
        {
            if (record[start + i] != text[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param column a column index.
     * @param from   first byte index, inclusive.
     * @param to     last byte index, exclusive.
     * @param text   ASCII bytes.
     * @return whether those bytes of the value are exactly {@code text}.
     */
    boolean regionIs(final int column, final int from, final int to, final byte[] text)
    {
        if (to - from != text.length)
        {
            return false;
        }
        final int start = fieldStart[positionOfColumn[column]] + from;
        for (int i = 0; i < text.length; i++)
        {
            if (record[start + i] != text[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param column a column index.
     * @param from   first byte index, inclusive.
     * @param to     last byte index, exclusive.
     * @return the value of those bytes read as decimal digits, or -1 when one is not a digit, the
     * range is empty or longer than 18 digits.
     */
    long digits(final int column, final int from, final int to)
    {
        if (to <= from || to - from > 18)
        {
            return -1;
        }
        final int start = fieldStart[positionOfColumn[column]];
        long value = 0;
        for (int i = start + from; i < start + to; i++)
        {
            final int digit = record[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * @param column a column index.
     * @return the whole value read as 1 to 18 decimal digits, or -1.
     */
    long digits(final int column)
    {
        return digits(column, 0, length(column));
    }

    /**
     * @param column a column index.
     * @return the value decoded as strict UTF-8.
     */
    String text(final int column) throws ImportException
    {
        final int position = positionOfColumn[column];
        try
        {
            return decoder.reset()
                .decode(ByteBuffer.wrap(record, fieldStart[position], fieldEnd[position] - fieldStart[position]))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw error(column, "invalid UTF-8");
        }
    }

    /**
     * @param column a column index.
     * @return the value as ASCII text (for values already checked to be ASCII).
     */
    String ascii(final int column)
    {
        final int position = positionOfColumn[column];
        return new String(record, fieldStart[position], fieldEnd[position] - fieldStart[position], StandardCharsets.US_ASCII);
    }

    /**
     * @param column a column index.
     * @param reason what is wrong with its value in the current record.
     * @return an exception naming the file, line, column and (made safe) value.
     */
    ImportException error(final int column, final String reason)
    {
        final int position = positionOfColumn[column];
        final String shown = switch (columnDisplay[column])
        {
            case HIDE -> null;
            case MASK_PAN -> show(PanMask.masked(new String(
                record, fieldStart[position], fieldEnd[position] - fieldStart[position], StandardCharsets.UTF_8)));
            default -> show(new String(
                record, fieldStart[position], fieldEnd[position] - fieldStart[position], StandardCharsets.UTF_8));
        };
        return new ImportException(fileName, recordLine, columnNames[column], shown, reason);
    }

    /**
     * @param line   a 1-based line.
     * @param column a column index.
     * @param value  a value already made safe to show, or {@code null}.
     * @param reason what is wrong.
     * @return an exception about an earlier line of this file.
     */
    ImportException error(final long line, final int column, final String value, final String reason)
    {
        return new ImportException(fileName, line, columnNames[column], value, reason);
    }

    /**
     * @param reason what is wrong with the current record as a whole.
     * @return an exception naming the file and line.
     */
    ImportException lineError(final String reason)
    {
        return new ImportException(fileName, recordLine, null, null, reason);
    }

    @Override
    public void close()
    {
        try
        {
            input.close();
        }
        catch (final IOException ignore)
        {
            // Closing a file opened for reading loses nothing.
        }
    }

    private static String show(final String value)
    {
        final StringBuilder shown = new StringBuilder(Math.min(value.length(), MAX_SHOWN_CHARACTERS) + 4);
        int count = 0;
        for (int i = 0; i < value.length(); i = value.offsetByCodePoints(i, 1))
        {
            if (count == MAX_SHOWN_CHARACTERS)
            {
                return shown.append("...").toString();
            }
            final int c = value.codePointAt(i);
            if (c == '"' || c == '\\')
            {
                shown.append('\\').append((char)c);
            }
            else if (Character.isISOControl(c))
            {
                shown.append('?');
            }
            else
            {
                shown.appendCodePoint(c);
            }
            count++;
        }
        return shown.toString();
    }

    private static long scan(final Path path, final String fileName, final MessageDigest digest) throws ImportException
    {
        if (!Files.isRegularFile(path))
        {
            throw new ImportException(fileName, 0, null, null, "file not found in " + path.getParent());
        }
        try (InputStream input = Files.newInputStream(path))
        {
            final byte[] bytes = new byte[READ_BUFFER_BYTES];
            long records = 0;
            boolean inQuotes = false;
            int last = '\n';
            int read;
            while ((read = input.read(bytes)) > 0)
            {
                digest.update(bytes, 0, read);
                for (int i = 0; i < read; i++)
                {
                    final byte b = bytes[i];
                    if (b == '"')
                    {
                        inQuotes = !inQuotes;
                    }
                    else if (b == '\n' && !inQuotes)
                    {
                        records++;
                    }
                }
                last = bytes[read - 1];
            }
            return last == '\n' ? records : records + 1;
        }
        catch (final NoSuchFileException ex)
        {
            throw new ImportException(fileName, 0, null, null, "file not found in " + path.getParent());
        }
        catch (final IOException ex)
        {
            throw new ImportException(fileName, "cannot read: " + ex, ex);
        }
    }

    private void skipByteOrderMark() throws ImportException
    {
        if (available() >= 3 &&
            (buffer[position] & 0xFF) == 0xEF && (buffer[position + 1] & 0xFF) == 0xBB && (buffer[position + 2] & 0xFF) == 0xBF)
        {
            position += 3;
        }
    }

    private int available() throws ImportException
    {
        if (position == limit)
        {
            fill();
        }
        return limit - position;
    }

    private void readHeader() throws ImportException
    {
        if (!readRecord())
        {
            throw new ImportException(fileName, 1, null, null, "empty file, expected a header row");
        }
        java.util.Arrays.fill(positionOfColumn, -1);
        for (int position = 0; position < fieldCount; position++)
        {
            final String name = new String(
                record, fieldStart[position], fieldEnd[position] - fieldStart[position], StandardCharsets.UTF_8);
            final int column = java.util.Arrays.asList(columnNames).indexOf(name);
            if (column < 0)
            {
                throw new ImportException(fileName, recordLine, show(name), null, "unknown column");
            }
            if (positionOfColumn[column] >= 0)
            {
                throw new ImportException(fileName, recordLine, name, null, "column appears twice");
            }
            positionOfColumn[column] = position;
        }
        for (int column = 0; column < columnNames.length; column++)
        {
            if (positionOfColumn[column] < 0)
            {
                throw new ImportException(fileName, recordLine, columnNames[column], null, "missing column");
            }
        }
    }

    private boolean fill() throws ImportException
    {
        if (endOfInput)
        {
            return false;
        }
        try
        {
            final int read = input.readNBytes(buffer, 0, buffer.length);
            position = 0;
            limit = read;
            if (read < buffer.length)
            {
                endOfInput = true;
            }
            return read > 0;
        }
        catch (final IOException ex)
        {
            throw new ImportException(fileName, "cannot read: " + ex, ex);
        }
    }

    private int read() throws ImportException
    {
        if (position == limit && !fill())
        {
            return -1;
        }
        return buffer[position++] & 0xFF;
    }

    /**
     * Copies the rest of an unquoted value, in runs straight from the read buffer.
     *
     * @return the byte that ended the value ({@code ,}, CR or LF), or -1 at the end of the file.
     */
    private int readUnquotedRest() throws ImportException
    {
        while (true)
        {
            int i = position;
            final int end = limit;
            final byte[] bytes = buffer;
            while (i < end)
            {
                final byte c = bytes[i];
                if (c == ',' || c == '\n' || c == '\r' || c == '"')
                {
                    break;
                }
                i++;
            }
            appendRun(position, i - position);
            position = i;
            if (i < end)
            {
                final int b = bytes[position++];
                if (b == '"')
                {
                    throw lineError("quote inside an unquoted value");
                }
                return b;
            }
            if (!fill())
            {
                return -1;
            }
        }
    }

    private void appendRun(final int from, final int length) throws ImportException
    {
        if (recordLength + length > record.length)
        {
            if (recordLength + length > MAX_RECORD_BYTES)
            {
                throw lineError("record longer than " + MAX_RECORD_BYTES + " bytes");
            }
            record = java.util.Arrays.copyOf(record, Math.min(MAX_RECORD_BYTES, Math.max(record.length * 2, recordLength + length)));
        }
        System.arraycopy(buffer, from, record, recordLength, length);
        recordLength += length;
    }

    private void append(final int b) throws ImportException
    {
        if (recordLength == record.length)
        {
            if (record.length == MAX_RECORD_BYTES)
            {
                throw lineError("record longer than " + MAX_RECORD_BYTES + " bytes");
            }
            record = java.util.Arrays.copyOf(record, Math.min(MAX_RECORD_BYTES, record.length * 2));
        }
        record[recordLength++] = (byte)b;
    }

    private boolean readRecord() throws ImportException
    {
        int b = read();
        if (b < 0)
        {
            return false;
        }
        recordLine = nextLine;
        recordLength = 0;
        fieldCount = 0;
        while (true)
        {
            if (fieldCount == MAX_COLUMNS)
            {
                throw lineError("more than " + MAX_COLUMNS + " columns");
            }
            fieldStart[fieldCount] = recordLength;
            if (b == '"')
            {
                while (true)
                {
                    b = read();
                    if (b < 0)
                    {
                        throw lineError("quoted value not closed before the end of the file");
                    }
                    if (b == '"')
                    {
                        b = read();
                        if (b != '"')
                        {
                            break;
                        }
                    }
                    else if (b == '\n')
                    {
                        nextLine++;
                    }
                    append(b);
                }
                if (b >= 0 && b != ',' && b != '\n' && b != '\r')
                {
                    throw lineError("unexpected character after a closing quote");
                }
            }
            else if (b >= 0 && b != ',' && b != '\n' && b != '\r')
            {
                append(b);
                b = readUnquotedRest();
            }
            fieldEnd[fieldCount++] = recordLength;
            if (b == ',')
            {
                b = read();
                continue;
            }
            if (b == '\r' && read() != '\n')
            {
                throw lineError("carriage return not followed by a line feed");
            }
            if (b >= 0)
            {
                nextLine++;
            }
            return true;
        }
    }
}
