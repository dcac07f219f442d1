package dev.ebb.connector.hubspot;

import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
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
        Settings settings = Settings.of(context, options());
        String token = settings.requiredCredential("token");
        URI baseUrl = settings.url("base_url", DEFAULT_BASE_URL, DEFAULT_BASE_URL + " or http://127.0.0.1:8089");
        HubSpotTier tier = settings.choice("tier", DEFAULT_TIER, List.of(HubSpotTier.values()), HubSpotTier::optionValue,
                HubSpotTier.WHAT);
        ZoneId zone = settings.zone("time_zone", "UTC", "the portal's region id, e.g. America/New_York");
        Duration timeout = settings.seconds("timeout_seconds", DEFAULT_TIMEOUT_SECONDS, Long.MAX_VALUE);
        return new HubSpotDestination(baseUrl, token, tier, zone, timeout, context.clock());
    }
}
