package dev.ebb.core.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Every run of every sync, with its counts, timings and per-row outcomes, and the decisions on held plans. */
public interface RunLog {

    /**
     * Runs left running by a process that died are closed as abandoned, ending at their last commit, with the counts
     * their commits recorded. Returns how many.
     */
    int closeAbandonedRuns(String sync, Instant now) throws StateException;

    /** Opens a run; returns its id. */
    long startRun(String sync, Instant now) throws StateException;

    /** Records how the run's plan compares with the snapshot, before delivery: an abandoned run keeps them. */
    void recordPlan(long runId, PlanCounts counts) throws StateException;

    /** Closes a run with its counts and status, and folds the snapshot entries its batches appended. */
    void finishRun(RunRecord run) throws StateException;

    Optional<RunRecord> run(long runId) throws StateException;

    /** The newest runs first; {@code sync} may be null for all syncs. */
    List<RunRecord> runs(String sync, int limit) throws StateException;

    /** Marks a run as held for approval: nothing of its plan was delivered; {@code planIdentity} names the plan. */
    void hold(long runId, String planIdentity) throws StateException;

    /** The identity of the plan a held run stands for, if the run is held. */
    Optional<String> heldPlan(long runId) throws StateException;

    /**
     * Records the decision on a held run.
     *
     * @param decision {@link RunStatus#APPROVED} or {@link RunStatus#REJECTED}
     */
    void decide(long runId, RunStatus decision, String message, Instant now) throws StateException;

    /** A key's outcome history, newest first. */
    List<LoggedOutcome> outcomes(String sync, String key, int limit) throws StateException;

    /** Rows of one run with one outcome; their reasons are prefixed with the key. */
    List<LoggedOutcome> outcomesOfRun(long runId, Outcome outcome, int limit) throws StateException;

    /**
     * One page of a run's per-row outcomes in key order, for the UI and the API.
     *
     * @param outcome   only rows with this outcome, or {@code null} for every outcome
     * @param keyPart   only rows whose key contains this text (case-blind), or {@code null} or blank for every key
     * @param offset    rows to skip, at least 0
     * @param limit     rows to return, at least 1
     */
    OutcomePage outcomePage(long runId, Outcome outcome, String keyPart, int offset, int limit) throws StateException;
}
