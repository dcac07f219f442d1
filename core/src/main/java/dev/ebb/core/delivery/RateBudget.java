package dev.ebb.core.delivery;

import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RateWindow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The request budget of one destination account, shared by every sync and thread that writes to it.
 *
 * <p>Each {@link RateWindow} is kept as a sliding log of the instants calls were granted: a call is granted only
 * when fewer than {@code requests} calls were granted within the last {@code per}, so the account never sees more
 * than its limit in any window, bursts included. Throttle signals from the vendor pause the whole budget.
 *
 * <p>Thread-safe. It never sleeps itself: {@link #reserve()} says how long the caller must wait.
 */
public final class RateBudget {
    private final List<Log> logs = new ArrayList<>();
    private final Clock clock;
    private Instant pausedUntil = Instant.MIN;
    private Instant lastGrant = Instant.MIN;

    public RateBudget(RateLimits limits, Clock clock) {
        this.clock = clock;
        for (RateWindow window : limits.windows()) logs.add(new Log(window));
    }

    /**
     * Books the next call and returns how long the caller must wait before making it (zero when it may go now).
     * Calls are booked in order: a later caller never goes before an earlier one.
     */
    public synchronized Duration reserve() {
        Instant now = clock.instant();
        Instant at = latest(now, latest(pausedUntil, lastGrant));
        Instant before;
        do {
            before = at;
            for (Log log : logs) at = log.earliest(at);
        } while (!at.equals(before));
        for (Log log : logs) log.granted.addLast(at);
        lastGrant = at;
        return Duration.between(now, at);
    }

    /** Takes in what a response said about the account's budget: none left in the window pauses until it rolls. */
    public synchronized void observe(RateUsage usage) {
        if (usage.windowRemaining() != null && usage.windowRemaining() <= 0 && usage.window() != null) {
            pauseFor(usage.window());
        }
    }

    /** The vendor throttled a call: nobody calls again before {@code wait} has passed. */
    public synchronized void pauseFor(Duration wait) {
        Instant until = clock.instant().plus(wait);
        if (until.isAfter(pausedUntil)) pausedUntil = until;
    }

    /** The longest window of the account's limits, the natural wait when a throttle comes without a hint. */
    public synchronized Duration longestWindow() {
        return logs.stream().map(l -> l.window.per()).max(Duration::compareTo).orElse(Duration.ofSeconds(1));
    }

    private static final class Log {
        final RateWindow window;
        final ArrayDeque<Instant> granted = new ArrayDeque<>();

        Log(RateWindow window) {
            this.window = window;
        }

        /** The earliest instant at or after {@code candidate} at which one more call fits the window. */
        Instant earliest(Instant candidate) {
            // A grant counts against a call at `candidate` while it is within (candidate - per, candidate].
            Instant horizon = candidate.minus(window.per());
            while (!granted.isEmpty() && !granted.peekFirst().isAfter(horizon)) granted.removeFirst();
            if (granted.size() < window.requests()) return candidate;
            // Wait until enough of the oldest grants have left the window to make room for one more.
            Instant blocking = granted.stream().skip(granted.size() - window.requests()).findFirst().orElseThrow();
            return blocking.plus(window.per());
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
