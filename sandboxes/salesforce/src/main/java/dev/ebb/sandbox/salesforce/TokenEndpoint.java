package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /services/oauth2/token} for three OAuth 2.0 flows
 * (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flows.htm), and the access tokens it issued.
 * Thread-safe.
 *
 * <ul>
 *   <li>JWT bearer ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}): an RS256 assertion whose
 *       signature verifies with a configured public key, {@code iss} the client id, {@code sub} the username,
 *       {@code aud} an accepted audience, {@code exp} in the future;</li>
 *   <li>client credentials: the client id and secret, in the form or as HTTP Basic;</li>
 *   <li>refresh token: a configured refresh token of the client.</li>
 * </ul>
 * Refusals are HTTP 400 with {@code {"error": …, "error_description": …}}, Salesforce's codes and wording.
 */
final class TokenEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final Clock clock;
    private final String clientId;
    private final String clientSecret;
    private final String username;
    private final List<PublicKey> jwtKeys;
    private final Set<String> refreshTokens;
    private final boolean clientCredentialsEnabled;
    private final Set<String> audiences;
    private final Duration sessionTimeout;
    private final String orgId;
    private final String userId;
    private final Supplier<String> instanceUrl;
    private final Map<String, Instant> sessions = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    TokenEndpoint(Clock clock, String clientId, String clientSecret, String username, List<PublicKey> jwtKeys,
                  Set<String> refreshTokens, boolean clientCredentialsEnabled, Set<String> audiences,
                  Duration sessionTimeout, String orgId, String userId, Supplier<String> instanceUrl) {
        this.clock = clock;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.username = username;
        this.jwtKeys = List.copyOf(jwtKeys);
        this.refreshTokens = Set.copyOf(refreshTokens);
        this.clientCredentialsEnabled = clientCredentialsEnabled;
        this.audiences = Set.copyOf(audiences);
        this.sessionTimeout = sessionTimeout;
        this.orgId = orgId;
        this.userId = userId;
        this.instanceUrl = instanceUrl;
    }

    /** Answers a token request. */
    SandboxResponse token(SandboxRequest request, String baseUrl) {
        if (!request.method().equals("POST")) {
            return SandboxResponse.json(405, JSON.createObjectNode().put("error", "invalid_request")
                    .put("error_description", "must use HTTP POST"));
        }
        Map<String, List<String>> form = SandboxRequest.parseQuery(request.bodyText());
        String grant = first(form, "grant_type").orElse("");
        return switch (grant) {
            case JWT_GRANT -> jwt(first(form, "assertion").orElse(""), baseUrl);
            case "client_credentials" -> clientCredentials(request, form);
            case "refresh_token" -> refresh(form);
            case "" -> refused("invalid_request", "grant type not supported");
            default -> refused("unsupported_grant_type", "grant type not supported");
        };
    }

    /** Whether {@code token} is a live session. */
    synchronized boolean valid(String token) {
        Instant expires = sessions.get(token);
        if (expires == null) return false;
        if (!clock.instant().isBefore(expires)) {
            sessions.remove(token);
            return false;
        }
        return true;
    }

    /** Ends every session, as an administrator revoking them (or a session timeout) would. */
    synchronized void expireAll() {
        sessions.clear();
    }

    synchronized int sessionCount() {
        return sessions.size();
    }

    String clientId() {
        return clientId;
    }

    String clientSecret() {
        return clientSecret;
    }

    String username() {
        return username;
    }

    // ---- flows --------------------------------------------------------------------------------------------

    private SandboxResponse jwt(String assertion, String baseUrl) {
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) return refused("invalid_grant", "invalid assertion");
        JsonNode header;
        JsonNode claims;
        try {
            header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            return refused("invalid_grant", "invalid assertion");
        }
        if (!header.path("alg").asText("").equals("RS256") || !verifies(parts)) {
            return refused("invalid_grant", "invalid assertion");
        }
        if (!claims.path("iss").asText("").equals(clientId)) return refused("invalid_client_id", "client identifier invalid");
        String aud = claims.path("aud").asText("");
        if (!audiences.contains(aud) && !aud.equals(baseUrl)) return refused("invalid_grant", "audience is invalid");
        JsonNode exp = claims.path("exp");
        long expires = exp.isNumber() ? exp.asLong() : exp.isTextual() ? parseLong(exp.asText()) : -1;
        if (expires <= clock.instant().getEpochSecond()) return refused("invalid_grant", "expired authorization code");
        if (!claims.path("sub").asText("").equalsIgnoreCase(username)) {
            return refused("invalid_grant", "user hasn't approved this consumer");
        }
        return issue(null);
    }

    private boolean verifies(String[] parts) {
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        for (PublicKey key : jwtKeys) {
            try {
                Signature verifier = Signature.getInstance("SHA256withRSA");
                verifier.initVerify(key);
                verifier.update(signed);
                if (verifier.verify(signature)) return true;
            } catch (GeneralSecurityException e) {
                // not this key
            }
        }
        return false;
    }

    private SandboxResponse clientCredentials(SandboxRequest request, Map<String, List<String>> form) {
        String id = first(form, "client_id").orElse(null);
        String secret = first(form, "client_secret").orElse(null);
        Optional<String> basic = request.header("Authorization").filter(h -> h.regionMatches(true, 0, "Basic ", 0, 6));
        if (basic.isPresent()) {
            try {
                String decoded = new String(Base64.getDecoder().decode(basic.get().substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    id = decoded.substring(0, colon);
                    secret = decoded.substring(colon + 1);
                }
            } catch (IllegalArgumentException e) {
                return refused("invalid_client", "invalid client credentials");
            }
        }
        if (id == null || !id.equals(clientId)) return refused("invalid_client_id", "client identifier invalid");
        if (secret == null || !secret.equals(clientSecret)) return refused("invalid_client", "invalid client credentials");
        if (!clientCredentialsEnabled) return refused("invalid_grant", "no client credentials user enabled");
        return issue(null);
    }

    private SandboxResponse refresh(Map<String, List<String>> form) {
        String id = first(form, "client_id").orElse(null);
        if (id == null || !id.equals(clientId)) return refused("invalid_client_id", "client identifier invalid");
        Optional<String> secret = first(form, "client_secret");
        if (secret.isPresent() && !secret.get().equals(clientSecret)) {
            return refused("invalid_client", "invalid client credentials");
        }
        if (!refreshTokens.contains(first(form, "refresh_token").orElse(""))) {
            return refused("invalid_grant", "expired access/refresh token");
        }
        return issue(null);
    }

    /**
     * A token response: {@code access_token}, {@code signature}, {@code scope}, {@code instance_url}, {@code id},
     * {@code token_type}, {@code issued_at} (OAuth 2.0 JWT bearer flow, "Salesforce grants an access token").
     */
    private SandboxResponse issue(String scope) {
        byte[] bytes = new byte[48];
        random.nextBytes(bytes);
        String token = orgId.substring(0, 15) + "!" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
                .replace('-', '.').replace('_', '.');
        Instant now = clock.instant();
        synchronized (this) {
            sessions.put(token, now.plus(sessionTimeout));
        }
        String instance = instanceUrl.get();
        String id = instance + "/id/" + orgId + "/" + userId;
        String issuedAt = String.valueOf(now.toEpochMilli());
        ObjectNode body = JSON.createObjectNode()
                .put("access_token", token)
                .put("signature", signature(id + issuedAt))
                .put("scope", scope == null ? "api" : scope)
                .put("instance_url", instance)
                .put("id", id)
                .put("token_type", "Bearer")
                .put("issued_at", issuedAt);
        return SandboxResponse.json(200, body).withHeader("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private");
    }

    /** Base64 HMAC-SHA256 of the id and issue time, keyed with the consumer secret, as Salesforce signs them. */
    private String signature(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private static SandboxResponse refused(String error, String description) {
        return SandboxResponse.json(400, JSON.createObjectNode().put("error", error).put("error_description", description))
                .withHeader("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private");
    }

    private static Optional<String> first(Map<String, List<String>> form, String key) {
        List<String> values = form.get(key);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
