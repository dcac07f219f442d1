package dev.ebb.connector.hubspot;

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
 * {@code type: hubspot}: one HubSpot portal, written through the CRM v3 batch APIs with a private-app (or OAuth)
 * access token. Stateless and thread-safe; {@link #open} validates the settings and makes no call.
 *
 * <pre>
 * destinations:
 *   hubspot: { type: hubspot, token: "${env:HUBSPOT_TOKEN}", tier: professional }
 * </pre>
 */
public final class HubSpotConnector implements DestinationConnector {
    public static final String TYPE = "hubspot";
    public static final String DEFAULT_BASE_URL = "https://api.hubapi.com";
    /** Starter: the same limits as Free (100 per 10 s, 250,000 a day), so the default never overestimates. */
    public static final HubSpotTier DEFAULT_TIER = HubSpotTier.STARTER;
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.secret("token", "private app access token (or OAuth access token) of the portal"),
                ConnectorOption.optional("base_url", "API base URL (default " + DEFAULT_BASE_URL
                        + "; a sandbox's URL for rehearsals)"),
                ConnectorOption.optional("tier", "the portal's subscription: free | starter | professional | "
                        + "enterprise (default starter); sets the declared rate limits"),
                ConnectorOption.optional("time_zone", "the portal's time zone, whose midnight resets the daily "
                        + "quota (default UTC)"),
                ConnectorOption.optional("timeout_seconds", "how long one call may take (default "
                        + DEFAULT_TIMEOUT_SECONDS + ")"));
    }

    @Override
    public Destination open(ConnectorContext context) {
        String token = context.requiredSetting("token").trim();
        URI baseUrl = baseUrl(context.name(), context.setting("base_url", DEFAULT_BASE_URL));
        HubSpotTier tier;
        try {
            tier = HubSpotTier.parse(context.setting("tier", DEFAULT_TIER.optionValue()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(context.name() + ": " + e.getMessage(), e);
        }
        ZoneId zone = zone(context.name(), context.setting("time_zone", "UTC"));
        Duration timeout = Duration.ofSeconds(timeoutSeconds(context.name(),
                context.setting("timeout_seconds", String.valueOf(DEFAULT_TIMEOUT_SECONDS))));
        return new HubSpotDestination(baseUrl, token, tier, zone, timeout, context.clock());
    }

    private static URI baseUrl(String entry, String text) {
        String trimmed = text.trim();
        while (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        try {
            URI uri = new URI(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(entry + ": base_url '" + text
                + "' is not an http(s) URL; use e.g. " + DEFAULT_BASE_URL + " or http://127.0.0.1:8089");
    }

    private static ZoneId zone(String entry, String text) {
        try {
            return text.trim().equalsIgnoreCase("UTC") ? ZoneOffset.UTC : ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(entry + ": time_zone '" + text
                    + "' is not a time zone; use the portal's region id, e.g. America/New_York", e);
        }
    }

    private static long timeoutSeconds(String entry, String text) {
        try {
            long seconds = Long.parseLong(text.trim());
            if (seconds > 0) return seconds;
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(entry + ": timeout_seconds must be a positive whole number, not '"
                + text + "'");
    }
}
