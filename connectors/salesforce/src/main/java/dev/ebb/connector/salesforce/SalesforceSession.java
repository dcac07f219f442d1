package dev.ebb.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.connector.support.Failures;
import dev.ebb.connector.support.HttpAnswer;
import dev.ebb.connector.support.HttpCaller;
import dev.ebb.connector.support.JsonAnswers;
import dev.ebb.connector.support.RetryAfter;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.RateUsage;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One signed-in connection to an org: the OAuth token, the HTTP client, and the classification of whole-call
 * failures. Thread-safe: the token is fetched under a lock and shared.
 *
 * <p>Token handling, and why it costs no step of its own: the token is fetched lazily, inside the first call that
 * needs it, and kept until Salesforce answers 401 {@code INVALID_SESSION_ID} (access tokens carry no expiry;
 * the session times out per the org's policy). That answer drops the token and is a {@link TransientException}:
 * the runner backs off and repeats the same step, whose first act is to sign in again. So every step is still one
 * API call; the token endpoint (on the login host) is not an API call and does not count against the org's daily
 * request allocation.
 */
final class SalesforceSession {
    /** The OAuth 2.0 token endpoint on the login host. */
    static final String TOKEN_PATH = "/services/oauth2/token";
    /** "exp … within 3 minutes" of issuing (OAuth 2.0 JWT bearer flow, help article sf.remoteaccess_oauth_jwt_flow). */
    static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(3);
    /** OAuth {@code error} codes Salesforce uses for a refusal that may pass ("retry your request"). */
    private static final Set<String> TRANSIENT_OAUTH_ERRORS = Set.of("unknown_error", "temporarily_unavailable",
            "server_error");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SalesforceSettings settings;
    private final Clock clock;
    private final HttpCaller caller;
    private final Object tokenLock = new Object();
    private Token token;

    /** An access token and the instance it is valid on. */
    record Token(String accessToken, URI instanceUrl) {
        @Override
        public String toString() {
            return "Token[" + instanceUrl + "]";
        }
    }

    /** A response: status, headers and body text. */
    record Answer(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            return parse(body);
        }
    }

    SalesforceSession(SalesforceSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.caller = new HttpCaller("Salesforce", settings.loginUrl(), settings.timeout());
    }

    SalesforceSettings settings() {
        return settings;
    }

    // ---- API calls ----------------------------------------------------------------------------------------

    /**
     * One API call on the org's instance, signing in first if no token is held.
     *
     * @param pathAndQuery e.g. {@code /services/data/v62.0/composite/sobjects}, already encoded
     * @param contentType  the body's type, or null without a body
     * @param accept       the wanted response type
     * @throws TransientException on a 401 (the token is dropped), a timeout or a broken connection
     */
    Answer call(String method, String pathAndQuery, String contentType, byte[] body, String accept)
            throws DestinationException {
        Token current = token();
        URI uri = URI.create(current.instanceUrl() + pathAndQuery);
        HttpRequest.Builder request = caller.request(uri, accept)
                .header("Authorization", "Bearer " + current.accessToken());
        Answer answer = send(HttpCaller.withBody(request, method, contentType, body), method + " " + pathAndQuery);
        if (answer.status() == 401) {
            // INVALID_SESSION_ID: the session timed out or was revoked. Sign in again on the next attempt.
            invalidate(current);
            throw new TransientException("Salesforce answered 401 to " + method + " " + shortPath(pathAndQuery) + ": "
                    + reason(answer.json()) + "; the token is dropped and the next attempt signs in again", null, false);
        }
        return answer;
    }

    /** A JSON call. */
    Answer json(String method, String pathAndQuery, JsonNode body) throws DestinationException {
        return call(method, pathAndQuery, body == null ? null : "application/json; charset=UTF-8",
                body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8), "application/json");
    }

    // ---- the token ----------------------------------------------------------------------------------------

    /** The held token, or a new one from the token endpoint (one request to the login host). */
    Token token() throws DestinationException {
        synchronized (tokenLock) {
            if (token == null) token = signIn();
            return token;
        }
    }

    /** Drops {@code stale} if it is still the held token (another thread may have renewed it already). */
    void invalidate(Token stale) {
        synchronized (tokenLock) {
            if (token == stale) token = null;
        }
    }

    private Token signIn() throws DestinationException {
        Map<String, String> form = new LinkedHashMap<>();
        switch (settings.flow()) {
            case JWT -> {
                form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
                form.put("assertion", assertion());
            }
            case CLIENT_CREDENTIALS -> {
                form.put("grant_type", "client_credentials");
                form.put("client_id", settings.clientId());
                form.put("client_secret", settings.clientSecret());
            }
            case REFRESH_TOKEN -> {
                form.put("grant_type", "refresh_token");
                form.put("refresh_token", settings.refreshToken());
                form.put("client_id", settings.clientId());
                if (settings.clientSecret() != null) form.put("client_secret", settings.clientSecret());
            }
        }
        String encoded = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = caller.request(URI.create(settings.loginUrl() + TOKEN_PATH), "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8))
                .build();
        Answer answer = send(request, "POST " + TOKEN_PATH);
        JsonNode body = answer.json();
        if (answer.status() == 200 && body.hasNonNull("access_token")) {
            URI instance = settings.instanceUrl();
            if (instance == null) {
                String returned = body.path("instance_url").asText("");
                try {
                    instance = URI.create(returned.endsWith("/") ? returned.substring(0, returned.length() - 1) : returned);
                } catch (IllegalArgumentException e) {
                    instance = null;
                }
                if (instance == null || instance.getHost() == null) {
                    throw new PermanentException("Salesforce's token response has no usable instance_url ('" + returned
                            + "'); set instance_url in the destination's settings", null);
                }
            }
            return new Token(body.get("access_token").asText(), instance);
        }
        String error = body.path("error").asText("");
        String description = body.path("error_description").asText("");
        String message = "Salesforce refused to sign in (" + settings.flow().optionValue() + " flow at "
                + settings.loginUrl() + TOKEN_PATH + "): HTTP " + answer.status()
                + (error.isEmpty() ? " " + reason(body) : " " + error + (description.isEmpty() ? "" : ": " + description));
        if (answer.status() >= 500 || TRANSIENT_OAUTH_ERRORS.contains(error)) {
            throw new TransientException(message, null, false);
        }
        if (error.isEmpty() && answer.status() != 400 && answer.status() != 401) {
            // Not an OAuth answer (a throttle, a proxy): classified like any other call.
            throw failure(answer, "sign-in");
        }
        throw new PermanentException(message + hint(error), null);
    }

    private String hint(String error) {
        return switch (error) {
            case "invalid_client_id" -> " (check client_id: the connected app's consumer key)";
            case "invalid_client" -> " (check client_id and client_secret)";
            case "invalid_grant" -> switch (settings.flow()) {
                case JWT -> " (check username, that the user is pre-authorized for the connected app, that the app "
                        + "holds the certificate of private_key, and that audience is " + settings.audience() + ")";
                case CLIENT_CREDENTIALS -> " (check that the connected app enables the client credentials flow "
                        + "and names a run-as user)";
                case REFRESH_TOKEN -> " (the refresh token may be revoked or expired; authorize again)";
            };
            default -> "";
        };
    }

    /**
     * The JWT bearer assertion: {@code {"alg":"RS256"}} and the claims {@code iss} (client id), {@code sub}
     * (username), {@code aud} (login URL) and {@code exp}, signed with SHA256withRSA.
     */
    String assertion() throws PermanentException {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        var claims = JSON.createObjectNode()
                .put("iss", settings.clientId())
                .put("sub", settings.username())
                .put("aud", settings.audience())
                .put("exp", clock.instant().plus(ASSERTION_LIFETIME).getEpochSecond());
        String payload = base64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        String signingInput = header + "." + payload;
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(settings.privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new PermanentException("cannot sign the JWT assertion with private_key: " + e.getMessage(), e);
        }
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    private Answer send(HttpRequest request, String what) throws TransientException {
        HttpAnswer answer = caller.send(request, shortPath(what));
        return new Answer(answer.status(), answer.headers(), answer.body());
    }

    void close() {
        caller.close();
    }

    // ---- classification -----------------------------------------------------------------------------------

    /**
     * The exception for a call Salesforce refused as a whole, by status and {@code errorCode}
     * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm).
     *
     * <p>{@code REQUEST_LIMIT_EXCEEDED} comes as a 403 without a wait hint for two different limits: the org's
     * rolling 24-hour allocation (the daily quota: the run stops) and the concurrent long-running requests (wait and
     * retry). The usage header of the same answer tells them apart ({@code api-usage} at or over its limit means the
     * allocation is spent); without it, the limit's name that Salesforce puts first in the message
     * ({@code TotalRequests Limit exceeded.}, LIMITS §2) decides.
     */
    DestinationException failure(Answer answer, String what) {
        int status = answer.status();
        JsonNode body = answer.json();
        List<String> codes = errorCodes(body);
        String message = "Salesforce answered " + status + " to the " + what + ": " + reason(body);
        return Failures.classify(new HttpAnswer(status, answer.headers(), answer.body()), message, clock,
                (http, text) -> {
                    if (codes.contains("REQUEST_LIMIT_EXCEEDED") || status == 429) {
                        return Optional.of(new ThrottledException(text, status == 429
                                ? RetryAfter.of(http.headers(), clock).orElse(null) : null,
                                dailyAllocationSpent(answer, body)));
                    }
                    if (TRANSIENT_ERROR_CODES.stream().anyMatch(codes::contains)) {
                        return Optional.of(new TransientException(text, null, false));
                    }
                    return Optional.empty();
                });
    }

    /** Error codes of faults that may pass, whatever the status they come with (errorcodes.htm above). */
    private static final Set<String> TRANSIENT_ERROR_CODES = Set.of("SERVER_UNAVAILABLE", "UNABLE_TO_LOCK_ROW",
            "QUERY_TIMEOUT", "REQUEST_RUNNING_TOO_LONG");

    private static boolean dailyAllocationSpent(Answer answer, JsonNode body) {
        Optional<long[]> usage = apiUsage(answer.headers());
        if (usage.isPresent()) return usage.get()[0] >= usage.get()[1];
        for (JsonNode error : errors(body)) {
            String text = error.path("message").asText("");
            int space = text.indexOf(' ');
            if ((space < 0 ? text : text.substring(0, space)).equals("TotalRequests")) return true;
        }
        return false;
    }

    /**
     * The org's daily allocation from {@code Sforce-Limit-Info: api-usage=used/limit}
     * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm).
     */
    static RateUsage usage(HttpHeaders headers) {
        return apiUsage(headers).map(u -> new RateUsage(null, null, null, Math.max(0, u[1] - u[0])))
                .orElse(RateUsage.UNKNOWN);
    }

    private static Optional<long[]> apiUsage(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("Sforce-Limit-Info");
        if (value.isEmpty()) return Optional.empty();
        for (String part : value.get().split(",")) {
            String trimmed = part.trim();
            if (!trimmed.startsWith("api-usage=")) continue;
            String[] numbers = trimmed.substring("api-usage=".length()).split("/");
            if (numbers.length != 2) return Optional.empty();
            try {
                return Optional.of(new long[]{Long.parseLong(numbers[0].trim()), Long.parseLong(numbers[1].trim())});
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Salesforce's error list: a JSON array of {@code {errorCode, message, fields}}, or one such object. */
    static List<JsonNode> errors(JsonNode body) {
        List<JsonNode> errors = new ArrayList<>();
        if (body.isArray()) body.forEach(errors::add);
        else if (body.has("errorCode") || body.has("message")) errors.add(body);
        return errors;
    }

    static List<String> errorCodes(JsonNode body) {
        return errors(body).stream().map(e -> e.path("errorCode").asText(e.path("statusCode").asText("")))
                .filter(code -> !code.isEmpty()).toList();
    }

    /** Salesforce's reason in one line: {@code CODE: message (fields: A, B)}, errors joined by "; ". */
    static String reason(JsonNode body) {
        List<String> lines = new ArrayList<>();
        for (JsonNode error : errors(body)) {
            String code = error.path("errorCode").asText(error.path("statusCode").asText(""));
            StringBuilder line = new StringBuilder();
            if (!code.isEmpty()) line.append(code).append(": ");
            line.append(error.path("message").asText(""));
            List<String> fields = new ArrayList<>();
            error.path("fields").forEach(f -> fields.add(f.asText()));
            if (!fields.isEmpty()) line.append(" (fields: ").append(String.join(", ", fields)).append(')');
            lines.add(line.toString().trim());
        }
        if (lines.isEmpty()) {
            String text = body.path("message").asText(body.isObject() ? "" : body.toString());
            return text.isBlank() ? "no reason given" : text;
        }
        return String.join("; ", lines);
    }

    /** Salesforce answers lists as well as objects; anything else (a proxy's HTML page, CSV) is a message. */
    static JsonNode parse(String text) {
        return JsonAnswers.objectOrArray(JSON, text, "message");
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String shortPath(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query) + "?…";
    }
}
