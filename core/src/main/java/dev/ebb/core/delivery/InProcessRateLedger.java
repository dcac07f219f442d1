package dev.ebb.core.delivery;

import dev.ebb.core.state.RateLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The ledger of one process: per account, a log of the instants calls were granted, kept in memory on the process's
 * clock. Enough when one process writes to an account; several processes each with their own would each grant the
 * whole limit. Thread-safe.
 */
public final class InProcessRateLedger implements RateLedger {
    private final Clock clock;
    private final ConcurrentMap<String, Account> accounts = new ConcurrentHashMap<>();

    public InProcessRateLedger(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Duration book(String account, List<Allowance> windows, Duration notBefore) {
        return accounts.computeIfAbsent(account, a -> new Account()).book(clock.instant(), windows, notBefore);
    }

    /** Nothing to share: the budget that was throttled is this process's only user of the account, and pauses itself. */
    @Override
    public void pause(String account, Duration wait) {
    }

    private static final class Account {
        private final ArrayDeque<Instant> granted = new ArrayDeque<>();
        private Instant lastGrant = Instant.MIN;

        synchronized Duration book(Instant now, List<Allowance> windows, Duration notBefore) {
            Duration longest = windows.stream().map(Allowance::span).max(Duration::compareTo).orElse(Duration.ZERO);
            // Grants older than the longest window never count again.
            while (!granted.isEmpty() && !granted.peekFirst().isAfter(now.minus(longest))) granted.removeFirst();
            Instant from = now.plus(notBefore);
            if (lastGrant.isAfter(from)) from = lastGrant;
            Instant at = RateLedger.schedule(from, windows, this::nthLatestAfter);
            granted.addLast(at);
            lastGrant = at;
            return Duration.between(now, at);
        }

        private Instant nthLatestAfter(int n, Instant horizon) {
            Iterator<Instant> newestFirst = granted.descendingIterator();
            Instant grant = null;
            for (int i = 0; i < n; i++) {
                if (!newestFirst.hasNext()) return null;
                grant = newestFirst.next();
                if (!grant.isAfter(horizon)) return null;
            }
            return grant;
        }
    }
}
