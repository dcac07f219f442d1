package dev.ebb.connector.marketo;

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
        Settings settings = Settings.of(context, options());
        String examples = "https://123-ABC-456.mktorest.com or http://127.0.0.1:8089";
        URI baseUrl = settings.url("base_url", settings.required("base_url"), examples, "/rest");
        URI identityUrl = settings.optional("identity_url").isEmpty() ? URI.create(baseUrl + "/identity")
                : settings.url("identity_url", null, examples, "/oauth/token");
        String clientId = settings.required("client_id");
        String clientSecret = settings.requiredCredential("client_secret");
        long dailyQuota = settings.positive("daily_quota", DEFAULT_DAILY_QUOTA, Long.MAX_VALUE);
        ZoneId zone = settings.zone("time_zone", DEFAULT_TIME_ZONE, "a region id, e.g. " + DEFAULT_TIME_ZONE);
        Duration timeout = settings.seconds("timeout_seconds", DEFAULT_TIMEOUT_SECONDS, Long.MAX_VALUE);
        return new MarketoDestination(baseUrl, identityUrl, clientId, clientSecret, dailyQuota, zone, timeout,
                context.clock());
    }
}
