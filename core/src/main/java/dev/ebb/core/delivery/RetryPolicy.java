package dev.ebb.core.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How the runner retries a call that failed transiently or was throttled, before it leaves the rows failed for
 * the next run.
 *
 * @param maxAttempts      calls per batch for transient failures (the first one included)
 * @param baseDelay        the first back-off; each next one doubles, up to {@code maxDelay}
 * @param maxDelay         the longest back-off
 * @param maxThrottleWaits throttles tolerated per batch before its rows are left failed
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, int maxThrottleWaits) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30), 20);

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (maxThrottleWaits < 0) throw new IllegalArgumentException("maxThrottleWaits must not be negative");
    }

    /**
     * The wait before attempt {@code attempt + 1} after {@code attempt} failures: exponential with "full jitter"
     * (a uniform draw between half and all of the exponential delay), so that many clients do not retry in step.
     */
    public Duration backoff(int attempt, RandomGenerator random) {
        long exponential = baseDelay.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(Math.max(exponential, 1), maxDelay.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + random.nextLong(capped - half + 1));
    }
}
