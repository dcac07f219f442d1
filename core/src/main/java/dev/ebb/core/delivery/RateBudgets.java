package dev.ebb.core.delivery;

import dev.ebb.spi.RateLimits;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link RateBudget} per destination account for the whole process, so that every sync writing to the same
 * account shares one budget. Thread-safe.
 */
public final class RateBudgets {
    private final ConcurrentMap<String, RateBudget> budgets = new ConcurrentHashMap<>();
    private final Clock clock;

    public RateBudgets(Clock clock) {
        this.clock = clock;
    }

    /** The account's budget, created from {@code limits} by its first user. */
    public RateBudget forAccount(String accountId, RateLimits limits) {
        return budgets.computeIfAbsent(accountId, id -> new RateBudget(limits, clock));
    }

    /** Every account's budget made so far, by account id, for metrics; a copy. */
    public Map<String, RateBudget> byAccount() {
        return new TreeMap<>(budgets);
    }
}
