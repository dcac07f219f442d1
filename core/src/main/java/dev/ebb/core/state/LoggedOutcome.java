package dev.ebb.core.state;

import java.time.Instant;

/** A row of the run log's per-row outcomes, as stored. */
public record LoggedOutcome(long runId, String change, String operation, String outcome, String reason,
                            String fingerprint, Instant at) {
}
