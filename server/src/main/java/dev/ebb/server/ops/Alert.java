package dev.ebb.server.ops;

import java.time.Instant;
import java.util.Locale;

/**
 * One alert: a condition of a sync that began, or ended.
 *
 * @param condition what is wrong (or was)
 * @param cleared   false when the condition began, true when it ended (the sync recovered)
 * @param runId     the run that showed it
 * @param message   one line for a person, with what to do; no secret (redacted before sending)
 */
public record Alert(Condition condition, boolean cleared, String sync, long runId, String status, String message,
                    Instant at) {

    /** The conditions that alert: each once when it begins and once when it ends, not on every run. */
    public enum Condition {
        /** Runs fail (status failed or abandoned). */
        FAILING,
        /** A run rejected more rows than {@code alerts.max_rejected}. */
        REJECTED_ROWS,
        /** A run is held by the sync's guard and waits for approval. */
        AWAITING_APPROVAL,
        /** A destination account's quota is spent; the rest waits for it to reset. */
        QUOTA_SPENT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The event's name in a webhook's JSON: {@code failing}, or {@code failing_cleared} when it ended. */
    public String event() {
        return condition.label() + (cleared ? "_cleared" : "");
    }
}
