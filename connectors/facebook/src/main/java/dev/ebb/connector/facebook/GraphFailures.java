package dev.ebb.connector.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.connector.support.Failures;
import dev.ebb.connector.support.HttpAnswer;
import dev.ebb.connector.support.JsonAnswers;
import dev.ebb.connector.support.RateHeaders;
import dev.ebb.connector.support.RetryAfter;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.RateUsage;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What Meta's answers mean: Graph error objects classified by their {@code code} (never their text), and the usage
 * headers read into a {@link RateUsage}.
 *
 * <ul>
 *   <li>Throttled: 4 (application limit), 17 (user limit), 32 (page limit), 613 (custom limit) and the Business Use
 *       Case range 80000–80014 (80003 is custom_audience), whatever the HTTP status Meta puts on them; the wait is
 *       the {@code estimated_time_to_regain_access} of {@code X-Business-Use-Case-Usage} (minutes), else a
 *       {@code Retry-After}, else none (the runtime derives one from the hourly window).
 *       (https://developers.facebook.com/docs/graph-api/overview/rate-limiting ;
 *       https://developers.facebook.com/docs/marketing-api/overview/rate-limiting)</li>
 *   <li>Transient: 1 (unknown error) and 2 (service temporarily unavailable), any error Meta marks
 *       {@code is_transient}, and 5xx.</li>
 *   <li>Permanent: 190/102/104 (the access token), 10 and 200–299 (permissions), 100 (a bad parameter; subcode 33
 *       an audience that does not exist or is not visible; subcode 1713230 an audience flagged with operation_status
 *       471), and everything else (https://developers.facebook.com/docs/graph-api/guides/error-handling,
 *       https://developers.facebook.com/docs/marketing-api/error-reference).</li>
 * </ul>
 *
 * <p>Stateless.
 */
final class GraphFailures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GraphFailures() {
    }

    /** The exception for a call Meta refused; {@code what} names the call (no secret). */
    static DestinationException classify(HttpAnswer answer, String what, Clock clock) {
        JsonNode error = JsonAnswers.object(JSON, answer.body(), "message").path("error");
        int code = error.path("code").asInt(0);
        int subcode = error.path("error_subcode").asInt(0);
        String message = "Meta answered " + answer.status() + " while " + what + ": " + reason(error, answer);
        return Failures.classify(answer, message, clock, (http, text) -> {
            if (code == 4 || code == 17 || code == 32 || code == 613 || (code >= 80_000 && code <= 80_014)) {
                return Optional.of(new ThrottledException(text, wait(http.headers(), clock).orElse(null), false));
            }
            if (code == 1 || code == 2 || error.path("is_transient").asBoolean(false)) {
                return Optional.of(new TransientException(text, null, false));
            }
            String hint = switch (code) {
                case 190, 102, 104 -> "; the access token is missing, invalid or expired: set a valid system-user "
                        + "token with ads_management";
                case 10 -> "; the token lacks a permission this call needs (ads_management on the ad account)";
                case 100 -> switch (subcode) {
                    case 33 -> "; check that the audience id is right and that the token's user is on its ad account";
                    case 1713230 -> "; the audience is flagged (operation_status 471): resolve its restrictions in "
                            + "Audience Manager, or create a new audience";
                    default -> "";
                };
                default -> code >= 200 && code <= 299 ? "; the token lacks permission on the ad account or audience" : "";
            };
            return code == 0 ? Optional.empty() : Optional.of(new PermanentException(text + hint, null));
        });
    }

    /** Meta's reason in one line: {@code (#code/subcode) message [fbtrace_id …]}, or the status alone. */
    private static String reason(JsonNode error, HttpAnswer answer) {
        if (error.isMissingNode()) {
            String text = JsonAnswers.object(JSON, answer.body(), "message").path("message").asText("");
            return text.isBlank() ? "no Graph error object" : text;
        }
        StringBuilder line = new StringBuilder("(#").append(error.path("code").asInt(0));
        if (error.hasNonNull("error_subcode")) line.append('/').append(error.get("error_subcode").asInt());
        line.append(") ").append(error.path("message").asText(""));
        if (error.hasNonNull("error_user_msg")) line.append(" — ").append(error.get("error_user_msg").asText());
        if (error.hasNonNull("fbtrace_id")) line.append(" [fbtrace_id ").append(error.get("fbtrace_id").asText()).append(']');
        return line.toString();
    }

    /** The wait Meta implies: the BUC header's minutes until access returns, else {@code Retry-After}. */
    static Optional<Duration> wait(HttpHeaders headers, Clock clock) {
        long minutes = 0;
        for (JsonNode entry : bucEntries(headers)) {
            minutes = Math.max(minutes, entry.path("estimated_time_to_regain_access").asLong(0));
        }
        if (minutes > 0) return Optional.of(Duration.ofMinutes(minutes));
        return RetryAfter.of(headers, clock);
    }

    /**
     * The usage Meta reports, as calls left in the declared hourly window: Meta gives percentages of the allowance
     * ({@code call_count}, {@code total_cputime}, {@code total_time} in {@code X-Business-Use-Case-Usage} per
     * business object, and in {@code X-App-Usage}); the highest of them is what is spent.
     */
    static RateUsage usage(HttpHeaders headers, int declaredPerHour) {
        Long spent = null;
        for (JsonNode entry : bucEntries(headers)) spent = max(spent, percent(entry));
        Optional<JsonNode> app = json(headers, "X-App-Usage");
        if (app.isPresent()) spent = max(spent, percent(app.get()));
        if (spent == null) return RateUsage.UNKNOWN;
        long remaining = Math.max(0, declaredPerHour * (100 - Math.min(100, spent)) / 100);
        return RateHeaders.usage(null, remaining, Duration.ofHours(1), null);
    }

    private static long percent(JsonNode usage) {
        return Math.max(usage.path("call_count").asLong(0),
                Math.max(usage.path("total_cputime").asLong(0), usage.path("total_time").asLong(0)));
    }

    private static Long max(Long a, long b) {
        return a == null ? b : Math.max(a, b);
    }

    private static Iterable<JsonNode> bucEntries(HttpHeaders headers) {
        java.util.List<JsonNode> entries = new java.util.ArrayList<>();
        json(headers, "X-Business-Use-Case-Usage").ifPresent(byObject ->
                byObject.forEach(list -> list.forEach(entries::add)));
        return entries;
    }

    private static Optional<JsonNode> json(HttpHeaders headers, String name) {
        return headers.firstValue(name).flatMap(text -> {
            try {
                JsonNode node = JSON.readTree(text);
                return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return Optional.empty(); // an unreadable header is no hint
            }
        });
    }
}
