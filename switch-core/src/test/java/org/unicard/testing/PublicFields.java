package org.unicard.testing;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Objects;

/**
 * Compares every public instance field of two objects of one class, arrays element by element
 * (nested arrays too), so a test of "every field equal" cannot forget a field added later.
 */
public final class PublicFields
{
    private PublicFields()
    {
    }

    /**
     * @return {@code null} when every public instance field is equal, else a description of the
     * first difference, e.g. {@code rationBalancePiasters[3] expected=100 actual=50}.
     */
    public static String firstDifference(final Object expected, final Object actual)
    {
        if (expected.getClass() != actual.getClass())
        {
            return "class expected=" + expected.getClass() + " actual=" + actual.getClass();
        }
        for (final Field field : expected.getClass().getFields())
        {
            if (Modifier.isStatic(field.getModifiers()))
            {
                continue;
            }
            try
            {
                final String difference = difference(field.getName(), field.get(expected), field.get(actual));
                if (difference != null)
                {
                    return difference;
                }
            }
            catch (final IllegalAccessException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
        return null;
    }

    /**
     * @return the number of public instance fields compared, so a test can check it compared something.
     */
    public static int count(final Class<?> type)
    {
        int count = 0;
        for (final Field field : type.getFields())
        {
            if (!Modifier.isStatic(field.getModifiers()))
            {
                count++;
            }
        }
        return count;
    }

    private static String difference(final String name, final Object expected, final Object actual)
    {
        if (expected == null || actual == null)
        {
            return expected == actual ? null : name + " expected=" + expected + " actual=" + actual;
        }
        if (expected.getClass().isArray())
        {
            final int length = Array.getLength(expected);
            if (length != Array.getLength(actual))
            {
                return name + ".length expected=" + length + " actual=" + Array.getLength(actual);
            }
            for (int i = 0; i < length; i++)
            {
                final String difference = difference(name + "[" + i + "]", Array.get(expected, i), Array.get(actual, i));
                if (difference != null)
                {
                    return difference;
                }
            }
            return null;
        }
        return Objects.equals(expected, actual) ? null : name + " expected=" + expected + " actual=" + actual;
    }
}
