package dev.ebb.connector.facebook;

import dev.ebb.connector.support.PhoneNumbers;
import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code type: facebook}: one Meta ad account's customer-file Custom Audiences, written through the Marketing API
 * with a (system user) access token. The sync's object is an audience id. Stateless and thread-safe;
 * {@link #open} validates the settings and makes no call.
 *
 * <pre>
 * destinations:
 *   meta: { type: facebook, access_token: "${env:META_TOKEN}", ad_account_id: act_1234567890 }
 * </pre>
 */
public final class FacebookConnector implements DestinationConnector {
    public static final String TYPE = "facebook";
    public static final String DEFAULT_BASE_URL = "https://graph.facebook.com";
    /** The Graph API version in the reference pages' examples. */
    public static final String DEFAULT_API_VERSION = "v25.0";
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    private static final Pattern ACCOUNT = Pattern.compile("(act_)?(\\d+)");
    private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.secret("access_token", "a system-user access token with ads_management on the ad account"),
                ConnectorOption.required("ad_account_id", "the ad account that owns the audiences, act_<digits>"),
                ConnectorOption.optional("api_version", "the Graph API version (default " + DEFAULT_API_VERSION + ")"),
                ConnectorOption.optional("base_url", "API base URL (default " + DEFAULT_BASE_URL
                        + "; a sandbox's URL for rehearsals)"),
                ConnectorOption.optional("default_phone_region", "ISO region of phone numbers written without a "
                        + "country code, e.g. US (default: none; such numbers are invalid)"),
                ConnectorOption.optional("access_tier", "the app's Marketing API access tier: limited | full "
                        + "(default limited: 5,000 calls per hour; full: 190,000); sets the declared rate limit"),
                ConnectorOption.optional("timeout_seconds", "how long one call may take (default "
                        + DEFAULT_TIMEOUT_SECONDS + ")"));
    }

    @Override
    public Destination open(ConnectorContext context) {
        Settings settings = Settings.of(context, options());
        String token = settings.required("access_token");
        var account = ACCOUNT.matcher(settings.required("ad_account_id"));
        if (!account.matches()) {
            throw settings.problem("ad_account_id '" + settings.required("ad_account_id")
                    + "' is not an ad account id; use act_ followed by digits, as Ads Manager shows it");
        }
        String version = settings.string("api_version", DEFAULT_API_VERSION);
        if (!VERSION.matcher(version).matches()) {
            throw settings.problem("api_version '" + version + "' is not a Graph API version; use e.g. "
                    + DEFAULT_API_VERSION);
        }
        URI baseUrl = settings.origin("base_url", DEFAULT_BASE_URL, DEFAULT_BASE_URL + " or http://127.0.0.1:8089");
        String region = settings.optional("default_phone_region").map(r -> r.toUpperCase(Locale.ROOT)).orElse(null);
        if (region != null && !PhoneNumbers.knownRegion(region)) {
            throw settings.problem("default_phone_region '" + region + "' is not a region; use an ISO 3166-1 "
                    + "alpha-2 code such as US or GB");
        }
        AccessTier tier = settings.choice("access_tier", AccessTier.LIMITED, List.of(AccessTier.values()),
                AccessTier::spelling, "Marketing API access tier");
        Duration timeout = settings.seconds("timeout_seconds", DEFAULT_TIMEOUT_SECONDS, Long.MAX_VALUE);
        return new FacebookDestination(new FacebookDestination.Config(baseUrl.resolve("/" + version), token,
                "act_" + account.group(2), region, tier, timeout), context.clock());
    }

    /**
     * The app's Marketing API access tier and its custom_audience allowance per ad account and hour: "No less than
     * 190000 (Standard tier) or 5000 (Dev tier) + 40 × number of active custom audiences"
     * (https://developers.facebook.com/docs/marketing-apis/rate-limiting); Meta now calls the tiers Limited and
     * Full (https://developers.facebook.com/docs/marketing-api/overview/rate-limiting). The 40 per audience is left
     * out: it depends on the account, and the declared limit must never overestimate.
     */
    enum AccessTier {
        LIMITED(5_000), FULL(190_000);

        final int perHour;

        AccessTier(int perHour) {
            this.perHour = perHour;
        }

        String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
