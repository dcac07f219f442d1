package dev.ebb.connector.googleads;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.connector.support.Failures;
import dev.ebb.connector.support.HttpAnswer;
import dev.ebb.connector.support.RetryAfter;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Google API error as REST carries it: a {@code google.rpc.Status} under {@code "error"} ({@code code},
 * {@code message}, {@code status}, {@code details}), read by its canonical code and standard details, never by its
 * message (https://cloud.google.com/apis/design/errors):
 * <ul>
 *   <li>429 / {@code RESOURCE_EXHAUSTED}: throttled, waiting a {@code google.rpc.RetryInfo}'s {@code retryDelay} or a
 *       {@code Retry-After}; a daily one when the ErrorInfo's {@code metadata.quota_limit} is a per-day quota
 *       ({@code IngestionMutateRequestsPerDayPerProject}, https://developers.google.com/data-manager/api/devguides/limits);</li>
 *   <li>{@code UNAVAILABLE}, {@code INTERNAL}, {@code DEADLINE_EXCEEDED} and other 5xx: transient;</li>
 *   <li>401 with ErrorInfo reason {@code ACCESS_TOKEN_EXPIRED}: transient when the token can be renewed;</li>
 *   <li>everything else (INVALID_ARGUMENT, PERMISSION_DENIED, NOT_FOUND, UNAUTHENTICATED): permanent.</li>
 * </ul>
 *
 * @param http       the status
 * @param code       the canonical code name ({@code INVALID_ARGUMENT})
 * @param message    Google's message
 * @param reasons    the ErrorInfo reasons (the Data Manager API's ErrorReason, error.proto)
 * @param quotaLimit the quota an ErrorInfo names, or empty
 * @param retryDelay a RetryInfo's delay, or null
 * @param violations BadRequest field violations: field path to description with reason
 */
record RpcStatus(int http, String code, String message, List<String> reasons, String quotaLimit, Duration retryDelay,
                 Map<String, String> violations) {
    private static final Pattern MEMBER = Pattern.compile("audience_members\\[(\\d+)]");
    private static final Set<String> TRANSIENT = Set.of("UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED", "ABORTED");

    /** The status in {@code body} ({@code {"error": {...}}}), with what can be read when it is not one. */
    static RpcStatus of(int http, JsonNode body) {
        JsonNode error = body.path("error");
        List<String> reasons = new ArrayList<>();
        String quotaLimit = "";
        Duration retryDelay = null;
        Map<String, String> violations = new LinkedHashMap<>();
        for (JsonNode detail : error.path("details")) {
            String type = detail.path("@type").asText("");
            if (type.endsWith("google.rpc.ErrorInfo")) {
                reasons.add(detail.path("reason").asText(""));
                quotaLimit = detail.path("metadata").path("quota_limit").asText(quotaLimit);
            } else if (type.endsWith("google.rpc.RetryInfo")) {
                retryDelay = duration(detail.path("retryDelay").asText(""));
            } else if (type.endsWith("google.rpc.BadRequest")) {
                for (JsonNode v : detail.path("fieldViolations")) {
                    String reason = v.path("reason").asText("");
                    violations.merge(v.path("field").asText(""), (reason.isEmpty() ? "" : reason + ": ")
                            + v.path("description").asText(""), (a, b) -> a + "; " + b);
                }
            }
        }
        String message = error.isObject() ? error.path("message").asText("") : body.path("message").asText("");
        return new RpcStatus(http, error.path("status").asText(""), message, reasons, quotaLimit, retryDelay,
                violations);
    }

    /** Google's reason in one line: code, ErrorInfo reasons, message and the fields it names. */
    String reason() {
        StringBuilder text = new StringBuilder(code.isEmpty() ? "HTTP " + http : code);
        reasons.stream().filter(r -> !r.isEmpty()).forEach(r -> text.append(' ').append(r));
        if (!message.isBlank()) text.append(": ").append(message);
        violations.forEach((field, problem) -> text.append(" [").append(field).append(": ").append(problem).append(']'));
        return text.toString();
    }

    /** The positions of the request's audience members that the field violations name, with their problems. */
    Map<Integer, String> memberViolations() {
        Map<Integer, String> members = new LinkedHashMap<>();
        violations.forEach((field, problem) -> {
            Matcher m = MEMBER.matcher(field);
            if (m.find()) members.merge(Integer.parseInt(m.group(1)), field + ": " + problem, (a, b) -> a + "; " + b);
        });
        return members;
    }

    /** Whether every violation names an audience member (so the rest of the request would pass). */
    boolean onlyMembersViolated() {
        return code.equals("INVALID_ARGUMENT") && !violations.isEmpty()
                && violations.keySet().stream().allMatch(field -> MEMBER.matcher(field).find());
    }

    boolean tokenExpired() {
        return http == 401 && reasons.contains("ACCESS_TOKEN_EXPIRED");
    }

    /** The exception for a call Google refused as a whole. */
    DestinationException exception(String what, HttpAnswer answer, Clock clock, boolean tokenRenewable) {
        String text = "Google answered " + http + " while " + what + ": " + reason();
        return Failures.classify(answer, text, clock, (status, message) -> {
            if (http == 429 || code.equals("RESOURCE_EXHAUSTED")) {
                Duration wait = retryDelay != null ? retryDelay : RetryAfter.of(answer.headers(), clock).orElse(null);
                return Optional.of(new ThrottledException(message, wait, quotaLimit.contains("PerDay")));
            }
            if (TRANSIENT.contains(code)) return Optional.of(new TransientException(message, null, false));
            if (tokenExpired() && tokenRenewable) {
                return Optional.of(new TransientException(message + " (the access token is renewed before the next "
                        + "try)", null, false));
            }
            if (http == 401) {
                return Optional.of(new PermanentException(message + "; check the OAuth settings (access_token, or "
                        + "client_id, client_secret and refresh_token)", null));
            }
            return Optional.empty();
        });
    }

    /** A protobuf Duration in JSON ({@code "1.5s"}), or null when unreadable. */
    static Duration duration(String text) {
        if (!text.endsWith("s")) return null;
        try {
            BigDecimal seconds = new BigDecimal(text.substring(0, text.length() - 1));
            return Duration.ofMillis(seconds.movePointRight(3).longValue());
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
