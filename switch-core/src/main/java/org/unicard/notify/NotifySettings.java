package org.unicard.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;

import org.unicard.config.ConfigurationException;
import org.unicard.config.Settings;
import org.unicard.context.Configuration;

/**
 * The notifier's settings ({@code notifications.*} in {@code config/unicard.properties}, names and
 * defaults in {@link Configuration}), checked once when the context is concluded.
 *
 * @param url              the gateway, or {@code null}: no notifier.
 * @param kinds            kinds sent; the others are dropped by rule.
 * @param declineCodes     response codes a decline is sent for.
 * @param breadAtOnce      whether bread purchases and reversals also go out at once.
 * @param batchMaxEvents   events in one POST.
 * @param lingerMs         how long an unfilled batch waits for more events.
 * @param timeoutMs        no answer within this is a failed delivery.
 * @param retryInitialMs   first wait after a failure.
 * @param retryMaxMs       longest wait between attempts.
 * @param dayCloseGraceMs  business time past a day's end before its digests go out without a next record.
 * @param directory        where the position file lives, or {@code null} for the journal directory.
 */
public record NotifySettings(
    URI url,
    Set<EventKind> kinds,
    Set<Integer> declineCodes,
    boolean breadAtOnce,
    int batchMaxEvents,
    long lingerMs,
    long timeoutMs,
    long retryInitialMs,
    long retryMaxMs,
    long dayCloseGraceMs,
    Path directory)
{
    /**
     * @param properties the merged configuration.
     * @param source     the configuration file (named in errors).
     * @return the settings.
     * @throws ConfigurationException naming the property, value and reason of the first bad one.
     */
    public static NotifySettings from(final Properties properties, final String source)
    {
        final String urlText = Settings.stringValue(properties, Configuration.NOTIFY_URL_PROP_NAME, Configuration.NOTIFY_URL_DEFAULT);
        final EnumSet<EventKind> kinds = EnumSet.noneOf(EventKind.class);
        for (final String name : split(Settings.stringValue(properties, Configuration.NOTIFY_KINDS_PROP_NAME, Configuration.NOTIFY_KINDS_DEFAULT)))
        {
            final EventKind kind = EventKind.ofWireName(name);
            if (kind == null)
            {
                throw new ConfigurationException("config=" + source + " property=" + Configuration.NOTIFY_KINDS_PROP_NAME +
                    " value=\"" + name + "\" reason=not a kind of event (spec section 14)");
            }
            kinds.add(kind);
        }
        final java.util.TreeSet<Integer> codes = new java.util.TreeSet<>();
        for (final String code : split(Settings.stringValue(properties, Configuration.NOTIFY_DECLINE_CODES_PROP_NAME,
            Configuration.NOTIFY_DECLINE_CODES_DEFAULT)))
        {
            if (!code.matches("[0-9]{2}"))
            {
                throw new ConfigurationException("config=" + source + " property=" + Configuration.NOTIFY_DECLINE_CODES_PROP_NAME +
                    " value=\"" + code + "\" reason=not a two-digit response code");
            }
            codes.add(Integer.parseInt(code));
        }
        final String breadAtOnce = Settings.stringValue(properties, Configuration.NOTIFY_BREAD_AT_ONCE_PROP_NAME,
            Boolean.toString(Configuration.NOTIFY_BREAD_AT_ONCE_DEFAULT));
        if (!breadAtOnce.equals("true") && !breadAtOnce.equals("false"))
        {
            throw new ConfigurationException("config=" + source + " property=" + Configuration.NOTIFY_BREAD_AT_ONCE_PROP_NAME +
                " value=\"" + breadAtOnce + "\" reason=not true or false");
        }
        final long retryInitialMs = Settings.longValue(properties, source, Configuration.NOTIFY_RETRY_INITIAL_MS_PROP_NAME,
            Configuration.NOTIFY_RETRY_INITIAL_MS_DEFAULT, Configuration.NOTIFY_RETRY_MS_MIN, Configuration.NOTIFY_RETRY_MS_MAX);
        final long retryMaxMs = Settings.longValue(properties, source, Configuration.NOTIFY_RETRY_MAX_MS_PROP_NAME,
            Configuration.NOTIFY_RETRY_MAX_MS_DEFAULT, retryInitialMs, Configuration.NOTIFY_RETRY_MS_MAX);
        final String directory = Settings.stringValue(properties, Configuration.NOTIFY_DIRECTORY_PROP_NAME,
            Configuration.NOTIFY_DIRECTORY_DEFAULT);
        return new NotifySettings(
            urlText.isEmpty() ? null : url(urlText, source, Configuration.NOTIFY_URL_PROP_NAME),
            Set.copyOf(kinds),
            Set.copyOf(codes),
            Boolean.parseBoolean(breadAtOnce),
            (int)Settings.longValue(properties, source, Configuration.NOTIFY_BATCH_MAX_EVENTS_PROP_NAME,
                Configuration.NOTIFY_BATCH_MAX_EVENTS_DEFAULT, 1, Configuration.NOTIFY_BATCH_MAX_EVENTS_MAX),
            Settings.longValue(properties, source, Configuration.NOTIFY_LINGER_MS_PROP_NAME, Configuration.NOTIFY_LINGER_MS_DEFAULT, 0,
                Configuration.NOTIFY_LINGER_MS_MAX),
            Settings.longValue(properties, source, Configuration.NOTIFY_TIMEOUT_MS_PROP_NAME, Configuration.NOTIFY_TIMEOUT_MS_DEFAULT,
                Configuration.NOTIFY_TIMEOUT_MS_MIN, Configuration.NOTIFY_TIMEOUT_MS_MAX),
            retryInitialMs,
            retryMaxMs,
            Settings.longValue(properties, source, Configuration.NOTIFY_DAY_CLOSE_GRACE_MS_PROP_NAME,
                Configuration.NOTIFY_DAY_CLOSE_GRACE_MS_DEFAULT, 0, Configuration.NOTIFY_DAY_CLOSE_GRACE_MS_MAX),
            directory.isEmpty() ? null : Path.of(directory));
    }

    /**
     * @return these settings sending to another gateway ({@code serve --notify-url}).
     * @throws ConfigurationException when the URL is not an http or https URL.
     */
    public NotifySettings withUrl(final String urlText)
    {
        return new NotifySettings(url(urlText, "--notify-url", "--notify-url"), kinds, declineCodes, breadAtOnce, batchMaxEvents,
            lingerMs, timeoutMs, retryInitialMs, retryMaxMs, dayCloseGraceMs, directory);
    }

    /**
     * @return whether a notifier runs.
     */
    public boolean enabled()
    {
        return url != null;
    }

    /**
     * @return the URL to show in logs and {@code /health}: scheme, host, port and path, no user information or query.
     */
    public String safeUrl()
    {
        return url == null ? "off" : url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) +
            (url.getPath() == null ? "" : url.getPath());
    }

    private static URI url(final String text, final String source, final String name)
    {
        try
        {
            final URI uri = new URI(text);
            final String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null)
            {
                throw new ConfigurationException("config=" + source + " property=" + name + " value=\"" + text +
                    "\" reason=not an http or https URL with a host");
            }
            return uri;
        }
        catch (final URISyntaxException ex)
        {
            throw new ConfigurationException("config=" + source + " property=" + name + " value=\"" + text + "\" reason=" + ex.getReason());
        }
    }

    private static String[] split(final String list)
    {
        final String trimmed = list.trim();
        return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s*,\\s*");
    }
}
