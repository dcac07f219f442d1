package dev.ebb.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Objects;

/**
 * A limit over a rolling window, as vendors count "100 requests per 10 seconds" or "15,000 batches per rolling
 * 24 hours": a log of what was taken and when, in which a take counts until {@code window} has passed since it.
 * The sandboxes' rate limits are built from it and from {@link PeriodCount}; what a refused request costs, and
 * which limits a vendor checks first, stays with each vendor's sandbox.
 *
 * <p>Thread-safe; a vendor limit that checks several counts at once holds its own lock around them.
 */
public final class SlidingWindow {
    private record Take(Instant at, long amount) {
    }

    private final long limit;
    private final Duration window;
    private final Clock clock;
    private final Deque<Take> takes = new ArrayDeque<>();
    private long used;

    /**
     * @param limit  how much the window holds, at least 1
     * @param window how long a take counts
     * @param clock  the sandbox's clock
     */
    public SlidingWindow(long limit, Duration window, Clock clock) {
        if (limit < 1) throw new IllegalArgumentException("a window holds at least 1: " + limit);
        this.limit = limit;
        this.window = Objects.requireNonNull(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether {@code amount} more fits in the window now. */
    public synchronized boolean fits(long amount) {
        prune();
        return used + amount <= limit;
    }

    /** Counts {@code amount} now, whether or not it fits; the answer identifies the take for {@link #refund}. */
    public synchronized Instant take(long amount) {
        prune();
        Instant now = clock.instant();
        takes.addLast(new Take(now, amount));
        used += amount;
        return now;
    }

    /** Takes {@code amount} if it fits; a refused take counts nothing. */
    public synchronized boolean tryTake(long amount) {
        if (!fits(amount)) return false;
        take(amount);
        return true;
    }

    /** Gives back a take made at {@code at} (a no-op once it has left the window). */
    public synchronized void refund(Instant at, long amount) {
        for (Iterator<Take> it = takes.iterator(); it.hasNext(); ) {
            Take take = it.next();
            if (take.at.equals(at) && take.amount == amount) {
                it.remove();
                used -= amount;
                return;
            }
        }
    }

    /** What the window holds now. */
    public synchronized long used() {
        prune();
        return used;
    }

    /** What still fits now, never below 0. */
    public synchronized long remaining() {
        return Math.max(0, limit - used());
    }

    public long limit() {
        return limit;
    }

    public Duration window() {
        return window;
    }

    /** Forgets every take, as if the window were empty. */
    public synchronized void reset() {
        takes.clear();
        used = 0;
    }

    private void prune() {
        Instant horizon = clock.instant().minus(window);
        while (!takes.isEmpty() && !takes.peekFirst().at.isAfter(horizon)) used -= takes.removeFirst().amount;
    }

    @Override
    public String toString() {
        return used() + "/" + limit + " per " + window;
    }
}
