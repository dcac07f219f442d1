package dev.ebb.server.ops;

import dev.ebb.core.state.RunLog;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.StateException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Follows the run log and hands each run, once it is over, to its listeners (metrics, alerts): whoever started the
 * run (a schedule, the API, the UI, another worker on the same store), it is seen here. The runs already over when
 * the watcher starts are remembered, not counted or alerted again. Not thread-safe: one thread polls.
 */
final class RunWatcher {
    /** Runs read per poll: more than can finish between two polls. */
    private static final int WINDOW = 200;

    private final RunLog runs;
    private final List<Consumer<RunRecord>> listeners;
    private final Set<Long> seen = new HashSet<>();
    private long oldestSeen = Long.MAX_VALUE;

    RunWatcher(RunLog runs, List<Consumer<RunRecord>> listeners) {
        this.runs = runs;
        this.listeners = List.copyOf(listeners);
    }

    /** The runs over at start; returns the newest over per sync, oldest first, for the alerts' starting state. */
    List<RunRecord> baseline() throws StateException {
        List<RunRecord> newestFirst = runs.runs(null, WINDOW);
        List<RunRecord> latest = new ArrayList<>();
        Set<String> syncs = new HashSet<>();
        for (RunRecord run : newestFirst) {
            if (!AlertRules.over(run)) continue;
            seen.add(run.runId());
            oldestSeen = Math.min(oldestSeen, run.runId());
            if (syncs.add(run.sync())) latest.add(run);
        }
        return latest.reversed();
    }

    /** Hands the runs that ended since the last poll to the listeners, oldest first; returns how many. */
    int poll() throws StateException {
        List<RunRecord> ended = new ArrayList<>();
        for (RunRecord run : runs.runs(null, WINDOW)) {
            if (AlertRules.over(run) && !seen.contains(run.runId())
                    && (oldestSeen == Long.MAX_VALUE || run.runId() > oldestSeen)) {
                ended.add(run);
            }
        }
        ended.sort(java.util.Comparator.comparingLong(RunRecord::runId));
        for (RunRecord run : ended) {
            seen.add(run.runId());
            for (Consumer<RunRecord> listener : listeners) listener.accept(run);
        }
        if (seen.size() > WINDOW * 4) forgetOld();
        return ended.size();
    }

    /** Keeps only the ids a poll can still read, so a long-running server's set stays small. */
    private void forgetOld() throws StateException {
        List<RunRecord> window = runs.runs(null, WINDOW);
        if (window.isEmpty()) return;
        long floor = window.getLast().runId();
        seen.removeIf(id -> id < floor);
        oldestSeen = Math.max(oldestSeen == Long.MAX_VALUE ? floor : oldestSeen, floor - 1);
    }
}
