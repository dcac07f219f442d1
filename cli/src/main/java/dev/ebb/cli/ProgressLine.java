package dev.ebb.cli;

import dev.ebb.core.run.Progress;
import dev.ebb.core.state.PlanCounts;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The live progress of a run on stderr: one line rewritten in place on a terminal, plain lines every few seconds
 * otherwise (so that logs stay readable). A wait of a second or more is said before it starts, with its reason, so
 * that a throttled run is seen waiting rather than stuck. Thread-safe (batches report from their own threads).
 */
final class ProgressLine implements Progress {
    private static final long PLAIN_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long TTY_EVERY_NANOS = Duration.ofMillis(200).toNanos();
    /** Shorter waits are the normal pace of a rate limit, not worth a line. */
    static final Duration SHOWN_WAIT = Duration.ofSeconds(1);

    private final PrintStream err;
    private final boolean terminal;
    private final String sync;
    private long lastPrint;
    private boolean dirty;
    private String lastWait;

    ProgressLine(PrintStream err, boolean terminal, String sync) {
        this.err = err;
        this.terminal = terminal;
        this.sync = sync;
    }

    @Override
    public synchronized void extracted(long rows) {
        // "so far": in a log, the last of these lines is read next to the plan's total.
        maybePrint(String.format("extracting: %,d rows read so far", rows));
    }

    @Override
    public synchronized void planned(PlanCounts counts) {
        print(String.format("planned from %,d rows: %,d added, %,d changed, %,d removed, %,d unchanged, %,d invalid",
                counts.rows(), counts.added(), counts.changed(), counts.removed(), counts.unchanged(), counts.invalid()));
        if (terminal) {
            err.println();
            dirty = false;
        }
    }

    @Override
    public synchronized void delivered(long rows, long total, long calls, long throttles) {
        maybePrint(String.format("delivering: %,d/%,d rows, %,d API calls, %,d throttles", rows, total, calls,
                throttles));
    }

    @Override
    public synchronized void waiting(Duration duration, String reason) {
        if (duration.compareTo(SHOWN_WAIT) < 0) return;
        String text = String.format("waiting %.1f s: %s", duration.toMillis() / 1000.0, reason);
        // A storm of throttles says so once, then again every few seconds, not once per call.
        if (!reason.equals(lastWait) || System.nanoTime() - lastPrint >= PLAIN_EVERY_NANOS) print(text);
        lastWait = reason;
    }

    private void maybePrint(String text) {
        long now = System.nanoTime();
        if (now - lastPrint >= (terminal ? TTY_EVERY_NANOS : PLAIN_EVERY_NANOS)) print(text);
    }

    private void print(String text) {
        lastPrint = System.nanoTime();
        if (terminal) {
            err.print("\r\033[K" + sync + " " + text);
            dirty = true;
        } else {
            err.println(sync + " " + text);
        }
        err.flush();
    }

    /** Ends the rewritten line, if any. */
    synchronized void done() {
        if (dirty) err.println();
        dirty = false;
    }
}
