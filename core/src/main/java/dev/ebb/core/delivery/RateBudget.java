package dev.ebb.core.delivery;

import dev.ebb.core.state.RateLedger;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RateWindow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The request budget of one destination account, shared by every sync and thread that writes to it.
 *
 * <p>Each {@link RateWindow} is kept as a sliding log of the instants calls were granted: a call is granted only
 * when fewer than the window's allowance were granted within the last window, so the account never sees more than
 * its limit in any window, bursts included.
 *
 * <p>The budget adapts to what the vendor says (additive increase, multiplicative decrease, as TCP does): every
 * throttle cuts the allowance of every window to {@value #CUT} of what it was (never below {@value #FLOOR} of the
 * declared limit) and pauses everyone for the vendor's wait; every successful call wins back a little, so the
 * budget recovers gradually. A response that says the window is spent pauses the budget briefly, and one that
 * reports a lower limit than declared lowers the budget to it. A neighbour using part of the same account therefore
 * squeezes Ebb's pace instead of drawing a storm of 429s.
 *
 * <p>Concurrency is bounded per account by {@link RateLimits#maxConcurrency()}: {@link #enter()} and
 * {@link #leave()} bracket every call.
 *
 * <p>Calls are booked in a {@link RateLedger}: this process's own, or one shared by every worker on a PostgreSQL
 * state store, so that workers writing to one account together stay inside its limit. The adaptive allowance and
 * the concurrency bound stay per process; a throttle's pause is shared through the ledger.
 *
 * <p>Thread-safe. It never sleeps itself: {@link #reserve()} says how long the caller must wait.
 */
public final class RateBudget {
    static final double CUT = 0.7;
    static final double FLOOR = 0.1;
    /** Successful calls it takes to win back the whole allowance after a cut to the floor. */
    private static final double RECOVERY_CALLS = 200;

    private final List<Log> logs = new ArrayList<>();
    private final String account;
    private final Clock clock;
    private final RateLedger ledger;
    /** This process's own grants, in its clock, for {@link #inUse()}; the ledger holds every worker's. */
    private final ArrayDeque<Instant> granted = new ArrayDeque<>();
    private final int maxConcurrency;
    private final Semaphore slots;
    private Instant pausedUntil = Instant.MIN;
    private double factor = 1.0;

    /** A budget of its own, for a single user of the account (tests, and a process's one budget per account). */
    public RateBudget(RateLimits limits, Clock clock) {
        this("account", limits, clock, new InProcessRateLedger(clock));
    }

    /**
     * @param account the destination account the ledger books calls of
     * @param ledger  where calls are booked: in this process, or shared with every worker on one state store
     */
    public RateBudget(String account, RateLimits limits, Clock clock, RateLedger ledger) {
        this.account = account;
        this.clock = clock;
        this.ledger = ledger;
        this.maxConcurrency = limits.maxConcurrency();
        this.slots = new Semaphore(maxConcurrency, true);
        for (RateWindow window : limits.windows()) logs.add(new Log(window));
    }

    /**
     * Books the next call and returns how long the caller must wait before making it (zero when it may go now).
     * Calls are booked in order: a later caller never goes before an earlier one.
     */
    public Duration reserve() {
        List<RateLedger.Allowance> windows;
        Duration notBefore;
        synchronized (this) {
            windows = logs.stream().map(log -> log.allowance(factor)).toList();
            notBefore = Duration.between(clock.instant(), pausedUntil);
            if (notBefore.isNegative()) notBefore = Duration.ZERO;
        }
        // Outside the lock: a shared ledger books in a database transaction, and observe() must not wait for it.
        Duration wait = ledger.book(account, windows, notBefore);
        synchronized (this) {
            Instant at = clock.instant().plus(wait);
            granted.addLast(at);
            Instant horizon = at.minus(longestWindow());
            while (!granted.isEmpty() && !granted.peekFirst().isAfter(horizon)) granted.removeFirst();
        }
        return wait;
    }

    /** The account's calls in flight at once: the destination's declared limit, lowered by ebb.yaml's. */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** Waits for a free call slot of the account. */
    public void enter() throws InterruptedException {
        slots.acquire();
    }

    public void leave() {
        slots.release();
    }

    /** Takes in a successful call and what its response said about the account's budget. */
    public synchronized void observe(RateUsage usage) {
        factor = Math.min(1.0, factor + (1.0 - FLOOR) / RECOVERY_CALLS);
        if (usage.windowMax() != null && usage.window() != null) {
            for (Log log : logs) log.lowerTo(usage.windowMax(), usage.window());
        }
        if (usage.windowRemaining() != null && usage.windowRemaining() <= 0 && usage.window() != null) {
            // The window is spent (a neighbour, or another process on the account): calls leave a rolling
            // window one by one, so wait for about one call's share of it rather than the whole window.
            long max = usage.windowMax() != null && usage.windowMax() > 0 ? usage.windowMax() : 10;
            pauseFor(usage.window().dividedBy(max).multipliedBy(2));
        }
    }

    /** The vendor throttled a call: cut the allowance, and nobody calls again before {@code wait} has passed. */
    public synchronized void throttled(Duration wait) {
        // One cut per throttle episode: the other calls in flight when the vendor said "slow down" come back
        // throttled too, and cutting for each of them would sink the pace far below what the vendor asked.
        if (!clock.instant().isBefore(pausedUntil)) factor = Math.max(FLOOR, factor * CUT);
        pauseFor(wait);
        // The limit is the account's: other workers writing to it pause too.
        ledger.pause(account, wait);
    }

    /** Nobody calls again before {@code wait} has passed. */
    public synchronized void pauseFor(Duration wait) {
        Instant until = clock.instant().plus(wait);
        if (until.isAfter(pausedUntil)) pausedUntil = until;
    }

    /** The share of the declared allowance the budget grants now, between {@value #FLOOR} and 1. */
    public synchronized double allowance() {
        return factor;
    }

    /**
     * The share of the allowance granted now, over the busiest window: the calls granted within the last window
     * over what the window grants at the current pace, between 0 and 1 (for metrics). With a shared ledger, this
     * worker's own share of it.
     */
    public synchronized double inUse() {
        Instant now = clock.instant();
        double busiest = 0;
        for (Log log : logs) {
            int allowed = Math.max(1, (int) Math.floor(log.requests * factor));
            Instant horizon = now.minus(log.per);
            long inWindow = granted.stream().filter(at -> at.isAfter(horizon) && !at.isAfter(now)).count();
            busiest = Math.max(busiest, Math.min(1.0, (double) inWindow / allowed));
        }
        return busiest;
    }

    /** The longest window of the account's limits, the natural wait when a throttle comes without a hint. */
    public synchronized Duration longestWindow() {
        return logs.stream().map(l -> l.per).max(Duration::compareTo).orElse(Duration.ofSeconds(1));
    }

    private static final class Log {
        int requests;
        final Duration per;

        Log(RateWindow window) {
            this.requests = window.requests();
            this.per = window.per();
        }

        /** A vendor that reports a lower limit for this window than was declared is believed. */
        void lowerTo(long vendorMax, Duration vendorWindow) {
            if (vendorWindow.equals(per) && vendorMax > 0 && vendorMax < requests) requests = (int) vendorMax;
        }

        /** The window as the budget grants it now: its calls adapted to throttles, its span with the margin. */
        RateLedger.Allowance allowance(double factor) {
            return new RateLedger.Allowance(Math.max(1, (int) Math.floor(requests * factor)), per.plus(margin(per)));
        }
    }

    /**
     * How much longer than the vendor's window Ebb keeps a call in its own: the vendor counts a request when it
     * arrives, which is some network time after Ebb granted it, and a call that arrives late at the start of a
     * window still counts when a call granted exactly one window later arrives early. 2.5% of the window (250 ms
     * of HubSpot's 10 s) absorbs that jitter for the price of 2.5% of the rate.
     */
    static Duration margin(Duration per) {
        return per.dividedBy(40);
    }

}
