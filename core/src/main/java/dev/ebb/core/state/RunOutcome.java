package dev.ebb.core.state;

import java.time.Instant;

/**
 * One row of a run's per-row outcomes, with its key, as a page of {@link RunLog#outcomePage} lists it.
 *
 * @param key       the row's key as stored (a composite key's values joined by a unit separator)
 * @param operation the call it was sent as, or {@code null} when it was not sent (invalid)
 * @param reason    the vendor's reason, or why it was not sent; {@code null} for a delivered row
 */
public record RunOutcome(String key, String change, String operation, Outcome outcome, String reason, Instant at) {
}
