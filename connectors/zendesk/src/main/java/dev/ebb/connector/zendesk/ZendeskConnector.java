package dev.ebb.connector.zendesk;

import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * {@code type: zendesk}: one Zendesk Support account, written through the users and organizations bulk endpoints.
 * Stateless and thread-safe; {@link #open} validates the settings and makes no call.
 *
 * <pre>
 * destinations:
 *   zendesk:
 *     type: zendesk
 *     subdomain: acme                      # or base_url: https://acme.zendesk.com
 *     email: ops@acme.com
 *     api_token: "${env:ZENDESK_API_TOKEN}" # or oauth_token: "${env:ZENDESK_OAUTH_TOKEN}"
 *     plan: professional
 * </pre>
 */
public final class ZendeskConnector implements DestinationConnector {
    public static final String TYPE = "zendesk";
    /** Team: the lowest current plan's limit (200 a minute), so the default never overestimates. */
    public static final ZendeskPlan DEFAULT_PLAN = ZendeskPlan.TEAM;
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.optional("subdomain", "the account's subdomain: acme for acme.zendesk.com (or set "
                        + "base_url)"),
                ConnectorOption.optional("base_url", "API base URL, e.g. https://acme.zendesk.com (default from "
                        + "subdomain; a sandbox's URL for rehearsals)"),
                ConnectorOption.optional("email", "the agent's email address that the API token belongs to"),
                new ConnectorOption("api_token", false, true, "API token (Admin Center > Apps and integrations > "
                        + "Zendesk API), used with email"),
                new ConnectorOption("oauth_token", false, true, "OAuth access token, instead of email and api_token"),
                ConnectorOption.optional("plan", "the account's plan: team | growth | professional | enterprise | "
                        + "enterprise_plus | high_volume (default team); sets the declared rate limit"),
                ConnectorOption.optional("timeout_seconds", "how long one call may take (default "
                        + DEFAULT_TIMEOUT_SECONDS + ")"));
    }

    @Override
    public Destination open(ConnectorContext context) {
        Settings settings = Settings.of(context, options());
        String entry = settings.entry();
        URI baseUrl = baseUrl(settings);
        String authorization = authorization(entry, settings.optional("email").orElse(null),
                settings.credential("api_token").orElse(null), settings.credential("oauth_token").orElse(null));
        ZendeskPlan plan = settings.choice("plan", DEFAULT_PLAN, List.of(ZendeskPlan.values()), ZendeskPlan::optionValue,
                ZendeskPlan.WHAT);
        Duration timeout = settings.seconds("timeout_seconds", DEFAULT_TIMEOUT_SECONDS, Long.MAX_VALUE);
        return new ZendeskDestination(new ZendeskClient(baseUrl, authorization, timeout, context.clock()), plan);
    }

    private static URI baseUrl(Settings settings) {
        if (settings.optional("base_url").isPresent()) {
            return settings.url("base_url", null, "https://acme.zendesk.com or http://127.0.0.1:8089", "/api/v2");
        }
        String name = settings.optional("subdomain").orElseThrow(() ->
                settings.problem("set subdomain (acme for acme.zendesk.com) or base_url"));
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
            throw settings.problem("subdomain '" + name + "' should be the first part of the account's address only, "
                    + "e.g. acme for acme.zendesk.com");
        }
        return URI.create("https://" + name + ".zendesk.com");
    }

    /**
     * {@code Basic base64({email}/token:{api_token})} for an API token, {@code Bearer} for OAuth
     * (https://developer.zendesk.com/api-reference/introduction/security-and-auth/).
     */
    static String authorization(String entry, String email, String apiToken, String oauthToken) {
        if (!isBlank(oauthToken)) {
            if (!isBlank(apiToken)) {
                throw new IllegalArgumentException(entry + ": set either oauth_token or email with api_token, not both");
            }
            return "Bearer " + oauthToken.trim();
        }
        if (isBlank(apiToken) || isBlank(email)) {
            throw new IllegalArgumentException(entry + ": set email and api_token (an API token and the agent's "
                    + "email address), or oauth_token");
        }
        String credentials = email.trim() + "/token:" + apiToken.trim();
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
