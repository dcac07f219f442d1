package dev.ebb.core.state;

import java.time.Instant;

/**
 * One row's outcome in one run, for paging through a run: its key, what changed, the write, the outcome and the
 * destination's reason.
 */
public record RunRow(String key, Change change, String operation, Outcome outcome, String reason, Instant at) {
}
