package org.unicard.benchmarks.load;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * A minimal JSON writer for result files: objects, arrays, strings (escaped), numbers, booleans,
 * {@code null}; commas placed for the caller. Not for the hot path.
 */
public final class JsonWriter
{
    private final StringBuilder out = new StringBuilder();
    private boolean needsComma;

    /** Opens an object. */
    public JsonWriter beginObject()
    {
        separate();
        out.append('{');
        needsComma = false;
        return this;
    }

    /** Closes the current object. */
    public JsonWriter endObject()
    {
        out.append('}');
        needsComma = true;
        return this;
    }

    /** Opens an array. */
    public JsonWriter beginArray()
    {
        separate();
        out.append('[');
        needsComma = false;
        return this;
    }

    /** Closes the current array. */
    public JsonWriter endArray()
    {
        out.append(']');
        needsComma = true;
        return this;
    }

    /** Writes a member name; the next value is its value. */
    public JsonWriter name(final String name)
    {
        separate();
        string(name);
        out.append(':');
        needsComma = false;
        return this;
    }

    /** Writes a raw JSON value produced by another writer. */
    public JsonWriter raw(final String json)
    {
        separate();
        out.append(json);
        needsComma = true;
        return this;
    }

    /** Writes a string member. */
    public JsonWriter field(final String name, final String value)
    {
        name(name);
        if (value == null)
        {
            out.append("null");
        }
        else
        {
            string(value);
        }
        needsComma = true;
        return this;
    }

    /** Writes an integer member. */
    public JsonWriter field(final String name, final long value)
    {
        name(name);
        out.append(value);
        needsComma = true;
        return this;
    }

    /** Writes a number member; {@code null}, NaN and infinities become {@code null}. */
    public JsonWriter field(final String name, final Double value)
    {
        name(name);
        if (value == null || value.isNaN() || value.isInfinite())
        {
            out.append("null");
        }
        else
        {
            out.append(new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString());
        }
        needsComma = true;
        return this;
    }

    /** Writes a number member. */
    public JsonWriter field(final String name, final double value)
    {
        return field(name, Double.valueOf(value));
    }

    /** Writes a boolean member. */
    public JsonWriter field(final String name, final boolean value)
    {
        name(name);
        out.append(value);
        needsComma = true;
        return this;
    }

    private void separate()
    {
        if (needsComma)
        {
            out.append(',');
        }
    }

    private void string(final String value)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString()
    {
        return out.toString();
    }
}
