package org.unicard.config;

/**
 * A configuration value that cannot be used; the message names the source, the property and why.
 */
public final class ConfigurationException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ConfigurationException(final String message)
    {
        super(message);
    }
}
