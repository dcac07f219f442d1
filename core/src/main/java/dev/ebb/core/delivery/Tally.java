package dev.ebb.core.delivery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one run's delivery has done so far: rows by outcome, bisections, read-backs, conflicts, a few problems to
 * show, and whether (and why) the run stopped sending. Shared by the batches in flight; thread-safe.
 */
public final class Tally {
    /** Consecutive batches that may fail outright before a run stops sending. */
    static final int MAX_FAILED_BATCHES_IN_A_ROW = 3;
    private static final int MAX_PROBLEMS_REPORTED = 20;

    public final AtomicLong delivered = new AtomicLong();
    public final AtomicLong rejected = new AtomicLong();
    public final AtomicLong failed = new AtomicLong();
    public final AtomicLong skipped = new AtomicLong();
    /** Rows with a final outcome, for progress. */
    public final AtomicLong settled = new AtomicLong();
    public final AtomicLong bisections = new AtomicLong();
    public final AtomicLong readCalls = new AtomicLong();
    public final AtomicLong conflicts = new AtomicLong();
    final AtomicInteger failedBatchesInARow = new AtomicInteger();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private volatile String stopReason;
    private volatile boolean unreachable;
    private volatile boolean quotaSpent;
    private volatile boolean cancelled;

    /** Notes a row that did not go well, among the first few shown to the user. */
    public void problem(String kind, String key, String reason) {
        synchronized (problems) {
            if (problems.size() < MAX_PROBLEMS_REPORTED) problems.add(kind + " " + key + ": " + reason);
        }
    }

    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** Stops the run's sending, for the first reason given; the rows not yet sent are left failed with it. */
    public void stop(String reason, Caller.Why why) {
        synchronized (this) {
            if (stopReason == null) stopReason = reason;
            unreachable |= why == Caller.Why.UNREACHABLE;
            quotaSpent |= why == Caller.Why.QUOTA;
        }
    }

    /** Stops the run's sending because it was cancelled: the rows not yet sent stay pending. */
    public void cancel(String reason) {
        synchronized (this) {
            if (stopReason == null) {
                stopReason = reason;
                cancelled = true;
            }
        }
    }

    /** Whether the run stopped because it was cancelled (and for no other reason first). */
    public boolean cancelled() {
        return cancelled;
    }

    /** Why the run stopped sending, or {@code null} while it goes on. */
    public String stopReason() {
        return stopReason;
    }

    public boolean stopped() {
        return stopReason != null;
    }

    public boolean unreachable() {
        return unreachable;
    }

    public boolean quotaSpent() {
        return quotaSpent;
    }
}
