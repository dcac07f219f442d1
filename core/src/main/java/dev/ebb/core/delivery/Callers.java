package dev.ebb.core.delivery;

import dev.ebb.core.config.DestinationLimits;
import dev.ebb.spi.Destination;
import dev.ebb.spi.RateLimits;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.random.RandomGenerator;

/**
 * Makes the {@link Caller} of each destination connection: one rate budget per destination account (every sync that
 * writes to the same account shares it), and one daily-quota gate per account, counted in the state store.
 *
 * <p>Thread-safe.
 */
public final class Callers {
    private final RateBudgets budgets;
    private final RetryPolicy retryPolicy;
    private final Waiter waiter;
    private final RandomGenerator random;
    private final Clock clock;
    private final QuotaGate.Ledger ledger;
    private final ConcurrentMap<String, QuotaGate> quotas = new ConcurrentHashMap<>();

    public Callers(RateBudgets budgets, RetryPolicy retryPolicy, Waiter waiter, RandomGenerator random, Clock clock,
                   QuotaGate.Ledger ledger) {
        this.budgets = budgets;
        this.retryPolicy = retryPolicy;
        this.waiter = waiter;
        this.random = random;
        this.clock = clock;
        this.ledger = ledger;
    }

    /**
     * A caller for one connection: its account's budget, within the destination's declared limits as lowered by
     * the project's {@code limits:}.
     *
     * @param lowered the project's {@code limits:} for the destination, or {@code null}
     */
    public Caller caller(Destination destination, DestinationLimits lowered) {
        RateLimits limits = Limits.lowered(destination.rateLimits(), lowered);
        String account = destination.accountId();
        QuotaGate quota = limits.dailyQuota().map(q -> quotas.computeIfAbsent(account,
                a -> new QuotaGate(a, q, ledger, clock))).orElse(null);
        return new Caller(budgets.forAccount(account, limits), quota, retryPolicy, waiter, random, new CallStats());
    }

    /** Every account's daily-quota gate made so far, by account id, for metrics; a copy. */
    public java.util.Map<String, QuotaGate> quotasByAccount() {
        return new java.util.TreeMap<>(quotas);
    }
}
