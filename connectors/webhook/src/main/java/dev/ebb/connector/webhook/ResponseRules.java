package dev.ebb.connector.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * How an answer's status reads, per call and per row: 429 is always a throttle (with its {@code Retry-After});
 * then a status in {@code retry} is a failure that may pass, one in {@code accept} an acceptance and one in
 * {@code reject} a refusal of the row for what it holds. Anything else (refused credentials, 401, 403 and 407 by
 * default; a redirect, which is never followed; an unlisted status) is a failure of the call that trying again cannot
 * help.
 *
 * @param rowStatusPath where a batch answer holds one status per row, in the rows' order, as a dotted path
 *                      ({@code results}, {@code data.items}); each element is a status number or an object with
 *                      {@code status} and optionally {@code error} or {@code message}. {@code null} when not set.
 */
record ResponseRules(StatusRanges accept, StatusRanges reject, StatusRanges retry, String rowStatusPath) {
    static final String DEFAULT_ACCEPT = "200-299";
    static final String DEFAULT_REJECT = "400,402,404-406,409-424,426-428,430-499";
    static final String DEFAULT_RETRY = "408,425,500-599";

    /** What a status means. */
    enum Reading { ACCEPTED, REJECTED, RETRY, THROTTLED, UNEXPECTED }

    Reading read(int status) {
        if (status == 429) return Reading.THROTTLED;
        if (retry.contains(status)) return Reading.RETRY;
        if (accept.contains(status)) return Reading.ACCEPTED;
        if (reject.contains(status)) return Reading.REJECTED;
        return Reading.UNEXPECTED;
    }

    /** The per-row array of an answer, when {@link #rowStatusPath} is set and the body holds an array there. */
    Optional<JsonNode> rowStatuses(JsonNode body) {
        if (rowStatusPath == null) return Optional.empty();
        JsonNode node = body;
        for (String step : rowStatusPath.split("\\.")) node = node.path(step);
        return node.isArray() ? Optional.of(node) : Optional.empty();
    }

    /** A row element's status: the element itself, or its {@code status}; empty when it has none. */
    static Optional<Integer> status(JsonNode element) {
        JsonNode status = element.isObject() ? element.path("status") : element;
        if (status.canConvertToInt() && status.isNumber()) return Optional.of(status.asInt());
        if (status.isTextual() && status.asText().matches("\\d{3}")) return Optional.of(Integer.parseInt(status.asText()));
        return Optional.empty();
    }

    /** A row element's reason: its {@code error} or {@code message}, as text. */
    static Optional<String> reason(JsonNode element) {
        for (String field : new String[] {"error", "message"}) {
            JsonNode value = element.path(field);
            if (value.isTextual() && !value.asText().isBlank()) return Optional.of(value.asText());
            if (value.isObject()) return Optional.of(value.toString());
        }
        return Optional.empty();
    }
}
