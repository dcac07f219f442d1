package dev.ebb.core.run;

import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.delivery.Callers;
import dev.ebb.core.delivery.QuotaGate;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.delivery.Tally;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.ownership.ConflictResolver;
import dev.ebb.core.plan.BlastRadius;
import dev.ebb.core.plan.BoundSync;
import dev.ebb.core.plan.Connectors;
import dev.ebb.core.plan.Extraction;
import dev.ebb.core.plan.Operations;
import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.plan.SyncBinder;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.Change;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.InvalidRow;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.synclog.SyncLogs;
import dev.ebb.spi.Mode;
import dev.ebb.spi.Operation;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Runs syncs: bind → extract → fingerprint → diff → plan → deliver → commit (DESIGN §3). The facade over the run's
 * stages: {@code plan} binds the sync and plans it ({@link SyncBinder}, {@link Extraction}, the store's planner);
 * {@code delivery} batches and writes within the account's budget; {@code ownership} applies field policies and
 * settles conflicts; {@code state} keeps snapshots and the run log.
 *
 * <p>Thread-safe for runs of different syncs; two runs of one sync are refused by {@link StateStore#lock}.
 */
public final class SyncEngine {
    private static final System.Logger LOGGER = System.getLogger(SyncEngine.class.getName());
    private final StateStore state;
    private final SyncBinder binder;
    private final Waiter waiter;
    private final Clock clock;
    private final SyncLogs syncLogs;
    private final Callers callers;

    /** An engine that writes no sync logs. */
    public SyncEngine(ProjectConfig project, StateStore state, Connectors connectors, RateBudgets budgets,
                      RetryPolicy retryPolicy, Waiter waiter, Clock clock, RandomGenerator random) {
        this(project, state, connectors, budgets, retryPolicy, waiter, clock, random, SyncLogs.NONE);
    }

    /** @param syncLogs where runs of syncs whose source keeps {@code sync_logs:} write them */
    public SyncEngine(ProjectConfig project, StateStore state, Connectors connectors, RateBudgets budgets,
                      RetryPolicy retryPolicy, Waiter waiter, Clock clock, RandomGenerator random,
                      SyncLogs syncLogs) {
        this.syncLogs = syncLogs;
        this.state = state;
        this.waiter = waiter;
        this.clock = clock;
        this.callers = new Callers(budgets, retryPolicy, waiter, random, clock, new StateLedger(state));
        this.binder = new SyncBinder(project, connectors, callers);
    }

    /** The daily-quota gate of every destination account this engine has called, by account id (for metrics). */
    public Map<String, dev.ebb.core.delivery.QuotaGate> quotas() {
        return callers.quotasByAccount();
    }

    /** A dry run: reads the model and the destination's schema, writes nothing anywhere. */
    public PlanReport plan(String syncName, int samplesPerKind, Progress progress)
            throws SyncException, InterruptedException {
        SyncConfig sync = binder.sync(syncName);
        try (BoundSync bound = binder.bind(sync); PlanSession plan = state.plan(sync.name())) {
            List<String> warnings = new ArrayList<>();
            boolean specChanged = specChanged(bound, warnings);
            PlanCounts counts = extract(bound, plan, specChanged ? Replan.EVERY_ROW : Replan.CHANGES_ONLY, progress,
                    inJvm(warnings));
            List<PlanReport.Sample> samples = new ArrayList<>();
            for (Change change : List.of(Change.ADDED, Change.CHANGED, Change.REMOVED)) {
                for (PlannedRow row : plan.samples(change, samplesPerKind)) {
                    Optional<Operation> op = Operations.operation(sync, row);
                    Map<String, Object> fields = op.map(o -> Operations.fields(bound, o, row))
                            .orElse(Map.of());
                    samples.add(new PlanReport.Sample(row.key(), lower(change),
                            op.map(SyncEngine::lower).orElse("none"), fields));
                }
            }
            List<PlanReport.Invalid> invalid = new ArrayList<>();
            try (RowCursor<InvalidRow> rows = plan.invalid()) {
                InvalidRow row;
                while (invalid.size() < samplesPerKind * 3 && (row = rows.next()) != null) {
                    invalid.add(new PlanReport.Invalid(row.key(), row.reason()));
                }
            }
            String breach = BlastRadius.breach(sync, counts, BlastRadius.couldBreach(sync, counts)
                    ? state.snapshotSize(sync.name()) : 0);
            return new PlanReport(sync.name(), counts, samples, invalid, warnings,
                    bound.caller().stats().calls.get(), breach);
        } catch (StateException e) {
            throw stateFailure(e);
        }
    }

    /**
     * Checks a sync against its source and destination without reading a row: the model compiles and has the key,
     * match and mapped columns; the object, mode, match field and mapped fields exist at the destination. One
     * discovery call. Returns warnings (e.g. a mapping changed since the last run).
     */
    public List<String> check(String syncName) throws SyncException, InterruptedException {
        SyncConfig sync = binder.sync(syncName);
        try (BoundSync bound = binder.bind(sync)) {
            List<String> warnings = new ArrayList<>();
            specChanged(bound, warnings);
            return warnings;
        } catch (StateException e) {
            throw stateFailure(e);
        }
    }

    /**
     * Runs the sync: plans, delivers, and commits what the destination acknowledged. A plan over the sync's
     * blast-radius guard is not delivered: the run ends awaiting approval.
     */
    public RunReport run(String syncName, Progress progress) throws SyncException, InterruptedException {
        return run(syncName, RunKind.CHANGES, progress);
    }

    /**
     * Runs the sync as {@code kind} says: its changes, or ({@link RunKind#REPLACE}) every valid row of the model as
     * one replace of an audience's membership, refused for a sync or object that cannot be replaced, for a model
     * larger than one replace, and for a replace that would drop more members than the guard's max_removed.
     */
    public RunReport run(String syncName, RunKind kind, Progress progress) throws SyncException, InterruptedException {
        return run(syncName, kind, progress, RunOptions.DEFAULT);
    }

    /**
     * Runs the sync as {@code kind} says, with {@code options}: a cancellation it checks between batches (a cancelled
     * run ends {@link RunStatus#CANCELLED}, what its batches committed kept, the rest pending), and the keys a retry
     * delivers again.
     */
    public RunReport run(String syncName, RunKind kind, Progress progress, RunOptions options)
            throws SyncException, InterruptedException {
        if (options.retry() && kind == RunKind.REPLACE) {
            throw new SyncException(SyncException.Kind.INVALID, "a replace sends the whole model, so it cannot be"
                    + " limited to some keys; retry without --replace");
        }
        return execute(binder.sync(syncName), progress, null, kind, options);
    }

    /**
     * Delivers the plan a run held for approval. The model is planned again and must give the very plan that was
     * held (same rows, same changes, same values); otherwise nothing is sent and the user is told to run again. The
     * approval and the run that delivered it are recorded in the run log.
     */
    public RunReport approve(long heldRunId, Progress progress) throws SyncException, InterruptedException {
        return approve(heldRunId, progress, Cancellation.NEVER);
    }

    /** Like {@link #approve(long, Progress)}, the delivery cancellable between batches. */
    public RunReport approve(long heldRunId, Progress progress, Cancellation cancellation)
            throws SyncException, InterruptedException {
        RunRecord held = heldRun(heldRunId);
        return execute(binder.sync(held.sync()), progress, held.runId(), RunKind.CHANGES,
                new RunOptions(cancellation, java.util.Set.of()));
    }

    /** Drops the plan a run held for approval: nothing is delivered, and the decision is recorded. */
    public RunRecord reject(long heldRunId) throws SyncException {
        RunRecord held = heldRun(heldRunId);
        try {
            state.decide(held.runId(), RunStatus.REJECTED, "rejected: its plan was not delivered", clock.instant());
            return state.run(held.runId()).orElseThrow();
        } catch (StateException e) {
            throw stateFailure(e);
        }
    }

    /** Resolves a conflict (respect_manual_edits) for the warehouse's value or the person's. */
    public Conflict resolve(String syncName, String key, String field, Resolution resolution)
            throws SyncException, InterruptedException {
        SyncConfig sync = binder.sync(syncName);
        try (BoundSync bound = binder.bind(sync)) {
            return new ConflictResolver(state, waiter, clock).resolve(bound, key, field, resolution);
        } catch (StateException e) {
            throw stateFailure(e);
        }
    }

    private RunRecord heldRun(long runId) throws SyncException {
        try {
            RunRecord run = state.run(runId).orElseThrow(() -> new SyncException(SyncException.Kind.INVALID,
                    "there is no run " + runId));
            if (run.status() != RunStatus.AWAITING_APPROVAL) {
                throw new SyncException(SyncException.Kind.INVALID, "run " + runId + " of " + run.sync() + " is "
                        + run.status() + ", not awaiting approval");
            }
            long newest = state.runs(run.sync(), 1).getFirst().runId();
            if (newest != runId) {
                throw new SyncException(SyncException.Kind.INVALID, "run " + runId + " of " + run.sync()
                        + " was overtaken by run " + newest + "; only the newest held plan can be approved");
            }
            return run;
        } catch (StateException e) {
            throw stateFailure(e);
        }
    }

    /**
     * Executes the run, then writes its sync log (when its source keeps one) once the source is closed: a log that
     * cannot be written is a warning of the run's report, or, for a run that failed, a warning logged beside its
     * failure; never a failure of its own.
     */
    private RunReport execute(SyncConfig sync, Progress progress, Long approving, RunKind kind,
                               RunOptions options)
            throws SyncException, InterruptedException {
        try (SyncLogs.Recording log = syncLogs.start(sync)) {
            RunReport report;
            try {
                report = execute(sync, progress, approving, kind, log, options);
            } catch (SyncException | InterruptedException | RuntimeException e) {
                log.write(state).ifPresent(warning -> LOGGER.log(System.Logger.Level.WARNING, warning));
                throw e;
            }
            Optional<String> warning = log.write(state);
            if (warning.isEmpty()) return report;
            List<String> warnings = new ArrayList<>(report.warnings());
            warnings.add(warning.get());
            return new RunReport(report.record(), warnings, report.problems(), report.unreachable());
        }
    }

    private RunReport execute(SyncConfig sync, Progress progress, Long approving, RunKind kind,
                              SyncLogs.Recording log, RunOptions options) throws SyncException, InterruptedException {
        if (state.access() == Access.READ_ONLY) {
            throw new IllegalStateException("a run needs a writable state store");
        }
        try {
            state.lock(sync.name());
        } catch (StateException e) {
            throw new SyncException(SyncException.Kind.UNAVAILABLE, e.getMessage(), e);
        }
        // The run starts before the destination's schema is read: a throttled start is part of the run's duration.
        java.time.Instant started = clock.instant();
        try (BoundSync bound = binder.bind(sync); PlanSession plan = state.plan(sync.name())) {
            Optional<String> unreplaceable = kind == RunKind.REPLACE ? replaceProblem(bound) : Optional.empty();
            if (unreplaceable.isPresent()) throw new SyncException(SyncException.Kind.INVALID, unreplaceable.get());
            state.closeAbandonedRuns(sync.name(), clock.instant());
            List<String> warnings = new ArrayList<>();
            boolean specChanged = specChanged(bound, warnings);
            if (specChanged) {
                state.replaceSpec(sync.name(), bound.spec().hash(), bound.spec().text(), clock.instant());
            } else if (state.specHash(sync.name()).isEmpty()) {
                state.saveSpec(sync.name(), bound.spec().hash(), bound.spec().text(), clock.instant());
            }
            long runId = state.startRun(sync.name(), started);
            log.started(runId);
            progress.started(runId);
            RunDelivery delivery = new RunDelivery(bound, state, runId, progress, waiter, clock, log, options);
            PlanCounts counts = null;
            try {
                boolean replace = kind == RunKind.REPLACE;
                counts = extract(bound, plan, replace ? Replan.EVERY_ROW : Replan.CHANGES_ONLY, progress,
                        inJvm(warnings));
                // Nothing is delivered before the guard: the snapshot's size is still the one the plan diffed.
                long delivered = BlastRadius.couldBreach(sync, counts) ? state.snapshotSize(sync.name()) : 0;
                state.recordPlan(runId, counts);
                delivery.recordInvalid(plan);
                if (replace) {
                    String breach = BlastRadius.breach(sync, counts, delivered);
                    if (breach != null) {
                        throw new SyncException(SyncException.Kind.INVALID, "--replace was refused, nothing was"
                                + " sent: " + breach + ". Check the model, or raise guard.max_removed to replace"
                                + " anyway.");
                    }
                    delivery.replace(plan);
                } else if (options.retry()) {
                    delivery.deliver(plan, counts);
                } else {
                    Optional<RunReport> held = guard(sync, plan, counts, delivered, runId, approving, delivery,
                            warnings);
                    if (held.isPresent()) return held.get();
                    delivery.deliver(plan, counts);
                }
            } catch (SyncException | StateException e) {
                // The run ends with a status and the reason, even when the store failed it (a full disk): if even
                // that cannot be written, the next run closes it as abandoned at its last commit.
                try {
                    delivery.finishFailed(counts, e.getMessage());
                } catch (StateException | RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            Tally tally = delivery.tally;
            RunStatus status = tally.cancelled() ? RunStatus.CANCELLED
                    : tally.quotaSpent() ? RunStatus.QUOTA_EXHAUSTED
                    : tally.stopped() ? RunStatus.FAILED
                    : tally.rejected.get() + tally.failed.get() + delivery.invalid > 0
                    ? RunStatus.COMPLETED_WITH_ERRORS : RunStatus.SUCCEEDED;
            if (tally.cancelled()) {
                warnings.add("the run was cancelled (" + tally.stopReason() + "): what its batches committed stays,"
                        + " and the rows it did not send are planned again by the next run");
            } else if (tally.stopped()) {
                warnings.add("the run stopped sending: " + tally.stopReason());
            }
            RunRecord record = delivery.finish(counts, status, tally.stopReason());
            if (approving != null) {
                state.decide(approving, RunStatus.APPROVED, "approved: delivered by run " + runId, clock.instant());
                warnings.add("run " + approving + " approved: its plan was delivered by run " + runId);
            }
            return new RunReport(record, warnings, tally.problems(), tally.unreachable());
        } catch (StateException e) {
            throw stateFailure(e);
        } finally {
            state.unlock(sync.name());
        }
    }

    /**
     * The blast-radius guard. When approving, the plan must be the very plan that was held, or nothing is sent; else
     * a plan over the sync's guard is held: the run ends awaiting approval, and its report is returned.
     */
    private Optional<RunReport> guard(SyncConfig sync, PlanSession plan, PlanCounts counts, long delivered,
                                      long runId, Long approving, RunDelivery delivery, List<String> warnings)
            throws SyncException, StateException {
        String identity = plan.identity();
        if (approving != null) {
            String held = state.heldPlan(approving).orElse("");
            if (!held.equals(identity)) {
                throw new SyncException(SyncException.Kind.INVALID, "the plan of run " + approving
                        + " no longer stands: the model or what was delivered changed since it was held, "
                        + "so nothing was sent. Run 'ebb run " + sync.name() + "' for a new plan.");
            }
            return Optional.empty();
        }
        String breach = BlastRadius.breach(sync, counts, delivered);
        if (breach == null) return Optional.empty();
        state.hold(runId, identity);
        warnings.add("run " + runId + " is held for approval, nothing was sent: " + breach + ". Review it with "
                + "'ebb plan " + sync.name() + "', then 'ebb approve " + runId + "' or 'ebb reject " + runId + "'.");
        RunRecord record = delivery.finish(counts, RunStatus.AWAITING_APPROVAL, "held for approval: " + breach);
        return Optional.of(new RunReport(record, warnings, delivery.tally.problems(), false));
    }

    /** Why the sync cannot be replaced as a whole, or empty when it can. */
    private static Optional<String> replaceProblem(BoundSync bound) {
        SyncConfig sync = bound.sync();
        if (sync.mode() != Mode.ADD_REMOVE) {
            return Optional.of("--replace replaces an audience's membership as a whole, so it needs mode: add_remove;"
                    + " sync '" + sync.name() + "' has mode: " + lower(sync.mode()) + " (" + sync.location()
                    + "). Run it without --replace.");
        }
        if (bound.capabilities().replace().isEmpty()) {
            return Optional.of("--replace needs an object whose membership can be replaced as a whole, and object '"
                    + sync.object() + "' of destination '" + sync.destination() + "' cannot be; run sync '"
                    + sync.name() + "' without --replace to add and remove members.");
        }
        return Optional.empty();
    }

    /** Why the model's rows were planned in the JVM, as a warning of the plan or the run (both show it). */
    private static java.util.function.Consumer<String> inJvm(List<String> warnings) {
        return reason -> warnings.add("the model's rows were planned in the JVM, not in the state store: " + reason);
    }

    private static PlanCounts extract(BoundSync bound, PlanSession plan, Replan replan, Progress progress,
                                      java.util.function.Consumer<String> inJvm)
            throws SyncException, StateException {
        PlanCounts counts = Extraction.extractAndDiff(bound, plan, replan, progress::extracted, inJvm);
        progress.planned(counts);
        return counts;
    }

    private boolean specChanged(BoundSync bound, List<String> warnings) throws StateException {
        Optional<String> stored = state.specHash(bound.sync().name());
        boolean changed = stored.isPresent() && !stored.get().equals(bound.spec().hash());
        if (changed) {
            warnings.add("the mapping, mode or identifier of sync '" + bound.sync().name() + "' changed since its "
                    + "last run: every row is planned again under the new one");
        }
        return changed;
    }

    private static SyncException stateFailure(StateException e) {
        return new SyncException(SyncException.Kind.UNAVAILABLE, e.getMessage(), e);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Quota counts kept in the state store; a store that fails stops the call that needed the count. */
    private record StateLedger(StateStore state) implements QuotaGate.Ledger {
        @FunctionalInterface
        private interface StateWork<T> {
            T on(StateStore state) throws StateException;
        }

        private <T> T unchecked(StateWork<T> work) {
            try {
                return work.on(state);
            } catch (StateException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        public long used(String account, LocalDate day) {
            return unchecked(s -> s.quotaUsed(account, day));
        }

        @Override
        public void add(String account, LocalDate day, long calls) {
            unchecked(s -> {
                s.addQuotaUsage(account, day, calls);
                return null;
            });
        }

        @Override
        public long usedSince(String account, Instant from) {
            return unchecked(s -> s.quotaUsedSince(account, from));
        }

        @Override
        public void addHourly(String account, Instant hour, long calls) {
            unchecked(s -> {
                s.addHourlyQuotaUsage(account, hour, calls);
                return null;
            });
        }
    }
}
