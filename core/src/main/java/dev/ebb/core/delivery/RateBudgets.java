package dev.ebb.core.delivery;

import dev.ebb.core.state.RateLedger;
import dev.ebb.spi.RateLimits;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link RateBudget} per destination account for the whole process, so that every sync writing to the same
 * account shares one budget; its calls are booked in one {@link RateLedger}, this process's own or one shared with
 * the other workers on the state store. Thread-safe.
 */
public final class RateBudgets {
    private final ConcurrentMap<String, RateBudget> budgets = new ConcurrentHashMap<>();
    private final Clock clock;
    private final RateLedger ledger;

    /** Budgets whose calls are booked in this process only. */
    public RateBudgets(Clock clock) {
        this(clock, new InProcessRateLedger(clock));
    }

    /** Budgets whose calls are booked in {@code ledger}, e.g. one every worker on a PostgreSQL state store shares. */
    public RateBudgets(Clock clock, RateLedger ledger) {
        this.clock = clock;
        this.ledger = ledger;
    }

    /** The account's budget, created from {@code limits} by its first user. */
    public RateBudget forAccount(String accountId, RateLimits limits) {
        return budgets.computeIfAbsent(accountId, id -> new RateBudget(id, limits, clock, ledger));
    }

    /** Every account's budget made so far, by account id, for metrics; a copy. */
    public Map<String, RateBudget> byAccount() {
        return new TreeMap<>(budgets);
    }
}
