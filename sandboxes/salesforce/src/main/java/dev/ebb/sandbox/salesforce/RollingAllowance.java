package dev.ebb.sandbox.salesforce;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An allowance over a rolling 24 hours, as Salesforce counts its daily API requests and Bulk API batches
 * (salesforce-app-limits-platform-api.html, salesforce-app-limits-platform-bulkapi.html; LIMITS §2). A refused take
 * consumes nothing. Thread-safe.
 */
final class RollingAllowance {
    static final Duration WINDOW = Duration.ofHours(24);

    private final long limit;
    private final Clock clock;
    /** {epoch milli, amount}, oldest first. */
    private final Deque<long[]> takes = new ArrayDeque<>();
    private long used;

    RollingAllowance(long limit, Clock clock) {
        if (limit < 1) throw new IllegalArgumentException("an allowance is at least 1: " + limit);
        this.limit = limit;
        this.clock = clock;
    }

    /** Takes {@code amount} if it fits in the last 24 hours. */
    synchronized boolean tryTake(long amount) {
        prune();
        if (used + amount > limit) return false;
        takes.addLast(new long[]{clock.millis(), amount});
        used += amount;
        return true;
    }

    synchronized long used() {
        prune();
        return used;
    }

    long limit() {
        return limit;
    }

    synchronized void reset() {
        takes.clear();
        used = 0;
    }

    private void prune() {
        long horizon = clock.millis() - WINDOW.toMillis();
        while (!takes.isEmpty() && takes.peekFirst()[0] <= horizon) used -= takes.removeFirst()[1];
    }

    @Override
    public String toString() {
        return used() + "/" + limit;
    }
}
