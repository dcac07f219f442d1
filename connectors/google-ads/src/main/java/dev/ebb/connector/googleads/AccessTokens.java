package dev.ebb.connector.googleads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.connector.support.Failures;
import dev.ebb.connector.support.HttpAnswer;
import dev.ebb.connector.support.HttpCaller;
import dev.ebb.connector.support.JsonAnswers;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.TransientException;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The OAuth 2.0 access token the Data Manager API calls carry: either one the settings give (it lives an hour, enough
 * for a short run), or one obtained with a refresh token at Google's token endpoint and renewed a minute before it
 * expires ("Refreshing an access token (offline access)",
 * https://developers.google.com/identity/protocols/oauth2/web-server#offline: {@code POST
 * https://oauth2.googleapis.com/token} with {@code client_id}, {@code client_secret}, {@code refresh_token} and
 * {@code grant_type=refresh_token}, answered with {@code access_token} and {@code expires_in}).
 *
 * <p>The token request is the one request that may precede an API call: Google does not count it against the Data
 * Manager API's quotas, which are per API.
 *
 * <p>Thread-safe: one renewal at a time; other callers wait for it rather than asking again.
 */
final class AccessTokens {
    static final Duration RENEW_BEFORE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the connector signs in: a fixed token, or the refresh-token grant. */
    sealed interface Grant permits Fixed, Refresh {
    }

    record Fixed(String accessToken) implements Grant {
    }

    record Refresh(URI tokenUrl, String clientId, String clientSecret, String refreshToken) implements Grant {
    }

    private final Grant grant;
    private final HttpCaller caller;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    AccessTokens(Grant grant, HttpCaller caller, Clock clock) {
        this.grant = grant;
        this.caller = caller;
        this.clock = clock;
    }

    /** Whether a refused token can be replaced (the refresh-token grant), so that an expiry is worth a retry. */
    boolean renewable() {
        return grant instanceof Refresh;
    }

    /** A token that is valid for a while yet, asking the token endpoint for one when needed. */
    synchronized String current() throws DestinationException {
        return switch (grant) {
            case Fixed fixed -> fixed.accessToken();
            case Refresh refresh -> {
                if (token != null && clock.instant().isBefore(renewAt)) yield token;
                Instant asked = clock.instant();
                JsonNode body = request(refresh);
                long seconds = body.path("expires_in").asLong(0);
                token = body.get("access_token").asText();
                renewAt = asked.plusSeconds(seconds).minus(seconds > RENEW_BEFORE.toSeconds() * 2 ? RENEW_BEFORE
                        : Duration.ZERO);
                yield token;
            }
        };
    }

    /** Forgets {@code refused} (a token Google answered 401 to), unless a newer one replaced it already. */
    synchronized void invalidate(String refused) {
        if (refused.equals(token)) token = null;
    }

    private JsonNode request(Refresh refresh) throws DestinationException {
        String form = "grant_type=refresh_token&client_id=" + encode(refresh.clientId()) + "&client_secret="
                + encode(refresh.clientSecret()) + "&refresh_token=" + encode(refresh.refreshToken());
        HttpRequest request = HttpCaller.withBody(caller.request(refresh.tokenUrl(), "application/json"), "POST",
                "application/x-www-form-urlencoded", form);
        HttpAnswer answer = caller.send(request, "POST " + refresh.tokenUrl().getPath());
        JsonNode body = JsonAnswers.object(JSON, answer.body(), "error_description");
        if (answer.ok() && body.hasNonNull("access_token")) return body;
        if (answer.ok()) throw new TransientException("Google's token endpoint answered without an access token", null,
                false);
        // invalid_client (401) and invalid_grant (400: a revoked or expired refresh token) cannot pass by retrying.
        String message = "Google's token endpoint refused the refresh token of OAuth client " + refresh.clientId()
                + " (HTTP " + answer.status() + " " + body.path("error").asText("") + ": "
                + body.path("error_description").asText("") + "); check client_id, client_secret and refresh_token";
        return throwFor(Failures.classify(answer, message, clock, (http, text) -> http.status() == 400
                ? Optional.of(new PermanentException(text, null)) : Optional.empty()));
    }

    private static JsonNode throwFor(DestinationException e) throws DestinationException {
        throw e;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
