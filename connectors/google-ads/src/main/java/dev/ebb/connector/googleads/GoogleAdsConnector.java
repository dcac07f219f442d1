package dev.ebb.connector.googleads;

import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;

import java.time.Duration;
import java.util.List;

/**
 * {@code type: google_ads}: the Customer Match audiences of one Google Ads account, through Google's Data Manager
 * API. Stateless and thread-safe; {@link #open} validates the settings and makes no call.
 *
 * <pre>
 * destinations:
 *   ads:
 *     type: google_ads
 *     operating_account: 123-456-7890
 *     client_id: "${env:GOOGLE_CLIENT_ID}"
 *     client_secret: "${env:GOOGLE_CLIENT_SECRET}"
 *     refresh_token: "${env:GOOGLE_REFRESH_TOKEN}"
 *     ad_user_data: granted
 *     ad_personalization: granted
 * </pre>
 */
public final class GoogleAdsConnector implements DestinationConnector {
    public static final String TYPE = "google_ads";
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.required("operating_account", "the Google Ads customer id whose audiences are "
                        + "written (123-456-7890)"),
                ConnectorOption.optional("login_account", "the manager account id the credentials belong to, when "
                        + "it is not the operating account"),
                new ConnectorOption("client_id", false, false, "OAuth client id (with client_secret and "
                        + "refresh_token)"),
                new ConnectorOption("client_secret", false, true, "OAuth client secret"),
                new ConnectorOption("refresh_token", false, true, "OAuth refresh token with the "
                        + "https://www.googleapis.com/auth/datamanager scope"),
                new ConnectorOption("access_token", false, true, "an OAuth access token instead of the refresh "
                        + "token (they last an hour)"),
                ConnectorOption.optional("token_url", "OAuth token endpoint (default "
                        + GoogleAdsSettings.DEFAULT_TOKEN_URL + ")"),
                ConnectorOption.optional("base_url", "Data Manager API base URL (default "
                        + GoogleAdsSettings.DEFAULT_BASE_URL + "; a sandbox's URL for rehearsals)"),
                ConnectorOption.optional("ad_user_data", "consent for ad user data sent with every member: granted "
                        + "| denied (default: not sent, the account's settings apply)"),
                ConnectorOption.optional("ad_personalization", "consent for ad personalization: granted | denied"),
                ConnectorOption.optional("accept_terms", "accept the Customer Match terms of service in each "
                        + "request (default false: accepted in Google Ads already)"),
                ConnectorOption.optional("encoding", "how SHA-256 digests are encoded: hex | base64 (default hex)"),
                ConnectorOption.optional("default_phone_region", "region of phone numbers written without a country "
                        + "code (US, DE); without it such numbers are invalid"),
                ConnectorOption.optional("status_wait_seconds", "wait before asking for a request's status, doubled "
                        + "for each later ask (default " + GoogleAdsSettings.DEFAULT_STATUS_WAIT_SECONDS + ")"),
                ConnectorOption.optional("timeout_seconds", "how long one call may take (default "
                        + DEFAULT_TIMEOUT_SECONDS + ")"));
    }

    @Override
    public Destination open(ConnectorContext context) {
        Settings settings = Settings.of(context, options());
        GoogleAdsSettings read = GoogleAdsSettings.read(settings);
        Duration timeout = settings.seconds("timeout_seconds", DEFAULT_TIMEOUT_SECONDS, Long.MAX_VALUE);
        return new GoogleAdsDestination(read, timeout, context.clock());
    }
}
