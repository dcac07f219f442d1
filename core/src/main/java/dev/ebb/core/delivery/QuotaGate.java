package dev.ebb.core.delivery;

import dev.ebb.spi.Quota;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Keeps one account's calls within its quota, across runs and processes, counted the way the vendor counts them
 * ({@link Quota.Window}): per quota day (midnight to midnight in the quota's time zone), or over a rolling 24 hours
 * kept in hourly buckets. The counts are persisted through a {@link Ledger}. When the next call would cross the
 * quota, or the vendor says the allowance is spent, calls are refused until it frees up, and the refusal says when.
 *
 * <p>A rolling window is counted over the current hour's bucket and the 24 before it: a call is counted for up to an
 * hour longer than the vendor counts it, never shorter, so the count is never below the vendor's.
 *
 * <p>Thread-safe.
 */
public final class QuotaGate {
    /** The buckets of a rolling window before the current one: 24 hours, and the hour the window's edge falls in. */
    private static final Duration ROLLING_LOOKBACK = Duration.ofHours(24);

    /** Where the counts live between runs. */
    public interface Ledger {
        /** Calls counted for a calendar quota day. */
        long used(String account, LocalDate day);

        void add(String account, LocalDate day, long calls);

        /** Calls counted in the hourly buckets that start at or after {@code from}. */
        long usedSince(String account, Instant from);

        /** Adds calls to the bucket of the hour starting at {@code hour}. */
        void addHourly(String account, Instant hour, long calls);
    }

    private final String account;
    private final Quota quota;
    private final Ledger ledger;
    private final Clock clock;
    /** The start of the period the unsaved calls belong to: the quota day's midnight, or the current hour. */
    private Instant period;
    private long used;
    private long unsaved;
    private boolean spentByVendor;

    public QuotaGate(String account, Quota quota, Ledger ledger, Clock clock) {
        this.account = account;
        this.quota = quota;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Counts one call, or says why it may not be made. */
    public synchronized Optional<String> take() {
        roll();
        if (spentByVendor || used + unsaved + 1 > quota.requests()) {
            String vendor = spentByVendor ? ", and the vendor says none are left" : "";
            String rest = "; the rows not sent stay pending for the next run";
            return Optional.of(switch (quota.window()) {
                case CALENDAR_DAY -> "the daily quota of " + quota.requests() + " calls for this account is spent ("
                        + (used + unsaved) + " used today" + vendor + "); it resets at " + resetsAt() + rest;
                case ROLLING_24_HOURS -> "the quota of " + quota.requests() + " calls per rolling 24 hours for this"
                        + " account is spent (" + (used + unsaved) + " used in the last 24 hours" + vendor
                        + "); calls free up as they pass out of the window, from " + resetsAt() + rest;
            });
        }
        unsaved++;
        return Optional.empty();
    }

    /** The vendor reported the allowance spent (a daily-limit throttle, or none remaining). */
    public synchronized void spentByVendor() {
        roll();
        spentByVendor = true;
    }

    /** Persists the calls counted since the last flush, and reads back the count of every process. */
    public synchronized void flush() {
        if (period == null) return;
        if (unsaved > 0) {
            switch (quota.window()) {
                case CALENDAR_DAY -> ledger.add(account, LocalDate.ofInstant(period, quota.resetZone()), unsaved);
                case ROLLING_24_HOURS -> ledger.addHourly(account, period, unsaved);
            }
        }
        unsaved = 0;
        // Read the count back rather than adding to it: other workers on a shared state store count calls of the
        // same account, and each flush (after every batch) brings their calls in.
        used = recorded(period);
    }

    private long recorded(Instant start) {
        return switch (quota.window()) {
            case CALENDAR_DAY -> ledger.used(account, LocalDate.ofInstant(start, quota.resetZone()));
            case ROLLING_24_HOURS -> ledger.usedSince(account, start.minus(ROLLING_LOOKBACK));
        };
    }

    /**
     * When the count next goes down: the next midnight in the quota's time zone, or, for a rolling window, the next
     * hour, when the oldest bucket leaves it.
     */
    public synchronized Instant resetsAt() {
        return switch (quota.window()) {
            case CALENDAR_DAY -> LocalDate.now(clock.withZone(quota.resetZone())).plusDays(1)
                    .atStartOfDay(quota.resetZone()).toInstant();
            case ROLLING_24_HOURS -> clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        };
    }

    /** The calls counted in the current window. */
    public synchronized long used() {
        roll();
        return used + unsaved;
    }

    /** The calls left in the current window before the quota is spent; 0 once the vendor says it is spent. */
    public synchronized long remaining() {
        roll();
        return spentByVendor ? 0 : Math.max(0, quota.requests() - used - unsaved);
    }

    private void roll() {
        Instant current = switch (quota.window()) {
            case CALENDAR_DAY -> LocalDate.now(clock.withZone(quota.resetZone())).atStartOfDay(quota.resetZone())
                    .toInstant();
            case ROLLING_24_HOURS -> clock.instant().truncatedTo(ChronoUnit.HOURS);
        };
        if (!current.equals(period)) {
            if (period != null) flush();
            period = current;
            used = recorded(current);
            unsaved = 0;
            spentByVendor = false;
        }
    }
}
