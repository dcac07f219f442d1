package dev.ebb.core.delivery;

import java.time.Duration;

/**
 * The one place in Ebb that waits. Production code uses {@link #SYSTEM}; tests pass a waiter that advances a fake
 * clock instead, so that rate limits and back-off are exercised without real time passing.
 *
 * <p>Callers say why they wait ({@link #await(Duration, String)}), so that a waiter can tell the user: a run held
 * back by a 429 storm is waiting, not stuck.
 */
@FunctionalInterface
public interface Waiter {
    Waiter SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) Thread.sleep(duration);
    };

    void await(Duration duration) throws InterruptedException;

    /**
     * Waits {@code duration} because of {@code reason}, in a few words for a progress line ("throttled by the
     * destination: …"). By default the reason is not used.
     */
    default void await(Duration duration, String reason) throws InterruptedException {
        await(duration);
    }
}
