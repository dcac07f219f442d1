package dev.ebb.core.state;

import java.util.List;

/**
 * A page of a run's per-row outcomes, in key order.
 *
 * @param rows  at most the page size asked for
 * @param total how many rows match the filter, over every page
 */
public record OutcomePage(List<RunOutcome> rows, long total) {
}
