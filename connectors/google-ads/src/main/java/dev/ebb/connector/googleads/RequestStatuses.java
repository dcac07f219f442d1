package dev.ebb.connector.googleads;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.spi.RecordResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code RetrieveRequestStatusResponse} (request_status_per_destination.proto) turned into per-record answers, as
 * honestly as it allows. Google reports per destination: {@code PROCESSING}, {@code SUCCESS} (every member applied),
 * {@code FAILED} (none) or {@code PARTIAL_SUCCESS} (some), with error counts per reason but never which members
 * failed (https://developers.google.com/data-manager/api/devguides/diagnostics). So:
 * <ul>
 *   <li>SUCCESS: every member accepted;</li>
 *   <li>FAILED: every member rejected with Google's reasons, or failed (sent again next run) when every reason is
 *       Google's own internal error;</li>
 *   <li>PARTIAL_SUCCESS: when every failure is a denied consent and exactly as many members were sent with a denied
 *       ad user data consent, those are rejected and the others accepted; otherwise every member failed, with the
 *       counts, so that the next run sends them all again. Adding or removing a member twice is harmless; calling a
 *       member delivered that was not would lose it.</li>
 * </ul>
 */
final class RequestStatuses {
    /** Processing error reasons that say Google could not process, not that the member's data is unusable. */
    private static final Set<String> GOOGLES_OWN = Set.of("PROCESSING_ERROR_REASON_INTERNAL_ERROR",
            "PROCESSING_ERROR_REASON_UNSPECIFIED");

    private static final String DENIED_CONSENT = "PROCESSING_ERROR_REASON_DENIED_CONSENT";

    private RequestStatuses() {
    }

    /**
     * A sent member: the record's key, the digest Ebb reports as its id, and whether its ad user data consent (its
     * own, else the request's) was denied.
     */
    record Sent(String key, String id, boolean consentDenied) {
    }

    /** The answers for {@code sent}, or empty while Google is still processing the request. */
    static Optional<List<RecordResult>> results(JsonNode response, String requestId, List<Sent> sent) {
        JsonNode statuses = response.path("requestStatusPerDestination");
        // One destination per request: the batch's user list.
        JsonNode status = statuses.isArray() && !statuses.isEmpty() ? statuses.get(0) : null;
        String state = status == null ? "" : status.path("requestStatus").asText("");
        List<RecordResult> results = new ArrayList<>();
        switch (state) {
            case "SUCCESS" -> sent.forEach(s -> results.add(RecordResult.accepted(s.key(), s.id())));
            case "FAILED" -> {
                List<String> reasons = reasons(status);
                String reason = "Google's processing of request " + requestId + " failed for every member: "
                        + summary(status, reasons);
                boolean mayPass = !reasons.isEmpty() && GOOGLES_OWN.containsAll(reasons);
                sent.forEach(s -> results.add(mayPass ? RecordResult.failed(s.key(), reason)
                        : RecordResult.rejected(s.key(), reason)));
            }
            case "PARTIAL_SUCCESS" -> {
                if (deniedExactly(status, sent)) {
                    // Every failure is a denied consent, and exactly the members sent with a denied consent are as
                    // many: those are the ones, so the others were applied.
                    sent.forEach(s -> results.add(s.consentDenied()
                            ? RecordResult.rejected(s.key(), "Google did not add the member: its ad_user_data consent "
                            + "is denied (PROCESSING_ERROR_REASON_DENIED_CONSENT, request " + requestId + ")")
                            : RecordResult.accepted(s.key(), s.id())));
                    return Optional.of(results);
                }
                String reason = "Google applied request " + requestId + " to some members only ("
                        + summary(status, reasons(status)) + ") and does not say which; sent again next run";
                sent.forEach(s -> results.add(RecordResult.failed(s.key(), reason)));
            }
            // PROCESSING, REQUEST_STATUS_UNKNOWN, or no entry yet: ask again later.
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(results);
    }

    /** What a status says, for progress lines. */
    static String state(JsonNode response) {
        JsonNode statuses = response.path("requestStatusPerDestination");
        return statuses.isArray() && !statuses.isEmpty()
                ? statuses.get(0).path("requestStatus").asText("REQUEST_STATUS_UNKNOWN") : "REQUEST_STATUS_UNKNOWN";
    }

    private static boolean deniedExactly(JsonNode status, List<Sent> sent) {
        long denied = sent.stream().filter(Sent::consentDenied).count();
        JsonNode counts = status.path("errorInfo").path("errorCounts");
        if (denied == 0 || counts.size() != 1) return false;
        JsonNode only = counts.get(0);
        return only.path("reason").asText("").equals(DENIED_CONSENT) && only.path("recordCount").asLong(-1) == denied;
    }

    private static List<String> reasons(JsonNode status) {
        List<String> reasons = new ArrayList<>();
        status.path("errorInfo").path("errorCounts").forEach(c -> reasons.add(c.path("reason")
                .asText("PROCESSING_ERROR_REASON_UNSPECIFIED")));
        return reasons;
    }

    private static String summary(JsonNode status, List<String> reasons) {
        if (reasons.isEmpty()) return "no reason given";
        List<String> parts = new ArrayList<>();
        status.path("errorInfo").path("errorCounts").forEach(c -> parts.add(c.path("recordCount").asText("?")
                + " × " + c.path("reason").asText("PROCESSING_ERROR_REASON_UNSPECIFIED")));
        return String.join(", ", parts);
    }
}
