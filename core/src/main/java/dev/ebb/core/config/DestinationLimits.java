package dev.ebb.core.config;

import java.math.BigDecimal;

/**
 * {@code limits:} of a destination entry: lowers the connector's declared limits, to leave headroom on the account
 * for other integrations. Any part may be {@code null} (keep the declared value). Limits are only ever lowered.
 *
 * @param share          the share of every declared request window and of the daily quota Ebb may use, in percent
 * @param maxConcurrency the most calls in flight at once
 * @param dailyQuota     the most calls a day
 * @param location       where it is written
 */
public record DestinationLimits(BigDecimal share, Integer maxConcurrency, Long dailyQuota, Location location) {
}
