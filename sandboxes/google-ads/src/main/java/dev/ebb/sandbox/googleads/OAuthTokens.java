package dev.ebb.sandbox.googleads;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Google's OAuth 2.0 token endpoint for one client, and the check of the access tokens it issued: the refresh-token
 * grant ("Refreshing an access token (offline access)",
 * https://developers.google.com/identity/protocols/oauth2/web-server#offline), tokens that live
 * {@link GoogleAdsSandbox#TOKEN_LIFESPAN}, and the 401 an API call without a valid one gets.
 *
 * <p>Thread-safe: the issued tokens are guarded by this object.
 */
final class OAuthTokens {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String clientId;
    private final String clientSecret;
    private final String refreshToken;
    private final Clock clock;
    private final Map<String, Instant> issued = new HashMap<>();

    OAuthTokens(String clientId, String clientSecret, String refreshToken, Clock clock) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
        this.clock = clock;
    }

    /** {@code POST /token}: a form with the grant; the token, or the OAuth error Google answers. */
    SandboxResponse token(SandboxRequest request) {
        if (!request.method().equals("POST")) return oauthError(405, "invalid_request", "Use POST.");
        Map<String, List<String>> form = SandboxRequest.parseQuery(request.bodyText());
        String grant = first(form, "grant_type");
        if (!first(form, "client_id").equals(clientId) || !first(form, "client_secret").equals(clientSecret)) {
            return oauthError(401, "invalid_client", "The OAuth client was not found.");
        }
        if (!grant.equals("refresh_token")) {
            return oauthError(400, "unsupported_grant_type", "Invalid grant_type: " + grant);
        }
        if (!first(form, "refresh_token").equals(refreshToken)) {
            return oauthError(400, "invalid_grant", "Bad Request");
        }
        String token = "ya29.sandbox-" + UUID.randomUUID();
        synchronized (this) {
            issued.put(token, clock.instant().plus(GoogleAdsSandbox.TOKEN_LIFESPAN));
        }
        return SandboxResponse.json(200, JSON.createObjectNode().put("access_token", token)
                .put("expires_in", GoogleAdsSandbox.TOKEN_LIFESPAN.toSeconds())
                .put("scope", "https://www.googleapis.com/auth/datamanager").put("token_type", "Bearer"));
    }

    private static SandboxResponse oauthError(int status, String error, String description) {
        return SandboxResponse.json(status, JSON.createObjectNode().put("error", error)
                .put("error_description", description));
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? "" : values.getFirst();
    }

    /** Throws the 401 for a call without a live token this endpoint issued. */
    void authenticate(SandboxRequest request) {
        String header = request.header("Authorization").orElse("");
        if (!header.startsWith("Bearer ")) throw RpcErrors.unauthenticated("CREDENTIALS_MISSING");
        Instant expires;
        synchronized (this) {
            expires = issued.get(header.substring("Bearer ".length()).strip());
        }
        if (expires == null) throw RpcErrors.unauthenticated("ACCESS_TOKEN_TYPE_UNSUPPORTED");
        if (!clock.instant().isBefore(expires)) throw RpcErrors.unauthenticated("ACCESS_TOKEN_EXPIRED");
    }
}
