package org.unicard.config;

import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.unicard.context.SwitchContext;
import org.unicard.ring.SwitchRing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ring.threads} and {@code ring.wait-strategy}: defaults, {@code auto} by core count, and
 * errors that name the file and the property.
 */
class RingSettingsTest
{
    @Test
    void shouldDefaultToBackoffAndPickThreadsByCores()
    {
        final Properties properties = new Properties();
        assertEquals("backoff", SwitchContext.switchSettings(properties, "test.properties", 2).waitStrategy());
        assertEquals(SwitchRing.SHARED, SwitchContext.ringThreads(properties, "test.properties", 1));
        assertEquals(SwitchRing.SHARED, SwitchContext.ringThreads(properties, "test.properties", 2));
        assertEquals(2, SwitchContext.ringThreads(properties, "test.properties", 3));
        assertEquals(2, SwitchContext.ringThreads(properties, "test.properties", 4));
        assertEquals(4, SwitchContext.ringThreads(properties, "test.properties", 8));
    }

    @Test
    void shouldTakeAnExplicitLayout()
    {
        final Properties properties = new Properties();
        properties.setProperty("ring.threads", "1");
        assertEquals(1, SwitchContext.ringThreads(properties, "test.properties", 16));
        properties.setProperty("ring.threads", "4");
        assertEquals(4, SwitchContext.switchSettings(properties, "test.properties", 2).ringThreads());
        properties.setProperty("ring.threads", "shared");
        assertEquals(SwitchRing.SHARED, SwitchContext.ringThreads(properties, "test.properties", 16));
    }

    @Test
    void shouldRejectAnotherThreadCountNamingFileAndProperty()
    {
        final Properties properties = new Properties();
        properties.setProperty("ring.threads", "3");
        final ConfigurationException error =
            assertThrows(ConfigurationException.class, () -> SwitchContext.switchSettings(properties, "site.properties", 2));
        assertTrue(error.getMessage().contains("config=site.properties property=ring.threads value=3"), error.getMessage());
    }

    @Test
    void shouldRejectAnUnknownWaitStrategy()
    {
        final Properties properties = new Properties();
        properties.setProperty("ring.wait-strategy", "spin");
        final ConfigurationException error =
            assertThrows(ConfigurationException.class, () -> SwitchContext.switchSettings(properties, "site.properties", 2));
        assertTrue(error.getMessage().contains("property=ring.wait-strategy value=spin"), error.getMessage());
        assertTrue(error.getMessage().contains("backoff"), error.getMessage());
    }
}
