package dev.ebb.cli;

import dev.ebb.core.run.Progress;
import dev.ebb.core.state.PlanCounts;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The live progress of a run on stderr: one line rewritten in place on a terminal, plain lines every few seconds
 * otherwise (so that logs stay readable).
 */
final class ProgressLine implements Progress {
    private static final long PLAIN_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long TTY_EVERY_NANOS = Duration.ofMillis(200).toNanos();

    private final PrintStream err;
    private final boolean terminal;
    private final String sync;
    private long extracted;
    private PlanCounts planned;
    private long lastPrint;
    private boolean dirty;

    ProgressLine(PrintStream err, boolean terminal, String sync) {
        this.err = err;
        this.terminal = terminal;
        this.sync = sync;
    }

    @Override
    public void extracted(long rows) {
        extracted = rows;
        maybePrint("extracting: " + rows + " rows");
    }

    @Override
    public void planned(PlanCounts counts) {
        planned = counts;
        print("planned: " + counts.added() + " added, " + counts.changed() + " changed, " + counts.removed()
                + " removed, " + counts.unchanged() + " unchanged, " + counts.invalid() + " invalid (of "
                + extracted + " rows)");
    }

    @Override
    public void delivered(long rows, long total, long calls, long throttles) {
        maybePrint("delivering: " + rows + "/" + total + " rows, " + calls + " API calls, " + throttles
                + " throttles");
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
            if (text.startsWith("planned")) {
                err.println();
                dirty = false;
            }
        } else {
            err.println(sync + " " + text);
        }
        err.flush();
    }

    /** Ends the rewritten line, if any. */
    void done() {
        if (dirty) err.println();
        dirty = false;
    }
}
