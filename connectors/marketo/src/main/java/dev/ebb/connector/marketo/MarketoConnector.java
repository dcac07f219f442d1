package dev.ebb.connector.marketo;

import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code type: marketo}: one Marketo instance, written through the Lead Database REST API with a custom service's
 * client id and secret (2-legged OAuth). Stateless and thread-safe; {@link #open} validates the settings and makes
 * no call.
 *
 * <pre>
 * destinations:
 *   marketo:
 *     type: marketo
 *     base_url: https://123-ABC-456.mktorest.com
 *     client_id: "${env:MARKETO_CLIENT_ID}"
 *     client_secret: "${env:MARKETO_CLIENT_SECRET}"
 * </pre>
 */
public final class MarketoConnector implements DestinationConnector {
    public static final String TYPE = "marketo";
    /** "Most subscriptions are allocated 50,000 API calls per day" (marketo-integration-best-practices page). */
    public static final long DEFAULT_DAILY_QUOTA = 50_000;
    /** "(which resets daily at 12:00AM CST)" (same page). */
    public static final String DEFAULT_TIME_ZONE = "America/Chicago";
    /** Sync Leads may take 90 s on Marketo's side ("Sync Leads: 90s", leads page, Timeouts); a little more here. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 95;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.required("base_url", "the instance's REST API endpoint without /rest, e.g. "
                        + "https://123-ABC-456.mktorest.com (Admin > Integration > Web Services); a sandbox's URL "
                        + "for rehearsals"),
                ConnectorOption.required("client_id", "the custom service's client id (Admin > LaunchPoint)"),
                ConnectorOption.secret("client_secret", "the custom service's client secret"),
                ConnectorOption.optional("identity_url", "the Identity URL (default: base_url + /identity)"),
                ConnectorOption.optional("daily_quota", "the subscription's daily API calls (default "
                        + DEFAULT_DAILY_QUOTA + "; Admin > Web Services shows yours)"),
                ConnectorOption.optional("time_zone", "the zone whose midnight resets the daily quota (default "
                        + DEFAULT_TIME_ZONE + ": Marketo resets at 12:00 AM CST)"),
                ConnectorOption.optional("timeout_seconds", "how long one call may take (default "
                        + DEFAULT_TIMEOUT_SECONDS + ")"));
    }

    @Override
    public Destination open(ConnectorContext context) {
        String entry = context.name();
        URI baseUrl = url(entry, "base_url", context.requiredSetting("base_url"), "/rest");
        String identityText = context.setting("identity_url", null);
        URI identityUrl = identityText == null || identityText.isBlank()
                ? URI.create(baseUrl + "/identity") : url(entry, "identity_url", identityText, "/oauth/token");
        String clientId = context.requiredSetting("client_id").trim();
        String clientSecret = context.requiredSetting("client_secret").trim();
        long dailyQuota = positive(entry, "daily_quota", context.setting("daily_quota",
                String.valueOf(DEFAULT_DAILY_QUOTA)));
        ZoneId zone = zone(entry, context.setting("time_zone", DEFAULT_TIME_ZONE));
        Duration timeout = Duration.ofSeconds(positive(entry, "timeout_seconds",
                context.setting("timeout_seconds", String.valueOf(DEFAULT_TIMEOUT_SECONDS))));
        return new MarketoDestination(baseUrl, identityUrl, clientId, clientSecret, dailyQuota, zone, timeout,
                context.clock());
    }

    /** An http(s) URL without a trailing slash or the suffix Marketo's admin pages show after the host. */
    private static URI url(String entry, String key, String text, String suffix) {
        String trimmed = text.trim();
        while (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        if (trimmed.endsWith(suffix)) trimmed = trimmed.substring(0, trimmed.length() - suffix.length());
        try {
            URI uri = new URI(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(entry + ": " + key + " '" + text
                + "' is not an http(s) URL; use e.g. https://123-ABC-456.mktorest.com or http://127.0.0.1:8089");
    }

    private static ZoneId zone(String entry, String text) {
        try {
            return text.trim().equalsIgnoreCase("UTC") ? ZoneOffset.UTC : ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(entry + ": time_zone '" + text
                    + "' is not a time zone; use a region id, e.g. " + DEFAULT_TIME_ZONE, e);
        }
    }

    private static long positive(String entry, String key, String text) {
        try {
            long value = Long.parseLong(text.trim());
            if (value > 0) return value;
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(entry + ": " + key + " must be a positive whole number, not '" + text + "'");
    }
}
