package dev.ebb.core.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where the calls granted to destination accounts are booked: the part of a {@link RateBudget} that every process
 * writing to an account must share so that, together, they never exceed the account's limit.
 *
 * <p>A ledger keeps, per account, the instants calls were granted, on a timeline of its own (the in-process ledger's
 * clock; the database's clock for a shared one, so that the workers' own clocks need not agree). Each booking finds
 * the earliest instant at which one more call fits every window and after every call booked before it (callers are
 * served in order), records it, and answers how long from now that is.
 *
 * <p>Implementations are thread-safe. The delivery stage's {@code InProcessRateLedger} is the one a single process
 * uses; the PostgreSQL store's lets several {@code ebb serve} workers on one state store share an account's budget.
 */
public interface RateLedger {

    /**
     * One window of an account's limit as the budget grants it now.
     *
     * @param calls calls allowed in any span (already adapted to throttles, at least 1)
     * @param span  the vendor's window plus the budget's safety margin
     */
    record Allowance(int calls, Duration span) {
        public Allowance {
            if (calls < 1) throw new IllegalArgumentException("calls must be at least 1: " + calls);
            if (span.isNegative() || span.isZero()) throw new IllegalArgumentException("span must be positive");
        }
    }

    /**
     * Books one call of {@code account} and returns how long the caller must wait before making it (zero when it
     * may go now).
     *
     * @param windows   every window of the account's limit, as the caller's budget allows them now
     * @param notBefore the caller's own pause: the call goes no earlier than this long from now
     * @throws IllegalStateException when a shared ledger cannot be reached; the message says what failed
     */
    Duration book(String account, List<Allowance> windows, Duration notBefore);

    /**
     * Nobody writing to {@code account} through this ledger calls before {@code wait} has passed: the vendor
     * throttled one of them, and the limit is the account's, not one process's.
     */
    void pause(String account, Duration wait);

    /**
     * The earliest instant at or after {@code from} at which one more call fits every window, given the grants
     * already booked: what every ledger books, whichever way it keeps its grants.
     */
    static Instant schedule(Instant from, List<Allowance> windows, Granted granted) {
        Instant at = from;
        Instant before;
        do {
            before = at;
            for (Allowance window : windows) {
                // A grant counts against a call at `at` while it is within (at - span, at].
                Instant blocking = granted.nthLatestAfter(window.calls(), at.minus(window.span()));
                if (blocking != null && blocking.plus(window.span()).isAfter(at)) at = blocking.plus(window.span());
            }
        } while (!at.equals(before));
        return at;
    }

    /** The grants a ledger holds for one account, as {@link #schedule} reads them. */
    @FunctionalInterface
    interface Granted {
        /**
         * The {@code n}-th latest grant after {@code horizon} (the 1st is the latest), or {@code null} when fewer
         * than {@code n} were granted after it.
         */
        Instant nthLatestAfter(int n, Instant horizon);
    }
}
