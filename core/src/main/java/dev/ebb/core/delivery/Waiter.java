package dev.ebb.core.delivery;

import java.time.Duration;

/**
 * The one place in Ebb that waits. Production code uses {@link #SYSTEM}; tests pass a waiter that advances a fake
 * clock instead, so that rate limits and back-off are exercised without real time passing.
 */
@FunctionalInterface
public interface Waiter {
    Waiter SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) Thread.sleep(duration);
    };

    void await(Duration duration) throws InterruptedException;
}
