package dev.ebb.connector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.connector.support.Failures;
import dev.ebb.connector.support.HttpAnswer;
import dev.ebb.connector.support.HttpCaller;
import dev.ebb.connector.support.JsonAnswers;
import dev.ebb.connector.support.RateHeaders;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.RateUsage;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP call to the Zendesk Support API, and the classification of what came back. It never retries or waits.
 *
 * <p>Authentication (https://developer.zendesk.com/api-reference/introduction/security-and-auth/): an API token goes
 * as HTTP Basic with the user name {@code {email}/token} and the token as password; an OAuth access token as
 * {@code Authorization: Bearer}.
 *
 * <p>Thread-safe: the HTTP client and the mapper are shared, nothing else changes after construction.
 */
final class ZendeskClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final String authorization;
    private final Clock clock;
    private final HttpCaller caller;

    /** An answer: status, headers and the body as JSON (an object holding {@code description} if it was not JSON). */
    record Answer(int status, HttpHeaders headers, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    ZendeskClient(URI baseUrl, String authorization, Duration timeout, Clock clock) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
        this.clock = clock;
        this.caller = new HttpCaller("Zendesk", baseUrl, timeout);
    }

    URI baseUrl() {
        return baseUrl;
    }

    /** One call; {@code pathAndQuery} starts with {@code /api/v2/}, {@code body} may be null. */
    Answer send(String method, String pathAndQuery, JsonNode body) throws TransientException {
        HttpRequest.Builder request = caller.request(URI.create(baseUrl + pathAndQuery), "application/json")
                .header("Authorization", authorization);
        HttpAnswer answer = caller.send(HttpCaller.withBody(request, method, "application/json",
                body == null ? null : body.toString()), method + " " + pathWithoutQuery(pathAndQuery));
        return new Answer(answer.status(), answer.headers(), JsonAnswers.object(JSON, answer.body(), "description"));
    }

    /**
     * The exception for a call Zendesk refused as a whole, by status: 429 is a throttle with Zendesk's
     * {@code Retry-After} in seconds (rate limit, or more than 30 jobs queued or running: "Rate limits",
     * https://developer.zendesk.com/api-reference/introduction/rate-limits); 409 (a concurrent change of the same
     * record) and 5xx may pass; anything else (401 bad credentials, 403 such as "Data imports are not enabled",
     * 400 {@code TooManyValues}, 404, 422 {@code RecordInvalid}) will not.
     */
    DestinationException failure(Answer answer, String what) {
        String message = "Zendesk answered " + answer.status() + " to " + what + ": " + reason(answer.body());
        return Failures.classify(new HttpAnswer(answer.status(), answer.headers(), ""), message, clock,
                (http, text) -> http.status() == 409
                        ? Optional.of(new TransientException(text, null, false)) : Optional.empty());
    }

    /**
     * Zendesk's reason in one line. Its errors carry {@code error} (a code such as {@code RecordInvalid},
     * {@code TooManyValues}, {@code APIRateLimitExceeded}; for OAuth {@code invalid_token}), a {@code description},
     * and for validation errors {@code details} per attribute, e.g.
     * {@code {"error":"RecordInvalid","description":"Record validation errors","details":{"name":[{"description":
     * "Name: is too short (minimum is 1 characters)"}]}}}.
     */
    static String reason(JsonNode body) {
        JsonNode error = body.path("error");
        String code;
        String description;
        if (error.isObject()) {
            // Some endpoints nest it: {"error":{"title":"Invalid attribute","message":"…"}}
            code = error.path("title").asText("");
            description = error.path("message").asText("");
        } else {
            code = error.asText("");
            description = body.path("description").asText(body.path("error_description").asText(
                    body.path("message").asText("")));
        }
        List<String> details = new ArrayList<>();
        JsonNode detailNode = body.path("details");
        if (detailNode.isObject()) {
            for (Map.Entry<String, JsonNode> attribute : detailNode.properties()) {
                for (JsonNode problem : attribute.getValue()) {
                    String text = problem.path("description").asText("");
                    if (!text.isEmpty()) details.add(text);
                }
            }
        } else if (detailNode.isTextual()) {
            details.add(detailNode.asText());
        }
        StringBuilder line = new StringBuilder(code);
        if (!description.isEmpty()) line.append(line.isEmpty() ? "" : ": ").append(description);
        if (!details.isEmpty()) line.append(line.isEmpty() ? "" : " (").append(String.join("; ", details))
                .append(line.isEmpty() ? "" : ")");
        return line.isEmpty() ? "no reason given" : line.toString();
    }

    /**
     * The account's budget from {@code X-Rate-Limit} and {@code X-Rate-Limit-Remaining} ("Monitoring your request
     * activity", rate-limits page above); the limit is per minute. {@link RateUsage#UNKNOWN} without them.
     */
    static RateUsage usage(HttpHeaders headers) {
        Long max = RateHeaders.number(headers, "X-Rate-Limit", "ratelimit-limit").orElse(null);
        Long remaining = RateHeaders.number(headers, "X-Rate-Limit-Remaining", "ratelimit-remaining").orElse(null);
        if (max == null && remaining == null) return RateUsage.UNKNOWN;
        return RateHeaders.usage(max, remaining, ZendeskPlan.WINDOW, null);
    }

    private static String pathWithoutQuery(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    @Override
    public void close() {
        caller.close();
    }
}
