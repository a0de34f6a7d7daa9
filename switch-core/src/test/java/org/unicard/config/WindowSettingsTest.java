package org.unicard.config;

import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.unicard.context.SwitchContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code duplicate-window.capacity}: {@code auto} (the default) sizes the window from the data set,
 * 3.2 requests per household per 48 hours and at least 4,194,304; a number is taken as it is; and
 * {@code ring.size} may not exceed the requests whose detail the window keeps in memory.
 */
class WindowSettingsTest
{
    @Test
    void shouldSizeTheWindowFromTheDataSetByDefault()
    {
        final SwitchSettings settings = SwitchContext.switchSettings(new Properties(), "test.properties", 2);

        assertEquals(SwitchSettings.AUTO, settings.duplicateWindowCapacity());
        assertEquals(73_600_000, SwitchSettings.duplicateWindowCapacity(settings.duplicateWindowCapacity(), 23_000_000));
        assertEquals(4_194_304, SwitchSettings.duplicateWindowCapacity(settings.duplicateWindowCapacity(), 42_000));
    }

    @Test
    void shouldTakeAConfiguredCapacityAsItIs()
    {
        final Properties properties = new Properties();
        properties.setProperty("duplicate-window.capacity", "5000");

        assertEquals(5_000, SwitchSettings.duplicateWindowCapacity(SwitchContext.switchSettings(properties, "t", 2).duplicateWindowCapacity(), 23_000_000));
    }

    @Test
    void shouldRejectACapacityBeyondTheIndexNamingTheProperty()
    {
        final Properties properties = new Properties();
        properties.setProperty("duplicate-window.capacity", "300000000");

        final ConfigurationException error = assertThrows(ConfigurationException.class, () -> SwitchContext.switchSettings(properties, "site.properties", 2));

        assertTrue(error.getMessage().contains("property=duplicate-window.capacity value=300000000"), error.getMessage());
    }

    @Test
    void shouldRejectARingLargerThanTheWindowsDetailRing()
    {
        final Properties properties = new Properties();
        properties.setProperty("ring.size", "131072");

        final ConfigurationException error = assertThrows(ConfigurationException.class, () -> SwitchContext.switchSettings(properties, "site.properties", 2));

        assertTrue(error.getMessage().contains("property=ring.size value=131072 reason=outside range=[64,65536]"), error.getMessage());
    }
}
