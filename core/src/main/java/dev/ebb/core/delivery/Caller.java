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
         * @param reason      what went wrong, in the vendor's words where there are any
         * @param stopRun     whether the run should stop sending (daily limit, unreachable)
         * @param unreachable whether the destination could not be reached at all
         * @param permanent   whether the vendor refused the call as such (retrying the same call cannot help, but
         *                    a smaller batch might)
         */
        record GaveUp<T>(String reason, boolean stopRun, boolean unreachable, boolean permanent)
                implements Result<T> {
        }
    }

    private final RateBudget budget;
    private final RetryPolicy policy;
    private final Waiter waiter;
    private final RandomGenerator random;
    private final CallStats stats;

    public Caller(RateBudget budget, RetryPolicy policy, Waiter waiter, RandomGenerator random, CallStats stats) {
        this.budget = budget;
        this.policy = policy;
        this.waiter = waiter;
        this.random = random;
        this.stats = stats;
    }

    public CallStats stats() {
        return stats;
    }

    /**
     * Calls until it succeeds or a bound is reached.
     *
     * @param usage extracts what the answer said about the budget, or {@code null} if it says nothing
     */
    public <T> Result<T> call(Call<T> call, Function<T, RateUsage> usage) throws InterruptedException {
        int failures = 0;
        int throttles = 0;
        while (true) {
            Duration backoff = Duration.ZERO;
            waiter.await(budget.reserve());
            stats.calls.incrementAndGet();
            budget.enter();
            try {
                T value = call.call();
                budget.observe(usage != null ? usage.apply(value) : RateUsage.UNKNOWN);
                return new Result.Done<>(value);
            } catch (DestinationException failure) {
                switch (failure) {
                    case ThrottledException e -> {
                        stats.throttles.incrementAndGet();
                        if (e.dailyLimit()) {
                            return new Result.GaveUp<>("daily limit reached: " + e.getMessage(), true, false, false);
                        }
                        throttles++;
                        if (throttles > policy.maxThrottleWaits()) {
                            return new Result.GaveUp<>("still throttled after " + throttles + " waits: "
                                    + e.getMessage(), false, false, false);
                        }
                        Duration hint = e.retryAfter();
                        // Without a hint, back off from a window's length, growing with repeated throttles.
                        Duration wait = hint != null ? hint
                                : max(budget.longestWindow().dividedBy(4), policy.backoff(throttles, random));
                        budget.throttled(wait);
                        stats.retries.incrementAndGet();
                    }
                    case TransientException e -> {
                        failures++;
                        if (failures >= policy.maxAttempts()) {
                            return new Result.GaveUp<>(e.getMessage() + " (gave up after " + failures + " attempts)",
                                    e.unreachable(), e.unreachable(), false);
                        }
                        stats.retries.incrementAndGet();
                        backoff = policy.backoff(failures, random);
                    }
                    // A whole batch refused for good; the run goes on, and stops after several in a row.
                    case PermanentException e -> {
                        return new Result.GaveUp<>(e.getMessage(), false, false, true);
                    }
                }
            } finally {
                budget.leave();
            }
            waiter.await(backoff);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
