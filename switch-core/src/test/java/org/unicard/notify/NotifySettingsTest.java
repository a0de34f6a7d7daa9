package org.unicard.notify;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.unicard.config.ConfigurationException;
import org.unicard.config.Settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotifySettingsTest
{
    @Test
    void shouldDefaultToNoNotifierAndEveryKindOfSpecFourteen()
    {
        final NotifySettings settings = NotifySettings.from(Settings.load(null), "defaults");
        assertFalse(settings.enabled());
        assertEquals("off", settings.safeUrl());
        assertEquals(EnumSet.allOf(EventKind.class), EnumSet.copyOf(settings.kinds()));
        assertEquals(Set.of(51, 41, 43, 62, 75), settings.declineCodes());
        assertFalse(settings.breadAtOnce());
        assertEquals(10_000, settings.timeoutMs(), "spec section 14: no answer within 10 s");
        assertEquals(500, settings.batchMaxEvents());
        assertNull(settings.directory());
    }

    @Test
    void shouldReadEveryPropertyAndLetTheCommandLineUrlWin()
    {
        final Properties properties = Settings.load(null);
        properties.setProperty("notifications.url", "https://sms.example.org:8443/v1/events?token=secret");
        properties.setProperty("notifications.kinds", "purchase, decline");
        properties.setProperty("notifications.decline-codes", "51");
        properties.setProperty("notifications.bread-at-once", "true");
        properties.setProperty("notifications.directory", "/var/lib/unicard/notify");
        final NotifySettings settings = NotifySettings.from(properties, "test.properties");
        assertTrue(settings.enabled());
        assertEquals("https://sms.example.org:8443/v1/events", settings.safeUrl(), "no query (tokens) in logs");
        assertEquals(EnumSet.of(EventKind.PURCHASE, EventKind.DECLINE), EnumSet.copyOf(settings.kinds()));
        assertEquals(Set.of(51), settings.declineCodes());
        assertTrue(settings.breadAtOnce());
        assertEquals(Path.of("/var/lib/unicard/notify"), settings.directory());
        assertEquals("http://127.0.0.1:8090/events", settings.withUrl("http://127.0.0.1:8090/events").safeUrl());
    }

    @Test
    void shouldRefuseBadValuesNamingThePropertyAndValue()
    {
        assertEquals("config=test.properties property=notifications.kinds value=\"sms\" reason=not a kind of event (spec section 14)",
            refused("notifications.kinds", "purchase,sms"));
        assertEquals("config=test.properties property=notifications.url value=\"ftp://gateway/events\" " +
            "reason=not an http or https URL with a host", refused("notifications.url", "ftp://gateway/events"));
        assertEquals("config=test.properties property=notifications.decline-codes value=\"5\" reason=not a two-digit response code",
            refused("notifications.decline-codes", "51,5"));
        assertEquals("config=test.properties property=notifications.bread-at-once value=\"yes\" reason=not true or false",
            refused("notifications.bread-at-once", "yes"));
        assertEquals("config=test.properties property=notifications.timeout-ms value=10 reason=outside range=[100,600000]",
            refused("notifications.timeout-ms", "10"));
        assertEquals("config=test.properties property=notifications.retry-max-ms value=100 reason=outside range=[500,3600000]",
            refused("notifications.retry-max-ms", "100"));
        assertThrows(ConfigurationException.class, () -> NotifySettings.from(Settings.load(null), "d").withUrl("gateway:8090"));
    }

    private static String refused(final String name, final String value)
    {
        final Properties properties = Settings.load(null);
        properties.setProperty(name, value);
        return assertThrows(ConfigurationException.class, () -> NotifySettings.from(properties, "test.properties")).getMessage();
    }
}
