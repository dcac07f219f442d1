package dev.ebb.connector.zendesk;

import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;

import java.net.URI;
import java.net.URISyntaxException;
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
        String entry = context.name();
        URI baseUrl = baseUrl(entry, context.setting("base_url", null), context.setting("subdomain", null));
        String authorization = authorization(entry, context.setting("email", null), context.setting("api_token", null),
                context.setting("oauth_token", null));
        ZendeskPlan plan;
        try {
            plan = ZendeskPlan.parse(context.setting("plan", DEFAULT_PLAN.optionValue()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(entry + ": " + e.getMessage(), e);
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds(entry,
                context.setting("timeout_seconds", String.valueOf(DEFAULT_TIMEOUT_SECONDS))));
        return new ZendeskDestination(new ZendeskClient(baseUrl, authorization, timeout, context.clock()), plan);
    }

    private static URI baseUrl(String entry, String baseUrl, String subdomain) {
        if (isBlank(baseUrl)) {
            if (isBlank(subdomain)) {
                throw new IllegalArgumentException(entry + ": set subdomain (acme for acme.zendesk.com) or base_url");
            }
            String name = subdomain.trim();
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
                throw new IllegalArgumentException(entry + ": subdomain '" + subdomain + "' should be the first part "
                        + "of the account's address only, e.g. acme for acme.zendesk.com");
            }
            return URI.create("https://" + name + ".zendesk.com");
        }
        String trimmed = baseUrl.trim();
        while (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        if (trimmed.endsWith("/api/v2")) trimmed = trimmed.substring(0, trimmed.length() - "/api/v2".length());
        try {
            URI uri = new URI(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(entry + ": base_url '" + baseUrl
                + "' is not an http(s) URL; use e.g. https://acme.zendesk.com or http://127.0.0.1:8089");
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

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
