package org.unicard.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Reads properties files and typed values from them, with errors that name the source, the
 * property, the value and the valid range.
 */
public final class Settings
{
    /** The default configuration shipped in the jar (a copy of {@code config/unicard.properties}). */
    public static final String DEFAULT_RESOURCE = "/unicard.properties";

    private Settings()
    {
    }

    /**
     * @param overrides an optional file whose properties replace the defaults, or {@code null}.
     * @return the default configuration merged with the overrides.
     */
    public static Properties load(final Path overrides)
    {
        final Properties properties = new Properties();
        try (InputStream in = Settings.class.getResourceAsStream(DEFAULT_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("default configuration missing from the jar: resource=" + DEFAULT_RESOURCE);
            }
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read default configuration: " + ex.getMessage(), ex);
        }
        if (overrides != null)
        {
            if (!Files.isRegularFile(overrides))
            {
                throw new ConfigurationException("config file=" + overrides + " reason=not a readable file");
            }
            final Properties file = new Properties();
            try (InputStreamReader in = new InputStreamReader(Files.newInputStream(overrides), StandardCharsets.UTF_8))
            {
                file.load(in);
            }
            catch (final IOException | IllegalArgumentException ex)
            {
                throw new ConfigurationException("config file=" + overrides + " reason=" + ex.getMessage());
            }
            for (final String name : file.stringPropertyNames())
            {
                if (!properties.containsKey(name))
                {
                    throw new ConfigurationException("config file=" + overrides + " property=" + name + " reason=unknown property");
                }
                properties.setProperty(name, file.getProperty(name).trim());
            }
        }
        return properties;
    }

    /**
     * @return the property as a whole number in [min, max], or the default when it is absent or blank.
     * @throws ConfigurationException naming the source, property, value and reason otherwise.
     */
    public static long longValue(
        final Properties properties, final String source, final String name, final long defaultValue, final long min, final long max)
    {
        final String text = properties.getProperty(name);
        if (text == null || text.isBlank())
        {
            return defaultValue;
        }
        final long value;
        try
        {
            value = Long.parseLong(text.trim().replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException(
                "config=" + source + " property=" + name + " value=\"" + text.trim() + "\" reason=not a whole number");
        }
        if (value < min || value > max)
        {
            throw new ConfigurationException(
                "config=" + source + " property=" + name + " value=" + value + " reason=outside range=[" + min + "," + max + "]");
        }
        return value;
    }

    /**
     * @return the property trimmed, or the default when it is absent or blank.
     */
    public static String stringValue(final Properties properties, final String name, final String defaultValue)
    {
        final String text = properties.getProperty(name);
        return text == null || text.isBlank() ? defaultValue : text.trim();
    }
}
