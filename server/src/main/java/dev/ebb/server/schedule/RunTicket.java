package dev.ebb.server.schedule;

import dev.ebb.core.run.Cancellation;
import dev.ebb.core.run.RunReport;
import dev.ebb.core.state.PlanCounts;
import java.time.Instant;
import java.util.Set;

/**
 * One requested run, from the queue to its end: what was asked, by whom, and how far it got. The run's id is known
 * once the engine has opened it in the run log. Thread-safe: written by the run's thread, read by the API.
 */
public final class RunTicket {
    /** What a ticket runs. */
    public enum Action {
        /** The sync's changes: the usual run. */
        RUN,
        /** The failed rows of an earlier run, planned again: only their keys are delivered. */
        RETRY,
        /** The plan a held run stands for, delivered if it is still the same plan. */
        APPROVE
    }

    /**
     * What to run.
     *
     * @param sync    the sync
     * @param action  its changes, a retry of some keys, or the delivery of a held plan
     * @param ofRun   for a retry, the run whose rows are retried; for an approval, the held run; else {@code null}
     * @param keys    for a retry, the keys planned again; empty otherwise
     * @param trigger who asked: {@code schedule}, {@code after:SYNC}, or {@code token:NAME}
     */
    public record Request(String sync, Action action, Long ofRun, Set<String> keys, String trigger) {
        public Request {
            keys = Set.copyOf(keys);
        }

        /** The sync's changes, as {@code trigger} asked. */
        public static Request changes(String sync, String trigger) {
            return new Request(sync, Action.RUN, null, Set.of(), trigger);
        }

        /** Whether {@code other} asks for the same run, whoever asked: one run does for both. */
        public boolean sameRun(Request other) {
            return sync.equals(other.sync) && action == other.action && java.util.Objects.equals(ofRun, other.ofRun)
                    && keys.equals(other.keys);
        }
    }

    /** Where the ticket stands. */
    public enum State {
        QUEUED, RUNNING,
        /** The run ended; its report says how. */
        ENDED,
        /** The run could not go (invalid sync, unreachable destination): see {@link #error()}. */
        FAILED,
        /** Cancelled while queued: it never started. */
        CANCELLED
    }

    private final long id;
    private final Request request;
    private final Instant queuedAt;
    private final Cancellation cancellation = new Cancellation();
    private volatile State state = State.QUEUED;
    private volatile Instant startedAt;
    private volatile Instant endedAt;
    private volatile Long runId;
    private volatile RunReport report;
    private volatile String error;
    private volatile PlanCounts planned;
    private volatile long settled;
    private volatile long total;
    private volatile long calls;

    RunTicket(long id, Request request, Instant queuedAt) {
        this.id = id;
        this.request = request;
        this.queuedAt = queuedAt;
    }

    public long id() {
        return id;
    }

    public Request request() {
        return request;
    }

    public Instant queuedAt() {
        return queuedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public State state() {
        return state;
    }

    /** The run's id in the run log, once the engine opened it; {@code null} before. */
    public Long runId() {
        return runId;
    }

    public RunReport report() {
        return report;
    }

    public String error() {
        return error;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    /** The plan's counts once known, else {@code null}. */
    public PlanCounts planned() {
        return planned;
    }

    /** Rows with a final outcome so far. */
    public long settled() {
        return settled;
    }

    /** Rows the plan sends, once known. */
    public long total() {
        return total;
    }

    public long calls() {
        return calls;
    }

    /** A progress that records how far the run got, for the API and the web pages. */
    public dev.ebb.core.run.Progress progress() {
        return new dev.ebb.core.run.Progress() {
            @Override
            public void started(long id) {
                runId = id;
            }

            @Override
            public void planned(PlanCounts counts) {
                planned = counts;
            }

            @Override
            public void delivered(long rows, long of, long callsSoFar, long throttles) {
                settled = rows;
                total = of;
                calls = callsSoFar;
            }
        };
    }

    void started(Instant at) {
        startedAt = at;
        state = State.RUNNING;
    }

    void ended(RunReport runReport, Instant at) {
        report = runReport;
        runId = runReport.record().runId();
        endedAt = at;
        state = State.ENDED;
    }

    void failed(String message, Instant at) {
        error = message;
        endedAt = at;
        state = State.FAILED;
    }

    void dropped(String reason, Instant at) {
        error = reason;
        endedAt = at;
        state = State.CANCELLED;
    }
}
