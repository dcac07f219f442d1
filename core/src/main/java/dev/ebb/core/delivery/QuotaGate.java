package dev.ebb.core.delivery;

import dev.ebb.spi.Quota;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Keeps one account's calls within its daily quota, across runs and processes: calls are counted per quota day
 * (midnight to midnight in the quota's time zone) and the count is persisted through a {@link Ledger}. When the
 * next call would cross the quota, or the vendor says the day's allowance is spent, calls are refused until the
 * quota resets, and the refusal says when that is.
 *
 * <p>Thread-safe.
 */
public final class QuotaGate {

    /** Where the counts live between runs. */
    public interface Ledger {
        long used(String account, LocalDate day);

        void add(String account, LocalDate day, long calls);
    }

    private final String account;
    private final Quota quota;
    private final Ledger ledger;
    private final Clock clock;
    private LocalDate day;
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
            return Optional.of("the daily quota of " + quota.requests() + " calls for this account is spent ("
                    + (used + unsaved) + " used today" + (spentByVendor ? ", and the vendor says none are left" : "")
                    + "); it resets at " + resetsAt() + "; the rows not sent stay pending for the next run");
        }
        unsaved++;
        return Optional.empty();
    }

    /** The vendor reported the day's allowance spent (a daily-limit throttle, or none remaining). */
    public synchronized void spentByVendor() {
        roll();
        spentByVendor = true;
    }

    /** Persists the calls counted since the last flush. */
    public synchronized void flush() {
        if (unsaved == 0) return;
        ledger.add(account, day, unsaved);
        used += unsaved;
        unsaved = 0;
    }

    /** When the quota starts afresh: the next midnight in its time zone. */
    public synchronized Instant resetsAt() {
        return LocalDate.now(clock.withZone(quota.resetZone())).plusDays(1).atStartOfDay(quota.resetZone())
                .toInstant();
    }

    public synchronized long usedToday() {
        roll();
        return used + unsaved;
    }

    private void roll() {
        LocalDate today = LocalDate.now(clock.withZone(quota.resetZone()));
        if (!today.equals(day)) {
            if (day != null) flush();
            day = today;
            used = ledger.used(account, today);
            unsaved = 0;
            spentByVendor = false;
        }
    }
}
