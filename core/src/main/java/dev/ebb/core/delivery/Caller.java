package dev.ebb.core.delivery;

import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.RateUsage;
import java.time.Duration;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Makes destination calls inside the account's {@link RateBudget}: waits for the budget, honours throttles and
 * their wait hints, backs off with jitter after transient failures, and gives up after the {@link RetryPolicy}'s
 * bounds. Connectors never retry; this is where it happens, once, for all of them.
 *
 * <p>Thread-safe.
 */
public final class Caller {

    /** A destination call. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws DestinationException;
    }

    /** How a call ended after every attempt. */
    public sealed interface Result<T> {
        /** It succeeded. */
        record Done<T>(T value) implements Result<T> {
        }

        /**
         * It failed for good in this run.
         *
         * @param reason what went wrong, in the vendor's words where there are any
         * @param why    what kind of failure it was
         */
        record GaveUp<T>(String reason, Why why) implements Result<T> {
            /** Whether the run should stop sending: the destination is unreachable or the day's quota is spent. */
            public boolean stopRun() {
                return why == Why.UNREACHABLE || why == Why.QUOTA;
            }

            public boolean unreachable() {
                return why == Why.UNREACHABLE;
            }

            /** The vendor refused the call as such: retrying it cannot help, but a smaller batch might. */
            public boolean permanent() {
                return why == Why.PERMANENT;
            }
        }
    }

    /** Why a call was given up. */
    public enum Why {
        /** The vendor refused the call for good. */
        PERMANENT,
        /** Transient failures outlasted the retry bound. */
        TRANSIENT,
        /** The destination could not be reached at all. */
        UNREACHABLE,
        /** Throttles outlasted the bound. */
        THROTTLED,
        /** The daily quota is spent. */
        QUOTA
    }

    private final RateBudget budget;
    private final RetryPolicy policy;
    private final Waiter waiter;
    private final RandomGenerator random;
    private final CallStats stats;
    private final QuotaGate quota;

    /**
     * @param quota the account's daily quota, or {@code null} when it has none
     */
    public Caller(RateBudget budget, QuotaGate quota, RetryPolicy policy, Waiter waiter, RandomGenerator random,
                  CallStats stats) {
        this.budget = budget;
        this.quota = quota;
        this.policy = policy;
        this.waiter = waiter;
        this.random = random;
        this.stats = stats;
    }

    /** The calls this caller's account takes at once, as lowered by the project's {@code limits:}. */
    public int maxConcurrency() {
        return budget.maxConcurrency();
    }

    public CallStats stats() {
        return stats;
    }

    /** Persists the calls counted against the daily quota, if there is one. */
    public void flushQuota() {
        if (quota != null) quota.flush();
    }

    /**
     * Calls until it succeeds or a bound is reached.
     *
     * @param usage extracts what the answer said about the budget, or {@code null} if it says nothing
     */
    public <T> Result<T> call(Call<T> call, Function<T, RateUsage> usage) throws InterruptedException {
        int failures = 0;
        int throttles = 0;
        String why = PACING;
        while (true) {
            Duration backoff = Duration.ZERO;
            if (quota != null) {
                java.util.Optional<String> refused = quota.take();
                if (refused.isPresent()) return new Result.GaveUp<>(refused.get(), Why.QUOTA);
            }
            waiter.await(budget.reserve(), why);
            stats.calls.incrementAndGet();
            budget.enter();
            try {
                T value = call.call();
                RateUsage reported = usage != null ? usage.apply(value) : RateUsage.UNKNOWN;
                budget.observe(reported);
                if (quota != null && reported.dailyRemaining() != null && reported.dailyRemaining() <= 0) {
                    quota.spentByVendor();
                }
                return new Result.Done<>(value);
            } catch (DestinationException failure) {
                switch (failure) {
                    case ThrottledException e -> {
                        stats.throttles.incrementAndGet();
                        if (e.dailyLimit()) {
                            if (quota != null) quota.spentByVendor();
                            return new Result.GaveUp<>("daily limit reached: " + e.getMessage(), Why.QUOTA);
                        }
                        throttles++;
                        if (throttles > policy.maxThrottleWaits()) {
                            return new Result.GaveUp<>("still throttled after " + throttles + " waits: "
                                    + e.getMessage(), Why.THROTTLED);
                        }
                        Duration hint = e.retryAfter();
                        // Without a hint, back off from a window's length, growing with repeated throttles.
                        Duration wait = hint != null ? hint
                                : max(budget.longestWindow().dividedBy(4), policy.backoff(throttles, random));
                        budget.throttled(wait);
                        stats.retries.incrementAndGet();
                        why = "throttled by the destination (" + e.getMessage() + "), waiting as it asks";
                    }
                    case TransientException e -> {
                        failures++;
                        if (failures >= policy.maxAttempts()) {
                            return new Result.GaveUp<>(e.getMessage() + " (gave up after " + failures + " attempts)",
                                    e.unreachable() ? Why.UNREACHABLE : Why.TRANSIENT);
                        }
                        stats.retries.incrementAndGet();
                        backoff = policy.backoff(failures, random);
                        why = "retrying after a transient failure (" + e.getMessage() + ")";
                    }
                    // A whole batch refused for good; the run goes on, and stops after several in a row.
                    case PermanentException e -> {
                        return new Result.GaveUp<>(e.getMessage(), Why.PERMANENT);
                    }
                }
            } finally {
                budget.leave();
            }
            waiter.await(backoff, why);
        }
    }

    /** Why a call waits for the budget when nothing went wrong: the account's rate limit, shared by every sync. */
    static final String PACING = "pacing calls to the account's rate limit";

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
